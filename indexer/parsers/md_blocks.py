"""Markdown to blocks through markdown-it-py (CommonMark, plus tables and strikethrough).

Raw HTML blocks inside Markdown (embedded posts, tables, details) go through the HTML
converter, so they land in the same tree; HTML comments are dropped.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .blocks import Block, Inline, InlineBuilder

__all__ = ["markdown_blocks"]

_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# Links are kept as written (no percent-encoding, no scheme filtering): the knowledge base
# compares them with what editors paste, and it is the slowest part of the parse.
_MD.normalizeLink = lambda url: url  # type: ignore[method-assign]
_MD.validateLink = lambda url: True  # type: ignore[method-assign]
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}", re.S)  # Hugo shortcodes
_EMOJI_CODE = re.compile(r"(?<!\w):[a-z0-9_+\-]{2,30}:(?!\w)")  # :package: shortcodes


def _inline(token: Token) -> Inline:
    builder = InlineBuilder()
    for child in token.children or ():
        kind = child.type
        if kind in ("text", "code_inline"):
            builder.text(_EMOJI_CODE.sub("", child.content))
        elif kind in ("softbreak", "hardbreak"):
            builder.space()
        elif kind == "link_open":
            builder.open_link(str(child.attrs.get("href", "")))
        elif kind == "link_close":
            builder.close_link()
        elif kind == "strong_open":
            builder.open_strong()
        elif kind == "strong_close":
            builder.close_strong()
        elif kind == "em_open":
            builder.open_emphasis()
        elif kind == "em_close":
            builder.close_emphasis()
        elif kind == "html_inline":
            _html_inline(builder, child.content)
        # images carry no text an item needs; s_open/s_close keep their text
    return builder.build()


def _html_inline(builder: InlineBuilder, tag: str) -> None:
    if match := re.match(r"<a\s[^>]*href=[\"']([^\"']*)", tag, re.I):
        builder.open_link(match.group(1))
    elif re.match(r"</a\s*>", tag, re.I):
        builder.close_link()
    elif re.match(r"<(b|strong)\b", tag, re.I):
        builder.open_strong()
    elif re.match(r"</(b|strong)\s*>", tag, re.I):
        builder.close_strong()
    elif re.match(r"<br\b", tag, re.I):
        builder.space()


def _line(token: Token, offset: int) -> int:
    return token.map[0] + 1 + offset if token.map else 0


class _TreeBuilder:
    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.root: list[Block] = []
        self.stack: list[Block] = []  # open containers: list, item, quote

    def _container(self) -> list[Block]:
        return self.stack[-1].children if self.stack else self.root

    def add(self, block: Block) -> None:
        parent = self.stack[-1] if self.stack else None
        if parent is not None and parent.kind == "item" and parent.inline is None and block.kind == "para":
            parent.inline = block.inline  # a list item's first paragraph is its own text
            return
        self._container().append(block)

    def feed(self, tokens: list[Token]) -> None:
        n = 0
        while n < len(tokens):
            token = tokens[n]
            kind = token.type
            line = _line(token, self.offset)
            if kind == "heading_open":
                self.add(Block("heading", _inline(tokens[n + 1]), level=int(token.tag[1]), line=line))
                n += 3
                continue
            if kind == "paragraph_open":
                inline = _inline(tokens[n + 1])
                if inline.text:
                    self.add(Block("para", inline, line=line))
                n += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                block = Block("list", level=len([b for b in self.stack if b.kind == "list"]) + 1, line=line)
                self.add(block)
                self.stack.append(block)
            elif kind == "list_item_open":
                block = Block("item", line=line)
                self._container().append(block)
                self.stack.append(block)
            elif kind == "blockquote_open":
                block = Block("quote", line=line)
                self.add(block)
                self.stack.append(block)
            elif kind in ("bullet_list_close", "ordered_list_close", "list_item_close", "blockquote_close"):
                if self.stack:
                    item = self.stack.pop()
                    if item.kind == "item" and item.inline is None:
                        item.inline = Inline("")
            elif kind in ("fence", "code_block"):
                self.add(Block("code", Inline(token.content.strip("\n")), line=line))
            elif kind == "hr":
                self.add(Block("rule", line=line))
            elif kind == "html_block":
                self._html(token.content, line)
            elif kind == "table_open":
                n = self._table(tokens, n, line)
                continue
            n += 1

    def _html(self, markup: str, line: int) -> None:
        markup = _COMMENT.sub("", markup)
        if not markup.strip():
            return
        from .html_blocks import html_blocks  # the HTML converter imports nothing from here

        for block in html_blocks(markup):
            block.line = block.line or line
            self.add(block)

    def _table(self, tokens: list[Token], n: int, line: int) -> int:
        """Each body row becomes a list item: cells joined, links kept."""
        rows = Block("list", level=1, line=line)
        builder: InlineBuilder | None = None
        while n < len(tokens) and tokens[n].type != "table_close":
            token = tokens[n]
            if token.type == "tr_open":
                builder = InlineBuilder()
            elif token.type == "inline" and builder is not None:
                cell = _inline(token)
                if cell.text:
                    base = builder.length + (3 if builder.length else 0)
                    if builder.length:
                        builder.text(" | ")
                    builder.text(cell.text)
                    builder.links += [type(l)(l.text, l.url, l.start + base, l.end + base) for l in cell.links]
            elif token.type == "tr_close" and builder is not None:
                inline = builder.build()
                if inline.text and tokens[n - 1].type != "th_close":
                    rows.children.append(Block("item", inline, line=_line(token, self.offset)))
                builder = None
            n += 1
        if rows.children:
            self.add(rows)
        return n + 1


def markdown_blocks(markdown: str, first_line: int = 1) -> list[Block]:
    """The block tree of a Markdown document (front matter already removed)."""
    markdown = _SHORTCODE.sub("", _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), markdown))
    builder = _TreeBuilder(first_line - 1)
    builder.feed(_MD.parse(markdown))
    return builder.root

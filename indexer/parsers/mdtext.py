"""Markdown reduced to what the parsers need: blocks, their links and their plain text.

Not a full CommonMark implementation: newsletters use ATX headings, paragraphs, lists,
fenced code and inline links, and that is all this reads.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Block", "Link", "split_blocks", "links_in", "to_plain", "block_text"]

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
# [text](url "title"), [text](<url with spaces>), one level of nested brackets/parentheses
_LINK = re.compile(
    r"(?P<image>!?)\[(?P<text>(?:\\.|[^\[\]\\]|\[(?:\\.|[^\[\]\\])*\])*)\]"
    r"\(\s*(?P<url><[^>]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+\"[^\"]*\")?\s*\)"
)
_REF_LINK = re.compile(r"\[((?:\\.|[^\[\]\\])+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_EMPHASIS = (
    re.compile(r"\*\*(.+?)\*\*"),
    re.compile(r"__(.+?)__"),
    re.compile(r"~~(.+?)~~"),
    re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"),
    re.compile(r"(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w_])"),
)
_CODE_SPAN = re.compile(r"`+([^`]+)`+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" | "para" | "list" | "code"
    text: str  # the Markdown source of the block (heading: without the #s)
    level: int = 0  # heading level


@dataclass(frozen=True)
class Link:
    text: str
    url: str


def split_blocks(markdown: str) -> list[Block]:
    """Headings, paragraphs, list items and code blocks in reading order."""
    blocks: list[Block] = []
    lines: list[str] = []
    kind = "para"
    fence: str | None = None

    def flush() -> None:
        if lines:
            blocks.append(Block(kind, "\n".join(lines)))
            lines.clear()

    for line in markdown.splitlines():
        if fence is not None:
            if line.strip().startswith(fence):
                flush()
                fence, kind = None, "para"
            else:
                lines.append(line.rstrip())
            continue
        if match := _FENCE.match(line):
            flush()
            fence, kind = match.group(1), "code"
            continue
        if match := _HEADING.match(line):
            flush()
            blocks.append(Block("heading", match.group(2), len(match.group(1))))
            continue
        if not line.strip():
            flush()
            kind = "para"
            continue
        if _LIST_ITEM.match(line):
            flush()
            kind = "list"
        lines.append(line)
    flush()
    return blocks


def links_in(markdown: str) -> list[Link]:
    """Inline links (not images) with their plain anchor text."""
    return [
        Link(to_plain(m.group("text")), m.group("url").strip("<>").strip())
        for m in _LINK.finditer(markdown)
        if not m.group("image")
    ]


def to_plain(markdown: str, *, drop_link: Callable[[str], bool] | None = None) -> str:
    """Inline Markdown to text: links become their anchor text, markup and images go.

    `drop_link(url)` removes a link's anchor text too (e.g. a label linking to the own site).
    """

    def link_text(m: re.Match[str]) -> str:
        url = m.group("url").strip("<>").strip()
        return "" if m.group("image") or (drop_link and drop_link(url)) else m.group("text")

    text = _LINK.sub(link_text, markdown)
    text = _REF_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _CODE_SPAN.sub(r"\1", text)
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    return " ".join(html.unescape(text).split())


def block_text(block: Block) -> str:
    """A block as clean text; list items keep a '- ' marker, code keeps its lines."""
    if block.kind == "code":
        return "\n".join(line for line in block.text.splitlines() if line.strip())
    if block.kind == "list":
        marker = _LIST_ITEM.match(block.text).group(0).strip()  # type: ignore[union-attr]
        marker = marker if marker[0].isdigit() else "-"
        return f"{marker} {to_plain(_LIST_ITEM.sub('', block.text, count=1))}"
    return to_plain(block.text)

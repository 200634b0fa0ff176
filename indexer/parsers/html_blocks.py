"""HTML (pages, e-mail exports, feed entry bodies) to blocks through BeautifulSoup.

Layout tables of e-mail templates and the `<div>` soup of site generators are walked
through; what matters is the reading order of headings, paragraphs, lists and rules. Loose
inline content between blocks is a paragraph; `<br><br>` inside a paragraph splits it.
"""
from __future__ import annotations

import warnings

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, NavigableString, Tag, XMLParsedAsHTMLWarning

from .blocks import Block, Inline, InlineBuilder

__all__ = ["html_blocks", "soup_of", "blocks_of"]

SKIP = {"script", "style", "noscript", "template", "svg", "head", "nav", "footer", "form", "button",
        "iframe", "select", "title", "meta", "link", "input", "textarea", "aside"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_PARAGRAPHS = {"p", "pre", "figcaption", "dd", "dt", "address", "summary", "caption"}
_INLINE = {"a", "b", "strong", "em", "i", "span", "u", "code", "small", "sup", "sub", "img", "font",
           "mark", "abbr", "cite", "q", "s", "strike", "del", "ins", "time", "label", "br", "kbd", "var", "wbr", "tt", "big"}
_BOLD = {"b", "strong"}
_ITALIC = {"em", "i"}


def soup_of(html: str) -> BeautifulSoup:
    """Parse with the stdlib backend; a fragment that looks like a URL or XML is still HTML."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(html, "html.parser")


def _bold_style(tag: Tag) -> bool:
    style = str(tag.get("style") or "").replace(" ", "").lower()
    return "font-weight:bold" in style or "font-weight:700" in style or "font-weight:600" in style


def _feed(builder: InlineBuilder, node: Tag | NavigableString, breaks: list[int]) -> None:
    if isinstance(node, NavigableString):
        if type(node) is NavigableString:  # not a comment, doctype or CDATA
            builder.text(str(node).replace("\n", " "))
        return
    name = node.name
    if name in SKIP or name == "img":
        return
    if name == "br":
        breaks.append(builder.length)
        builder.space()
        return
    if name == "a":
        builder.open_link(str(node.get("href") or ""))
    bold = name in _BOLD or (name == "span" and _bold_style(node))
    italic = name in _ITALIC
    if bold:
        builder.open_strong()
    if italic:
        builder.open_emphasis()
    for child in node.children:
        _feed(builder, child, breaks)
    if italic:
        builder.close_emphasis()
    if bold:
        builder.close_strong()
    if name == "a":
        builder.close_link()
    elif name in _BLOCKISH:
        builder.space()


_BLOCKISH = {"div", "td", "th", "li", "p", "tr", "table"}


def inline_of(nodes: list[Tag | NavigableString]) -> Inline:
    builder = InlineBuilder()
    for node in nodes:
        _feed(builder, node, [])
    return builder.build()


def _has_blocks(tag: Tag) -> bool:
    return any(isinstance(c, Tag) and c.name not in _INLINE for c in tag.children)


def _line(tag: Tag) -> int:
    return int(getattr(tag, "sourceline", 0) or 0)


def blocks_of(parent: Tag) -> list[Block]:
    """The children of `parent` as blocks, in reading order."""
    _drop_badges(parent)
    return _blocks_of(parent)


def _blocks_of(parent: Tag) -> list[Block]:
    blocks: list[Block] = []
    run: list[Tag | NavigableString] = []

    def flush() -> None:
        if run:
            inline = inline_of(run)
            if inline.text:
                blocks.append(Block("para", inline, line=_line(run[0]) if isinstance(run[0], Tag) else 0))
            run.clear()

    for child in list(parent.children):
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:
                run.append(child)
            continue
        name = child.name
        if name in _INLINE:
            if name == "br" and run and isinstance(run[-1], Tag) and run[-1].name == "br":
                run.pop()
                flush()  # <br><br>: a paragraph break
                continue
            run.append(child)
            continue
        flush()
        if name in SKIP:
            continue
        if name in _HEADINGS:
            inline = inline_of([child])
            if inline.text:
                blocks.append(Block("heading", inline, level=int(name[1]), line=_line(child)))
        elif name in ("ul", "ol", "dl"):
            items = [_list_item(li) for li in child.find_all(["li", "dd", "dt"], recursive=False)]
            items = [item for item in items if item.text or item.children]
            if items:
                blocks.append(Block("list", level=1, children=items, line=_line(child)))
        elif name == "blockquote":
            blocks.append(Block("quote", children=_blocks_of(child), line=_line(child)))
        elif name == "pre":
            blocks.append(Block("code", Inline(child.get_text().strip("\n")), line=_line(child)))
        elif name == "hr":
            blocks.append(Block("rule", line=_line(child)))
        elif name == "tr" and not _has_blocks_deep(child):
            inline = inline_of([child])
            if inline.text:
                blocks.append(Block("para", inline, line=_line(child)))
        elif name in _PARAGRAPHS and not _has_blocks(child):
            inline = inline_of([child])
            if inline.text:
                blocks.append(Block("para", inline, line=_line(child)))
        else:
            blocks.extend(_blocks_of(child))
    flush()
    return blocks


def _has_blocks_deep(tag: Tag) -> bool:
    return tag.find(list(_HEADINGS | {"p", "ul", "ol", "table", "div", "blockquote", "hr"})) is not None


def _list_item(li: Tag) -> Block:
    """A list item: its leading inline content is its text, nested blocks its children."""
    lead: list[Tag | NavigableString] = []
    rest: list[Tag | NavigableString] = []
    for child in li.children:
        if rest or (isinstance(child, Tag) and child.name not in _INLINE and child.name != "p"):
            rest.append(child)
        elif isinstance(child, Tag) and child.name == "p":
            if any(isinstance(n, Tag) or str(n).strip() for n in lead):
                rest.append(child)
            else:
                lead.extend(child.children)
        else:
            lead.append(child)
    holder = BeautifulSoup("", "html.parser").new_tag("div")
    for node in rest:
        holder.append(node.extract() if isinstance(node, Tag) else NavigableString(str(node)))
    return Block("item", inline_of(lead), children=_blocks_of(holder), line=_line(li))


def _drop_badges(root: Tag) -> None:
    """Badges ("New", "Recommended") are decoration on a heading, not its words."""
    for badge in root.select(".badge"):
        badge.decompose()


def html_blocks(html: str) -> list[Block]:
    """The block tree of an HTML page body or fragment."""
    soup = soup_of(html)
    return blocks_of(soup.body or soup)

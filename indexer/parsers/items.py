"""Items found from an issue's own structure, once, for every format.

Newsletters are lists of link units: a heading that links out with its text below; a list
item or paragraph led by a link or a bold title; a heading that tells one story with its
links in the text below; a paragraph that ends in its link or is followed by a "Source:"
line. Headings, bold-only lines and short lines ending in a colon name sections, nested as
a path; a heading whose body is link units is a section, not an item.

Every decision is recorded with its reason, so `python -m indexer parse FILE --explain`
can show why a block became what it became.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kb.models import Item
from kb.urls import normalize_url

from ..sections import normalize_section
from .blocks import Block, Inline, Link, is_anchor, is_external
from .common import FOOTER, collapse, join_paragraphs
from .rules import Rules
from .shapes import (
    BYLINE_MAX_WORDS,
    ENUMERATED,
    ENUMERATED_MAX_WORDS,
    GENERIC_ANCHOR,
    LABEL_MAX_WORDS,
    PROSE_MIN_WORDS,
    REFERENCE_MAX_WORDS,
    SOURCE_LINE_MAX_WORDS,
    TITLE_MAX_CHARS,
    clean_title,
    covered,
    ends_with,
    first_sentence,
    inline_list,
    is_label,
    render,
    words,
)

__all__ = ["Decision", "Detected", "detect_items", "SECTION_SEPARATOR"]

SECTION_SEPARATOR = " › "


@dataclass(frozen=True)
class Decision:
    line: int
    kind: str
    text: str
    verdict: str  # "item", "item text", "section", "intro", "title", "ignored", "byline", ...
    reason: str


@dataclass
class Detected:
    title: str = ""
    intro: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


@dataclass
class _Part:
    heading: Block | None
    body: list[Block] = field(default_factory=list)
    parts: list["_Part"] = field(default_factory=list)


def _tree(blocks: list[Block]) -> _Part:
    root = _Part(None)
    stack: list[tuple[int, _Part]] = [(0, root)]
    for block in blocks:
        if block.kind == "heading":
            while stack[-1][0] >= block.level:
                stack.pop()
            part = _Part(block)
            stack[-1][1].parts.append(part)
            stack.append((block.level, part))
        else:
            stack[-1][1].body.append(block)
    return root


class _Detector:
    def __init__(self, blocks: list[Block], rules: Rules) -> None:
        self.rules = rules
        self.out = Detected()
        # Labels (headings, bold-only lines) that share one link point to a site, not a story.
        labels = [b for b in blocks if b.kind == "heading" or b.kind == "para" and b.inline
                  and b.inline.emphasis_only and words(b.text) <= LABEL_MAX_WORDS]
        urls = Counter(normalize_url(l.url) for h in labels for l in h.inline.page_links if h.inline)
        self.nav_urls = {url for url, n in urls.items() if n >= 2}
        self.heading_item_urls: set[str] = set()
        self.first_heading_item: int | None = None  # index of the first item that is a linked heading
        self.tree = _tree(blocks)
        self.byline_levels = self._byline_levels(self.tree)
        self.started = False  # the first section or item has been seen: no more intro
        self.open: dict | None = None  # the item being built (title, url, section, paragraphs, links)
        self.group = 0  # the list an item comes from (0: none), parallel to out.items in `groups`
        self.groups: list[int] = []

    # ---- bookkeeping -------------------------------------------------------------------
    def note(self, block: Block, verdict: str, reason: str, text: str | None = None) -> None:
        shown = collapse(text if text is not None else (block.text or block.all_text()))[:80]
        self.out.decisions.append(Decision(block.line, block.kind if block.kind != "heading" else f"h{block.level}",
                                           shown, verdict, reason))

    def ignored(self, block: Block) -> bool:
        if block.kind == "list":  # each list item is judged on its own
            return False
        text = block.text or block.all_text()
        if any(p.search(text) for p in self.rules.ignore):
            self.note(block, "ignored", "matches an ignore rule of the layout file")
            return True
        return False

    def start(self, title: str, url: str | None, path: list[str], text: list[str], links: list[str]) -> None:
        self.close()
        self.started = True
        self.open = {"title": title, "url": url, "section": SECTION_SEPARATOR.join(path) or None,
                     "text": list(text), "links": list(links), "group": self.group}

    def close(self) -> None:
        if self.open is None:
            return
        item = self.open
        self.open = None
        title = clean_title(item["title"])
        if not title or not re.search(r"\w", title):
            return
        links = tuple(dict.fromkeys(u for u in [item["url"], *item["links"]] if u))
        self.out.items.append(Item(title=title[:TITLE_MAX_CHARS * 2], text=join_paragraphs(item["text"]),
                                   url=item["url"] or None, section=item["section"], links=links))
        self.groups.append(item["group"])

    # ---- headings ----------------------------------------------------------------------
    def heading_link(self, heading: Block) -> Link | None:
        """The link a heading is about: an outside page not shared with other headings (a
        relative link points into the newsletter's own site: navigation, not a story)."""
        if heading.inline is None:
            return None
        for link in heading.inline.page_links:
            if is_external(link.url) and normalize_url(link.url) not in self.nav_urls:
                return link
        for link in heading.inline.links:  # a title linked to nothing (href="") is still a title
            if not link.url.strip() and len(link.text) * 2 >= len(heading.inline.text):
                return link
        return None

    def run(self) -> Detected:
        root = self.tree
        parts = root.parts
        self.body(root.body, [], top=True)
        title_taken = sum(1 for p in parts if p.heading is not None and p.heading.level == 1) > 1
        for part in parts:
            if not title_taken and part.heading is not None and part.heading.level == 1 and not self.out.items \
                    and self.heading_link(part.heading) is None:
                title_taken = True
                self.out.title = part.heading.text
                self.note(part.heading, "title", "the only level-1 heading")
                self.body(part.body, [], top=True)
                for child in part.parts:
                    self.part(child, [])
                continue
            self.part(part, [])
        self.close()
        self.drop_table_of_contents()
        return self.out

    def part(self, part: _Part, path: list[str]) -> None:
        heading = part.heading
        assert heading is not None
        self.close()
        if self.ignored(heading):
            return
        name = heading.text
        link = self.heading_link(heading)
        units, prose_words, unit_words = self.census(part.body)
        listed = self.listed_units(part.body)
        if FOOTER.search(name):
            self.note(heading, "ignored", "share/subscribe/footer wording")
            return
        level_rule = heading.level in self.rules.section_levels
        story_rule = heading.level in self.rules.item_levels
        if not level_rule and (story_rule or link is not None and (listed == 0 and units <= 1 or prose_words > unit_words)):
            url = (link.url or None) if link else self.story_link(part)
            self.note(heading, "item", "heading that links out" if link else f"level-{heading.level} headings are items (layout rules)")
            self.story(part, self.heading_title(heading) if link else name, url, path)
            return
        first_child = part.parts[0] if part.parts else None
        if not level_rule and not part.body and first_child is not None and self.is_byline(first_child) and (
                len(part.parts) == 1 or first_child.heading is not None and first_child.heading.level in self.byline_levels):
            self.note(heading, "item", "heading over a byline: one story")
            self.story(part, name, self.story_link(part.parts[0]), path)
            return
        if not level_rule and not story_rule and part.body and self.tells_a_story(part, units, prose_words, top_level=not path):
            self.note(heading, "item", "heading over prose: one story, its link from the text below")
            self.story(part, name, self.story_link(part), path)
            return
        section = normalize_section(name) if re.search(r"\w", name) else ""
        reason = "heading over link units" if units else "heading over other headings" if part.parts else "heading"
        self.note(heading, "section", reason)
        self.started = True
        sub_path = path + [section] if section else path
        self.body(part.body, sub_path)
        for child in part.parts:
            self.part(child, sub_path)

    def story(self, part: _Part, title: str, url: str | None, path: list[str]) -> None:
        body = list(part.body)
        children = list(part.parts)
        # A short unlinked heading right under an empty story heading is its byline.
        if not body and children and self.is_byline(children[0], linked=True):
            byline = children.pop(0)
            self.note(byline.heading, "byline", "short heading right under an item heading")
            credit = Block("para", Inline(f"By {byline.heading.text.rstrip('.')}."), line=byline.heading.line)
            body = [credit] + byline.body + [b for c in byline.parts for b in ([c.heading] if c.heading else []) + c.body]
        for block in body:
            self.note(block, "item text", "under an item heading")
        own = [l.url for l in part.heading.inline.page_links] if part.heading and part.heading.inline else []
        links = [u for u in own if is_external(u)] + [l.url for b in body for l in b.all_links()]
        self.start(title, url, path, render(body), links)
        if url and part.heading is not None and self.heading_link(part.heading):
            self.heading_item_urls.add(normalize_url(url))
            if self.first_heading_item is None:
                self.first_heading_item = len(self.out.items)  # the story is appended on close
        # sub-headings of a story: their link units are items, other text belongs to the story
        for child in children:
            child_units, _, _ = self.census(child.body)
            if child_units or child.parts:
                self.part(child, path)
            elif self.open is not None and child.heading is not None:
                self.note(child.heading, "item text", "sub-heading of a story")
                self.open["text"] += [child.heading.text] + render(child.body)
        self.close()

    def is_byline(self, part: _Part, linked: bool = False) -> bool:
        """A short heading without sub-headings, over prose at most: who wrote it (linked to
        the author's page only when it sits right under an item's title). A heading level
        that sits first under story headings again and again is a byline whatever follows."""
        heading = part.heading
        if heading is None or heading.inline is None or part.parts:
            return False
        if heading.inline.page_links and not (linked and len(heading.inline.page_links) == 1):
            return False
        if words(heading.text) > BYLINE_MAX_WORDS:
            return False
        first = next((b for b in part.body), None)
        return heading.level in self.byline_levels and (first is None or first.kind != "list") \
            or not any(b.kind == "list" for b in part.body)

    @staticmethod
    def _byline_levels(root: _Part) -> set[int]:
        """Levels of short headings that open two or more empty headings' parts, alone at
        their level there (a section's sub-headings come several to a level)."""
        seen: Counter[int] = Counter()

        def visit(part: _Part) -> None:
            for child in part.parts:
                if child.heading is not None and not child.body and child.parts:
                    first = child.parts[0]
                    alone = sum(1 for c in child.parts if c.heading and first.heading
                                and c.heading.level == first.heading.level) == 1
                    if first.heading is not None and alone and not first.parts \
                            and words(first.heading.text) <= BYLINE_MAX_WORDS:
                        seen[first.heading.level] += 1
                visit(child)

        visit(root)
        return {level for level, n in seen.items() if n >= 2}

    @staticmethod
    def heading_title(heading: Block) -> str:
        """A linked heading's text without labels that link into the own site."""
        inline = heading.inline
        assert inline is not None
        text = inline.text
        for link in sorted(inline.page_links, key=lambda l: -l.start):
            if not is_external(link.url) and any(is_external(l.url) for l in inline.page_links):
                text = text[: link.start] + text[link.end:]
        return collapse(text) or inline.text

    @staticmethod
    def listed_units(body: list[Block]) -> int:
        return sum(1 for b in body if b.kind == "list" for i in b.children
                   if i.inline and (i.inline.lead_url or i.inline.page_links))

    def story_link(self, part: _Part) -> str | None:
        """The page a story is about: its first link to another site (a relative link is
        navigation inside the newsletter's own site)."""
        external = [l for b in part.body for l in b.all_links() if is_external(l.url)]
        return external[0].url if external else None

    # ---- bodies ------------------------------------------------------------------------
    @staticmethod
    def is_list_unit(item: Block) -> bool:
        """A list item that is a link unit: led by a link or a bold title, or just a link, or
        grouping link units below it (not a sentence that happens to hold a link)."""
        inline = item.inline
        if inline is None:
            return False
        if inline.lead_url or inline.lead and inline.rest:
            return True
        links = inline.page_links
        if links and words(inline.text) - words(links[0].text) <= 3:
            return True
        return any(c.kind == "list" for c in item.children)

    def tells_a_story(self, part: _Part, units: int, prose_words: int, top_level: bool = False) -> bool:
        """Prose under a heading is one story: no link units at all, or prose first and at
        least as many prose paragraphs as link units (a section opens with its units or one
        line). A heading over sub-headings with a line of intro is a section."""
        body = part.body
        paragraphs = [b for b in body if b.kind == "para" and b.inline and not self.is_unit(b.inline)
                      and not is_label(b.inline, self.nav_urls)]
        if part.parts and len(paragraphs) <= 1:
            return False
        if units == 0:
            return prose_words >= PROSE_MIN_WORDS
        first = next((b for b in body if b.kind in ("para", "list")), None)
        if first is None or first.kind != "para" or first.inline is None or self.is_unit(first.inline) \
                or is_label(first.inline, self.nav_urls):
            return False
        # bare link bullets under a top-level heading's prose are the story's links; under a
        # section ("Approved RFCs" after a line of intro) they are its items
        described = units - self.bare_links(body, max_words=None if top_level else REFERENCE_MAX_WORDS)
        return sum(words(b.text) >= PROSE_MIN_WORDS for b in paragraphs) >= described

    @staticmethod
    def bare_links(body: list[Block], max_words: int | None = None) -> int:
        """List items that are nothing but one link (of at most `max_words` words: a
        reference such as "Paper" or a function name, not a headline)."""
        return sum(1 for b in body if b.kind == "list" for i in b.children
                   if i.inline and len(i.inline.page_links) == 1 and not i.children
                   and words(i.inline.text.rstrip(".;,")) == words(i.inline.page_links[0].text)
                   and (max_words is None or words(i.inline.text) <= max_words))

    def census(self, body: list[Block]) -> tuple[int, int, int]:
        """(link units, words of prose, words of units) of a heading's direct body."""
        units = prose = unit_words = labels = untitled = untitled_words = prose_paragraphs = 0
        after_unit = False  # paragraphs right after a unit are its description
        for n, block in enumerate(body):
            following = body[n + 1] if n + 1 < len(body) else None
            sourced = following is not None and following.kind == "para" and following.inline is not None \
                and self.source_line(following.inline) is not None
            if block.kind == "list":
                for item in block.children:
                    if item.inline and self.is_list_unit(item):
                        units += 1
                        unit_words += words(item.text)
            elif block.kind == "para" and block.inline:
                listed = inline_list(block.inline)
                if listed:
                    units += len(listed)
                    unit_words += words(block.text)
                    continue
                if self.is_unit(block.inline):
                    units += 1
                    unit_words += words(block.text)
                    after_unit = True
                    continue
                if is_label(block.inline, self.nav_urls):
                    after_unit = False
                    labels += 1
                elif after_unit:
                    unit_words += words(block.text)
                elif self.source_line(block.inline) is not None:
                    continue  # counted with the paragraph before it
                elif self.ends_in_link(block.inline) or sourced:
                    untitled += 1
                    untitled_words += words(block.text)
                else:
                    prose += words(block.text)
                    prose_paragraphs += words(block.text) >= PROSE_MIN_WORDS
            elif block.kind == "rule":
                after_unit = False
        # paragraphs that each end in their link, and are most of the paragraphs: units
        if (untitled >= 2 or untitled and labels) and untitled > prose_paragraphs:
            return units + untitled, prose, unit_words + untitled_words
        return units, prose + untitled_words, unit_words

    @staticmethod
    def ends_in_link(inline: Inline) -> bool:
        external = [l for l in inline.page_links if is_external(l.url)]
        return bool(external) and ends_with(inline, external[-1]) and words(inline.text) >= PROSE_MIN_WORDS

    def is_unit(self, inline: Inline) -> bool:
        """A paragraph led by a link, or by a bold title with more text after it."""
        if is_label(inline, self.nav_urls):
            return False
        if inline.lead_url and not is_anchor(inline.lead_url):
            return True
        return bool(inline.lead) and inline.lead_url is None and words(inline.rest) >= 3

    def body(self, blocks: list[Block], path: list[str], top: bool = False) -> None:
        label_path = path
        pending: Block | None = None  # an unlinked prose paragraph that a "Source:" line may claim
        for n, block in enumerate(blocks):
            if self.ignored(block):
                continue
            if block.kind == "rule":
                self.close()
                label_path = path
                self.note(block, "break", "a rule ends the item and the sub-section")
                continue
            if block.kind == "list":
                if not self.rules.list_items:
                    if self.open is not None:
                        self.open["text"] += render([block])
                    self.note(block, "item text" if self.open else "ignored", "lists are not items (layout file)")
                    continue
                self.close()
                self.list_items(block, label_path, top)
                continue
            if block.kind in ("quote", "code"):
                if self.open is not None:
                    self.open["text"] += render([block])
                    self.note(block, "item text", "quote/code under an item")
                else:
                    self.note(block, "ignored", "quote or code outside an item")
                continue
            inline = block.inline
            if inline is None or not inline.text:
                continue
            if FOOTER.search(inline.text):
                self.note(block, "ignored", "share/subscribe/footer wording")
                continue
            if self.rules.labels and is_label(inline, self.nav_urls):
                self.close()
                following = blocks[n + 1] if n + 1 < len(blocks) else None
                if following is not None and following.kind in ("list", "para"):
                    label_path = path + [normalize_section(inline.text)]
                    self.started = True
                    self.note(block, "section", "bold-only or colon-ended line")
                else:
                    self.note(block, "ignored", "label with nothing under it")
                continue
            if self.rules.paragraphs and self.is_unit(inline):
                title = inline.lead
                url = inline.lead_url
                if url is None and inline.page_links:
                    url = inline.page_links[0].url
                self.note(block, "item", "paragraph led by a link" if inline.lead_url else "paragraph led by a bold title")
                self.start(title, url, label_path, [inline.rest] if inline.rest else [],
                           [l.url for l in inline.page_links])
                continue
            if self.rules.paragraphs and ENUMERATED.match(inline.text) and words(inline.text) <= ENUMERATED_MAX_WORDS \
                    and (self.open is None or self.open.get("enumerated")):
                self.note(block, "item", "numbered line in a run of numbered lines")
                self.start(inline.text, inline.page_links[0].url if inline.page_links else None, label_path, [],
                           [l.url for l in inline.page_links])
                if self.open is not None:
                    self.open["enumerated"] = True
                continue
            listed = inline_list(inline) if self.rules.paragraphs else []
            if listed:
                self.close()
                self.note(block, "item", f"a sentence listing {len(listed)} links: each is an item")
                for link in listed:
                    self.start(link.text, link.url, label_path, [], [link.url])
                    self.close()
                continue
            source = self.source_line(inline)
            if source is not None and pending is not None:
                self.note(block, "item link", "a 'Source:' line gives the paragraph before it its link")
                self.start(first_sentence(pending.text), source.url, label_path, [pending.text], [source.url])
                pending = None
                continue
            if self.open is not None and (not top or label_path):
                self.open["text"].append(inline.text)
                self.open["links"] += [l.url for l in inline.page_links]
                self.note(block, "item text", "paragraph under an item")
                continue
            if not self.started or top and not label_path:
                self.out.intro.append(inline.text)
                self.note(block, "intro", "before the first section or item")
                continue
            if self.ends_in_link(inline) and self.rules.paragraphs:
                ending = [l for l in inline.page_links if is_external(l.url)][-1]
                self.note(block, "item", "untitled paragraph that ends in its link")
                self.start(self.untitled_title(inline, ending), ending.url,
                           label_path, [inline.text], [l.url for l in inline.page_links])
                self.close()
                continue
            pending = block
            self.note(block, "section text", "prose in a section, not an item")

    @staticmethod
    def source_line(inline: Inline) -> Link | None:
        links = inline.page_links
        if not links:
            return None
        before = inline.text[: links[0].start]
        return links[0] if words(before) <= SOURCE_LINE_MAX_WORDS and words(inline.text) <= 12 and \
            (before.strip().endswith((":", "：")) or not before.strip()) else None

    @staticmethod
    def untitled_title(inline: Inline | None, link: Link) -> str:
        """An untitled paragraph's title: its link's words when they name something, else
        its first sentence (without the link it ends in)."""
        if link.text and not GENERIC_ANCHOR.match(link.text) and words(link.text) >= 1 and \
                not link.text.startswith(("http://", "https://")):
            at_end = inline is not None and inline.text.rstrip(" .)").endswith(link.text)
            if not at_end:
                return link.text
        if inline is None:
            return link.text
        before = inline.text[: link.start] if ends_with(inline, link) else inline.text
        return first_sentence(before.rstrip(" \u00a0—–-|:(") or inline.text)

    def list_items(self, block: Block, path: list[str], top: bool) -> None:
        in_page = [i for i in block.children if i.inline and i.inline.links and not i.inline.page_links]
        if len(in_page) * 5 >= len(block.children) * 3:
            self.note(block, "ignored", "table of contents: its links stay on the page")
            return
        outer, self.group = self.group, id(block)
        try:
            self._list_items(block, path, top)
        finally:
            self.group = outer

    def _list_items(self, block: Block, path: list[str], top: bool) -> None:
        for item in block.children:
            if self.ignored(item):
                continue
            inline = item.inline or Inline("")
            nested_units = [c for l in item.children if l.kind == "list" for c in l.children
                            if c.inline and (c.inline.lead_url or c.inline.page_links)]
            own_words = words(inline.rest if inline.lead else inline.text)
            if len(nested_units) == 1 and not inline.lead_url and len(item.children) == 1:
                # "date | place | organiser" over the event's own link: the link is the item
                unit = nested_units[0]
                self.note(item, "item", "list item whose one nested link unit is what it announces")
                self.start(unit.inline.lead or unit.inline.text, unit.inline.lead_url or unit.inline.page_links[0].url,
                           path, [inline.text] + ([unit.inline.rest] if unit.inline.rest else []),
                           [l.url for l in inline.page_links + unit.inline.page_links])
                self.close()
                continue
            if nested_units and len(nested_units) >= 2 and (not inline.lead_url or own_words <= 3) and \
                    words(inline.text) <= LABEL_MAX_WORDS + 4:
                label = normalize_section(inline.lead or inline.text.rstrip(":："))
                self.note(item, "section", "list item grouping link items")
                for child in item.children:
                    if child.kind == "list":
                        self.list_items(child, path + [label] if label else path, top)
                continue
            if not inline.text:
                continue
            if top and not self.started and not inline.page_links:
                self.out.intro.append(inline.text)
                self.note(item, "intro", "list before the first section, without links")
                continue
            if FOOTER.search(inline.text):
                self.note(item, "ignored", "share/subscribe/footer wording")
                continue
            links = [l for l in inline.page_links]
            if inline.lead_url:
                title, url, text = inline.lead, inline.lead_url, inline.rest
                reason = "list item led by a link"
            elif inline.lead and words(inline.rest) >= 1:
                title, url, text = inline.lead, (links[0].url if links else None), inline.rest
                reason = "list item led by a bold title"
            elif links and len(links) == 1 and links[0].text == inline.text:
                title, url, text = links[0].text, links[0].url, ""
                reason = "list item that is a link"
            else:
                title = first_sentence(inline.text)
                url = links[0].url if links else None
                text = inline.text if title != inline.text else ""
                reason = "list item with a link" if links else "list item"
            self.note(item, "item", reason)
            self.start(title, url, path, [text] if text else [], [l.url for l in links])
            if self.open is not None:
                self.open["text"] += render(item.children)
                self.open["links"] += [l.url for c in item.children for l in c.all_links()]
            self.close()

    def drop_table_of_contents(self) -> None:
        """Items that only point to the issue's other items: a list of what is in this issue,
        as bare links ahead of the item headings or as a summary story linking them all."""
        linked = Counter(normalize_url(u) for i in self.out.items for u in set(i.links))
        summaries = []
        for item in self.out.items:
            own = {normalize_url(u) for u in item.links if is_external(u)}
            if len(own) >= 3 and sum(linked[u] > 1 for u in own) * 5 >= len(own) * 3:
                summaries.append(item)
        # a story ahead of the item headings whose words name most of them: a summary in prose
        if self.first_heading_item is not None:
            heads = self.out.items[self.first_heading_item:]
            for item in self.out.items[: self.first_heading_item]:
                vocabulary = set(re.findall(r"\w+", item.text.casefold()))
                named = sum(1 for h in heads if covered(h.title, vocabulary))
                if len(heads) >= 3 and named * 2 >= len(heads):
                    summaries.append(item)
        if summaries:
            kept = [(i, g) for i, g in zip(self.out.items, self.groups) if not any(i is s for s in summaries)]
            self.out.items = [i for i, _ in kept]
            self.groups = [g for _, g in kept]
            self.out.decisions.append(Decision(0, "item", summaries[0].title[:80], "ignored",
                                               "summary of this issue: its links are the issue's other items"))
        if not self.heading_item_urls:
            return
        pointing: Counter[int] = Counter()
        sizes: Counter[int] = Counter()
        for item, group in zip(self.out.items, self.groups):
            if group:
                sizes[group] += 1
                pointing[group] += bool(item.url) and normalize_url(item.url) in self.heading_item_urls
        contents = {g for g, n in sizes.items() if pointing[g] * 2 >= n}
        # a list of bare link lines ahead of the first item heading, in an issue of item headings
        headed = len(self.heading_item_urls)
        if self.first_heading_item is not None and headed >= 3 and headed * 2 >= len(self.out.items) - sum(sizes.values()):
            ahead = self.groups[: self.first_heading_item]
            for group in set(ahead) - {0}:
                members = [i for i, g in zip(self.out.items, self.groups) if g == group]
                if sizes[group] >= 3 and all(not i.text for i in members) and group not in self.groups[self.first_heading_item:]:
                    contents.add(group)
        if contents:
            self.out.decisions.append(Decision(0, "list", f"{len(contents)} list(s)", "ignored",
                                               "table of contents: half its links are this issue's item headings"))
            first = next(n for n, g in enumerate(self.groups) if g in contents)
            # what comes before the contents is the preface (announcements), not items
            for item in self.out.items[:first]:
                self.out.intro.append(join_paragraphs([item.title, item.text]))
            kept = [(i, g) for i, g in list(zip(self.out.items, self.groups))[first:] if g not in contents]
            self.out.items = [i for i, _ in kept]
            self.groups = [g for _, g in kept]


def detect_items(blocks: list[Block], rules: Rules = Rules()) -> Detected:
    """Title, intro and items of one issue's blocks."""
    return _Detector(blocks, rules).run()

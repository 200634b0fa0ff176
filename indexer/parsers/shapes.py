"""What a block's text looks like: words, headline sentences, labels, links listed in a
sentence or ending a paragraph. Pure functions on `Inline`, used by item detection."""
from __future__ import annotations

import re

from kb.urls import normalize_url

from .blocks import Block, Inline, Link
from .common import FOOTER, collapse

LABEL_MAX_WORDS = 10
REFERENCE_MAX_WORDS = 3
BYLINE_MAX_WORDS = 10
TITLE_MAX_CHARS = 200
SOURCE_LINE_MAX_WORDS = 4
PROSE_MIN_WORDS = 6

# Anchor texts that name no page ("here", "link"): the item's title comes from its sentence.
GENERIC_ANCHOR = re.compile(
    r"^(here|link|this|source|read more|more|continue reading|full story|article|post|blog|website"
    r"|click here|details|read|watch|listen|video|paper|pdf|slides|code|repo|\W*)$",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+(?=[A-Z0-9\"“(\u4e00-\u9fff])")
# "① ...", "1、...", "(3) ...": a numbered headline standing as a paragraph of its own
ENUMERATED = re.compile(r"^\s*(?:[\u2460-\u2473\u2776-\u277f]|\d{1,3}\s*[、．]|\(\d{1,3}\))\s*\S")
ENUMERATED_MAX_WORDS = 40
_ENUMERATION = re.compile(r"^\s*(?:\d{1,3}\s*[、.)．:]|[-–•*·])\s+|^\s*(?:\d{1,3}\s*[、．]|[\u2460-\u2473\u2776-\u277f]|\(\d{1,3}\))\s*")


_WORDS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]|[^\W_\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+")


def words(text: str) -> int:
    """Words, counting each Chinese or Japanese character as one (they are not spaced)."""
    return len(_WORDS.findall(text))


def first_sentence(text: str) -> str:
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(sentence) > TITLE_MAX_CHARS:
        cut = sentence[:TITLE_MAX_CHARS].rsplit(" ", 1)[0]
        sentence = cut + "…"
    return sentence.rstrip(" :;,")


def clean_title(text: str) -> str:
    return collapse(_ENUMERATION.sub("", text, count=1)).strip(" :：-–—|")


def is_label(inline: Inline, nav_urls: frozenset[str] | set[str] = frozenset()) -> bool:
    """A bold-only line or a short line ending in a colon: a (sub-)section name. A bold line
    that is a link is a label only when its link is shared by other labels (`nav_urls`)."""
    text = inline.text.strip()
    if not text or words(text) > LABEL_MAX_WORDS or inline.page_links and not inline.emphasis_only:
        return False
    whole = bool(inline.lead) and len(inline.lead) >= len(text.rstrip(":：")) - 1
    if whole and inline.lead_url is not None:
        return normalize_url(inline.lead_url) in nav_urls
    return whole or (text.endswith((":", "：")) and not inline.page_links)


INLINE_LIST_MIN = 3
INLINE_GAP_MAX_WORDS = 3


def inline_list(inline: Inline) -> list[Link]:
    """The links of a sentence that lists them ("…: [a](…) (v1.2), [b](…) and [c](…)"):
    at least three links outside parentheses, after a colon (or opening the paragraph),
    with nothing but separators between them."""
    text = inline.text
    outside = [l for l in inline.page_links
               if text.count("(", 0, l.start) <= text.count(")", 0, l.start)]
    if len(outside) < INLINE_LIST_MIN:
        return []
    run: list[Link] = [outside[0]]
    best: list[Link] = []
    for previous, link in zip(outside, outside[1:]):
        gap = re.sub(r"\([^()]*\)", " ", text[previous.end: link.start])
        if words(gap) <= INLINE_GAP_MAX_WORDS and not re.search(r"[.!?]\s", gap):
            run.append(link)
        else:
            best = max(best, run, key=len)
            run = [link]
    best = max(best, run, key=len)
    if len(best) < INLINE_LIST_MIN:
        return []
    lead_in = text[: best[0].start].rstrip()
    return best if not lead_in or lead_in.endswith((":", "：")) else []


def ends_with(inline: Inline, link: Link) -> bool:
    """The paragraph ends in this link (trailing punctuation, brackets and emoji aside)."""
    tail = inline.text[link.end:]
    return not re.search(r"\w", tail)


def covered(title: str, vocabulary: set[str]) -> bool:
    """Most of a title's words appear in `vocabulary`."""
    own = [w for w in re.findall(r"\w+", title.casefold()) if len(w) > 2]
    return bool(own) and sum(w in vocabulary for w in own) * 3 >= len(own) * 2


def render(blocks: list[Block], depth: int = 0) -> list[str]:
    """Blocks as text paragraphs; list items on consecutive lines with a marker."""
    out: list[str] = []
    for block in blocks:
        if block.kind == "list":
            lines: list[str] = []
            for item in block.children:
                if item.text:
                    lines.append("  " * depth + "- " + item.text)
                nested = render(item.children, depth + 1)
                lines += nested
            if lines:
                out.append("\n".join(lines))
        elif block.kind in ("quote", "item"):
            if block.text:
                out.append(block.text)
            out += render(block.children, depth)
        elif block.kind != "rule" and block.text and not FOOTER.search(block.text):
            out.append(block.text)
    return out

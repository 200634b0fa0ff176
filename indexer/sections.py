"""Section names as newsletters write them, reduced to one spelling.

Newsletters spell the same section differently from issue to issue ("Mobile + Edge",
"MOBILE & EDGE:", "Mobile & Edge 📱"); search facets need one name per section.
"""
from __future__ import annotations

import re
import unicodedata

__all__ = ["KNOWN_SECTIONS", "normalize_section", "is_known_section", "section_key"]

KNOWN_SECTIONS: tuple[str, ...] = (
    # Deep Learning Weekly and similar digests
    "Industry",
    "Mobile & Edge",
    "Learning",
    "Libraries & Code",
    "Papers & Publications",
    "MLOps & LLMOps",
    "MLOps",
    "LLMOps",
    # common headings of other AI newsletters
    "News",
    "Top News",
    "Headlines",
    "Top Stories",
    "Research",
    "Research Papers",
    "Papers",
    "Publications",
    "Tools",
    "Tools & Libraries",
    "Libraries",
    "Code",
    "Open Source",
    "Datasets",
    "Data",
    "Events",
    "Conferences",
    "Tutorials",
    "Guides",
    "Courses",
    "Resources",
    "Articles",
    "Blog Posts",
    "Reading",
    "Videos",
    "Podcasts",
    "Talks",
    "Projects",
    "Products",
    "Product Launches",
    "Funding",
    "Business",
    "Policy",
    "Ethics",
    "AI Safety",
    "Opinion",
    "Interviews",
    "Jobs",
    "Hardware",
    "Robotics",
    "Computer Vision",
    "NLP",
    "Natural Language Processing",
    "Reinforcement Learning",
    "Generative AI",
    "LLMs",
    "Deep Learning",
    "Machine Learning",
    "General Machine Learning",
    "Data Science",
    "Quick Links",
    "Lightning Round",
    "Everything Else",
    "Miscellaneous",
    "Other",
)

_DECORATION = {"So", "Sk", "Cs", "Co", "Mn", "Me", "Cf"}
_EDGE_PUNCT = ":;,.-–—|#*•·>~=_ \t"


def _strip_edges(name: str) -> str:
    """Drop emoji and punctuation around a name, keep everything inside it."""
    chars = list(name)
    while chars and (unicodedata.category(chars[0]) in _DECORATION or chars[0] in _EDGE_PUNCT):
        chars.pop(0)
    while chars and (unicodedata.category(chars[-1]) in _DECORATION or chars[-1] in _EDGE_PUNCT):
        chars.pop()
    return "".join(chars)


def section_key(name: str) -> str:
    """Comparison key: case, spacing, emoji and '&'/'+'/'and' do not matter."""
    cleaned = _strip_edges(" ".join(name.split())).lower()
    cleaned = re.sub(r"\s*(?:&|\+|\band\b)\s*", " & ", cleaned)
    return " ".join(cleaned.split())


_CANONICAL: dict[str, str] = {section_key(name): name for name in KNOWN_SECTIONS}


def normalize_section(name: str) -> str:
    """One spelling per section: known names get their canonical form, others are tidied."""
    key = section_key(name)
    if key in _CANONICAL:
        return _CANONICAL[key]
    cleaned = _strip_edges(" ".join(name.split()))
    return re.sub(r"\s*\+\s*", " & ", cleaned)


def is_known_section(name: str) -> bool:
    return section_key(name) in _CANONICAL

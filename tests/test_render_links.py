"""Links in Markdown the app renders: only web links and the app's own paths become links,
and nothing inside a URL can end the link early or add Markdown (`ui.render.md_link`)."""
from __future__ import annotations

from datetime import date

import pytest

from kb.backends.base import Hit
from ui.render import hit_markdown, md_link


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", " data:text/html,<b>x</b>",
                                 "file:///etc/passwd", "vbscript:msgbox"])
def test_other_schemes_are_shown_as_text_not_links(url):
    assert md_link("Title", url) == "Title"


def test_web_links_and_app_paths_are_links():
    assert md_link("T", "https://example.org/a?b=1&c=2#d") == "[T](https://example.org/a?b=1&c=2#d)"
    assert md_link("T", "entity?entity=openai") == "[T](entity?entity=openai)"
    assert md_link("T", None) == "T" and md_link("T", "") == "T"


def test_nothing_in_a_url_can_close_the_link_or_add_markdown():
    link = md_link("T", 'https://e.org/x") **bold** [y](https://evil.example)')
    destination = link[len("[T]("):-1]
    assert link.startswith("[T](") and link.endswith(")")
    assert not any(c in destination for c in '()"<> ') , destination


def test_a_hit_with_a_hostile_url_renders_its_title_unlinked_or_safely():
    hit = Hit(item_id="i", issue_id="s", publication="P", issue_number=1, date=date(2024, 1, 1), date_estimated=False,
              section=None, title="T", url="javascript:alert(1)", score=0.0, title_html="T",
              snippet="text", entities=())
    assert "javascript" not in hit_markdown(hit, "2024-01-01")

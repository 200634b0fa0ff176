"""The issue browser, headless: the list of issues, one issue section by section, prev/next."""
from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from kb.backends.sqlite import SQLiteBackend
from kb.models import Issue
from tests.conftest import open_page
from tests.test_backend_contract import archive, item

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
ISSUES_PAGE = "ui/issues_page.py"


def issues_page(**params: str) -> AppTest:
    """The issue browser opened from a link carrying these URL parameters."""
    return open_page(ISSUES_PAGE, **params)


def store(app_env: Path, issues: list[Issue]) -> None:
    """Write hand-made issues into the index before the app's first run."""
    backend = SQLiteBackend(app_env / "kb.sqlite3")
    backend.write_issues(issues)
    backend.close()


def other_newsletter() -> Issue:
    return Issue(
        publication="Other Letter", source="o7.txt", number=7, title="Other Letter #7", date=date(2021, 12, 1),
        items=(item("Tesla opens Dojo to researchers", "Tesla says Dojo time can be rented.", None,
                    ("Tesla", "ORG", "tesla"), ("Dojo", "HARDWARE", "dojo")),),
    ).with_ids()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def item_titles(at: AppTest) -> list[str]:
    """Item titles in reading order: each item starts with its bold title, linked when it has a URL."""
    found = (re.fullmatch(r"\*\*(?:\[(.+)\]\(.+\)|(.+))\*\*", m.value) for m in at.markdown)
    return [m.group(1) or m.group(2) for m in found if m]


def test_every_issue_is_listed_newest_first_with_estimated_dates_marked(app_env):
    store(app_env, [*archive(), other_newsletter()])
    at = issues_page()
    assert not at.exception
    table = at.dataframe[0].value
    # titles that only name the issue ("Test Weekly #3") give way to what the issue is about
    assert table["title"].tolist() == ["Scaling graph neural networks in production", "Tesla opens Dojo to researchers",
                                       "GPT-3 powers a new writing assistant", "Announcing Jurassic-1 Language Models"]
    assert table["number"].tolist() == [3, 7, 2, 1]
    assert table["date"].tolist()[0] == "2022-01-13 (estimated)"
    assert table["items"].tolist() == [1, 1, 2, 3]


def test_filtering_by_newsletter_keeps_the_choice_in_the_url(app_env):
    store(app_env, [*archive(), other_newsletter()])
    at = issues_page()
    at.selectbox[0].set_value("Other Letter").run()
    assert not at.exception
    assert at.dataframe[0].value["number"].tolist() == [7]
    assert at.query_params["publication"] in (["Other Letter"], "Other Letter")


def test_choosing_an_issue_opens_it(app_env):
    at = issues_page()
    next(s for s in at.selectbox if s.label == "Open an issue").set_value("deep-learning-weekly-214").run()
    assert not at.exception
    assert at.query_params["issue"] in (["deep-learning-weekly-214"], "deep-learning-weekly-214")
    assert at.title[0].value == "Deep Learning Weekly: Issue #214"


def test_an_issue_shows_its_sections_items_and_entities(app_env):
    shutil.copy(ROOT / "data" / "dates.yaml", app_env / "data")
    at = issues_page(issue="deep-learning-weekly-214")
    assert not at.exception
    assert at.title[0].value == "Deep Learning Weekly: Issue #214"
    assert at.caption[0].value == "Deep Learning Weekly · #214 · 2021-08-26 (estimated) · 20 items"
    assert "estimated from its number" in at.caption[1].value
    assert "Hey folks" in at.expander[0].markdown[0].value  # the intro
    assert [s.value for s in at.subheader][:3] == ["Mobile & Edge", "Libraries & Code", "Papers & Publications"]
    titles = item_titles(at)
    assert len(titles) == 20
    assert titles[0] == "Announcing AI21 Studio and Jurassic-1 Language Models"
    assert titles[-1] == "ETA Prediction with Graph Neural Networks in Google Maps"
    assert any('href="entity?entity=dojo" target="_self"' in m.value and ">Dojo</a>" in m.value
               for m in at.markdown)  # entity chips, opening in the same tab
    entity_links = {link.value: link.proto.query_string for link in at.get("page_link")}
    assert entity_links["Google · 2"] == "entity=google"
    assert entity_links["Tesla · 1"] == "entity=tesla"


def test_next_and_previous_walk_the_newsletter_by_number(app_env):
    store(app_env, [*archive(), other_newsletter()])
    at = issues_page(issue="test-weekly-2")
    button(at, "Next →").click().run()
    assert not at.exception
    assert at.query_params["issue"] in (["test-weekly-3"], "test-weekly-3")
    assert at.title[0].value == "Test Weekly #3"
    assert button(at, "Next →").disabled, "the other newsletter's later issue is not next"
    button(at, "← Previous").click().run()
    button(at, "← Previous").click().run()
    assert at.title[0].value == "Test Weekly #1"
    assert button(at, "← Previous").disabled
    assert item_titles(at) == [
        "Announcing Jurassic-1 Language Models", "Tesla Dojo chip design", "A Gentle Introduction to Graph Neural Networks"
    ]


def test_all_issues_goes_back_to_the_list(app_env):
    at = issues_page(issue="deep-learning-weekly-214")
    button(at, "All issues").click().run()
    assert not at.exception
    assert "issue" not in at.query_params
    assert at.dataframe[0].value["number"].tolist() == [214]


def test_unknown_issue_warns_and_lists_the_issues(app_env):
    at = issues_page(issue="no-such-issue-9")
    assert not at.exception
    assert any("no-such-issue-9" in w.value for w in at.warning)
    assert at.dataframe[0].value["number"].tolist() == [214]


def test_empty_index_points_to_add_issues(app_env, monkeypatch):
    monkeypatch.setenv("KB_DATA_DIR", str(app_env / "no-such-folder"))
    at = issues_page()
    assert not at.exception
    assert any("index is empty" in i.value for i in at.info)
    assert [link.value for link in at.get("page_link")] == ["Add issues"]


def test_issues_filter_by_year_and_words_and_keep_them_in_the_url(app_env):
    store(app_env, [*archive(), other_newsletter()])
    at = issues_page(year="2021")
    assert not at.exception
    assert at.dataframe[0].value["number"].tolist() == [7, 2, 1]
    next(t for t in at.text_input if t.label == "Words").set_value("dojo").run()
    assert at.dataframe[0].value["title"].tolist() == ["Tesla opens Dojo to researchers"]
    params = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert params == {"year": "2021", "q": "dojo"}
    assert issues_page(year="1999").dataframe[0].value["number"].tolist() == [3, 7, 2, 1], "an unknown year: all"

"""Trends page, headless: one view at a time (compare, rising & falling, type mix,
co-occurrence, items per issue), each read as an analyst would: issues at their dates and named
with their newsletter, whole-number counts, a partial last period drawn dashed and said so."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kb.backends.sqlite import SQLiteBackend
from kb.models import Issue
from tests.test_backend_contract import archive, item

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


def other_newsletter() -> Issue:
    """Issue #1 of a second newsletter, a week after Test Weekly #1: the same number, another scale."""
    return Issue(
        publication="Other Letter", source="other.txt", number=1, title="Other Letter #1", date=date(2021, 8, 26),
        items=(item("OpenAI ships GPT-3 to everyone", "OpenAI opens GPT-3.", None,
                    ("OpenAI", "ORG", "openai"), ("GPT-3", "MODEL", "gpt-3")),),
    ).with_ids()


@pytest.fixture
def trends_app(tmp_path, monkeypatch) -> AppTest:
    """The app over the hand-made archive: Test Weekly #1-#3 (2021-08, 2021-09, 2022-01-13) and
    Other Letter #1 (2021-08-26)."""
    db = tmp_path / "kb.sqlite3"
    backend = SQLiteBackend(db)
    backend.write_issues([*archive(), other_newsletter()])
    backend.close()
    monkeypatch.setenv("KB_SQLITE_PATH", str(db))
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "no-data"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("ui/trends_page.py")
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def open_view(at: AppTest, view: str, **params: str) -> AppTest:
    at.query_params["view"] = view
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize("view, params, csv", [
    ("compare", {"entities": "openai,gpt-3", "interval": "issue"}, "trend"),
    ("mix", {}, "entity-types"),
    ("cross", {"entities": "openai,gpt-3"}, "co-occurrence"),
    ("issues", {}, "items-per-issue"),
])
def test_each_view_draws_only_its_own_chart(trends_app, view, params, csv):
    open_view(trends_app, view, **params)
    assert not trends_app.exception
    assert len(figures(trends_app)) == 1, "the other views are not computed"
    assert [b.label for b in trends_app.get("download_button")] == [f"Download {csv}.csv"]


def test_per_issue_points_sit_at_their_dates_and_name_their_newsletter(trends_app):
    open_view(trends_app, "compare", entities="openai", interval="issue")
    (fig,) = figures(trends_app)
    lines = {t["name"]: t for t in fig["data"]}
    assert set(lines) == {"OpenAI · Test Weekly", "OpenAI · Other Letter"}, "a line joins one newsletter's issues"
    test_weekly, other = lines["OpenAI · Test Weekly"], lines["OpenAI · Other Letter"]
    assert test_weekly["x"] == ["2021-08-19", "2021-09-02", "2022-01-13"], "dates, not issue numbers"
    assert (test_weekly["text"][0], other["text"]) == ("Test Weekly #1", ["Other Letter #1"]), "each #1 named"
    assert other["x"] == ["2021-08-26"]
    assert fig["layout"]["yaxis"]["dtick"] == 1, "whole-number ticks for small counts"
    assert "not one scale" in captions(trends_app)


def test_items_per_issue_colours_each_newsletter(trends_app):
    open_view(trends_app, "issues")
    (fig,) = figures(trends_app)
    assert {t["name"] for t in fig["data"]} == {"Test Weekly", "Other Letter"}


def test_a_partial_last_period_is_dashed_and_labelled(trends_app):
    open_view(trends_app, "compare", entities="graph-neural-networks", interval="year")
    (fig,) = figures(trends_app)
    full, tail = fig["data"]
    assert full["x"] == ["2021-01-01"] and tail["x"] == ["2021-01-01", "2022-01-01"]
    assert tail["line"]["dash"] == "dash" and not tail["showlegend"]
    assert "runs only to 13 Jan 2022" in captions(trends_app)
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["to 13 Jan 2022"], "said on the chart too"


def test_split_by_newsletter_gives_each_newsletter_a_series(trends_app):
    open_view(trends_app, "compare", entities="openai", interval="month", split="newsletter")
    names = {t["name"] for t in figures(trends_app)[0]["data"] if t.get("showlegend", True)}
    assert names == {"OpenAI · Test Weekly", "OpenAI · Other Letter"}


def test_smoothing_averages_month_views_and_says_so(trends_app):
    open_view(trends_app, "compare", entities="openai", interval="month", smooth="3")
    assert not trends_app.exception
    assert "Smoothed" in captions(trends_app)
    assert trends_app.toggle[1].value is True
    trends_app.toggle[1].set_value(False).run()
    assert "smooth" not in trends_app.query_params and "Smoothed" not in captions(trends_app)


def test_changing_settings_updates_the_url(trends_app):
    trends_app.run()
    trends_app.multiselect[0].set_value(["gpt-3"]).run()
    trends_app.radio[0].set_value("share").run()
    trends_app.selectbox[0].set_value("year").run()
    trends_app.toggle[0].set_value(True).run()
    assert not trends_app.exception
    params = {k: trends_app.query_params[k] for k in ("entities", "measure", "interval", "split")}
    assert {k: (v[0] if isinstance(v, list) else v) for k, v in params.items()} == {
        "entities": "gpt-3", "measure": "share", "interval": "year", "split": "newsletter",
    }


def test_rising_and_falling_between_two_periods(trends_app):
    open_view(trends_app, "rising", a_from="2021-08-01", a_to="2021-08-31", b_from="2021-09-01", b_to="2022-01-31")
    trends_app.number_input[0].set_value(1).run()
    assert not trends_app.exception
    assert trends_app.query_params["min"] in ("1", ["1"]), "the minimum is kept in the link"
    rising, falling = (df.value for df in trends_app.dataframe[:2])
    assert rising["name"].iloc[0] == "Quokkaflow"  # a candidate, shown as written: 0 items in A, 2 in B
    assert (rising["A"].iloc[0], rising["B"].iloc[0], rising["ratio"].iloc[0]) == (0, 2, 3.0)
    assert rising["page"].iloc[0] == "entity?entity=new%3Aquokkaflow", "each name links to its page"
    assert set(falling["name"]) == {"Tesla", "Dojo", "AI21 Labs", "Jurassic-1", "OpenAI", "GPT-3"}
    assert all(falling["change"] < 0) and all(rising["change"] > 0)


def test_rising_and_falling_leave_out_names_below_the_minimum(trends_app):
    open_view(trends_app, "rising", a_from="2021-08-01", a_to="2021-08-31", b_from="2021-09-01", b_to="2022-01-31")
    assert not trends_app.exception
    assert "with this many items" in captions(trends_app), "at most 3 items a name: nothing at the default of 3"


def test_nothing_chosen_explains_what_to_do(trends_app):
    trends_app.run()
    assert "Choose entities or topics" in captions(trends_app)
    open_view(trends_app, "cross")
    assert not trends_app.exception
    assert "at least two" in captions(trends_app)

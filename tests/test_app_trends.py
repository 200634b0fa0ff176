"""Trends page, headless: compare, rising & falling, type mix, co-occurrence, items per issue."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kb.backends.sqlite import SQLiteBackend
from tests.test_backend_contract import archive

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


@pytest.fixture
def trends_app(tmp_path, monkeypatch) -> AppTest:
    """The app over the hand-made three-issue archive (2021-08, 2021-09, 2022-01)."""
    db = tmp_path / "kb.sqlite3"
    backend = SQLiteBackend(db)
    backend.write_issues(archive())
    backend.close()
    monkeypatch.setenv("KB_SQLITE_PATH", str(db))
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "no-data"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("ui/trends_page.py")
    return at


def charts(at: AppTest) -> list:
    return at.get("plotly_chart")


def test_compare_from_a_link_draws_every_tab(trends_app):
    trends_app.query_params["entities"] = "openai,gpt-3"
    trends_app.query_params["interval"] = "issue"
    trends_app.run()
    assert not trends_app.exception
    assert trends_app.multiselect[0].value == ["openai", "gpt-3"]
    assert len(charts(trends_app)) == 4  # compare, type mix, co-occurrence, items per issue
    labels = [b.label for b in trends_app.get("download_button")]
    assert {"Download trend.csv", "Download entity-types.csv", "Download co-occurrence.csv",
            "Download items-per-issue.csv"} <= set(labels)


def test_changing_settings_updates_the_url(trends_app):
    trends_app.run()
    trends_app.multiselect[0].set_value(["gpt-3"]).run()
    trends_app.radio[0].set_value("share").run()
    trends_app.selectbox[0].set_value("year").run()
    assert not trends_app.exception
    params = {k: trends_app.query_params[k] for k in ("entities", "measure", "interval")}
    assert {k: (v[0] if isinstance(v, list) else v) for k, v in params.items()} == {
        "entities": "gpt-3", "measure": "share", "interval": "year",
    }


def test_rising_and_falling_between_two_periods(trends_app):
    trends_app.query_params["a_from"] = "2021-08-01"
    trends_app.query_params["a_to"] = "2021-08-31"
    trends_app.query_params["b_from"] = "2021-09-01"
    trends_app.query_params["b_to"] = "2022-01-31"
    trends_app.run()
    assert not trends_app.exception
    rising, falling = (df.value for df in trends_app.dataframe[:2])
    assert rising["name"].iloc[0] == "Quokkaflow"  # a candidate, shown as written: 0 items in A, 2 in B
    assert (rising["A"].iloc[0], rising["B"].iloc[0]) == (0, 2)
    assert set(falling["name"]) == {"Tesla", "Dojo", "AI21 Labs", "Jurassic-1"}
    assert all(falling["change"] < 0) and all(rising["change"] > 0)


def test_nothing_chosen_explains_what_to_do(trends_app):
    trends_app.run()
    assert not trends_app.exception
    captions = " ".join(c.value for c in trends_app.caption)
    assert "Choose entities or topics" in captions and "at least two" in captions

"""The entity page, headless: a link like /entity?entity=tesla, its chart, links and items."""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from kb.backends.sqlite import SQLiteBackend
from kb.models import Issue
from tests.conftest import open_page
from tests.test_backend_contract import archive, item

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
ENTITY_PAGE = "ui/entity_page.py"


def entity_page(**params: str) -> AppTest:
    """The entity page opened from a link carrying these URL parameters."""
    return open_page(ENTITY_PAGE, **params)


def with_dates(app_env: Path) -> None:
    """The sample's dates file too, so issue 214 gets its (estimated) date."""
    shutil.copy(ROOT / "data" / "dates.yaml", app_env / "data")


def store(app_env: Path, issues: list[Issue]) -> None:
    """Write hand-made issues into the index before the app's first run."""
    backend = SQLiteBackend(app_env / "kb.sqlite3")
    backend.write_issues(issues)
    backend.close()


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def links(at: AppTest) -> dict[str, str]:
    """Page links on screen: label -> query string."""
    return {link.value: link.proto.query_string for link in at.get("page_link")}


def item_titles(at: AppTest) -> list[str]:
    """Titles of the listed items, in order (hit blocks start with a bold title)."""
    return [m.value.split("**")[1].strip("[]").split("](")[0] for m in at.markdown if m.value.startswith("**")]


def test_entity_link_shows_facts_coverage_chart_and_items(app_env):
    with_dates(app_env)
    at = entity_page(entity="tesla")
    assert not at.exception
    assert at.title[0].value == "Tesla"
    assert "org" in at.caption[0].value and "https://www.tesla.com" in at.caption[0].value
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Items": "1", "Mentions": "2", "First covered": "2021-08-26 (estimated)",
                       "Last covered": "2021-08-26 (estimated)"}
    assert links(at)["Deep Learning Weekly #214"] == "issue=deep-learning-weekly-214", "the issue named with its newsletter"
    assert at.get("plotly_chart")
    assert links(at)["Dojo · 1"] == "entity=dojo"
    assert item_titles(at) == [
        "Tesla Dojo - Unique Packaging and Chip Design Allow An Order Magnitude Advantage Over Competing AI Hardware"
    ]
    assert "[Deep Learning Weekly #214 · 2021-08-26 (estimated)](issues?issue=deep-learning-weekly-214) · Mobile & Edge" in markdown_text(at)


def test_changing_the_interval_redraws_the_chart_and_updates_the_url(app_env):
    with_dates(app_env)
    at = entity_page(entity="tesla")
    assert "2021-08" in at.get("plotly_chart")[0].proto.spec
    at.get("button_group")[0].set_value("quarter").run()
    assert not at.exception
    assert at.query_params["interval"] in (["quarter"], "quarter")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert list(spec["data"][0]["x"]) == ["2021-Q3"]


def test_a_name_in_the_link_is_resolved_and_the_owner_is_linked(app_env):
    at = entity_page(entity="Dojo")
    assert not at.exception
    assert at.title[0].value == "Dojo"
    assert at.query_params["entity"] in (["dojo"], "dojo")
    assert links(at)["Owned by Tesla"] == "entity=tesla"


def test_picking_an_entity_opens_its_page(app_env):
    at = entity_page()
    assert not at.exception
    assert links(at)["Google · 2"] == "entity=google"  # most covered, as a starting point
    at.selectbox[0].set_value("gpt-3").run()
    assert not at.exception
    assert at.query_params["entity"] in (["gpt-3"], "gpt-3")
    assert at.title[0].value == "GPT-3"
    assert {m.label: m.value for m in at.metric}["Items"] == "1"


def test_typing_a_name_outside_the_catalog_offers_the_candidate(app_env):
    store(app_env, archive())
    at = entity_page()
    at.text_input[0].input("Quokka").run()
    assert not at.exception
    assert links(at)["Quokkaflow (product)"] == "entity=new%3Aquokkaflow"


def test_unknown_entity_in_the_link_warns_and_offers_the_picker(app_env):
    at = entity_page(entity="not-a-real-entity")
    assert not at.exception
    assert any("not-a-real-entity" in w.value for w in at.warning)
    assert at.selectbox[0].label == "Entity or topic"


def test_candidate_page_says_so_and_lists_its_items_newest_first(app_env):
    store(app_env, archive())
    at = entity_page(entity="new:quokkaflow")
    assert not at.exception
    assert at.title[0].value == "Quokkaflow"  # as written in the archive
    assert any("candidate (guessed type: product)" in i.value for i in at.info)
    assert {m.label: m.value for m in at.metric}["Items"] == "2"
    assert at.get("plotly_chart")
    assert item_titles(at) == ["Scaling graph neural networks in production", "Reinforcement learning course materials"]
    assert "2022-01-13 (estimated)" in markdown_text(at)


def test_co_mentions_and_distinctive_entities(app_env):
    store(app_env, archive())
    at = entity_page(entity="openai")
    assert links(at)["GPT-3 · 2"] == "entity=gpt-3"
    assert links(at)["AI21 Labs · 1"] == "entity=ai21-labs"
    assert item_titles(at) == ["GPT-3 powers a new writing assistant", "Announcing Jurassic-1 Language Models"]
    distinctive = "\n".join(m.value for m in at.expander[0].markdown)
    assert "**GPT-3**: 2 of its items, 2 in the archive" in distinctive


def test_items_come_in_pages_of_ten(app_env):
    weekly = [
        Issue(
            publication="Chip Weekly", source=f"{n}.txt", number=n, date=date(2022, 1, 3) + timedelta(weeks=n),
            items=(item(f"Tesla story {n}", "Tesla ships more chips.", None, ("Tesla", "ORG", "tesla")),),
        ).with_ids()
        for n in range(1, 13)
    ]
    store(app_env, weekly)
    at = entity_page(entity="tesla")
    assert item_titles(at)[:2] == ["Tesla story 12", "Tesla story 11"]
    assert len(item_titles(at)) == 10
    older = next(b for b in at.button if b.label == "Older →")
    older.click().run()
    assert not at.exception
    assert at.query_params["page"] in (["2"], "2")
    assert item_titles(at) == ["Tesla story 2", "Tesla story 1"]
    assert any("Page 2 of 2" in c.value for c in at.caption)


def test_catalog_entity_never_mentioned_says_so(app_env):
    at = entity_page(entity="tenstorrent")
    assert not at.exception
    assert at.title[0].value == "Tenstorrent"
    assert any("No item in the archive mentions Tenstorrent" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_empty_index_points_to_add_issues(app_env, monkeypatch):
    monkeypatch.setenv("KB_DATA_DIR", str(app_env / "no-such-folder"))
    at = entity_page(entity="tesla")
    assert not at.exception
    assert any("index is empty" in i.value for i in at.info)
    assert "Add issues" in links(at)


def test_the_timeline_keeps_time_order_when_some_dates_are_estimated(app_env):
    one, two, three = archive()
    store(app_env, [replace(one, date_estimated=True).with_ids(), two, replace(three, date_estimated=False).with_ids()])
    at = entity_page(entity="graph-neural-networks")
    assert not at.exception
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    order = fig["layout"]["xaxis"]["categoryarray"]
    assert order == sorted(order) and order[0] == "2021-08" and order[-1] == "2022-01", "the estimated month first"

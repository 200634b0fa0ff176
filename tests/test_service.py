"""The query service's own answers, built from plain searches (SQLite is enough here)."""
from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import date

import pytest

from kb.backends.base import IssueRef, Suggestion
from kb.backends.sqlite import SQLiteBackend
from kb.catalog import load_catalog
from kb.service import Change, NamedCount, QueryService, UnknownEntity
from kb.query import SearchQuery
from tests.test_backend_contract import archive, item

CATALOG = {
    "things.yaml": """
        - {id: openai, name: OpenAI, type: ORG}
        - {id: ai21-labs, name: AI21 Labs, type: ORG}
        - {id: tesla, name: Tesla, type: ORG}
        - {id: gpt-3, name: GPT-3, type: MODEL}
        - {id: jurassic-1, name: Jurassic-1, type: MODEL}
        - {id: qwen, name: Qwen, type: MODEL}
        - {id: dojo, name: Dojo, type: HARDWARE}
        - {id: pytorch, name: PyTorch, type: PRODUCT}
    """,
    "topics.yaml": """
        - {id: graph-neural-networks, name: Graph Neural Networks, type: TOPIC}
        - {id: reinforcement-learning, name: Reinforcement Learning, type: TOPIC}
    """,
}
YEAR_2021 = (date(2021, 1, 1), date(2021, 12, 31))
YEAR_2022 = (date(2022, 1, 1), date(2022, 12, 31))


@pytest.fixture
def service(tmp_path):
    for name, body in CATALOG.items():
        (tmp_path / name).write_text(textwrap.dedent(body), encoding="utf-8")
    backend = SQLiteBackend(tmp_path / "kb.sqlite3")
    backend.write_issues(archive())
    yield QueryService(backend, load_catalog([tmp_path / name for name in CATALOG]))
    backend.close()


def test_rising_and_falling_entities_between_two_periods(service):
    moves = service.rising_falling(YEAR_2021, YEAR_2022, min_support=1)
    assert moves.rising == ()
    assert moves.falling[:3] == (
        Change("gpt-3", "GPT-3", 2, 0, -2),
        Change("openai", "OpenAI", 2, 0, -2),
        Change("ai21-labs", "AI21 Labs", 1, 0, -1),
    ), "biggest loss first, ties by id"
    assert "graph-neural-networks" not in [c.entity_id for c in moves.falling], "1 item in both years"


def test_rising_lists_newcomers_and_size_limits_both_lists(service):
    august, september = (date(2021, 8, 1), date(2021, 8, 31)), (date(2021, 9, 1), date(2021, 9, 30))
    moves = service.rising_falling(august, september, size=2, min_support=1)
    assert moves.rising == (
        Change("new:quokkaflow", "Quokkaflow", 0, 1, 1),  # a new name as written, not its id
        Change("pytorch", "PyTorch", 0, 1, 1),
    )
    assert [c.entity_id for c in moves.falling] == ["ai21-labs", "dojo"]


def test_suggest_puts_catalog_names_first_then_names_seen_only_in_the_archive(service):
    assert service.suggest("Q") == [
        Suggestion("qwen", "MODEL", "Qwen"),  # catalog, though never mentioned
        Suggestion("new:quokkaflow", "PRODUCT", "Quokkaflow"),  # as written in the archive
    ]
    assert [s.entity_id for s in service.suggest("g")] == ["gpt-3", "graph-neural-networks"], "deduped by id"
    assert len(service.suggest("a", limit=1)) == 1
    assert service.suggest("zzz") == []


def test_entity_page_by_name_with_dressed_co_mentions(service):
    stats = service.entity_stats("openai")
    assert (stats.items, stats.mentions, stats.first.number, stats.last.number) == (2, 2, 1, 2)
    assert service.entity_stats("new:quokkaflow").first == IssueRef("test-weekly-2", 2, date(2021, 9, 2), False)
    assert service.co_mentions("OpenAI", size=2) == [
        NamedCount("gpt-3", "GPT-3", 2),
        NamedCount("ai21-labs", "AI21 Labs", 1),
    ]
    with pytest.raises(UnknownEntity):
        service.entity_stats("No Such Thing")


def test_cooccurrence_matrix_is_symmetric_with_item_counts_on_the_diagonal(service):
    matrix = service.cooccurrence(["OpenAI", "gpt-3", "Tesla"])
    assert matrix[("openai", "gpt-3")] == matrix[("gpt-3", "openai")] == 2
    assert matrix[("openai", "tesla")] == 0
    assert matrix[("tesla", "tesla")] == 1
    assert len(matrix) == 9


def test_type_trend_leaves_out_types_never_mentioned(service):
    keys = {p.key for p in service.type_trend("year")}
    assert keys == {"ORG", "MODEL", "HARDWARE", "PRODUCT"}


def test_coverage_check_and_did_you_mean_pass_through(service):
    assert [h.issue_number for h in service.items_with_url("http://www.example.org/jurassic/")] == [2, 1]
    assert service.items_with_url("  ") == []
    assert service.did_you_mean("graph nueral netwroks") == "graph neural networks"
    assert service.did_you_mean("   ") is None


def _weekly(year: int, counts: dict[str, int]) -> list:
    """Issues of one year whose items mention each name in `counts` that many times (one item each)."""
    from kb.models import Issue, Item, Mention

    items = [
        Item(title=f"{name} news {n}", text="", mentions=(Mention(0, len(name), name, "ORG", key, "title"),))
        for key, times in counts.items()
        for n in range(times)
        for name in [key.upper()]
    ]
    return [Issue(publication="Rates Weekly", source=f"{year}.txt", number=year, title=f"{year}",
                  date=date(year, 6, 1), items=tuple(items)).with_ids()]


def test_rising_and_falling_rank_by_relative_change_above_a_minimum_support(tmp_path):
    backend = SQLiteBackend(tmp_path / "kb.sqlite3")
    backend.write_issues(_weekly(2020, {"steady": 10, "small": 1, "tiny": 1, "fading": 6})
                         + _weekly(2021, {"steady": 14, "small": 3, "tiny": 2, "fading": 1}))
    service = QueryService(backend, load_catalog([]))
    moves = service.rising_falling((date(2020, 1, 1), date(2020, 12, 31)), (date(2021, 1, 1), date(2021, 12, 31)))
    assert [c.entity_id for c in moves.rising] == ["small", "steady"], "x2 before x1.36, though +4 beats +2"
    assert [c.entity_id for c in moves.falling] == ["fading"]
    assert "tiny" not in {c.entity_id for c in moves.rising}, "2 items at most: below the minimum support"
    assert moves.rising[0].ratio == 2.0 and moves.rising[0].change == 2
    backend.close()


def test_issues_are_named_with_their_newsletter_and_kept_until_the_archive_changes(service):
    issue_id = service.issues()[0].id
    assert service.issue_name(issue_id).startswith("Test Weekly #")
    assert service.issue_name("no-such-issue", 7) == "#7"
    assert service.publications() == ["Test Weekly"] and service.archive_end() == date(2022, 1, 13)
    calls = []
    listing = service.backend.list_issues
    service.backend.list_issues = lambda *a: calls.append(1) or listing(*a)
    service.issue_name(issue_id), service.archive_end()
    assert calls == [], "an unchanged archive answers from memory"
    other = _weekly(2023, {"openai": 1})
    service.backend.write_issues([replace(other[0], publication="Other Letter").with_ids()])
    assert service.publications() == ["Other Letter", "Test Weekly"] and calls == [1]
    assert service.archive_end() == date(2023, 6, 1)


def test_a_trend_split_by_newsletter_has_a_series_per_newsletter(service):
    service.backend.write_issues([replace(_weekly(2021, {"openai": 2})[0], publication="Other Letter").with_ids()])
    points = service.trend(["openai"], "year", by_newsletter=True)
    per = {(p.publication, p.period): p.items for p in points}
    assert per[("Other Letter", "2021")] == 2 and per[("Test Weekly", "2021")] == 2
    issue_points = service.trend(["openai"], "issue")
    assert {p.publication for p in issue_points} == {"Test Weekly", "Other Letter"}


def test_find_reads_ids_names_aliases_and_new_names_as_written(service):
    assert service.find("OpenAI") == service.find("openai") == "openai"
    assert service.find("quokkaflow") == "new:quokkaflow", "a new name, whatever its case"
    assert service.find("new:anything") == "new:anything"
    assert service.find("No Such Thing") is None


def test_a_candidate_is_looked_up_once_per_archive_state(service):
    found = service.candidate("new:quokkaflow")
    assert found is not None and found.name == "Quokkaflow" and found.items == 2
    calls = []
    rows = service.backend.candidate_rows
    service.backend.candidate_rows = lambda: calls.append(1) or rows()
    assert service.candidate("new:quokkaflow") == found and service.candidate("openai") is None
    assert calls == []


def test_box_suggestions_are_the_catalog_names_the_archive_mentions_most_covered_first(service):
    facets = service.search(SearchQuery("", facet_size=1000)).facets
    mentioned = {f.value: f.count for name in ("entity", "topic") for f in facets.get(name, ())}
    listed = service.box_suggestions()
    assert [(s.entity_id, s.items) for s in listed] == sorted(
        ((e.id, mentioned[e.id]) for e in service.catalog if e.id in mentioned), key=lambda p: (-p[1], p[0])
    )
    assert "qwen" not in {s.entity_id for s in listed}  # in the catalog, never in the archive
    assert listed[0].items >= listed[-1].items >= 1
    dojo = next(s for s in listed if s.entity_id == "dojo")
    assert (dojo.type, dojo.name) == ("HARDWARE", "Dojo")


def test_box_suggestions_follow_the_archive(service):
    assert "qwen" not in {s.entity_id for s in service.box_suggestions()}
    issue = replace(archive()[0], source="three.txt", number=3, date=date(2022, 3, 3),
                    items=(item("Qwen arrives", "Alibaba's Qwen is out.", None, ("Qwen", "MODEL", "qwen")),)).with_ids()
    service.backend.write_issues([issue])
    assert next(s.items for s in service.box_suggestions() if s.entity_id == "qwen") == 1

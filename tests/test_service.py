"""The query service's own answers, built from plain searches (SQLite is enough here)."""
from __future__ import annotations

import textwrap
from datetime import date

import pytest

from kb.backends.base import IssueRef, Suggestion
from kb.backends.sqlite import SQLiteBackend
from kb.catalog import load_catalog
from kb.service import Change, NamedCount, QueryService, UnknownEntity
from tests.test_backend_contract import archive

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
    moves = service.rising_falling(YEAR_2021, YEAR_2022)
    assert moves.rising == ()
    assert moves.falling[:3] == (
        Change("gpt-3", "GPT-3", 2, 0, -2),
        Change("openai", "OpenAI", 2, 0, -2),
        Change("ai21-labs", "AI21 Labs", 1, 0, -1),
    ), "biggest loss first, ties by id"
    assert "graph-neural-networks" not in [c.entity_id for c in moves.falling], "1 item in both years"


def test_rising_lists_newcomers_and_size_limits_both_lists(service):
    august, september = (date(2021, 8, 1), date(2021, 8, 31)), (date(2021, 9, 1), date(2021, 9, 30))
    moves = service.rising_falling(august, september, size=2)
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

"""Judged reader queries (tests/relevance/): both backends beat plain BM25 and agree.

The same measurement as `python -m bench.bench_relevance --backend both`, kept as a test so a
change that makes search worse for readers, or lets the backends drift apart, fails CI.
"""
from __future__ import annotations

import pytest

from bench.bench_relevance import CORPORA, PARTS, Anchor, agreement, evaluate, load_archive, load_judgments, ours
from kb.backends.sqlite import SQLiteBackend
from kb.catalog import load_catalog
from kb.service import QueryService
from tests.conftest import shared_path

pytestmark = [pytest.mark.corpus, pytest.mark.elasticsearch]


@pytest.fixture(scope="module")
def measured(tmp_path_factory, es_client):
    from kb.backends.elasticsearch import ElasticsearchBackend

    for corpus in CORPORA[1:]:
        shared_path("corpus", corpus.name)
    issues = load_archive()
    judged = load_judgments(issues)
    catalog = load_catalog()
    sqlite = SQLiteBackend(tmp_path_factory.mktemp("relevance") / "kb.sqlite3")
    es = ElasticsearchBackend(es_client, alias="kbtest-relevance")
    es.drop()
    es = ElasticsearchBackend(es_client, alias="kbtest-relevance")
    for backend in (sqlite, es):
        backend.write_issues(issues)
    systems = {"anchor": Anchor(issues).run, "sqlite": ours(QueryService(sqlite, catalog)), "es": ours(QueryService(es, catalog))}
    yield {
        (part, name): evaluate([j for j in judged if j.part == part], run)
        for part in PARTS
        for name, run in systems.items()
    }
    es.drop()


@pytest.mark.parametrize("part", PARTS)
def test_both_backends_beat_the_bm25_anchor(measured, part):
    anchor = measured[(part, "anchor")][0]
    for backend in ("sqlite", "es"):
        scores = measured[(part, backend)][0]
        print(f"\n{part} {backend}: MRR {scores.mrr:.3f} vs anchor {anchor.mrr:.3f}")
        assert scores.mrr > anchor.mrr
        assert scores.success_at_1 > anchor.success_at_1
        assert scores.zero_results <= anchor.zero_results


@pytest.mark.parametrize("part", PARTS)
def test_both_backends_put_the_same_item_first(measured, part):
    assert agreement(measured[(part, "sqlite")][1], measured[(part, "es")][1]) >= 0.9

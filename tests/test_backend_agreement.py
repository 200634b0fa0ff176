"""On the real MLE archive, both backends must tell the same story.

Facet and trend counts agree exactly; both backends index the same analysed words and the
final ranking is computed once, in Python (`kb.ranking`), so the first result agrees too.
"""
from __future__ import annotations

import pytest

from indexer.extract import Extractor
from indexer.pipeline import date_issues, parse_files, tag_issue
from kb.backends.base import TREND_TYPES
from kb.backends.sqlite import SQLiteBackend
from kb.catalog import load_catalog
from kb.query import Filters, SearchQuery
from tests.conftest import shared_path

pytestmark = [pytest.mark.corpus, pytest.mark.elasticsearch]

FACET_QUERIES = ["", "kubernetes", "model monitoring", '"feature store"', "llm OR gpt", "pytorch -tensorflow"]
READER_QUERIES = [
    "kubernetes", "model monitoring", "feature store", "explainability", "drift detection",
    "vector database", "reinforcement learning", "openai", "data quality", "fairness",
    "mlops platform", "large language models", "recommendation systems", "time series forecasting",
]
TREND_KEYS = ["llms", "kubernetes", "openai", "pytorch", "mlops"]


@pytest.fixture(scope="module")
def both(tmp_path_factory, es_client):
    from kb.backends.elasticsearch import ElasticsearchBackend

    parsed, failures, sidecars = parse_files([shared_path("corpus", "mle-newsletter")])
    assert failures == []
    extractor = Extractor(load_catalog())
    issues = [tag_issue(issue, extractor) for _, issue in date_issues(parsed, sidecars, None)]
    sqlite = SQLiteBackend(tmp_path_factory.mktemp("agree") / "kb.sqlite3")
    es = ElasticsearchBackend(es_client, alias="kbtest-agreement")
    es.drop()
    es = ElasticsearchBackend(es_client, alias="kbtest-agreement")
    for backend in (sqlite, es):
        backend.write_issues(issues)
    yield sqlite, es
    es.drop()


def facet_table(backend, text):
    results = backend.search(SearchQuery(text, limit=1, facet_size=200))
    return results.total, {name: [(v.value, v.count) for v in values] for name, values in results.facets.items()}


@pytest.mark.parametrize("text", FACET_QUERIES)
def test_totals_and_facets_agree_exactly(both, text):
    sqlite, es = both
    assert facet_table(sqlite, text) == facet_table(es, text)


@pytest.mark.parametrize("interval", ["issue", "week", "month", "quarter", "year"])
def test_trend_counts_agree_exactly(both, interval):
    sqlite, es = both
    assert sqlite.trend(TREND_KEYS, interval) == es.trend(TREND_KEYS, interval)


def test_filtered_trend_counts_agree(both):
    sqlite, es = both
    flt = Filters(entity_types=("ORG",), date_from=__import__("datetime").date(2022, 1, 1))
    assert sqlite.trend(["llms"], "month", flt) == es.trend(["llms"], "month", flt)


def test_top_results_agree_substantially(both):
    sqlite, es = both
    overlaps, same_first = [], 0
    for text in READER_QUERIES:
        a = [h.item_id for h in sqlite.search(SearchQuery(text, limit=10, with_facets=False)).hits]
        b = [h.item_id for h in es.search(SearchQuery(text, limit=10, with_facets=False)).hits]
        assert len(a) == len(b), text
        overlaps.append(len(set(a) & set(b)) / max(len(a), 1))
        same_first += bool(a) and a[0] == b[0]
    mean_overlap = sum(overlaps) / len(overlaps)
    print(f"\nmean overlap@10 {mean_overlap:.2f}, same first result {same_first}/{len(READER_QUERIES)}")
    assert mean_overlap >= 0.9
    assert same_first >= len(READER_QUERIES) * 0.9


def test_entity_page_and_type_mix_agree_exactly(both):
    sqlite, es = both
    for key in TREND_KEYS:
        assert sqlite.entity_stats(key) == es.entity_stats(key), key
        assert sqlite.co_mentions(key, size=30) == es.co_mentions(key, size=30), key
    for interval in ("issue", "month", "year"):
        assert sqlite.trend(TREND_TYPES, interval, by="type") == es.trend(TREND_TYPES, interval, by="type"), interval


def test_coverage_check_agrees_on_every_link_of_an_issue_range(both):
    sqlite, es = both
    hits = sqlite.search(SearchQuery("", filters=Filters(issue_from=1, issue_to=40), limit=500, with_facets=False)).hits
    urls = [h.url for h in hits if h.url]
    assert urls
    for url in urls:
        assert [h.item_id for h in sqlite.items_with_url(url)] == [h.item_id for h in es.items_with_url(url)], url


def test_did_you_mean_agrees_on_clear_typos(both):
    sqlite, es = both
    for typo, fixed in [("kubernets", "kubernetes"), ("reinforcment learning", "reinforcement learning"),
                        ("explainabilty", "explainability"), ("data qualty", "data quality")]:
        assert sqlite.did_you_mean(typo) == es.did_you_mean(typo) == fixed

"""What only the Elasticsearch backend has to get right: aliases, bulk failures, settings."""
from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from kb.backends import open_backend
from kb.backends.base import BackendUnavailable
from kb.documents import to_document
from kb.query import SearchQuery
from kb.settings import Settings
from tests.test_backend_contract import archive

pytestmark = pytest.mark.elasticsearch


def test_reads_go_through_aliases_and_a_rebuild_leaves_one_index_per_kind(es_backend, es_client):
    es_backend.write_issues(archive())
    before = set(es_client.indices.get_alias(name=f"{es_backend.alias}-items"))
    es_backend.rebuild(archive())
    after = set(es_client.indices.get_alias(name=f"{es_backend.alias}-items"))
    assert len(after) == 1 and after != before
    assert not es_client.indices.exists(index=",".join(before))
    assert es_backend.count_items() == 6


def test_per_document_failures_are_reported_and_the_rest_kept(es_backend, es_client):
    es_backend.write_issues(archive()[:1])
    items_index = next(iter(es_client.indices.get_alias(name=f"{es_backend.alias}-items")))
    es_client.indices.put_settings(index=items_index, settings={"index.blocks.write": True})
    try:
        report = es_backend.write_issues(archive()[1:2])
    finally:
        es_client.indices.put_settings(index=items_index, settings={"index.blocks.write": False})
    assert report.failures and all("block" in reason.lower() for _, reason in report.failures)
    assert report.written == 0
    assert es_backend.count_items() == 3
    retry = es_backend.write_issues(archive()[1:2])
    assert (retry.written, retry.failures) == (1, []), "a partly failed issue is not taken as stored"
    assert es_backend.count_items() == 5


def test_unreachable_server_names_the_url():
    settings = Settings(backend="elasticsearch", es_url="http://127.0.0.1:9")
    with pytest.raises(BackendUnavailable) as err:
        open_backend(settings)
    assert "http://127.0.0.1:9" in str(err.value)


def test_describe_says_where_the_data_is(es_backend):
    assert es_backend.describe().startswith("Elasticsearch at ")


def test_an_archive_indexed_by_an_older_version_is_rebuilt_when_opened(es_client):
    """Schema 2 indexed raw text with the standard analyzer and had no words/stems fields."""
    from kb.backends.elasticsearch import ElasticsearchBackend, _issue_doc
    from kb.backends.es_mappings import ISSUES_MAPPING, ITEMS_MAPPING

    alias = f"kbtest-old-{uuid.uuid4().hex[:8]}"
    new_fields = ("_words", "_stems", "_len")
    old_props = {k: v for k, v in ITEMS_MAPPING["properties"].items() if not k.endswith(new_fields)}
    old_items = {"dynamic": "strict", "properties": {**old_props, "title": {"type": "text"}, "text": {"type": "text"}}}
    for kind, mapping in (("items", old_items), ("issues", ISSUES_MAPPING)):
        es_client.indices.create(index=f"{alias}-{kind}-v1", mappings=mapping)
        es_client.indices.put_alias(index=f"{alias}-{kind}-v1", name=f"{alias}-{kind}")
    for issue in archive():
        for it in issue.items:
            doc = {k: v for k, v in to_document(issue, it).items() if not k.endswith(new_fields)}
            es_client.index(index=f"{alias}-items", id=it.id, document={**doc, "links": list(it.links)})
        es_client.index(index=f"{alias}-issues", id=issue.id, document=_issue_doc(issue))
    es_client.indices.refresh(index=f"{alias}-items,{alias}-issues")
    backend = ElasticsearchBackend(es_client, alias=alias)
    try:
        assert backend.count_items() == 6
        assert not es_client.indices.exists(index=f"{alias}-items-v1"), "the old index is replaced"
        assert {h.title for h in backend.search(SearchQuery("language model")).hits} >= {
            "Announcing Jurassic-1 Language Models"
        }
        assert len(backend.items_with_url("https://example.org/jurassic")) == 2
        report = backend.write_issues(archive())
        assert report.failures == [] and report.unchanged == 3
    finally:
        backend.drop()


# -- scale: refresh off while loading, aggregations instead of scans, paging, shards ------------
DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def synthetic_archive():
    """600 items (30 issues) of the sample issue's profile: names repeat within items, candidates too."""
    from bench.synthetic import sample_profile, synthetic_issues

    return list(synthetic_issues(sample_profile(DATA), 600, newsletters=3))


def _intervals(es_client, alias: str) -> dict[str, str | None]:
    got = es_client.indices.get_settings(index=f"{alias}-items,{alias}-issues", name="index.refresh_interval")
    return {name.split("-v")[0].rsplit("-", 1)[1]: (s["settings"].get("index") or {}).get("refresh_interval")
            for name, s in got.items()}


def test_bulk_load_refreshes_no_batch_keeps_each_index_interval_and_shows_all_at_the_end_even_on_error(
    es_backend, es_client
):
    es_client.indices.put_settings(index=f"{es_backend.alias}-items,{es_backend.alias}-issues",
                                   settings={"index": {"refresh_interval": "60s"}})
    before = _intervals(es_client, es_backend.alias)
    assert before == {"items": "60s", "issues": "60s"}
    with pytest.raises(RuntimeError, match="parser broke"):
        with es_backend.bulk_load():
            es_backend.write_issues(archive()[:1])
            es_backend.write_issues(archive()[1:2])
            assert _intervals(es_client, es_backend.alias) == before, "the index's own interval stays"
            assert es_backend.count_items() == 0, "no refresh per batch inside bulk_load"
            raise RuntimeError("parser broke")
    assert _intervals(es_client, es_backend.alias) == before
    assert es_backend.count_items() == 5 and es_backend.count_issues() == 2, "one refresh at the end"


def test_an_issue_rewritten_twice_in_one_bulk_load_keeps_no_stale_item(es_backend):
    first = archive()[0]
    edited = replace(first, items=first.items[:1], fingerprint="edited")
    with es_backend.bulk_load():
        es_backend.write_issues([first])
        assert es_backend.write_issues([first]).unchanged == 1, "a record still to be sent counts as stored"
        es_backend.write_issues([edited])
    assert es_backend.count_items() == 1
    assert [i.id for i in es_backend.get_issue(first.id).items] == [first.items[0].id]


def test_rebuild_streams_its_input_and_leaves_the_default_refresh_interval(
    es_backend, es_client, synthetic_archive, monkeypatch
):
    monkeypatch.setattr("kb.backends.elasticsearch._REBUILD_BATCH", 5)
    written_before_input_ended: list[int] = []

    def issues():
        for n, issue in enumerate(synthetic_archive):
            if n == len(synthetic_archive) - 1:  # the first batches must already be on the server
                stats = es_client.indices.stats(index=f"{es_backend.alias}-items-*", metric="indexing")
                written_before_input_ended.append(stats["_all"]["primaries"]["indexing"]["index_total"])
            yield issue

    report = es_backend.rebuild(issues())
    assert written_before_input_ended[0] > 0, "rebuild wrote batches while still reading its input"
    assert _intervals(es_client, es_backend.alias) == {"items": "1s", "issues": "1s"}
    assert report.written == len(synthetic_archive) and es_backend.count_items() == report.items


def test_a_failed_rebuild_leaves_the_old_archive(es_backend, es_client, synthetic_archive, monkeypatch):
    monkeypatch.setattr("kb.backends.elasticsearch._REBUILD_BATCH", 5)
    es_backend.write_issues(archive())
    behind = set(es_client.indices.get_alias(name=f"{es_backend.alias}-items"))

    def issues():
        yield from synthetic_archive[:12]
        raise ValueError("bad file")

    with pytest.raises(ValueError):
        es_backend.rebuild(issues())
    assert set(es_client.indices.get_alias(name=f"{es_backend.alias}-items")) == behind
    assert len(es_client.indices.get(index=f"{es_backend.alias}-items-*")) == 1, "the half-filled index is gone"
    assert es_backend.count_items() == 6


def _mention_counts(issues) -> Counter:
    return Counter(m.entity_id for issue in issues for it in issue.items for m in it.mentions)


def test_entity_stats_count_mentions_by_aggregation_as_reading_every_mention_would(es_backend, synthetic_archive):
    es_backend.write_issues(synthetic_archive)
    expected = _mention_counts(synthetic_archive)
    repeated = [e for e in expected if any(
        sum(m.entity_id == e for m in it.mentions) > 1 for issue in synthetic_archive for it in issue.items)]
    assert repeated, "the archive has items naming an entity more than once"
    for entity_id, mentions in expected.items():
        assert es_backend.entity_stats(entity_id).mentions == mentions, entity_id


def test_candidate_names_by_aggregation_equal_those_from_every_candidate_mention(es_backend, synthetic_archive):
    from kb.backends.base import Backend

    es_backend.write_issues(synthetic_archive)
    names = es_backend.candidate_names()
    assert names and all(k.startswith("new:") for k in names)
    assert names == Backend.candidate_names(es_backend)  # counted from candidate_rows, mention by mention


def test_trend_per_issue_the_issue_list_and_an_issue_page_beyond_one_page(es_backend, synthetic_archive):
    es_backend.write_issues(synthetic_archive)
    top = [e for e, _ in _mention_counts(synthetic_archive).most_common(2)]
    whole = es_backend.trend(top, "issue"), es_backend.list_issues(), es_backend.get_issue(synthetic_archive[5].id)
    es_backend.page_size = 7
    paged = es_backend.trend(top, "issue"), es_backend.list_issues(), es_backend.get_issue(synthetic_archive[5].id)
    assert paged == whole
    assert len(whole[0]) == 2 * len(synthetic_archive) and len(whole[1]) == len(synthetic_archive)
    biggest = max(synthetic_archive, key=lambda i: len(i.items))
    assert len(biggest.items) > 7 and es_backend.get_issue(biggest.id).items == biggest.items


def test_co_mentions_are_exact_on_several_shards_even_when_shards_send_few_terms(es_client, synthetic_archive):
    from kb.backends.elasticsearch import ElasticsearchBackend

    backend = ElasticsearchBackend(es_client, alias=f"kbtest-{uuid.uuid4().hex[:12]}", shards=3)
    try:
        backend.write_issues(synthetic_archive)
        backend.co_mention_shard_size = 1  # each shard first sends its single best term
        for entity_id, _ in _mention_counts(synthetic_archive).most_common(4):
            together: Counter = Counter()
            for issue in synthetic_archive:
                for it in issue.items:
                    ids = {m.entity_id for m in it.mentions}
                    if entity_id in ids:
                        together.update(ids - {entity_id})
            expected = sorted(together.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
            assert [(v.value, v.count) for v in backend.co_mentions(entity_id, size=5)] == expected
    finally:
        backend.drop()


def test_an_index_of_schema_3_is_upgraded_so_mentions_are_counted(es_client, monkeypatch):
    from kb.backends.elasticsearch import ElasticsearchBackend, _issue_doc, _item_doc
    from kb.backends.es_mappings import ISSUES_MAPPING, ITEMS_MAPPING

    alias = f"kbtest-s3-{uuid.uuid4().hex[:8]}"
    new = ("mention_counts", "spellings")
    props = {k: v for k, v in ITEMS_MAPPING["properties"].items() if k not in new}
    old_items = {**ITEMS_MAPPING, "_meta": {"schema": 3}, "properties": props}
    for kind, mapping in (("items", old_items), ("issues", ISSUES_MAPPING)):
        es_client.indices.create(index=f"{alias}-{kind}-v3", mappings=mapping)
        es_client.indices.put_alias(index=f"{alias}-{kind}-v3", name=f"{alias}-{kind}")
    for issue in archive():
        for it in issue.items:
            doc = {k: v for k, v in _item_doc(issue, it).items() if k not in new}
            es_client.index(index=f"{alias}-items", id=it.id, document=doc)
        es_client.index(index=f"{alias}-issues", id=issue.id, document=_issue_doc(issue))
    es_client.indices.refresh(index=f"{alias}-items,{alias}-issues")
    monkeypatch.setattr("kb.backends.elasticsearch._LOOKUP_CHUNK", 1)  # one items search per issue here

    def one_by_one(self, issue_id):
        raise AssertionError("the upgrade reads issues in pages, not one by one")

    monkeypatch.setattr(ElasticsearchBackend, "get_issue", one_by_one)
    backend = ElasticsearchBackend(es_client, alias=alias)
    monkeypatch.undo()
    try:
        assert not es_client.indices.exists(index=f"{alias}-items-v3")
        assert backend.entity_stats("openai").mentions == _mention_counts(archive())["openai"] > 0
        for issue in archive():
            assert backend.get_issue(issue.id) == issue, "every issue comes through whole, items in order"
    finally:
        backend.drop()


def test_a_server_gone_or_a_refused_request_is_a_backend_error_on_every_call(es_backend):
    from elasticsearch import Elasticsearch

    from kb.backends.base import BackendError, BackendUnavailable
    from kb.query import SearchQuery

    es_backend.write_issues(archive())
    live = es_backend.es
    es_backend.es = Elasticsearch("http://127.0.0.1:1", request_timeout=2, max_retries=0)  # nothing listens
    try:
        for call in (lambda: es_backend.search(SearchQuery("dojo")), lambda: es_backend.entity_stats("openai"),
                     lambda: es_backend.trend(["openai"], "month"), lambda: es_backend.list_issues(),
                     lambda: list(es_backend.candidate_rows()), lambda: es_backend.count_items()):
            with pytest.raises(BackendUnavailable, match="cannot reach"):
                call()
    finally:
        es_backend.es = live
    es_backend.drop()  # the indices behind the alias are gone: every read is refused
    with pytest.raises(BackendError, match="refused the request"):
        es_backend.entity_stats("openai")
    with pytest.raises(BackendError, match="refused the request"):
        es_backend.search(SearchQuery("dojo"))


def test_indices_of_a_rebuild_killed_half_way_are_removed(es_backend, es_client):
    from kb.backends.elasticsearch import ElasticsearchBackend

    es_backend.write_issues(archive())
    abandoned = f"{es_backend.alias}-items-v20000101000000000000"  # behind no alias, long ago
    newer = f"{es_backend.alias}-issues-v99990101000000000000"  # as a rebuild still running elsewhere
    for name in (abandoned, newer):
        es_client.indices.create(index=name)
    ElasticsearchBackend(es_client, alias=es_backend.alias)  # the next start
    assert not es_client.indices.exists(index=abandoned) and es_client.indices.exists(index=newer)
    es_client.indices.create(index=abandoned)
    es_backend.rebuild(archive())  # a rebuild removes the older ones at once
    assert not es_client.indices.exists(index=abandoned) and es_client.indices.exists(index=newer)
    assert es_backend.count_items() == 6
    es_client.indices.delete(index=newer)

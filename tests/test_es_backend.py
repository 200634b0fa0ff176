"""What only the Elasticsearch backend has to get right: aliases, bulk failures, settings."""
from __future__ import annotations

import uuid

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

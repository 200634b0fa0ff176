"""Scale-out proof: a 2-node cluster with a replica per shard loses a node and loses nothing.

Starts its own cluster on loopback (http 9201/9202) with scripts/elasticsearch.sh, indexes the
MLE archive through the real ingest pipeline, stops the node that is not the elected master,
and checks that every search still answers with every document.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from indexer.extract import Extractor
from indexer.pipeline import ingest
from kb.catalog import load_catalog
from kb.query import SearchQuery
from tests.conftest import shared_path, unavailable

pytestmark = [pytest.mark.corpus, pytest.mark.elasticsearch]

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "elasticsearch.sh"
PORTS = {"kb-scale-1": 9201, "kb-scale-2": 9202}
QUERIES = ["kubernetes", "model monitoring", '"feature store"', "llm OR gpt", "explainability -shap"]


def script(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def cluster():
    corpus = shared_path("corpus", "mle-newsletter")
    started = script("cluster-start", "--fresh")
    if started.returncode != 0:
        script("cluster-stop")
        unavailable(f"the 2-node cluster did not start:\n{started.stderr[-3000:]}")
    yield corpus
    script("cluster-stop")


def test_searches_survive_losing_a_node_with_no_document_lost(cluster):
    from elasticsearch import Elasticsearch

    from kb.backends.elasticsearch import ElasticsearchBackend

    hosts = [f"http://127.0.0.1:{p}" for p in PORTS.values()]
    client = Elasticsearch(hosts, request_timeout=30, retry_on_timeout=True, max_retries=3)
    backend = ElasticsearchBackend(client, alias="kbtest-scaleout", shards=2, replicas=1)
    report = ingest([cluster], backend=backend, extractor=Extractor(load_catalog()))
    assert report.failures == [] and report.issues == 379

    health = client.cluster.health(wait_for_status="green", timeout="60s")
    assert (health["status"], health["number_of_nodes"]) == ("green", 2)
    shards = client.cat.shards(index="kbtest-scaleout-items", format="json")
    for shard in {s["shard"] for s in shards}:
        copies = [s for s in shards if s["shard"] == shard]
        assert {c["prirep"] for c in copies} == {"p", "r"}
        assert len({c["node"] for c in copies}) == 2, "primary and replica live on different nodes"

    items = backend.count_items()
    before = {q: [h.item_id for h in backend.search(SearchQuery(q, limit=20)).hits] for q in QUERIES}

    master = client.cat.master(format="json")[0]["node"]
    victim = next(name for name in PORTS if name != master)
    stopped = script("stop", "--name", victim, timeout=120)
    assert stopped.returncode == 0, stopped.stderr

    survivor = Elasticsearch(f"http://127.0.0.1:{PORTS[master]}", request_timeout=30)
    health = survivor.cluster.health(wait_for_nodes="1", wait_for_status="yellow", timeout="60s")
    assert health["number_of_nodes"] == 1 and health["unassigned_shards"] > 0
    after = ElasticsearchBackend(survivor, alias="kbtest-scaleout")
    assert after.count_items() == items
    assert len(after.list_issues()) == 379
    for q, ids in before.items():
        assert [h.item_id for h in after.search(SearchQuery(q, limit=20)).hits] == ids, q

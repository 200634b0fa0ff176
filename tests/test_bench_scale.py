"""The scale benchmark runs end to end at 10k items on both backends (a smoke test of the
bench: what it prints and counts, never how fast)."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.bench_scale import build_parser, newsletters_for, run
from bench.synthetic import sample_profile

DATA = Path(__file__).resolve().parents[1] / "data"
ITEMS = 10_000


@pytest.fixture(scope="module")
def profile():
    return sample_profile(DATA)


def _check(result, lines: list[str]) -> None:
    assert result.items == ITEMS and result.issues > 0
    assert result.ingest_seconds > 0 and result.anchor_seconds > 0
    assert len(result.batch_ms_per_1k) == len(result.anchor_batch_ms_per_1k) == 10
    assert all(v > 0 for v in result.batch_ms_per_1k + result.anchor_batch_ms_per_1k)
    kinds = {"common word", "rare word", "2-3 words", "phrase", "entity name", "word + filter",
             "browse (filters only)", "facets only (no hits)", "trend, 3 entities by month", "entity stats",
             "co-mentions", "status", "rising/falling, two years"}
    assert kinds <= set(result.latency_ms)
    assert all(v["p50"] <= v["p95"] <= v["p99"] for v in result.latency_ms.values())
    assert "anchor_p95" in result.latency_ms["common word"]  # the bare engine ran beside us
    assert result.totals["common word"] > result.totals["rare word"] >= 0
    assert result.totals["browse (filters only)"] > 0
    assert result.store_bytes > 0 and result.anchor_bytes > 0 and result.peak_rss_mb > 0
    text = "\n".join(lines)
    assert f"{ITEMS:,} items" in text and "ratio" in text and "p95" in text


def test_the_scale_bench_runs_on_sqlite(profile, tmp_path):
    args = build_parser().parse_args(["--items", str(ITEMS), "--repeat", "1", "--quiet", "--workdir", str(tmp_path)])
    lines: list[str] = []
    result = run(args, profile, out=lines.append)
    _check(result, lines)
    assert result.newsletters == 10 == newsletters_for(ITEMS, profile)
    assert not list(tmp_path.iterdir()), "the bench removes its databases"


@pytest.mark.elasticsearch
def test_the_scale_bench_runs_on_elasticsearch(profile, es_client, tmp_path):
    from tests.conftest import ES_TEST_URL

    args = build_parser().parse_args(["--items", str(ITEMS), "--repeat", "1", "--quiet", "--backend", "elasticsearch",
                                      "--es-url", ES_TEST_URL, "--es-alias", "kbtest-scale", "--workdir", str(tmp_path)])
    lines: list[str] = []
    _check(run(args, profile, out=lines.append), lines)
    assert not es_client.indices.get(index="kbtest-scale*"), "the bench drops its indices"


def test_more_newsletters_keep_a_large_archive_within_twenty_years(profile):
    per_issue = sum(profile.items_per_issue) / len(profile.items_per_issue)
    n = newsletters_for(1_000_000, profile)
    assert n > 10 and 1_000_000 / (per_issue * n) / 52 <= 20

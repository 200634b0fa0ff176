"""Both backends on an archive larger than the facet sample (issue 11): counts of many items
are estimated, marked, and close to the truth counted from the issues themselves; a caller
asking for every value gets them exact."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.synthetic import sample_profile, synthetic_issues
from kb.backends.base import EXACT_FACETS_FROM, FACET_SAMPLE
from kb.query import Filters, SearchQuery

DATA = Path(__file__).resolve().parents[1] / "data"
ITEMS = 3 * FACET_SAMPLE


@pytest.fixture(scope="module")
def issues():
    return list(synthetic_issues(sample_profile(DATA), ITEMS, newsletters=4))


def test_facets_of_many_items_are_estimated_and_close(kb_backend, issues):
    with kb_backend.bulk_load():
        for n in range(0, len(issues), 200):
            kb_backend.write_issues(issues[n : n + 200])
    truth: dict[str, set[str]] = {}
    for issue in issues:
        for item in issue.items:
            for m in item.mentions:
                if m.type != "TOPIC":
                    truth.setdefault(m.entity_id, set()).add(item.id)
    sampled = kb_backend.search(SearchQuery("", limit=0, facet_size=10)).facets
    exact = kb_backend.search(SearchQuery("", limit=0, facet_size=EXACT_FACETS_FROM)).facets
    assert sampled["entity"] and all(v.estimated for v in sampled["entity"])
    assert not any(v.estimated for v in exact["entity"])
    for value in exact["entity"][:10]:
        assert value.count == len(truth[value.value])
    share = FACET_SAMPLE / ITEMS  # of the items a sampled count reads
    for value in sampled["entity"][:5]:
        n = len(truth[value.value])
        # within four standard errors of a count estimated from that share (a fixed 15 % was
        # about 2.5 of them, and the top values of a sample are those it overestimated)
        assert abs(value.count - n) <= 4 * (n * (1 - share) / share) ** 0.5, (value, n)
    few = kb_backend.search(SearchQuery("", limit=0, facet_size=10, filters=_one_issue(issues))).facets
    assert few["entity"] and not any(v.estimated for v in few["entity"])
    half = kb_backend.search(SearchQuery("", limit=0, facet_size=10, filters=Filters(publications=_two_of(issues))))
    assert FACET_SAMPLE < half.total < 2 * FACET_SAMPLE and half.facets["entity"]  # any share of a sample works


def _one_issue(issues) -> Filters:
    first = issues[0]
    return Filters(publications=(first.publication,), issue_from=first.number, issue_to=first.number)


def _two_of(issues) -> tuple[str, ...]:
    """Two of the four newsletters: about half the archive, between one and two samples' worth."""
    return tuple(sorted({i.publication for i in issues})[:2])

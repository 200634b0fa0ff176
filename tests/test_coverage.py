"""The editors' coverage check on the hand-made archive and the real catalog."""
from __future__ import annotations

from datetime import date

import pytest

from indexer.extract import Extractor
from kb.backends.sqlite import SQLiteBackend
from kb.catalog import load_catalog
from kb.coverage import check_coverage, draft_links, text_overlap, title_similarity
from kb.service import QueryService
from tests.test_backend_contract import archive


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_catalog())


@pytest.fixture
def service(tmp_path, extractor) -> QueryService:
    backend = SQLiteBackend(tmp_path / "kb.sqlite3")
    backend.write_issues(archive())
    yield QueryService(backend, extractor.catalog)
    backend.close()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/jurassic",
        "http://www.example.org/jurassic/",
        "https://example.org/jurassic?utm_source=newsletter&utm_medium=email",
        "example.org/jurassic#comments",
    ],
)
def test_the_same_link_however_written_is_reported_with_its_issue(service, extractor, url):
    report = check_coverage(service, extractor, url=url)
    first = report.duplicates[0]
    assert first.kind == "same-url"
    assert (first.hit.issue_number, first.hit.title) == (1, "Announcing Jurassic-1 Language Models")
    # Issue 2 only links to it in its text: reported too, after the item that ran it.
    assert [(d.kind, d.hit.issue_number) for d in report.duplicates[1:]] == [("linked-url", 2)]


def test_a_link_in_the_draft_text_is_checked_too(service, extractor):
    report = check_coverage(service, extractor, title="Jurassic, again",
                            text="More at https://www.example.org/jurassic/. Worth a read.")
    assert report.links == ("https://www.example.org/jurassic/",)
    assert any(d.kind == "same-url" and d.hit.issue_number == 1 for d in report.duplicates)


def test_a_near_identical_title_is_a_near_duplicate(service, extractor):
    report = check_coverage(service, extractor, title="Announcing the Jurassic-1 language models!")
    assert [(d.kind, d.hit.issue_number) for d in report.duplicates] == [("near-duplicate", 1)]
    assert "title" in report.duplicates[0].reason
    best = report.similar[0]
    assert best.hit.title == "Announcing Jurassic-1 Language Models"
    assert best.title_similarity == 1.0 and 0 < best.score <= 1


def test_the_same_wording_under_another_title_is_a_near_duplicate(service, extractor):
    report = check_coverage(
        service, extractor, title="Inside Tesla's new chip",
        text="This post dives into Tesla's D1 Dojo chip, built to perform AI calculations fast and big.",
    )
    assert [(d.kind, d.hit.title) for d in report.duplicates] == [("near-duplicate", "Tesla Dojo chip design")]
    assert "wording" in report.duplicates[0].reason


def test_a_new_story_has_no_warning_but_entities_with_their_last_coverage(service, extractor):
    report = check_coverage(
        service, extractor, title="OpenAI opens a research lab in Tokyo",
        text="The GPT-3 maker will hire researchers for multilingual models.",
    )
    assert report.duplicates == ()
    found = {e.entity_id: e for e in report.entities}
    openai, gpt3 = found["openai"], found["gpt-3"]
    assert (openai.name, openai.type, openai.in_catalog) == ("OpenAI", "ORG", True)
    assert openai.items == 2
    assert (openai.last.number, openai.last.date) == (2, date(2021, 9, 2))
    assert (openai.first.number, gpt3.last.number) == (1, 2)
    assert report.similar and all(0 <= s.score <= 1 for s in report.similar)
    assert report.similar[0].hit.title == "GPT-3 powers a new writing assistant"


def test_a_name_outside_the_catalog_is_flagged_new(service, extractor):
    report = check_coverage(
        service, extractor, title="Zorblax Robotics unveils a warehouse robot",
        text="Zorblax Robotics, a startup from Lyon, showed its first robot this week.",
    )
    new = {e.name: e for e in report.new_entities}
    assert "Zorblax Robotics" in new
    zorblax = new["Zorblax Robotics"]
    assert zorblax.entity_id.startswith("new:") and zorblax.is_new
    assert (zorblax.items, zorblax.last, zorblax.mentions) == (0, None, 2)
    assert all(not e.is_new for e in report.entities if e.entity_id == "tesla")


def test_an_empty_draft_gives_an_empty_report(service, extractor):
    report = check_coverage(service, extractor, title="  ", text="", url=" ")
    assert report.is_empty
    assert (report.entities, report.similar, report.duplicates) == ((), (), ())


def test_similarity_measures():
    assert title_similarity("Announcing Jurassic-1 Language Models", "announcing the JURASSIC-1 language models") == 1.0
    assert title_similarity("Tesla Dojo chip design", "Tesla Dojo chip delayed") < 0.8
    assert title_similarity("", "anything") == 0.0
    assert text_overlap("graph neural networks at scale", "graph neural networks at scale") == 1.0
    assert text_overlap("graph neural networks", "reinforcement learning course") == 0.0
    assert draft_links("", "see https://a.org/x, and http://www.a.org/x/ again") == ("https://a.org/x",)


def test_a_similar_item_is_ordered_by_its_stronger_measure_and_says_why():
    from kb.coverage import SimilarItem

    hit = object()
    by_title = SimilarItem(hit, score=0.2, title_similarity=0.9, shared_names=("Meta", "Llama 4"), shared_words=("released",))
    by_words = SimilarItem(hit, score=0.5, title_similarity=0.1)
    assert (by_title.similarity, by_words.similarity) == (0.9, 0.5)
    assert by_title.why == "title 90% alike · both name Meta, Llama 4 · shared words: released"
    assert by_words.why == "words 50% alike"

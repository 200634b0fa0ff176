"""One contract, every backend: what readers, editors and analysts rely on.

Issues are built by hand here so the contract does not depend on the parsers or the catalog.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kb.backends.base import TREND_TYPES, Backend, FacetValue, IssueRef
from kb.curation import aggregate_candidates
from kb.models import Issue, Item, Mention
from kb.query import Filters, SearchQuery


def mention(text: str, body: str, type_: str, entity_id: str, field: str = "text") -> Mention:
    start = body.index(text)
    return Mention(start, start + len(text), text, type_, entity_id, field)


def item(
    title: str,
    text: str,
    section: str | None,
    *ents: tuple[str, str, str],
    url: str | None = None,
    links: tuple[str, ...] = (),
) -> Item:
    mentions = []
    for surface, type_, entity_id in ents:
        if surface in title:
            mentions.append(mention(surface, title, type_, entity_id, "title"))
        if surface in text:
            mentions.append(mention(surface, text, type_, entity_id))
    return Item(title=title, text=text, url=url, section=section, mentions=tuple(mentions), links=links)


def archive() -> list[Issue]:
    one = Issue(
        publication="Test Weekly",
        source="one.txt",
        number=1,
        title="Test Weekly #1",
        date=date(2021, 8, 19),
        items=(
            item(
                "Announcing Jurassic-1 Language Models",
                "AI21 Labs trains a massive language model to rival OpenAI's GPT-3.",
                None,
                ("Jurassic-1", "MODEL", "jurassic-1"),
                ("AI21 Labs", "ORG", "ai21-labs"),
                ("OpenAI", "ORG", "openai"),
                ("GPT-3", "MODEL", "gpt-3"),
                url="https://example.org/jurassic",
            ),
            item(
                "Tesla Dojo chip design",
                "This post dives into Tesla's D1 Dojo chip built to perform AI calculations <fast & big>.",
                "Mobile & Edge",
                ("Tesla", "ORG", "tesla"),
                ("Dojo", "HARDWARE", "dojo"),
            ),
            item(
                "A Gentle Introduction to Graph Neural Networks",
                "An illustrated introduction to graph neural networks and their applications.",
                "Learning",
                ("Graph Neural Networks", "TOPIC", "graph-neural-networks"),
            ),
        ),
    ).with_ids()
    two = Issue(
        publication="Test Weekly",
        source="two.txt",
        number=2,
        title="Test Weekly #2",
        date=date(2021, 9, 2),
        items=(
            item(
                "GPT-3 powers a new writing assistant",
                "OpenAI says large language models now write marketing copy.",
                None,
                ("GPT-3", "MODEL", "gpt-3"),
                ("OpenAI", "ORG", "openai"),
                url="https://example.org/copywriter?id=7",
                links=("http://www.Example.org/jurassic/?utm_source=newsletter#comments",),
            ),
            item(
                "Reinforcement learning course materials",
                "Lecture notes and videos for a reinforcement learning course, with code in PyTorch and Quokkaflow.",
                "Learning",
                ("PyTorch", "PRODUCT", "pytorch"),
                ("Quokkaflow", "PRODUCT", "new:quokkaflow"),
                ("reinforcement learning", "TOPIC", "reinforcement-learning"),
            ),
        ),
    ).with_ids()
    three = Issue(
        publication="Test Weekly",
        source="three.txt",
        number=3,
        title="Test Weekly #3",
        date=date(2022, 1, 13),
        date_estimated=True,
        items=(
            item(
                "Scaling graph neural networks in production",
                "How a maps team serves graph neural networks for ETA prediction, survey included. Trained with Quokkaflow.",
                "Papers & Publications",
                ("graph neural networks", "TOPIC", "graph-neural-networks"),
                ("Quokkaflow", "PRODUCT", "new:quokkaflow"),
            ),
        ),
    ).with_ids()
    return [one, two, three]


@pytest.fixture
def backend(kb_backend: Backend) -> Backend:
    kb_backend.write_issues(archive())
    return kb_backend


def titles(backend: Backend, text: str, **kw) -> list[str]:
    return [h.title for h in backend.search(SearchQuery(text, **kw)).hits]


def test_search_ranks_the_title_match_first(backend):
    assert titles(backend, "Jurassic")[0] == "Announcing Jurassic-1 Language Models"


def test_search_is_case_insensitive_and_handles_hyphenated_names(backend):
    assert set(titles(backend, "gpt-3")) == {
        "Announcing Jurassic-1 Language Models",
        "GPT-3 powers a new writing assistant",
    }


def test_phrase_needs_the_words_together(backend):
    assert set(titles(backend, '"language models"')) == {
        "Announcing Jurassic-1 Language Models",
        "GPT-3 powers a new writing assistant",
    }
    assert titles(backend, '"models language"') == []


def test_exclusion_and_or(backend):
    assert titles(backend, "graph -survey") == ["A Gentle Introduction to Graph Neural Networks"]
    assert set(titles(backend, "Dojo OR PyTorch")) == {
        "Tesla Dojo chip design",
        "Reinforcement learning course materials",
    }


def test_only_exclusions_returns_everything_else(backend):
    assert len(titles(backend, "-graph", limit=50)) == 4


def test_snippets_are_escaped_and_highlighted(backend):
    hit = backend.search(SearchQuery("Dojo")).hits[0]
    assert "<mark>Dojo</mark>" in hit.snippet
    assert "Tesla's D1" in hit.snippet  # quotes stay readable; only <, > and & are escaped
    assert "<mark>Dojo</mark>" in hit.title_html
    assert "&lt;fast &amp; big&gt;" in hit.snippet


def test_hits_carry_issue_metadata_and_entities(backend):
    hit = backend.search(SearchQuery("Jurassic")).hits[0]
    assert (hit.issue_number, hit.date, hit.section) == (1, date(2021, 8, 19), None)
    assert hit.url == "https://example.org/jurassic"
    assert ("ai21-labs", "ORG") in hit.entities and ("gpt-3", "MODEL") in hit.entities


def test_filters_entity_type_section_dates_and_issue_range(backend):
    assert titles(backend, "", filters=Filters(entities=("openai",)), sort="date") == [
        "GPT-3 powers a new writing assistant",
        "Announcing Jurassic-1 Language Models",
    ]
    assert titles(backend, "", filters=Filters(entity_types=("HARDWARE",))) == ["Tesla Dojo chip design"]
    assert titles(backend, "", filters=Filters(sections=("Learning",)), sort="date") == [
        "Reinforcement learning course materials",
        "A Gentle Introduction to Graph Neural Networks",
    ]
    assert titles(backend, "graph", filters=Filters(date_from=date(2022, 1, 1))) == [
        "Scaling graph neural networks in production"
    ]
    assert len(titles(backend, "", filters=Filters(issue_from=2, issue_to=2))) == 2
    assert titles(backend, "", filters=Filters(topics=("reinforcement-learning",))) == [
        "Reinforcement learning course materials"
    ]


def test_facet_counts(backend):
    facets = backend.search(SearchQuery("")).facets
    assert {(f.value, f.count) for f in facets["entity"]} >= {("openai", 2), ("gpt-3", 2), ("tesla", 1)}
    assert dict((f.value, f.count) for f in facets["type"])["MODEL"] == 2
    assert dict((f.value, f.count) for f in facets["topic"])["graph-neural-networks"] == 2
    assert dict((f.value, f.count) for f in facets["section"]) == {
        "Learning": 2,
        "Mobile & Edge": 1,
        "Papers & Publications": 1,
    }
    assert dict((f.value, f.count) for f in facets["year"]) == {"2021": 5, "2022": 1}


@pytest.mark.parametrize("period", [
    (date(2021, 1, 1), date(2021, 12, 31)),
    (date(2021, 9, 1), date(2022, 12, 31)),
    (date(2021, 8, 19), date(2021, 8, 19)),  # one day: both ends included
    (date(2023, 1, 1), date(2023, 12, 31)),  # nothing in it
    (None, date(2021, 8, 31)),  # one end open
    (None, None),  # the whole archive
])
def test_entity_counts_of_a_period_are_its_exact_entity_and_topic_facets(backend, period):
    facets = backend.search(SearchQuery("", Filters(date_from=period[0], date_to=period[1]), facet_size=1000)).facets
    expected = {f.value: f.count for name in ("entity", "topic") for f in facets.get(name, ())}
    assert backend.entity_counts(*period) == expected
    if period == (date(2021, 1, 1), date(2021, 12, 31)):
        assert expected["openai"] == 2 and expected["graph-neural-networks"] == 1


def test_entity_counts_without_dates_count_undated_issues_too(backend):
    undated = replace(archive()[0], source="undated.txt", number=9, date=None).with_ids()
    backend.write_issues([undated])
    whole = backend.entity_counts()
    assert whole["openai"] == backend.entity_counts(date(2021, 1, 1), date(2022, 12, 31))["openai"] + 1
    facets = backend.search(SearchQuery("", facet_size=1000)).facets
    assert whole == {f.value: f.count for name in ("entity", "topic") for f in facets.get(name, ())}


def test_issue_leads_and_summaries_for_issue_lists(backend):
    assert backend.issue_leads() == {issue.id: issue.items[0].title for issue in archive()}
    with_summary = replace(archive()[0], summary="Jurassic-1, Dojo and graph networks").with_ids()
    backend.write_issues([with_summary])
    listed = {s.id: s.summary for s in backend.list_issues()}
    assert listed[with_summary.id] == "Jurassic-1, Dojo and graph networks"
    assert listed[archive()[1].id] == ""


def test_total_counts_all_matches_not_just_the_page(backend):
    results = backend.search(SearchQuery("", limit=2))
    assert results.total == 6 and len(results.hits) == 2


def test_trend_per_month_counts_items_and_keeps_empty_periods(backend):
    points = backend.trend(["gpt-3", "graph-neural-networks"], "month")
    gpt = {p.period: (p.items, p.total) for p in points if p.key == "gpt-3"}
    assert gpt == {"2021-08": (1, 3), "2021-09": (1, 2), "2022-01": (0, 1)}
    gnn = {p.period: p.items for p in points if p.key == "graph-neural-networks"}
    assert gnn == {"2021-08": 1, "2021-09": 0, "2022-01": 1}


def test_trend_per_issue_week_quarter_and_year(backend):
    per_issue = backend.trend(["openai"], "issue")
    assert [(p.issue_number, p.items) for p in per_issue] == [(1, 1), (2, 1), (3, 0)]
    assert per_issue[2].date_estimated
    assert [p.period for p in backend.trend(["openai"], "week")] == ["2021-08-16", "2021-08-30", "2022-01-10"]
    assert [(p.period, p.items) for p in backend.trend(["openai"], "quarter")] == [("2021-Q3", 2), ("2022-Q1", 0)]
    assert [(p.period, p.items) for p in backend.trend(["openai"], "year")] == [("2021", 2), ("2022", 0)]


def test_reingesting_the_same_issues_changes_nothing(backend):
    report = backend.write_issues(archive())
    assert (report.written, report.unchanged) == (0, 3)
    assert backend.count_items() == 6


def test_an_edited_issue_replaces_the_old_one(backend):
    first = archive()[0]
    edited = replace(first, items=first.items[:1], fingerprint="").with_ids()
    report = backend.write_issues([edited])
    assert report.written == 1
    assert backend.count_items() == 4
    assert titles(backend, "Dojo") == []
    stored = backend.get_issue(first.id)
    assert stored is not None and [i.title for i in stored.items] == ["Announcing Jurassic-1 Language Models"]


def test_get_issue_round_trips_items_and_mentions(backend):
    original = archive()[0]
    stored = backend.get_issue(original.id)
    assert stored == original


def test_delete_removes_an_issue_everywhere(backend):
    issue_id = archive()[1].id
    assert backend.delete_issue(issue_id)
    assert not backend.delete_issue(issue_id)
    assert titles(backend, "PyTorch") == []
    assert [s.number for s in backend.list_issues()] == [1, 3]
    assert {p.period for p in backend.trend(["openai"], "month")} == {"2021-08", "2022-01"}


def test_list_issues_and_known_dates(backend):
    summaries = backend.list_issues("Test Weekly")
    assert [(s.number, s.items) for s in summaries] == [(1, 3), (2, 2), (3, 1)]
    assert backend.known_dates("Test Weekly") == {1: date(2021, 8, 19), 2: date(2021, 9, 2)}


def test_user_input_never_breaks_the_query_syntax(backend):
    for text in ['"', "AND", "NOT", "(", "*", "gpt-3)", 'a"b', "NEAR(x y)", "-", "OR"]:
        backend.search(SearchQuery(text))  # must not raise
    assert titles(backend, "(Dojo)") == ["Tesla Dojo chip design"]
    assert titles(backend, "dojo*") == ["Tesla Dojo chip design"]


def test_rebuild_replaces_the_archive(backend):
    report = backend.rebuild(archive()[:1])
    assert report.written == 1
    assert [s.number for s in backend.list_issues()] == [1]
    assert titles(backend, "PyTorch") == []
    assert titles(backend, "Jurassic") == ["Announcing Jurassic-1 Language Models"]


def test_readers_see_the_old_archive_until_a_rebuild_completes(backend):
    seen_during: list[int] = []

    def issues():
        yield archive()[0]
        seen_during.append(backend.search(SearchQuery("")).total)
        yield archive()[1]

    backend.rebuild(issues())
    assert seen_during == [6], "mid-rebuild, searches still answer from the complete old archive"
    assert backend.search(SearchQuery("")).total == 5


def test_a_failed_rebuild_leaves_the_old_archive(backend):
    def broken():
        yield archive()[0]
        raise RuntimeError("source went away")

    with pytest.raises(RuntimeError):
        backend.rebuild(broken())
    assert backend.search(SearchQuery("")).total == 6
    assert [s.number for s in backend.list_issues()] == [1, 2, 3]


def test_similar_items_to_a_stored_item_and_to_a_draft(backend):
    gentle = next(i for i in archive()[0].items if i.title.startswith("A Gentle"))
    similar = backend.similar(gentle.id, limit=3)
    assert similar and similar[0].title == "Scaling graph neural networks in production"
    assert gentle.id not in [h.item_id for h in similar]
    draft = backend.similar(text="Graph neural networks for arrival time prediction in maps", limit=3)
    assert draft[0].title in {
        "Scaling graph neural networks in production",
        "A Gentle Introduction to Graph Neural Networks",
    }
    assert backend.similar(text="") == []


def test_significant_entities_of_a_foreground(backend):
    found = backend.significant(Filters(entities=("openai",)), min_count=2)
    assert [s.key for s in found] == ["gpt-3"]
    assert (found[0].foreground, found[0].background) == (2, 2)
    assert found[0].score > 0


def test_suggest_entity_names_by_prefix(backend):
    assert [(s.entity_id, s.type, s.text) for s in backend.suggest("Jur")] == [("jurassic-1", "MODEL", "Jurassic-1")]
    assert "gpt-3" in [s.entity_id for s in backend.suggest("gpt")]
    assert backend.suggest("zzz") == [] and backend.suggest("  ") == []


def test_candidates_outside_the_catalog_are_listed_with_first_and_last_issue(backend):
    (quokka,) = aggregate_candidates(backend.candidate_rows())
    assert (quokka.entity_id, quokka.name, quokka.type, quokka.items) == ("new:quokkaflow", "Quokkaflow", "PRODUCT", 2)
    assert (quokka.first.number, quokka.last.number) == (2, 3)
    assert quokka.examples == ("Trained with Quokkaflow.", quokka.examples[1])
    assert "PyTorch and Quokkaflow" in quokka.examples[1]


def test_new_names_are_shown_as_written_not_as_ids(backend):
    assert backend.candidate_names() == {"new:quokkaflow": "Quokkaflow"}
    from kb.catalog import load_catalog
    from kb.service import QueryService

    service = QueryService(backend, load_catalog())
    assert service.name_of("new:quokkaflow") == "Quokkaflow"
    assert service.name_of("openai") == "OpenAI"


# -- entity page, coverage check, dashboards, did-you-mean ---------------------------------------
ISSUE_1 = IssueRef("test-weekly-1", 1, date(2021, 8, 19), False)
ISSUE_2 = IssueRef("test-weekly-2", 2, date(2021, 9, 2), False)
ISSUE_3 = IssueRef("test-weekly-3", 3, date(2022, 1, 13), True)


def test_entity_stats_count_items_mentions_and_first_and_last_issue(backend):
    gnn = backend.entity_stats("graph-neural-networks")
    assert (gnn.items, gnn.mentions) == (2, 3), "title and text mentions both count"
    assert (gnn.first, gnn.last) == (ISSUE_1, ISSUE_3)
    openai = backend.entity_stats("openai")
    assert (openai.items, openai.mentions, openai.first, openai.last) == (2, 2, ISSUE_1, ISSUE_2)
    assert backend.entity_stats("new:quokkaflow").first == ISSUE_2
    assert backend.entity_stats("nobody") is None


def test_entity_stats_put_undated_issues_after_dated_ones(backend):
    undated = Issue(
        publication="Test Weekly",
        source="undated.txt",
        items=(item("OpenAI ships an API", "OpenAI opens its API.", None, ("OpenAI", "ORG", "openai")),),
    ).with_ids()
    backend.write_issues([undated])
    openai = backend.entity_stats("openai")
    assert (openai.items, openai.mentions, openai.first, openai.last) == (3, 4, ISSUE_1, ISSUE_2)
    backend.delete_issue(ISSUE_1.id)
    backend.delete_issue(ISSUE_2.id)
    only = backend.entity_stats("openai")
    assert only.first == only.last == IssueRef(undated.id, None, None, False)


def test_entity_stats_follow_deletes(backend):
    backend.delete_issue(ISSUE_3.id)
    gnn = backend.entity_stats("graph-neural-networks")
    assert (gnn.items, gnn.mentions, gnn.first, gnn.last) == (1, 1, ISSUE_1, ISSUE_1)


def test_co_mentions_rank_by_shared_items_then_id_without_the_entity_itself(backend):
    assert backend.co_mentions("openai") == [
        FacetValue("gpt-3", 2),
        FacetValue("ai21-labs", 1),
        FacetValue("jurassic-1", 1),
    ]
    assert backend.co_mentions("new:quokkaflow", size=2) == [
        FacetValue("graph-neural-networks", 1),
        FacetValue("pytorch", 1),
    ], "topics count too; ties go by id"
    assert backend.co_mentions("nobody") == []


def test_items_with_url_match_however_the_link_was_written(backend):
    found = backend.items_with_url("HTTPS://example.org/jurassic/?utm_campaign=x")
    assert [h.title for h in found] == [
        "GPT-3 powers a new writing assistant",  # a link in its text, newest first
        "Announcing Jurassic-1 Language Models",  # its own link
    ]
    assert found[1].url == "https://example.org/jurassic" and found[1].issue_number == 1
    assert [h.title for h in backend.items_with_url("example.org/copywriter?id=7&utm_medium=email")] == [
        "GPT-3 powers a new writing assistant"
    ]
    assert backend.items_with_url("https://example.org/copywriter?id=8") == []
    assert backend.items_with_url("https://example.org/jurassic/comments") == []


def test_did_you_mean_corrects_unknown_words_with_indexed_ones(backend):
    assert backend.did_you_mean("graph nueral netwroks") == "graph neural networks"
    assert backend.did_you_mean("Jurasic").casefold() == "jurassic"
    assert backend.did_you_mean('"Jurasic models" -teslla').casefold() == '"jurassic models" -tesla'


def test_did_you_mean_is_none_when_every_word_exists_or_nothing_is_close(backend):
    assert backend.did_you_mean("graph neural networks") is None
    assert backend.did_you_mean("Tesla OR PyTorch") is None
    assert backend.did_you_mean("xylophone") is None
    assert backend.did_you_mean("") is None


def test_type_trend_counts_items_per_entity_type_like_trend(backend):
    points = backend.trend(TREND_TYPES, "quarter", by="type")
    assert {p.key for p in points} == set(TREND_TYPES) and "TOPIC" not in TREND_TYPES
    table = {(p.key, p.period): (p.items, p.total) for p in points if p.items}
    assert table == {
        ("ORG", "2021-Q3"): (3, 5),
        ("MODEL", "2021-Q3"): (2, 5),
        ("HARDWARE", "2021-Q3"): (1, 5),
        ("PRODUCT", "2021-Q3"): (1, 5),
        ("PRODUCT", "2022-Q1"): (1, 1),
    }
    shape = [(p.period, p.period_start, p.total) for p in backend.trend(["openai"], "quarter")]
    assert [(p.period, p.period_start, p.total) for p in points if p.key == "ORG"] == shape


def test_type_trend_per_issue_with_filters(backend):
    points = backend.trend(TREND_TYPES, "issue", Filters(sections=("Learning",)), by="type")
    products = [(p.period, p.issue_number, p.items, p.total) for p in points if p.key == "PRODUCT"]
    assert products == [("test-weekly-1", 1, 0, 1), ("test-weekly-2", 2, 1, 1)]


def test_clear_empties_every_view_and_the_store_takes_writes_again(backend):
    before = backend.entity_stats("tesla")
    backend.clear()
    assert backend.search(SearchQuery("")).total == 0
    assert backend.search(SearchQuery("graph neural networks")).total == 0
    assert backend.count_items() == 0 and backend.count_issues() == 0
    assert backend.list_issues() == [] and backend.fingerprints() == {}
    assert backend.entity_stats("tesla") is None and backend.co_mentions("tesla") == []
    assert backend.trend(["tesla"], "month") == [] and backend.suggest("Tes") == []
    assert backend.candidate_names() == {}
    report = backend.write_issues(archive())
    assert report.written == 3 and backend.count_items() == 6  # nothing left over blocks a rewrite
    assert backend.entity_stats("tesla") == before


def test_the_generation_moves_with_every_write_and_only_then(backend):
    import time

    from dataclasses import replace as changed

    def settled() -> str:  # Elasticsearch: a write moves it again once refreshed (at most ~1 s)
        before = backend.generation()
        time.sleep(0.05)
        return before

    start = settled()
    backend.search(SearchQuery("tesla"))
    backend.entity_stats("tesla")
    assert backend.generation() == start, "reads change nothing"
    first = archive()[0]
    backend.write_issues([changed(first, fingerprint="edited", items=first.items[:1])])
    after_write = backend.generation()
    assert after_write != start
    backend.delete_issue(first.id)
    assert backend.generation() not in (start, after_write)
    before_clear = backend.generation()
    backend.clear()
    assert backend.generation() != before_clear

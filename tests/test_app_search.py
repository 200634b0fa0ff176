"""The search page, headless: the URL holds the whole search; widgets read and write it."""
from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from kb.backends.sqlite import SQLiteBackend
from kb.query import Filters, SearchQuery
from tests.test_app import APP, markdown_text
from tests.test_backend_contract import archive
from tests.test_search_box import carried
from ui.render import HIT_RULE
from ui.state import get_kb, settings
from ui.search_state import SearchState, resolve_names


def search(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def params(at: AppTest) -> dict[str, str]:
    return {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}


def pills(at: AppTest, label: str):
    return next(p for p in at.get("button_group") if p.label == label)


def count_line(at: AppTest) -> str:
    return next(c.value for c in at.caption if " · showing " in c.value)


def hit_titles(at: AppTest) -> list[str]:
    blocks = [b for m in at.markdown for b in m.value.split(HIT_RULE)]
    return [b.split("**")[1] for b in blocks if b.startswith("**")]


# -- the state, on its own ---------------------------------------------------------------------
def test_state_round_trips_through_the_url():
    url = {"q": "graph", "entity": "tesla,openai", "type": "MODEL", "section": "Learning",
           "year": "2021", "sort": "date", "page": "3"}
    state = SearchState.from_params(url)
    assert state.to_params() == url
    assert state.filters() == Filters(
        entities=("tesla", "openai"), entity_types=("MODEL",), sections=("Learning",),
        date_from=date(2021, 1, 1), date_to=date(2021, 12, 31),
    )


def test_state_ignores_bad_values_and_changes_go_back_to_page_one():
    state = SearchState.from_params({"q": " x ", "sort": "sideways", "page": "-4", "year": "twenty"})
    assert (state.q, state.sort, state.page, state.years) == ("x", "relevance", 1, ())
    paged = state.with_page(3)
    assert paged.toggle("type", "ORG").page == 1 and paged.with_query("y").page == 1
    assert paged.toggle("type", "ORG").toggle("type", "ORG").types == ()
    assert SearchState(q="a", types=("ORG",), sort="date").without_filters() == SearchState(q="a", sort="date")


def test_years_span_and_a_filters_only_search_lists_newest_first():
    state = SearchState(years=("2022", "2021"), date_to=date(2021, 6, 30))
    assert (state.filters().date_from, state.filters().date_to) == (date(2021, 1, 1), date(2021, 6, 30))
    assert state.query(10).sort == "date" and SearchState(q="x").query(10).sort == "relevance"


def test_resolve_names_keeps_order_and_reports_unknown():
    known = {"OpenAI": "openai", "tesla": "tesla"}
    assert resolve_names(["OpenAI", "nope", "tesla", "OpenAI"], known.get) == (["openai", "tesla"], ["nope"])


# -- the page --------------------------------------------------------------------------------
def test_typing_a_query_updates_results_and_url(app_env):
    at = search()
    at.text_input[0].input("Dojo").run()
    assert not at.exception
    assert "Tesla <mark>Dojo</mark>" in markdown_text(at)
    assert params(at) == {"q": "Dojo"}


def test_no_results_says_what_to_do(app_env):
    at = search(q="zzzqqqxxx")
    assert not at.exception
    assert any("No items match" in w.value for w in at.warning)


def test_a_shared_link_restores_query_facets_sort_and_page(app_env):
    at = search(q="learning", type="MODEL", sort="date")
    assert not at.exception
    assert at.text_input[0].value == "learning"
    assert pills(at, "Types").value == ["MODEL"]
    assert pills(at, "Sort by").value == "date"
    assert count_line(at).startswith("3 items")  # "learn" in any form: learning, learn
    assert hit_titles(at) == ["PonderNet: <mark>Learning</mark> to Ponder",
                              "Vision Transformer with Progressive Sampling",
                              "ETA Prediction with Graph Neural Networks in Google Maps"]


def test_a_misspelling_is_corrected_and_the_words_as_typed_are_one_click_away(app_env):
    at = search(q="jurasic")
    assert not at.exception
    assert "Showing results for **jurassic**" in markdown_text(at)
    assert "AI21 Studio" in markdown_text(at)
    back = next(b for b in at.button if "Search instead for" in b.label)
    back.click().run()
    assert not at.exception
    assert params(at) == {"q": "jurasic", "exact": "1"}
    assert any("No items match" in w.value for w in at.warning)
    button = next(b for b in at.button if "Did you mean" in b.label)
    assert "jurassic" in button.label
    button.click().run()
    assert not at.exception
    assert params(at) == {"q": "jurassic"}
    assert at.text_input[0].value == "jurassic"
    assert "AI21 Studio" in markdown_text(at)


def test_a_result_links_to_its_issue(app_env):
    at = search(q="Jurassic")
    assert not at.exception
    assert "](issues?issue=deep-learning-weekly-214)" in markdown_text(at)


def test_clicking_a_facet_filters_and_clear_removes_it(app_env):
    at = search(q="learning")
    before = count_line(at)
    sections = pills(at, "Sections")
    assert any(o.startswith("Mobile & Edge · ") for o in sections.options)
    sections.set_value(["Mobile & Edge"]).run()
    assert not at.exception
    assert params(at) == {"q": "learning", "section": "Mobile & Edge"}
    assert count_line(at).startswith("1 item ·") and count_line(at) != before
    assert "Mobile &amp; Edge" in markdown_text(at) or "Mobile & Edge" in markdown_text(at)
    next(b for b in at.button if b.label == "Clear filters").click().run()
    assert params(at) == {"q": "learning"}
    assert count_line(at) == before


def test_year_facet_becomes_a_date_range(app_env):
    backend = SQLiteBackend(app_env / "kb.sqlite3")
    backend.write_issues(archive())  # issues of 2021 and 2022 (the sample issue has no date)
    backend.close()
    at = search(q="graph")
    years = pills(at, "Years")
    assert sorted(years.options) == ["2021 · 1", "2022 · 1"]
    years.set_value("2022").run()
    assert not at.exception
    assert params(at) == {"q": "graph", "year": "2022"}
    assert hit_titles(at) == ["Scaling <mark>graph</mark> neural networks in production"]


def test_years_are_listed_in_year_order_and_one_item_is_singular(app_env):
    backend = SQLiteBackend(app_env / "kb.sqlite3")
    backend.write_issues(archive())  # 5 items of 2021, 1 of 2022: by count 2021 would come first
    backend.close()
    at = search(q="")
    assert pills(at, "Years").options[:2] == ["2022 · 1", "2021 · 5"], "newest year first, whatever the counts"
    at = search(q="Dojo chip")
    assert count_line(at).startswith("1 item · "), count_line(at)


def test_results_over_time_are_bars_that_narrow_the_search_to_a_year(app_env):
    backend = SQLiteBackend(app_env / "kb.sqlite3")
    backend.write_issues(archive())  # 5 items of 2021, 1 of 2022
    backend.close()
    at = search(q="")
    bars = next(m.value for m in at.markdown if "results per year" in m.value)
    assert 'href="?year=2021" target="_self"' in bars and 'title="2021: 5 items"' in bars
    assert 'href="?year=2022"' in bars and 'title="2022: 1 item"' in bars
    assert not any("results per year" in m.value for m in search(q="Dojo chip").markdown), "one year: no chart"
    at = search(q="", year="2021")
    assert not any("results per year" in m.value for m in at.markdown), "a year chosen: no bars"


def scroll_scripts(at) -> list:
    """The page's scripts that scroll it to the top now (not the link handler, which scrolls on a click)."""
    return [h for h in at.get("html") if "scrollTo(0, 0)" in h.proto.body and "addEventListener" not in h.proto.body]


def test_paging_moves_through_results_and_a_new_query_starts_on_page_one(app_env):
    at = search()
    assert count_line(at) == "20 items in the archive, newest first · showing 1–10"
    assert not scroll_scripts(at), "an opened link is not scrolled"
    next(b for b in at.button if b.label == "Next →").click().run()
    assert not at.exception
    assert params(at) == {"page": "2"}
    assert "showing 11–20" in count_line(at)
    assert any(c.value == "Page 2 of 2" for c in at.caption)
    assert scroll_scripts(at), "a new page starts at the top"
    at.text_input[0].input("learning").run()
    assert params(at) == {"q": "learning"}


def test_entities_box_accepts_typed_names_and_warns_about_unknown_ones(app_env):
    at = search()
    at.multiselect[0].set_value(["Tesla", "reinforcement-learning"]).run()
    assert not at.exception
    assert params(at) == {"entity": "tesla", "topic": "reinforcement-learning"}  # topics go to their filter
    at = search(entity="Tesla")
    assert params(at) == {"entity": "tesla"}
    assert at.multiselect[0].value == ["tesla"]
    assert "Unique Packaging and Chip Design" in markdown_text(at)
    at = search(entity="Nosuchthing")
    assert any("Nosuchthing" in w.value for w in at.warning)
    assert "entity" not in params(at)


def test_every_result_has_entity_chips_linking_to_the_entity_page(app_env):
    at = search(q="Dojo")
    chips = [m.value for m in at.markdown if 'href="entity?entity=' in m.value]
    assert chips
    assert '<a href="entity?entity=tesla" target="_self"' in chips[0] and ">Tesla</a>" in chips[0], "the same tab"


def test_chips_list_catalog_entities_first_then_new_names_and_say_how_many_more():
    from datetime import date as _date

    from kb.backends.base import Hit
    from ui.render import entity_chips

    class Names:
        def name_of(self, entity_id):
            return {"new:zorp": "Zorp", "openai": "OpenAI", "pytorch": "PyTorch"}.get(entity_id, entity_id)

    hit = Hit(item_id="i", issue_id="s", publication="P", issue_number=1, date=_date(2024, 1, 1),
              date_estimated=False, section=None, title="t", url=None, score=1.0, snippet="", title_html="t",
              entities=(("new:zorp", "PRODUCT"), ("openai", "ORG"), ("pytorch", "PRODUCT")))
    chips = entity_chips(hit, Names(), limit=2)  # type: ignore[arg-type]
    assert chips.index("OpenAI") < chips.index("PyTorch")
    assert "Zorp" not in chips and "+1 more" in chips
    assert "new:zorp" not in entity_chips(hit, Names()).replace("entity?entity=new%3Azorp", "")  # type: ignore[arg-type]
    hostile = Hit(**{**hit.__dict__, "entities": (("new:x", "ORG"),)})
    assert "<script>" not in entity_chips(hostile, type("N", (), {"name_of": lambda self, e: "<script>x</script>"})())


def test_a_link_with_a_nul_or_thousands_of_words_answers_with_a_message(app_env):
    at = search(q="Dojo\x00")
    assert not at.exception
    assert "Tesla <mark>Dojo</mark>" in markdown_text(at)
    long = search(q="Dojo " + "filler " * 2000)
    assert not long.exception
    assert any("first 32 words" in i.value for i in long.info)
    assert "Tesla <mark>Dojo</mark>" in markdown_text(long)


def test_a_backend_that_stops_answering_is_a_message_not_a_traceback(app_env, monkeypatch):
    from kb.backends.base import BackendUnavailable
    from kb.service import QueryService

    search(q="Dojo")  # started and indexed while the backend answered

    def down(self, query):
        raise BackendUnavailable("http://es.example:9200", "Connection error")

    monkeypatch.setattr(QueryService, "search", down)
    at = search(q="Dojo supercomputer")  # not an answer the page has kept
    assert not at.exception
    assert any("did not answer" in e.value and "es.example" in e.value for e in at.error)


def test_an_ingest_from_another_process_shows_at_once(app_env):
    from dataclasses import replace as changed

    at = search(q="Dojo")
    assert "Tesla <mark>Dojo</mark>" in markdown_text(at)
    assert "Zyxwv" not in markdown_text(search(q="zyxwv"))
    other = SQLiteBackend(app_env / "kb.sqlite3")  # as `indexer ingest` in a terminal would
    issue = archive()[0]
    item = changed(issue.items[0], title="Zyxwv accelerators announced", id=None)
    other.write_issues([changed(issue, publication="Other Weekly", items=(item,), fingerprint="x").with_ids()])
    other.close()
    assert "<mark>Zyxwv</mark> accelerators announced" in markdown_text(search(q="zyxwv"))


def test_the_search_page_sends_the_archives_names_for_suggestions_and_every_page_the_link_handler(app_env):
    at = search(q="Dojo")
    scripts = [h.proto.body for h in at.get("html")]
    names = carried(next(s for s in scripts if "__kbBoxNames" in s))
    by_name = {name: (etype, items) for name, etype, items, _ in names}
    dojo = SearchQuery("", Filters(entities=("dojo",)), limit=0)
    assert by_name["Dojo"] == ("HARDWARE", get_kb(settings()).service.search(dojo).total)
    assert by_name["OpenAI"][0] == "ORG" and "Qwen" not in by_name  # Qwen: in the catalog, not in the sample
    assert [items for _, _, items, _ in names] == sorted((items for _, _, items, _ in names), reverse=True)
    assert any("__kbInPlaceLinks" in s for s in scripts)
    for page in ("entity", "trends", "issues", "coverage"):
        other = AppTest.from_file(APP, default_timeout=60)
        other.switch_page(f"ui/{page}_page.py").run()
        assert any("__kbInPlaceLinks" in h.proto.body for h in other.get("html")), page

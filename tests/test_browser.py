"""The app in a real browser: Debian's chromium driven by Playwright, as a reader would use it.

Starts `streamlit run app.py` on a free loopback port against a fresh index of the sample
issue, visits each page and looks for real content and no error element. Screenshots go to
test-artifacts/screenshots/ (printed at the end).
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from bench.bench_browser import CHROMIUM_ARGS, App
from tests.conftest import unavailable

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-artifacts" / "screenshots"


FIXTURE_ARCHIVES = ROOT / "tests" / "fixtures" / "archives"
SEVERAL = ("ai-brief", "pipeline-post", "model-drift-email")  # our own newsletters of 2024, "quantization" in all three


def serve(tmp: Path, *archives: Path):
    """The app over a fresh index of the sample issue and `archives` (folders, one newsletter each)."""
    data = tmp / "data"
    data.mkdir()
    for f in (ROOT / "data").iterdir():
        shutil.copy(f, data)
    for archive in archives:
        shutil.copytree(archive, data / archive.name)
    env = {
        **os.environ,
        "KB_BACKEND": "sqlite",
        "KB_SQLITE_PATH": str(tmp / "kb.sqlite3"),
        "KB_DATA_DIR": str(data),
        "KB_UPLOAD_DIR": str(tmp / "uploads"),
        "KB_ACCEPTED_FILE": str(tmp / "accepted.yaml"),
    }
    app = App(env, tmp / "streamlit.log")
    try:
        app.start()
    except RuntimeError:
        pytest.fail(f"streamlit did not start: {(tmp / 'streamlit.log').read_text()[-2000:]}")
    return app


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    app = serve(tmp_path_factory.mktemp("browser"))
    yield app.url
    app.stop()


@pytest.fixture(scope="module")
def several_url(tmp_path_factory):
    """Four newsletters: the sample (2021) and three of 2024, the last issue on 15 Nov 2024."""
    app = serve(tmp_path_factory.mktemp("browser-several"), *(FIXTURE_ARCHIVES / name for name in SEVERAL))
    yield app.url
    app.stop()


@pytest.fixture(scope="module")
def page(app_url):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        unavailable("no chromium on PATH (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -r requirements-dev.txt)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        yield page
        browser.close()
    print(f"\nscreenshots: {SHOTS}")


def no_errors(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_search_from_a_shared_link(page, app_url):
    page.goto(f"{app_url}/?q=Jurassic")
    page.get_by_text("Announcing AI21 Studio and Jurassic-1 Language Models").first.wait_for()
    assert page.locator("mark", has_text="Jurassic").count() >= 1
    no_errors(page)
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)


def test_typing_a_query(page, app_url):
    page.goto(f"{app_url}/")
    box = page.locator('input[aria-label="Search"]')
    box.wait_for()
    box.fill("Dojo")
    box.press("Enter")
    page.locator("mark", has_text="Dojo").first.wait_for()  # the empty box lists every item
    page.get_by_text("Unique Packaging and Chip Design").first.wait_for()
    page.wait_for_url("**q=Dojo**")
    no_errors(page)


def test_trends_chart_renders(page, app_url):
    page.goto(f"{app_url}/trends?entities=tesla,gpt-3&interval=issue")
    page.wait_for_selector(".js-plotly-plot")
    no_errors(page)
    page.screenshot(path=str(SHOTS / "trends.png"), full_page=True)


def test_candidates_and_add_issues_pages_open(page, app_url):
    for path, text in (("candidates", "Candidates"), ("add", "Add issues")):
        page.goto(f"{app_url}/{path}")
        page.get_by_role("heading", name=text).wait_for()
        no_errors(page)
        page.screenshot(path=str(SHOTS / f"{path}.png"), full_page=True)


def test_entity_page_from_a_link(page, app_url):
    page.goto(f"{app_url}/entity?entity=tesla")
    page.get_by_role("heading", name="Tesla").first.wait_for()
    page.wait_for_selector(".js-plotly-plot")
    page.get_by_text("Tesla Dojo - Unique Packaging and Chip Design").first.wait_for()
    no_errors(page)
    page.screenshot(path=str(SHOTS / "entity.png"), full_page=True)


def test_issue_browser_from_a_link(page, app_url):
    page.goto(f"{app_url}/issues?issue=deep-learning-weekly-214")
    page.get_by_text("Announcing AI21 Studio and Jurassic-1 Language Models").first.wait_for()
    no_errors(page)
    page.screenshot(path=str(SHOTS / "issues.png"), full_page=True)
    for label in ("Next →", "← Previous"):
        button = page.get_by_role("button", name=label)
        if button.count() and button.is_enabled():
            button.click()
            page.wait_for_url("**/issues?issue=*")
            no_errors(page)
    page.goto(f"{app_url}/issues")
    page.get_by_text("1 issue, newest first").wait_for()
    no_errors(page)
    page.screenshot(path=str(SHOTS / "issues-list.png"), full_page=True)


def test_a_misspelling_is_corrected_and_the_words_as_typed_are_one_click_away(page, app_url):
    page.goto(f"{app_url}/?q=jurasic")
    page.get_by_text("Showing results for").wait_for()
    page.get_by_text("Announcing AI21 Studio and Jurassic-1 Language Models").first.wait_for()
    page.screenshot(path=str(SHOTS / "search-corrected.png"), full_page=True)
    page.get_by_role("button", name=re.compile("Search instead for")).click()
    page.wait_for_url("**exact=1**")
    suggestion = page.get_by_role("button", name="Did you mean jurassic?")
    suggestion.wait_for()
    suggestion.click()
    page.get_by_text("Announcing AI21 Studio and Jurassic-1 Language Models").first.wait_for()
    page.wait_for_url("**q=jurassic**")
    no_errors(page)


def test_facets_filter_and_entity_chips_open_the_entity_page(page, app_url):
    page.goto(f"{app_url}/?q=learning")
    facet = page.get_by_role("button", name=re.compile(r"^Model · \d+$"))
    facet.wait_for()
    facet.click()
    page.wait_for_url("**type=MODEL**")
    page.get_by_text("3 items · showing 1–3").wait_for()  # "learn" in any form
    no_errors(page)
    page.screenshot(path=str(SHOTS / "search-facets.png"), full_page=True)
    assert page.locator('a[href="issues?issue=deep-learning-weekly-214"]').count() == 3  # each hit names its issue

    chip = page.locator('a[href^="entity?entity="]').first
    tabs = len(page.context.pages)
    page.evaluate("() => { window.__sameDocument = true; }")
    chip.click()  # in the same tab (Streamlit's own Markdown links open a new one)
    page.wait_for_url("**/entity?entity=**")
    page.locator('[data-testid="stMetric"]').first.wait_for()
    assert len(page.context.pages) == tabs
    assert page.evaluate("() => window.__sameDocument") is True  # changed page in place: no reload
    assert page.get_by_role("heading", name="Learning").count() == 0  # nothing left of the search page
    no_errors(page)

    page.go_back()  # the browser's history holds the search
    page.wait_for_url("**type=MODEL**")
    page.get_by_text("3 items · showing 1–3").wait_for()
    assert page.evaluate("() => window.__sameDocument") is True

    # a hit's issue: a Markdown link, which Streamlit would open in a new tab
    page.locator('a[href="issues?issue=deep-learning-weekly-214"]').first.click()
    page.wait_for_url("**/issues?issue=deep-learning-weekly-214")
    page.get_by_role("heading", name=re.compile("Deep Learning Weekly")).first.wait_for()
    assert len(page.context.pages) == tabs and page.evaluate("() => window.__sameDocument") is True
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Trends").click()  # Streamlit's own menu still works
    page.wait_for_url("**/trends**")
    page.get_by_role("heading", name="Trends").first.wait_for()
    no_errors(page)


def test_coverage_check_warns_about_a_near_duplicate(page, app_url):
    page.set_viewport_size({"width": 1400, "height": 1500})
    page.goto(f"{app_url}/coverage")
    title = page.locator('input[aria-label="Title"]')
    title.wait_for()
    title.fill("Announcing AI21 Studio and Jurassic-1 Language Models")
    page.get_by_role("button", name="Check").click()
    page.get_by_text("A near-duplicate already ran").wait_for()
    page.get_by_role("heading", name="Most similar past items").wait_for()
    page.wait_for_url("**title=Announcing**")
    no_errors(page)
    page.screenshot(path=str(SHOTS / "coverage.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_the_browser_bench_times_a_page_to_its_content(page, app_url):
    from bench.bench_browser import open_for_in_place, visit, visit_in_place

    context = page.context.browser.new_context(viewport={"width": 1400, "height": 1000})
    seconds = visit(context, f"{app_url}/trends?entities=tesla,gpt-3&interval=issue", ".js-plotly-plot .main-svg")
    assert 0 < seconds < 120
    with pytest.raises(Exception):  # content that never comes is an error, never a time
        visit(context, f"{app_url}/?q=Jurassic", "#no-such-element", timeout_ms=3_000)

    tab = open_for_in_place(context, f"{app_url}/?q=Jurassic", "mark")
    try:
        tab.page.evaluate("() => { window.__sameDocument = true; }")
        assert 0 < visit_in_place(tab, "/entity?entity=tesla", ".js-plotly-plot .main-svg") < 120
        assert tab.page.url.endswith("/entity?entity=tesla") and tab.page.evaluate("() => window.__sameDocument")
        assert tab.page.locator("mark").count() == 0  # timed to the new page, not to what was left of the old one
        runs = tab.runs_finished
        assert 0 < visit_in_place(tab, "/?q=Jurassic", "mark") < 120 and tab.runs_finished == runs + 1
        tab.page.set_default_timeout(3_000)
        with pytest.raises(Exception):
            visit_in_place(tab, "/entity?entity=tesla", "#no-such-element")
    finally:
        context.close()


def test_the_search_box_suggests_entities_and_topics_as_you_type(page, app_url):
    page.goto(f"{app_url}/")
    page.get_by_text("showing 1–10").first.wait_for()
    box = page.locator('input[aria-label="Search"]')
    box.press_sequentially("gr", delay=30)
    options = page.locator('[data-testid="kbSuggestions"] [role="option"]')
    options.first.wait_for()
    names = [o.split("\n")[0] for o in options.all_inner_texts()]
    # every suggestion has a word starting with what was typed (no fuzzy "ChatGPT" for "gpu")
    assert names and all(re.search(r"(^|[\s#/.-])gr", n, re.IGNORECASE) for n in names), names
    assert "# graph neural networks" in names  # a topic, marked as one
    page.screenshot(path=str(SHOTS / "search-suggestions.png"))

    box.press_sequentially("aph neural", delay=30)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"kbSuggestions\"] [role=option]').length === 1")
    box.press("ArrowDown")
    box.press("Enter")  # the highlighted suggestion, not the half-typed words
    page.wait_for_url("**q=graph+neural+networks**")
    page.get_by_text("A Gentle Introduction to Graph Neural Networks").first.wait_for()
    assert page.locator('[data-testid="kbSuggestions"]').count() == 0
    no_errors(page)

    box.fill("")
    box.press_sequentially("doj", delay=30)
    options.first.wait_for()
    assert [o.split("\n")[0] for o in options.all_inner_texts()] == ["Dojo", "D1 Dojo"]  # a name before an alias
    options.first.click()
    page.wait_for_url("**q=Dojo**")
    page.get_by_text("Unique Packaging and Chip Design").first.wait_for()

    box.fill("")
    box.press_sequentially("tesla dojo chip", delay=30)
    page.locator('[data-testid="kbSuggestions"]').wait_for(state="detached")  # nothing is called so
    box.press("Enter")  # Enter searches the words typed, as without suggestions
    page.wait_for_url("**q=tesla+dojo+chip**")
    no_errors(page)


def test_next_page_starts_at_the_top(page, app_url):
    page.goto(f"{app_url}/")
    page.get_by_text("showing 1–10").first.wait_for()
    main = page.locator('[data-testid="stMain"]')
    main.evaluate("el => el.scrollTo(0, el.scrollHeight)")
    assert main.evaluate("el => el.scrollTop") > 0
    page.get_by_role("button", name="Next →").click()
    page.get_by_text("showing 11–").first.wait_for()
    page.wait_for_function("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop === 0")
    no_errors(page)
    page.screenshot(path=str(SHOTS / "search-page-2.png"))


def chart_legend(page, url: str) -> set[str]:
    """Open a page with a chart; the names in its legend."""
    page.goto(url)
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    return set(page.locator(".js-plotly-plot .legendtext").evaluate_all("els => els.map(e => e.textContent)"))


def test_per_issue_trends_of_several_newsletters_draw_a_line_per_newsletter(page, several_url):
    legend = chart_legend(page, f"{several_url}/trends?entities=quantization&interval=issue")
    assert {"quantization · AI Brief", "quantization · Pipeline Post", "quantization · Model Drift"} <= legend
    page.get_by_text("issue numbers of different newsletters are not one scale").wait_for()
    no_errors(page)
    page.screenshot(path=str(SHOTS / "trends-per-issue-several-newsletters.png"), full_page=True)


def test_a_partial_year_is_dashed_and_labelled_on_the_chart(page, several_url):
    chart_legend(page, f"{several_url}/trends?entities=quantization&interval=year")
    page.locator(".js-plotly-plot .annotation-text", has_text="to 15 Nov 2024").wait_for()
    assert page.locator(".js-plotly-plot path.js-line[style*='stroke-dasharray']").count() >= 1
    page.get_by_text("The last period runs only to 15 Nov 2024").wait_for()
    no_errors(page)
    page.screenshot(path=str(SHOTS / "trends-partial-year.png"), full_page=True)


def test_items_per_issue_and_the_entity_page_name_each_newsletter(page, several_url):
    legend = chart_legend(page, f"{several_url}/trends?view=issues")
    assert {"AI Brief", "Pipeline Post", "Model Drift", "Deep Learning Weekly"} <= legend
    page.screenshot(path=str(SHOTS / "items-per-issue.png"), full_page=True)
    page.goto(f"{several_url}/entity?entity=quantization")
    page.locator('[data-testid="stMetric"]').first.wait_for()
    # first and last coverage name their newsletter (waited for: links come after the metrics)
    page.locator('[data-testid="stPageLink"]', has_text=re.compile(r"^(AI Brief|Pipeline Post|Model Drift) #\d+$")).first.wait_for()
    no_errors(page)
    page.screenshot(path=str(SHOTS / "entity-several-newsletters.png"), full_page=True)

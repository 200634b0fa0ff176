"""The coverage-check page, headless: paste a draft, press Check, read the warnings."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from kb.backends.sqlite import SQLiteBackend
from tests.test_app import APP, markdown_text
from tests.test_backend_contract import archive


def coverage_page(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()  # first start indexes the sample
    at.switch_page("ui/coverage_page.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def fill(at: AppTest, *, title: str = "", url: str = "", text: str = "") -> AppTest:
    boxes = {t.label: t for t in at.text_input}
    boxes["Title"].input(title)
    boxes["Link"].input(url)
    at.text_area[0].input(text)
    next(b for b in at.button if b.label == "Check").click()
    return at.run()


def plain(markdown: str) -> str:
    return markdown.replace("\\", "")


def checked_against_archive(app_env, **draft: str) -> AppTest:
    """The page after checking `draft` (title, url, text) against the test archive."""
    backend = SQLiteBackend(app_env / "kb.sqlite3")
    backend.write_issues(archive())  # Test Weekly #1–#3: links, GPT-3 and OpenAI items
    backend.close()
    return fill(coverage_page(), **draft)


def test_the_page_opens_with_an_empty_form_and_an_empty_check_gives_a_hint(app_env):
    at = coverage_page()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Title", "Link"]
    assert not at.error and not at.warning and not at.success
    fill(at)
    assert not at.exception and not at.error
    assert any("Paste a title" in i.value for i in at.info)


def test_a_title_in_the_link_is_checked_on_opening_and_finds_the_near_duplicate(app_env):
    at = coverage_page(title="Announcing AI21 Studio and Jurassic-1 Language Models")
    assert not at.exception
    assert at.text_input[0].value == "Announcing AI21 Studio and Jurassic-1 Language Models"
    warning = next(plain(e.value) for e in at.error if "near-duplicate" in e.value)
    assert "Deep Learning Weekly #214" in warning
    table = at.dataframe[0].value
    assert table["item"].iloc[0] == "Announcing AI21 Studio and Jurassic-1 Language Models"
    assert table["similarity"].iloc[0] == 1.0 and table["why"].iloc[0].startswith("title 100% alike")
    assert table["similarity"].between(0, 1).all()
    assert table["similarity"].is_monotonic_decreasing, "ordered by the figure shown"
    assert "entity?entity=jurassic-1" in markdown_text(at)


def test_a_link_that_already_ran_is_an_error_naming_its_issue_and_the_url_keeps_it(app_env):
    at = checked_against_archive(app_env, title="Jurassic-1 is here", url="http://www.example.org/jurassic/?utm_source=tw")
    assert not at.exception
    ran = next(plain(e.value) for e in at.error if "This link already ran" in e.value)
    assert "Test Weekly #1" in ran and "Announcing Jurassic-1 Language Models" in ran
    assert any("Test Weekly #2" in plain(w.value) for w in at.warning), "issue 2 links to it in its text"
    assert at.query_params["url"] in ("http://www.example.org/jurassic/?utm_source=tw",
                                      ["http://www.example.org/jurassic/?utm_source=tw"])


def test_a_new_story_passes_and_lists_entities_with_new_names_flagged(app_env):
    at = checked_against_archive(app_env, title="Zorblax Robotics unveils a warehouse robot",
                                 text="Zorblax Robotics, backed by OpenAI, showed its first robot; GPT-3 writes its manuals.")
    assert not at.exception
    assert not at.error
    assert any("Not covered before" in s.value for s in at.success)
    table = next(m.value for m in at.markdown if m.value.startswith("| Entity"))
    zorblax = next(row for row in table.splitlines() if "Zorblax Robotics" in row)
    assert "new to the catalog" in zorblax and "| 0 | never |" in zorblax
    openai = next(row for row in table.splitlines() if "OpenAI" in row)
    assert 'href="entity?entity=openai"' in openai and "| 2 | Test Weekly #2 (2021-09-02) |" in openai
    assert "new to the catalog" not in openai


def test_similar_items_say_why_and_the_whole_draft_is_kept_in_the_link(app_env):
    at = checked_against_archive(app_env, title="OpenAI brings GPT-3 to copywriting",
                                 text="OpenAI says GPT-3 now writes marketing copy for large teams.")
    assert not at.exception
    table = at.dataframe[0].value
    assert table["similarity"].is_monotonic_decreasing
    first = table.iloc[0]
    assert first["item"] == "GPT-3 powers a new writing assistant"
    assert "both name" in first["why"] and "OpenAI" in first["why"] and "GPT-3" in first["why"]
    assert "shared words: says, marketing" in first["why"], "names are not repeated as words"
    params = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert params["text"] == "OpenAI says GPT-3 now writes marketing copy for large teams."
    again = coverage_page(**params)
    assert again.text_area[0].value == params["text"] and again.dataframe[0].value["item"].iloc[0] == first["item"]

"""The app, headless: each page with URL parameters and widget interaction."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kb.query import SearchQuery

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


@pytest.fixture
def app_env(tmp_path, monkeypatch) -> Path:
    """A fresh install: an empty index and a data folder holding the sample issue."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / "deep-learning-weekly-214.txt", data)
    monkeypatch.setenv("KB_BACKEND", "sqlite")
    monkeypatch.setenv("KB_SQLITE_PATH", str(tmp_path / "kb.sqlite3"))
    monkeypatch.setenv("KB_DATA_DIR", str(data))
    monkeypatch.setenv("KB_UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_first_start_indexes_the_data_folder_and_search_from_the_url(app_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["q"] = "Jurassic"
    at.run()
    assert not at.exception
    assert any("20 items" in s.value for s in at.success)
    text = markdown_text(at)
    assert "Jurassic" in text and "<mark>" in text
    first_hit = next(m.value for m in at.markdown if "Jurassic" in m.value)
    assert "AI21 Studio" in first_hit


def test_trends_page_charts_entities_from_the_url(app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()  # first start indexes the sample
    at.switch_page("ui/trends_page.py")
    at.query_params["entities"] = "tesla,gpt-3"
    at.query_params["interval"] = "issue"
    at.run()
    assert not at.exception
    assert at.multiselect[0].value == ["tesla", "gpt-3"]
    assert at.get("plotly_chart")


def test_trends_page_unknown_entity_in_link_warns(app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("ui/trends_page.py")
    at.query_params["entities"] = "not-a-real-entity"
    at.run()
    assert not at.exception
    assert any("not-a-real-entity" in w.value for w in at.warning)


def test_broken_backend_is_explained_not_a_traceback(app_env, monkeypatch):
    monkeypatch.setenv("KB_BACKEND", "nosuchbackend")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("nosuchbackend" in e.value for e in at.error)


FIXTURES = ROOT / "tests" / "fixtures"


def test_upload_asks_for_the_newsletter_only_when_a_file_names_none(app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("ui/add_issues_page.py").run()
    assert not at.exception
    assert not at.selectbox, "nothing to ask before there are files"
    good = (FIXTURES / "markdown" / "12.md").read_bytes()
    bad = (FIXTURES / "markdown" / "bad-front-matter.md").read_bytes()
    at.file_uploader[0].upload("12.md", good, "text/markdown").upload("bad.md", bad, "text/markdown").run()
    assert not at.exception
    assert "12.md" in at.selectbox[0].label and at.selectbox[0].value is None  # no silent default
    index = next(b for b in at.button if b.label == "Index these files")
    assert index.disabled
    at.selectbox[0].set_value("Another newsletter…").run()
    at.text_input[0].input("Weekly Bits").run()
    next(b for b in at.button if b.label == "Index these files").click().run()
    assert not at.exception
    assert any("bad.md" in e.value for e in at.error)
    assert any("1 issues" in w.value and "1 failures" in w.value for w in at.warning)
    at.switch_page("ui/search_page.py")
    at.query_params["q"] = "Jurassic"
    at.run()
    assert "Jurassic" in markdown_text(at), "the sample indexed before the upload is still there"
    at.query_params["q"] = "feature stores"
    at.run()
    assert "Weekly Bits #12" in markdown_text(at), "the chosen newsletter name is used"


def test_upload_of_files_that_name_their_newsletter_asks_nothing(app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("ui/add_issues_page.py").run()
    text = (FIXTURES / "text" / "tensor-tidings-140.txt").read_bytes()
    at.file_uploader[0].upload("tensor-tidings-140.txt", text, "text/plain").run()
    assert not at.exception
    assert not at.selectbox
    assert any("Named by the files" in c.value for c in at.caption)
    next(b for b in at.button if b.label == "Index these files").click().run()
    assert not at.exception
    assert any("1 issues" in s.value and "0 failures" in s.value for s in at.success)


def test_a_dates_sidecar_uploaded_with_the_files_names_and_dates_them(app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("ui/add_issues_page.py").run()
    good = (FIXTURES / "markdown" / "12.md").read_bytes().replace(b"date: 2024-03-10\n", b"")
    sidecar = b"publication: Sidecar Weekly\ndates:\n  12: 2024-05-05\n"
    at.file_uploader[0].upload("12.md", good, "text/markdown").upload("dates.yaml", sidecar, "text/yaml").run()
    assert not at.exception
    assert not at.selectbox
    next(b for b in at.button if b.label == "Index these files").click().run()
    assert not at.exception
    at.switch_page("ui/search_page.py")
    at.query_params["q"] = "feature stores"
    at.run()
    assert "Sidecar Weekly #12 · 2024-05-05" in markdown_text(at)


def test_a_layout_file_uploaded_with_the_files_applies_to_them(app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("ui/add_issues_page.py").run()
    issue = (b"---\nissue: 3\ndate: 2024-03-01\npublication: Layout Weekly\n---\n\n"
             b"## Jobs\n\n* [Quantum job board](https://jobs.example.com/1)\n\n"
             b"## Tools\n\n* [Zebra eval kit](https://example.com/eval) - runs evals\n")
    at.file_uploader[0].upload("3.md", issue, "text/markdown").upload("layout.yaml", b"ignore: ['^jobs$']\n",
                                                                       "text/yaml").run()
    next(b for b in at.button if b.label == "Index these files").click().run()
    assert not at.exception
    assert any("1 issues" in s.value and "0 failures" in s.value for s in at.success)
    at.switch_page("ui/search_page.py")
    at.query_params["q"] = "zebra eval kit"
    at.run()
    assert "Layout Weekly #3" in markdown_text(at)
    at.query_params["q"] = "quantum job board"
    at.run()
    assert "Layout Weekly #3" not in markdown_text(at), "the layout file's ignore rule applied"


@pytest.mark.elasticsearch
def test_the_app_runs_on_elasticsearch(app_env, monkeypatch, es_client):
    from tests.conftest import ES_TEST_URL

    alias = f"kbtest-app-{app_env.name[-8:].lower()}"
    monkeypatch.setenv("KB_BACKEND", "elasticsearch")
    monkeypatch.setenv("ES_URL", ES_TEST_URL)
    monkeypatch.setenv("KB_ES_INDEX", alias)
    try:
        at = AppTest.from_file(APP, default_timeout=90)
        at.query_params["q"] = "Jurassic"
        at.run()
        assert not at.exception
        assert any("Elasticsearch at" in c.value for c in at.sidebar.caption)
        assert "AI21 Studio" in next(m.value for m in at.markdown if "Jurassic" in m.value)
    finally:
        es_client.indices.delete(index=f"{alias}-*", ignore_unavailable=True)


def test_unreachable_elasticsearch_is_explained(app_env, monkeypatch):
    monkeypatch.setenv("KB_BACKEND", "elasticsearch")
    monkeypatch.setenv("ES_URL", "http://127.0.0.1:9")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("http://127.0.0.1:9" in e.value for e in at.error)


def test_candidates_page_accepts_a_name_and_retags(app_env, monkeypatch):
    from kb.backends.sqlite import SQLiteBackend
    from tests.test_backend_contract import archive

    accepted = app_env / "accepted.yaml"
    monkeypatch.setenv("KB_ACCEPTED_FILE", str(accepted))
    backend = SQLiteBackend(app_env / "kb.sqlite3")
    backend.write_issues(archive())  # holds "Quokkaflow", found outside the catalog in 2 items
    backend.close()

    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("ui/candidates_page.py").run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("name")
    assert table.at["Quokkaflow", "first issue"] == "Test Weekly #2 2021-09-02", "an issue number with its newsletter"
    at.selectbox[0].set_value("new:quokkaflow").run()
    accept = at.form[1]  # the first form merges into an existing entry
    accept.text_input[0].set_value("Quokkaflow")
    accept.selectbox[0].set_value("PRODUCT")
    accept.button[0].click().run()
    assert not at.exception
    assert any("Accepted Quokkaflow" in s.value for s in at.success)
    assert "id: quokkaflow" in accepted.read_text(encoding="utf-8")

    at.button[-1].click().run()  # re-tag
    assert not at.exception
    assert any("written" in s.value for s in at.success)
    after = SQLiteBackend(app_env / "kb.sqlite3")
    assert ("quokkaflow", "PRODUCT") in after.search(SearchQuery("Quokkaflow")).hits[0].entities


def test_candidates_page_merges_a_name_into_an_existing_entry(app_env, monkeypatch):
    from kb.backends.sqlite import SQLiteBackend
    from tests.test_backend_contract import archive

    accepted = app_env / "accepted.yaml"
    monkeypatch.setenv("KB_ACCEPTED_FILE", str(accepted))
    backend = SQLiteBackend(app_env / "kb.sqlite3")
    backend.write_issues(archive())
    backend.close()

    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("ui/candidates_page.py").run()
    at.selectbox[0].set_value("new:quokkaflow").run()
    merge = at.form[0]
    assert merge.selectbox[0].value is None  # nothing nearly named so: no silent default
    merge.selectbox[0].set_value("pytorch")
    merge.button[0].click().run()
    assert not at.exception
    assert any("now also name PyTorch" in s.value for s in at.success)
    assert "extends: pytorch" in accepted.read_text(encoding="utf-8")


def test_an_empty_index_says_what_to_do(app_env, monkeypatch):
    monkeypatch.setenv("KB_DATA_DIR", str(app_env / "nothing-here"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("knowledge base is empty" in i.value and "Add issues" in i.value for i in at.info)

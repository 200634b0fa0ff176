"""A secured Elasticsearch node: TLS on HTTP with a CA made for the run and a file-realm user
holding only the project's role (cluster `monitor`, indices `all` on `newsletter-kb*`), started
by `scripts/elasticsearch.sh start --secure` (the test command starts it beside the plain node).

With the CA and the user, the CLI and the app ingest and search. Every wrong setting (password,
API key, CA missing or foreign, http against https and back, an index prefix outside the role)
ends in one line saying what to change, never a traceback, and no secret given in ES_URL,
ES_PASSWORD or ES_API_KEY shows in the page, the CLI's output, the logs or the error.
"""
from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path

import certifi
import pytest
from streamlit.testing.v1 import AppTest

from indexer.cli import main as indexer
from kb.backends import BackendError, open_backend
from kb.cli import main as kb
from kb.settings import Settings
from tests.conftest import APP, ES_TEST_URL, unavailable

pytestmark = pytest.mark.elasticsearch

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "deep-learning-weekly-214.txt"
SETTING_NAMES = ("ES_URL", "ES_CA_CERTS", "ES_USERNAME", "ES_PASSWORD", "ES_API_KEY", "KB_ES_INDEX")


def _env_file() -> Path | None:
    named = os.environ.get("KB_TEST_ES_SECURE_ENV")
    if named:
        return Path(named)
    found = sorted((REPO / ".cache").glob("elasticsearch-*/nodes/es-secure/kb-secure.env"))
    return found[-1] if found else None


@pytest.fixture(scope="module")
def secured() -> dict[str, str]:
    """How to reach the secured node (ES_URL, ES_CA_CERTS, ES_USERNAME, ES_PASSWORD), once it answers."""
    path = _env_file()
    if path is None or not path.is_file():
        unavailable("no secured Elasticsearch node; run scripts/elasticsearch.sh start --secure")
    env = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    settings = Settings.from_env(env, backend="elasticsearch")
    try:
        open_backend(settings).close()
    except BackendError as exc:
        unavailable(f"the secured node at {env['ES_URL']} does not answer: {exc}")
    return env


@pytest.fixture
def archive_prefix(secured) -> str:
    """An index prefix of this test inside the role's `newsletter-kb*`, dropped afterwards."""
    prefix = f"{secured['KB_ES_INDEX']}-t{uuid.uuid4().hex[:10]}"
    yield prefix
    backend = open_backend(Settings.from_env(secured, backend="elasticsearch", es_index=prefix))
    backend.drop()
    backend.close()


def _use(monkeypatch, env: dict[str, str]) -> None:
    """The process's settings are exactly `env` (nothing inherited from the machine)."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        if value:
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("KB_BACKEND", "elasticsearch")


def test_the_cli_ingests_and_searches_with_the_ca_and_the_user(secured, archive_prefix, monkeypatch, capsys):
    _use(monkeypatch, {**secured, "KB_ES_INDEX": archive_prefix})
    assert indexer(["ingest", str(SAMPLE), "--quiet"]) == 0
    assert kb(["search", "Dojo"]) == 0
    out = capsys.readouterr()
    assert "Tesla Dojo" in out.out, out.out + out.err
    assert indexer(["reindex", str(SAMPLE), "--quiet"]) == 0, "a rebuild needs no more than the role"
    assert kb(["search", "Dojo"]) == 0 and "Tesla Dojo" in capsys.readouterr().out


def _page_text(at: AppTest) -> str:
    shown = [e.value for kind in ("markdown", "caption", "error", "info", "warning", "success", "title", "header",
                                  "subheader", "text", "code")
             for e in getattr(at, kind)]
    shown += [e.value for e in at.text_input]
    shown += [str(e.value) for e in at.dataframe]
    return "\n".join(map(str, shown))


def test_the_app_serves_the_secured_node_and_never_shows_the_password(secured, archive_prefix, app_env, monkeypatch, caplog):
    password = secured["ES_PASSWORD"]
    url = secured["ES_URL"].replace("https://", f"https://{secured['ES_USERNAME']}:{password}@")
    _use(monkeypatch, {"ES_URL": url, "ES_CA_CERTS": secured["ES_CA_CERTS"], "KB_ES_INDEX": archive_prefix})
    caplog.set_level(logging.DEBUG)
    at = AppTest.from_file(APP, default_timeout=90).run()  # first start indexes the sample
    assert not at.exception, at.exception
    at.switch_page("ui/search_page.py")
    at.query_params["q"] = "Dojo"
    at.run()
    assert not at.exception, at.exception
    text = _page_text(at) + "\n".join(str(s.value) for s in at.sidebar.caption)
    assert "Tesla <mark>Dojo</mark>" in text
    assert "***@" in text, "the sidebar names the server, password masked"
    assert password not in text
    assert password not in caplog.text, "nothing logged carries the password"


def _wrong(secured: dict[str, str]) -> dict[str, tuple[dict[str, str], str, str]]:
    """Case -> (settings, a piece of its message, the secret that must not show)."""
    https = secured["ES_URL"]
    plain = ES_TEST_URL
    api_key = "dW5rbm93bjprZXktdGhhdC1kb2VzLW5vdC1leGlzdA=="
    return {
        "wrong password": ({**secured, "ES_PASSWORD": "not-the-password-7Qx"}, "refused the credentials", "not-the-password-7Qx"),
        "unknown API key": ({**secured, "ES_USERNAME": "", "ES_PASSWORD": "", "ES_API_KEY": api_key},
                            "refused the credentials", api_key),
        "no credentials": ({**secured, "ES_USERNAME": "", "ES_PASSWORD": ""}, "needs credentials", secured["ES_PASSWORD"]),
        "no CA": ({**secured, "ES_CA_CERTS": ""}, "set ES_CA_CERTS", secured["ES_PASSWORD"]),
        "a foreign CA": ({**secured, "ES_CA_CERTS": certifi.where()}, "not signed by a CA", secured["ES_PASSWORD"]),
        "a CA file that is not there": ({**secured, "ES_CA_CERTS": "/nonexistent/ca.crt"}, "is not a file", secured["ES_PASSWORD"]),
        "http against https": ({**secured, "ES_CA_CERTS": "", "ES_URL": https.replace("https://", "http://")},
                               "use https://", secured["ES_PASSWORD"]),
        "a CA with an http URL": ({**secured, "ES_URL": https.replace("https://", "http://")}, "reached with https://",
                                  secured["ES_PASSWORD"]),
        "https against plain http": ({**secured, "ES_URL": plain.replace("http://", "https://")}, "use http://",
                                     secured["ES_PASSWORD"]),
        "an index outside the role": ({**secured, "KB_ES_INDEX": "outside-the-role"}, "indices `all` on `outside-the-role*`",
                                      secured["ES_PASSWORD"]),
    }


CASES = ["wrong password", "unknown API key", "no credentials", "no CA", "a foreign CA", "a CA file that is not there",
         "http against https", "a CA with an http URL", "https against plain http", "an index outside the role"]


@pytest.mark.parametrize("case", CASES)
def test_a_wrong_setting_is_one_line_saying_what_to_change_in_the_cli(case, secured, monkeypatch, capsys, caplog):
    env, piece, secret = _wrong(secured)[case]
    _use(monkeypatch, env)
    caplog.set_level(logging.DEBUG)
    assert kb(["search", "Dojo"]) != 0
    out = capsys.readouterr()
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and piece in lines[0], out.err
    assert "Traceback" not in out.err + out.out
    assert secret not in out.err + out.out + caplog.text


@pytest.mark.parametrize("case", CASES)
def test_a_wrong_setting_is_a_message_in_the_app(case, secured, app_env, monkeypatch):
    env, piece, secret = _wrong(secured)[case]
    _use(monkeypatch, env)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and piece in errors[0], errors
    assert secret not in _page_text(at)

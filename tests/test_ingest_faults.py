"""One batch of bad files beside good ones, on every backend: each bad file is named with its
reason, each good one is indexed, an overlong item is cut and said so, and nothing hangs."""
from __future__ import annotations

import shutil
from pathlib import Path

from indexer.extract import Extractor
from indexer.pipeline import MAX_ITEM_CHARS, ingest, retag
from kb.catalog import load_catalog
from kb.query import SearchQuery

DATA = Path(__file__).resolve().parents[1] / "data"


def _issue(title: str, issue: str, day: str, body: str) -> str:
    return f"---\ntitle: {title}\nissue: {issue}\ndate: {day}\n---\n# {title}\n\n## News\n\n{body}"


def bad_files(folder: Path) -> dict[str, str]:
    """Writes the bad files; file name -> a piece of the reason its failure must give."""
    (folder / "odd-utf16.md").write_bytes("\ufeff# Hi".encode("utf-16-le") + b"\x00")
    (folder / "huge-number.md").write_text(_issue("Big", "9" * 30, "2024-01-01", "- [One](https://e.org/a) text\n"))
    laughs = "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    (folder / "alias-bomb.md").write_text(
        '---\na: &a ["lol", "lol", "lol"]\n' + laughs + "title: *i\n---\n# B\n\n- [x](https://e.org) y\n"
    )
    (folder / "no-items.md").write_text("just a line of prose and nothing else\n")
    (folder / "far-future.md").write_text(_issue("Later", "3", "9999-12-31", "- [One](https://e.org/f) text\n"))
    (folder / "too-big.md").write_text(_issue("Big", "4", "2024-01-01", "- [One](https://e.org/b) text\n" * 8000))
    chunk = "- [Part](https://e.org/p) " + "text " * 12_000 + "\n"
    (folder / "too-much-text.md").write_text(_issue("Much", "5", "2024-01-01", chunk * 3))
    return {"too-much-text.md": "characters of item text in one issue (at most 150,000)",
            "odd-utf16.md": "UnicodeDecodeError", "huge-number.md": "issue number 999999999999999999999999999999 is out of range",
            "alias-bomb.md": "aliases", "no-items.md": "no items", "far-future.md": "issue date 9999-12-31 is out of range",
            "too-big.md": "more than an issue file can be"}


def test_bad_files_are_named_good_ones_indexed_and_an_overlong_item_cut(kb_backend, tmp_path, monkeypatch):
    monkeypatch.setattr("indexer.pipeline.MAX_FILE_BYTES", 200_000)  # too-big.md is 240 kB, every other file less
    monkeypatch.setattr("indexer.pipeline.MAX_ISSUE_CHARS", 150_000)  # too-much-text.md has 180k, long-item.md 100k
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(DATA / "deep-learning-weekly-214.txt", folder)
    expected = bad_files(folder)
    words = "words " * (MAX_ITEM_CHARS // 4)
    (folder / "long-item.md").write_text(
        _issue("Long", "7", "2024-03-01", f"- [A very long zebrafish item](https://e.org/long) {words}\n")
    )
    report = ingest([folder], backend=kb_backend, extractor=Extractor(load_catalog()))
    reasons = {Path(f.path).name: f.reason for f in report.failures}
    assert set(reasons) == set(expected), reasons
    for name, piece in expected.items():
        assert piece in reasons[name], (name, reasons[name])
    assert all(len(r) < 400 for r in reasons.values()), "a reason is one bounded line"
    assert kb_backend.search(SearchQuery("Dojo")).total >= 1, "the good file of the batch is indexed"
    assert [Path(n.path).name for n in report.notes] == ["long-item.md"] and "cut from" in report.notes[0].reason
    hit = kb_backend.search(SearchQuery("zebrafish")).hits[0]
    stored = kb_backend.get_issue(hit.issue_id).items[0]
    assert MAX_ITEM_CHARS - 10 <= len(stored.text) <= MAX_ITEM_CHARS


def test_links_that_are_not_web_links_are_never_stored_whichever_parser_made_them():
    from indexer.pipeline import IngestReport, _bounded
    from kb.models import Issue, Item

    item = Item(title="Scripted", text="t", url="javascript:alert(1)", position=0,
                links=("data:text/html,x", "https://e.org/ok", "/relative"))
    report = IngestReport()
    kept = _bounded(Issue(publication="P", source="feed.xml", items=(item,)), Path("feed.xml"), report).items[0]
    assert kept.url is None and kept.links == ("https://e.org/ok", "/relative")
    assert len(report.notes) == 1 and "javascript:alert(1)" in report.notes[0].reason


def test_a_rebuild_cuts_overlong_items_as_an_ingest_does(kb_backend, tmp_path):
    from indexer.pipeline import reindex

    words = "words " * (MAX_ITEM_CHARS // 4)
    (tmp_path / "long.md").write_text(_issue("Long", "7", "2024-03-01", f"- [A zebrafish item](https://e.org/long) {words}\n"))
    report = reindex([tmp_path / "long.md"], backend=kb_backend, extractor=Extractor(load_catalog()))
    assert not report.failures and report.written == 1
    assert len(report.notes) == 1 and "cut from" in report.notes[0].reason
    hit = kb_backend.search(SearchQuery("zebrafish")).hits[0]
    assert len(kb_backend.get_issue(hit.issue_id).items[0].text) <= MAX_ITEM_CHARS


class _FailsOn(Extractor):
    """An extractor that breaks on items with one word in their title (as a bug would)."""

    def __init__(self, word: str):
        super().__init__(load_catalog())
        self.word = word

    def tag_items(self, items):
        items = list(items)
        if any(self.word in item.title for item in items):
            raise RuntimeError(f"broken on {self.word}")
        return super().tag_items(items)


def test_retag_names_an_issue_it_cannot_tag_keeps_it_as_stored_and_retags_the_rest(kb_backend, tmp_path):
    for n, title in ((1, "Zebrafish news"), (2, "Axolotl news")):
        (tmp_path / f"{n}.md").write_text(_issue(title, str(n), f"2024-0{n}-01", f"- [{title}](https://e.org/{n}) about OpenAI\n"))
    ingest([tmp_path], backend=kb_backend, extractor=Extractor(load_catalog()))
    before = {s.id: kb_backend.get_issue(s.id) for s in kb_backend.list_issues()}
    report = retag(kb_backend, _FailsOn("Zebrafish"))
    assert [Path(f.path).name for f in report.failures] == ["1.md"], report.failures
    assert "broken on Zebrafish" in report.failures[0].reason
    after = {s.id: kb_backend.get_issue(s.id) for s in kb_backend.list_issues()}
    assert after.keys() == before.keys(), "no issue lost"
    failed = next(i for i, issue in before.items() if "Zebrafish" in issue.items[0].title)
    assert after[failed].items[0].mentions == before[failed].items[0].mentions

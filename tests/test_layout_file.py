"""Per-newsletter layout files and `python -m indexer parse FILE --explain` (issue 9)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from indexer.parsers import ParseError, parse_path
from indexer.parsers.layout_file import LayoutError, layout_for, load_layout
from indexer.pipeline import parse_files

ROOT = Path(__file__).resolve().parents[1]
ISSUE = (
    "---\nissue: 3\ndate: 2024-03-01\n---\n\n## Jobs\n\n* [Engineer at Lab](https://jobs.example.com/1)\n\n"
    "## Story of the week\n\nShort.\n\n## Tools\n\n* [Eval Kit](https://example.com/eval) - runs evals\n"
)


def write_issue(folder: Path, layout: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "3.md"
    path.write_text(ISSUE, encoding="utf-8")
    if layout is not None:
        (folder / "layout.yaml").write_text(layout, encoding="utf-8")
    return path


def test_without_a_layout_file_structure_decides(tmp_path):
    [issue] = parse_path(write_issue(tmp_path))
    assert [i.title for i in issue.items] == ["Engineer at Lab", "Eval Kit"]


def test_the_folders_layout_file_ignores_blocks_and_fixes_heading_levels(tmp_path):
    path = write_issue(tmp_path, "newsletter: Test Weekly\nitems:\n  heading_levels: [2]\nignore:\n  - '^jobs$'\n")
    [issue] = parse_path(path)
    assert [i.title for i in issue.items] == ["Story of the week", "Tools"]
    assert layout_for(tmp_path) == tmp_path / "layout.yaml"


def test_lists_can_be_switched_off(tmp_path):
    [issue] = parse_path(write_issue(tmp_path, "items:\n  lists: false\n  heading_levels: [2]\n"))
    assert [i.title for i in issue.items] == ["Jobs", "Story of the week", "Tools"]
    assert issue.items[0].text == "- Engineer at Lab"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("items:\n  heading_level: [2]\n", "items.heading_level"),
        ("items:\n  heading_levels: [9]\n", "items.heading_levels"),
        ("items:\n  lists: sometimes\n", "items.lists"),
        ("ignore:\n  - '(unclosed'\n", "ignore[0]"),
        ("ignore: jobs\n", "ignore"),
        ("sections: [2]\n", "sections"),
        ("colour: blue\n", "colour"),
        ("items: [\n", "(file)"),
    ],
)
def test_a_bad_layout_file_names_the_file_and_the_field(tmp_path, text, field):
    layout = tmp_path / "layout.yaml"
    layout.write_text(text, encoding="utf-8")
    with pytest.raises(LayoutError) as error:
        load_layout(layout)
    assert str(layout) in str(error.value) and f"'{field}'" in str(error.value)


def test_a_bad_layout_fails_its_folder_once_in_a_batch_and_nothing_else(tmp_path):
    write_issue(tmp_path / "broken", "ignore: [\n")
    good = write_issue(tmp_path / "fine")
    parsed, failures, _ = parse_files([tmp_path])
    assert [p.path for p in parsed] == [good]
    assert len(failures) == 1 and failures[0].path.endswith("layout.yaml") and "(file)" in failures[0].reason
    with pytest.raises(ParseError, match="layout.yaml"):
        parse_path(tmp_path / "broken" / "3.md")


def test_bundled_layouts_apply_to_their_archive_folder(tmp_path):
    assert layout_for(tmp_path / "mle-newsletter") == ROOT / "layouts" / "mle-newsletter.yaml"
    assert layout_for(tmp_path / "some-other-newsletter") is None
    rules = load_layout(ROOT / "layouts" / "mle-newsletter.yaml")
    assert rules.ignore and rules.origin.endswith("mle-newsletter.yaml")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "indexer", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_explain_prints_each_block_with_its_verdict_and_the_learned_template():
    archive = ROOT / "tests" / "fixtures" / "archives" / "pipeline-post"
    result = run_cli("parse", str(archive / "12.md"), "--explain")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any("h2" in line and "item" in line and "heading that links out" in line and "Quantisation" in line
               for line in lines)
    assert any("template" in line and "repeated in 4 of 4 issues" in line and "About us" in line for line in lines)
    assert lines[-1].startswith("-> 2 items (4 dropped as template, learned from 4 issues")


def test_parse_with_a_layout_option(tmp_path):
    path = write_issue(tmp_path)
    layout = tmp_path / "other.yaml"
    layout.write_text("ignore: ['^tools$']\n", encoding="utf-8")
    result = run_cli("parse", str(path), "--layout", str(layout))
    assert result.returncode == 0, result.stderr
    assert "Engineer at Lab" in result.stdout and "Eval Kit" not in result.stdout

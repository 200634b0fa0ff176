"""The gold item lists of tests/parse_gold/ are well formed and name real files (issue 9)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import shared_path

GOLD = Path(__file__).parent / "parse_gold"
HASH = re.compile(r"^[0-9a-f]{12}$")


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.jsonl"))


@pytest.mark.parametrize("gold", gold_files(), ids=lambda p: p.stem)
def test_gold_lists_are_well_formed(gold):
    issues = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert issues, f"{gold.name} is empty"
    for issue in issues:
        assert issue["file"].startswith(f"{gold.stem}/"), issue["file"]
        assert issue["items"], f"{issue['file']}: no items"
        for item in issue["items"]:
            assert HASH.match(item["title_hash"]), (issue["file"], item)
            assert set(item) <= {"url", "title_hash"}
        assert sum(s["items"] for s in issue["sections"]) == len(issue["items"]), issue["file"]
        assert all(HASH.match(s["name_hash"]) for s in issue["sections"])


@pytest.mark.corpus
@pytest.mark.parametrize("gold", gold_files(), ids=lambda p: p.stem)
def test_gold_lists_name_files_of_the_shared_corpus(gold):
    corpus = shared_path("corpus", "more-newsletters")
    for line in gold.read_text(encoding="utf-8").splitlines():
        name = json.loads(line)["file"].split("#", 1)[0]
        assert (corpus / name).is_file(), name

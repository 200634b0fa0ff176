"""The entity catalog: loading, lookups, autocomplete and validation errors."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kb.catalog import CatalogError, default_case_sensitive, load_catalog
from kb.models import ENTITY_TYPES


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def load_error(*paths: Path) -> CatalogError:
    with pytest.raises(CatalogError) as info:
        load_catalog(list(paths))
    return info.value


# --------------------------------------------------------------------------- the shipped catalog


def test_shipped_catalog_covers_every_type(catalog):
    assert len(catalog) >= 300
    for type_ in ENTITY_TYPES:
        assert catalog.by_type(type_), f"no {type_} entries"
    assert all(e.type == "ORG" for e in catalog.by_type("ORG"))


def test_lookup_by_id_with_owner(catalog):
    assert catalog.get("jurassic-1").name == "Jurassic-1"
    assert catalog.get("jurassic-1").owner == "ai21-labs"
    assert catalog.get("dojo").owner == "tesla"
    assert catalog.get("gpt-4").owner == "openai"
    assert catalog.get("llama-3").owner == "meta"
    assert catalog.get("no-such-id") is None
    assert "openai" in catalog


def test_owned_by_lists_an_orgs_models_and_products(catalog):
    owned = {e.id for e in catalog.owned_by("openai")}
    assert {"gpt-3", "gpt-4", "chatgpt"} <= owned


def test_topics_have_parents_and_ancestors(catalog):
    assert all(t.type == "TOPIC" for t in catalog.topics)
    llms = catalog.get("llms")
    assert {"nlp", "generative-ai"} <= set(llms.parents)
    assert "machine-learning" in catalog.ancestors("llms")
    assert catalog.ancestors("machine-learning") == ()


def test_by_type_rejects_unknown_type(catalog):
    with pytest.raises(ValueError, match="unknown entity type"):
        catalog.by_type("COMPANY")


def test_version_is_stable_and_follows_content(tmp_path, catalog):
    assert load_catalog().version == catalog.version
    one = write(tmp_path, "a.yaml", "- {id: acme, name: Acme Labs, type: ORG}\n")
    v1 = load_catalog([one]).version
    write(tmp_path, "a.yaml", "# a comment changes nothing\n- {id: acme, name: Acme Labs, type: ORG}\n")
    assert load_catalog([one]).version == v1
    write(tmp_path, "a.yaml", "- {id: acme, name: Acme Labs, type: ORG, aliases: [Acme]}\n")
    assert load_catalog([one]).version != v1


def test_search_names_autocompletes(catalog):
    assert catalog.search_names("pytorch")[0].id == "pytorch"
    assert "pytorch" in [e.id for e in catalog.search_names("pyt")]
    assert catalog.search_names("lecun")[0].id == "yann-lecun"  # a later word of the name
    assert catalog.search_names("ViT")[0].id == "vision-transformer"  # an alias
    assert all(e.type == "EVENT" for e in catalog.search_names("py", types=["EVENT"]))
    assert len(catalog.search_names("a", limit=5)) == 5
    assert catalog.search_names("  ") == []


def test_default_case_rule():
    assert default_case_sensitive("MIT")  # short
    assert default_case_sensitive("AI21")  # short
    assert default_case_sensitive("BLOOM")  # an all-caps word
    assert not default_case_sensitive("PyTorch")
    assert not default_case_sensitive("GPT-3")  # capitals with a version are distinctive
    assert not default_case_sensitive("graph neural networks")


def test_entries_can_override_the_case_rule(catalog):
    assert catalog.get("apple").is_case_sensitive("Apple")  # an English word
    assert not catalog.get("jax").is_case_sensitive("JAX")  # also written "Jax"
    assert not catalog.get("pytorch").is_case_sensitive("PyTorch")


def test_directory_path_loads_its_yaml_files(tmp_path):
    write(tmp_path, "orgs.yaml", "- {id: acme, name: Acme Labs, type: ORG}\n")
    write(tmp_path, "topics.yaml", "- {id: rockets, name: rocketry, type: TOPIC}\n")
    catalog = load_catalog([tmp_path])
    assert [e.id for e in catalog] == ["acme", "rockets"]
    assert [t.id for t in catalog.topics] == ["rockets"]


# --------------------------------------------------------------------------- validation


def test_missing_field_names_file_entry_and_field(tmp_path):
    path = write(tmp_path, "orgs.yaml", """\
        - {id: acme, name: Acme Labs, type: ORG}
        - {id: globex, type: ORG}
    """)
    err = load_error(path)
    assert "orgs.yaml:2" in str(err)
    assert "entry #1 (id 'globex')" in str(err)
    assert "field 'name'" in str(err)
    assert (err.index, err.entry_id, err.field) == (1, "globex", "name")


def test_unknown_type_is_reported(tmp_path):
    err = load_error(write(tmp_path, "orgs.yaml", "- {id: acme, name: Acme, type: COMPANY}\n"))
    assert err.field == "type" and "COMPANY" in str(err)


def test_topics_only_in_topics_yaml(tmp_path):
    err = load_error(write(tmp_path, "orgs.yaml", "- {id: rl, name: reinforcement learning, type: TOPIC}\n"))
    assert err.field == "type" and "topics.yaml" in str(err)
    err = load_error(write(tmp_path, "topics.yaml", "- {id: acme, name: Acme Labs, type: ORG}\n"))
    assert err.field == "type" and "topics.yaml" in str(err)


def test_ids_must_be_lowercase_slugs(tmp_path):
    err = load_error(write(tmp_path, "orgs.yaml", "- {id: Acme_Labs, name: Acme Labs, type: ORG}\n"))
    assert err.field == "id" and "slug" in str(err)


def test_unknown_field_catches_typos(tmp_path):
    err = load_error(write(tmp_path, "orgs.yaml", "- {id: acme, name: Acme Labs, type: ORG, alias: [Acme]}\n"))
    assert err.field == "alias" and "allowed" in str(err)


def test_duplicate_ids_are_reported_with_both_places(tmp_path):
    a = write(tmp_path, "a.yaml", "- {id: acme, name: Acme Labs, type: ORG}\n")
    b = write(tmp_path, "b.yaml", "- {id: acme, name: Acme Corp, type: ORG}\n")
    err = load_error(a, b)
    assert "b.yaml" in str(err) and "a.yaml entry #0" in str(err) and err.field == "id"


def test_alias_shared_by_two_entries_names_both(tmp_path):
    a = write(tmp_path, "orgs.yaml", "- {id: acme-labs, name: Acme Labs, type: ORG, aliases: [Acme, Acme Corp]}\n")
    b = write(tmp_path, "products.yaml", "- {id: acme-studio, name: Acme Studio, type: PRODUCT, aliases: [Acme, acme corp]}\n")
    err = load_error(a, b)
    message = str(err)
    assert "acme-labs" in message and "acme-studio" in message
    assert "orgs.yaml" in message and "products.yaml" in message
    assert len(err.errors) == 2  # "Acme" exactly, "Acme Corp" ignoring case
    assert {e.field for e in err.errors} == {"aliases"}


def test_case_sensitive_aliases_may_differ_only_in_case(tmp_path):
    path = write(tmp_path, "orgs.yaml", """\
        - {id: meta, name: Meta, type: ORG, case_sensitive: true}
        - {id: meta-acronym, name: META, type: ORG, case_sensitive: true}
    """)
    assert len(load_catalog([path])) == 2


def test_owner_must_be_an_existing_org(tmp_path):
    path = write(tmp_path, "models.yaml", """\
        - {id: gizmo-1, name: Gizmo-1, type: MODEL, owner: nobody}
        - {id: gizmo-2, name: Gizmo-2, type: MODEL, owner: gizmo-1}
    """)
    err = load_error(path)
    assert [(e.entry_id, e.field) for e in err.errors] == [("gizmo-1", "owner"), ("gizmo-2", "owner")]
    assert "unknown id 'nobody'" in str(err) and "must be ORG" in str(err)


def test_topic_parents_must_exist_and_not_cycle(tmp_path):
    path = write(tmp_path, "topics.yaml", """\
        - {id: a, name: topic a, type: TOPIC, parents: [b]}
        - {id: b, name: topic b, type: TOPIC, parents: [a]}
        - {id: c, name: topic c, type: TOPIC, parents: [missing]}
    """)
    err = load_error(path)
    assert "cycle" in str(err) and "unknown id 'missing'" in str(err)
    assert {e.field for e in err.errors} == {"parents"}


def test_every_problem_is_listed_at_once(tmp_path):
    path = write(tmp_path, "orgs.yaml", """\
        - {id: acme, type: ORG}
        - {id: globex, name: Globex, type: ORGANISATION}
        - not a mapping
    """)
    err = load_error(path)
    assert len(err.errors) == 3
    assert "3 problems" in str(err)
    assert "entry #2" in str(err) and "mapping" in str(err)


def test_invalid_yaml_names_file_and_line(tmp_path):
    err = load_error(write(tmp_path, "orgs.yaml", "- {id: acme, name: Acme\n- {id: b}\n"))
    assert "orgs.yaml:" in str(err) and "invalid YAML" in str(err)


def test_file_must_be_a_list(tmp_path):
    err = load_error(write(tmp_path, "orgs.yaml", "id: acme\nname: Acme\n"))
    assert "must be a YAML list" in str(err)


def test_a_topic_alias_broader_than_its_name_is_refused(tmp_path):
    """'language models' as an alias of 'large language models' made 2018 items LLM coverage."""
    from kb.catalog import CatalogError, load_catalog

    path = tmp_path / "topics.yaml"
    path.write_text("- {id: llms, name: large language models, type: TOPIC, aliases: [LLMs, language models]}\n",
                    encoding="utf-8")
    with pytest.raises(CatalogError, match="'language models' is broader than the topic's name"):
        load_catalog([path])
    path.write_text("- {id: llms, name: large language models, type: TOPIC, aliases: [LLMs, large language model]}\n",
                    encoding="utf-8")
    assert load_catalog([path]).get("llms").aliases == ("LLMs", "large language model")

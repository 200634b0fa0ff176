"""The entity-rules pipeline component: unseen names around the catalog's.

Why a second component: the catalog ruler stays the authority on names it knows; this
component reads its result (``doc.ents``) and adds what rules find, in two steps like
spaCy's own rulers: collect candidates (each rule module proposes typed character spans),
then resolve them (:mod:`indexer.ner.resolve`) and write ``doc.ents`` once.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.vocab import Vocab

from kb.catalog import Catalog

from indexer.ner.makers import makers_of, using_makers
from indexer.ner import context as ctx
from indexer.ner.acronyms import find_definitions
from indexer.ner.families import FamilyRules
from indexer.ner.lexicon import COMMON_WORDS, GENERIC_ACRONYMS, GIVEN_NAMES, PLACES, SURNAMES
from indexer.ner.lists import list_candidates
from indexer.ner.names import Unit, find_names
from indexer.ner.chunks import ORG_SUFFIXES, org_event_spans, find_chunks
from indexer.ner.resolve import TOPIC, assign_ids, candidate_id, choose, spread
from indexer.ner.shapes import is_generic_name, is_person_word, size_tag, version_tag
from indexer.ner.typer import RoleTyper
from indexer.ner.spans import CATALOG, EXTEND, MEDIUM, STRONG, Candidate, SpanIndex, clean_spans

__all__ = ["RULES_NAME", "TEXT_KEY", "CATALOG_SPANS_KEY", "EntityRules"]

RULES_NAME = "entity_rules"
TEXT_KEY = "text"  # doc.user_data key of the input text, when the tokenizer kept it
CATALOG_SPANS_KEY = "catalog_spans"  # (start_char, end_char, type, id) the catalog ruler found
_SUFFIX_EXT = re.compile(r"-(?P<ext>[A-Z0-9][\w.]*(?:-[A-Z0-9][\w.]*)*)(?![\w-])")
_PREFIX_EXT = re.compile(r"(?<![\w\-.])(?P<pre>[A-Z][a-z]+|[A-Z]{2,})-$")
# "TensorFlow 2.0", "Pytorch 1.1", "Midjourney v7": a release number after a known name
_VERSION_AFTER = re.compile(r" (?P<v>v?\d+(?:\.\d+)+|v\d+)(?![\w%]|\.\d)(?! ?(?:GB|MB|TB|ms|x|times|seconds|hours|percent)\b)")
# "Graphcore Research", "Stanford AI Lab": a known organisation's unit, itself an organisation
_ORG_UNIT_AFTER = re.compile(r" (?P<unit>(?:[A-Z][\w&.]*[\w&] ){0,2}[A-Z][\w.]*[\w.])(?![\w-])")
_NOT_ORG_UNITS = frozenset({"Intelligence", "Analytics", "Software", "Systems"})  # Apple Intelligence, Google Analytics
_BULLET = re.compile(r"^[ \t]*[-*+•][ \t]+\[(?P<name>[^\]\n]{1,40})\]\([^)\s]*\)[ \t]*[-–—:][ \t]*(?P<desc>[^\n]*)",
                     re.MULTILINE)
# "By Synced." / "By Omer Spillinger (Cortex)." on a line of its own: an item's byline
_BYLINE = re.compile(r"^[ \t]*By[ \t]+(?P<name>[^\s().,;:]+(?:[ \t]+[^\s().,;:]+){0,3})[ \t]*"
                     r"(?:\((?P<paren>[^()\n,;]{1,40})\))?[ \t]*\.?[ \t]*$", re.MULTILINE)
_DEF_MODEL_CUES = frozenset({"propose", "proposes", "proposed", "introduce", "introduces", "introduced",
                             "present", "presents", "novel", "called", "named", "dubbed", "aka", "new"})
_GENERIC_PLURALS = frozenset("models networks methods algorithms techniques systems approaches agents "
                             "architectures tools frameworks".split())
_RETYPED = frozenset({"ORG", "PRODUCT"})  # the catalog types _retype may change
_ROLE_AFTER_PRODUCT = frozenset({"ceo", "cto", "founder", "co-founder", "cofounder", "staff", "engineers",
                                 "researchers", "employees", "spokesperson"})


class EntityRules:
    """Adds rule-found entities to the catalog's ``doc.ents`` (labels are entity types)."""

    def __init__(self, vocab: Vocab, name: str = RULES_NAME):
        self.name = name
        self.vocab = vocab
        self.families: FamilyRules | None = None
        self.makers: frozenset[str] | None = None  # hardware makers of the added catalog
        self._splits: dict[tuple[str, str], tuple[int, str]] = {}
        self._by_last_word: dict[tuple[str, str], set[str]] = {}
        self.typer: RoleTyper | None = None  # retypes names by their role when set (use_typer)

    def use_typer(self, typer: RoleTyper | None) -> None:
        """Let a trained role typer (:mod:`indexer.ner.typer`) retype names by their role."""
        self.typer = typer

    def add_catalog(self, catalog: Catalog) -> None:
        """Derive the catalog-based rules (families, splits, retype links); like add_patterns."""
        self.families = FamilyRules(catalog)
        self.makers = makers_of(catalog)
        org_forms = {f.casefold(): e.id for e in catalog.by_type("ORG") for f in e.surface_forms}
        # "NVIDIA H100" -> NVIDIA + H100: aliases that are an organisation plus another alias
        self._splits.clear()
        for entry in catalog:
            if entry.type in {"ORG", TOPIC}:
                continue
            folded = {f.casefold() for f in entry.surface_forms}
            for form in entry.surface_forms:
                head, _, rest = form.partition(" ")
                if rest and head.casefold() in org_forms and rest.casefold() in folded:
                    self._splits[(entry.id, form.casefold())] = (len(head), org_forms[head.casefold()])
        # a retyped name ("Mistral: a framework ...") links to an entry of the new type ending in it
        self._by_last_word.clear()
        for entry in catalog:
            for form in entry.surface_forms:
                last = form.split()[-1].casefold()
                self._by_last_word.setdefault((last, entry.type), set()).add(entry.id)

    # ------------------------------------------------------------------ catalog spans

    def _catalog(self, doc: Doc, text: str) -> list[Candidate]:
        found = doc.user_data.get(CATALOG_SPANS_KEY)
        if found is None:
            found = [(e.start_char, e.end_char, e.label_, e.kb_id_) for e in doc.ents]
        out = []
        for start, end, label, entity_id in found:
            c = Candidate(start, end, label, CATALOG, entity_id, "catalog")
            split = self._splits.get((c.entity_id, text[c.start:c.end].casefold()))
            if split:
                n, org_id = split
                out.append(Candidate(c.start, c.start + n, "ORG", CATALOG, org_id, "catalog-split"))
                rest = c.start + n + 1
                out.append(Candidate(rest, c.end, c.type, CATALOG, c.entity_id, "catalog-split"))
                continue
            out.append(self._retype(text, c) if c.type in _RETYPED else c)
        return out

    def _retype(self, text: str, c: Candidate) -> Candidate:
        """Type a known name by its role when the sentence says so ("Mistral is a framework")."""
        new_type = None
        if c.type == "ORG":
            if ctx.definition_after(text, c.end) == "PRODUCT":
                new_type = "PRODUCT"
        elif c.type == "PRODUCT":
            after = ctx.words_after(text, c.end, 1)
            if after and after[0].lower() in _ROLE_AFTER_PRODUCT:
                new_type = "ORG"
        if new_type is None:
            return c
        return self._as_type(text, c, new_type, "catalog-retype")

    def _as_type(self, text: str, c: Candidate, new_type: str, rule: str, *, keep_entry: bool = False) -> Candidate:
        """`c` as a name of `new_type`: the catalog entry of that type ending in it; otherwise a
        new name, or with `keep_entry` the same entry (the mention stays on its entity page)."""
        surface = text[c.start:c.end]
        ids = self._by_last_word.get((surface.casefold(), new_type), set())
        if len(ids) == 1:
            entity_id = next(iter(ids))
        else:
            entity_id = c.entity_id if keep_entry and c.entity_id else candidate_id(surface, new_type)
        return Candidate(c.start, c.end, new_type, c.strength, entity_id, rule)

    def _extensions(self, text: str, catalog: list[Candidate]) -> list[Candidate]:
        """"DuckDB-WASM", "Codex-Spark", "Chat-GPT": a known name glued to a name part."""
        out = []
        starts = {k.start for k in catalog}
        ends = {k.end for k in catalog}
        for c in catalog:
            if c.type == TOPIC:
                continue
            out += self._known_name_tails(text, c, starts)
            m = _SUFFIX_EXT.match(text, c.end)
            if m and not re.fullmatch(r"(?:19|20)\d\d", m.group("ext")) and c.end + 1 not in starts:
                ext = m.group("ext")
                type_ = "MODEL" if c.type == "ORG" and (version_tag(ext) or size_tag(ext)) else c.type
                if type_ != "ORG":
                    out.append(Candidate(c.start, m.end(), type_, EXTEND, None, "hyphen-ext"))
                continue
            m = _PREFIX_EXT.search(text, max(0, c.start - 30), c.start)
            if m and m.group("pre").lower() not in COMMON_WORDS | {"non", "pre", "post", "anti"} \
                    and c.start - 1 not in ends and c.type in {"MODEL", "PRODUCT", "HARDWARE"}:
                out.append(Candidate(m.start(), c.end, c.type, EXTEND, None, "hyphen-ext"))
        return out

    def _known_name_tails(self, text: str, c: Candidate, known_starts: set[int]) -> list[Candidate]:
        """A known name continued by a release number or, for an organisation, a unit name."""
        if c.end + 1 in known_starts:
            return []  # the next words are a known name of their own
        if c.type in {"PRODUCT", "MODEL", "HARDWARE"}:
            m = _VERSION_AFTER.match(text, c.end)
            if m and not any(ch.isdigit() for ch in text[c.start:c.end]):
                # a product's release is still the product; a model's is a model of its own
                entity_id = c.entity_id if c.type == "PRODUCT" else None
                return [Candidate(c.start, m.end(), c.type, EXTEND, entity_id, "version-after")]
        elif c.type == "ORG":
            m = _ORG_UNIT_AFTER.match(text, c.end)
            if m:
                last = m.group("unit").split()[-1]
                if last in ORG_SUFFIXES and last not in _NOT_ORG_UNITS:
                    return [Candidate(c.start, m.end(), "ORG", EXTEND, None, "org-unit")]
        return []

    # ------------------------------------------------------------------ definitions, bullets

    def _definitions(self, text: str, known: SpanIndex) -> tuple[list[Candidate], dict[str, tuple[str, str | None]]]:
        out: list[Candidate] = []
        aliases: dict[str, tuple[str, str | None]] = {}
        for d in find_definitions(text):
            long_known = known.exact(d.long_start, d.long_end)
            short_known = known.exact(d.short_start, d.short_end)
            if (long_known and long_known.type == TOPIC) or (short_known and short_known.type == TOPIC):
                continue
            if long_known and short_known:
                continue
            short = d.short_text(text)
            if short.rstrip("s") in GENERIC_ACRONYMS:
                continue  # "Convolutional Neural Network (CNN)": a field's acronym
            if long_known or short_known:
                k = long_known or short_known
                assert k is not None
                if long_known:
                    out.append(Candidate(d.short_start, d.short_end, k.type, STRONG, k.entity_id, "acronym"))
                else:
                    out.append(Candidate(d.long_start, d.long_end, k.type, STRONG, k.entity_id, "acronym"))
                aliases.setdefault(short, (k.type, k.entity_id))
                continue
            type_ = self._long_form_type(text, d.long_start, d.long_end)
            if type_ is None:
                continue
            entity_id = candidate_id(d.long_text(text), type_)
            out.append(Candidate(d.long_start, d.long_end, type_, STRONG, entity_id, "acronym"))
            out.append(Candidate(d.short_start, d.short_end, type_, STRONG, entity_id, "acronym"))
            aliases.setdefault(short, (type_, entity_id))
        return out, aliases

    def _long_form_type(self, text: str, start: int, end: int) -> str | None:
        long_text = text[start:end]
        words = long_text.split()
        for chunk in find_chunks(long_text):
            for s, e, type_, _ in org_event_spans(chunk, {}):
                if s == 0 and e == len(long_text):
                    return type_
        if words[-1] in ORG_SUFFIXES and words[-1] not in {"AI", "Intelligence"}:
            return "ORG"
        head = ctx.head_type(words[-1])
        if head in {"MODEL", "DATASET", "PRODUCT", "HARDWARE"} and not long_text.islower():
            return head  # ("software as a service (SaaS)" is a phrase, not a product name)
        if all(w.lower() in COMMON_WORDS for w in words if w.isalpha()) and len(words) > 1:
            return None  # "Machine Learning Operations (MLOps)": a field, not a name
        if long_text.islower() and words[-1] in _GENERIC_PLURALS:
            return None  # "pre-trained language models (PLMs)": a kind of thing, not a name
        before = [w.lower().strip(",\"“") for w in ctx.words_before(text, start, 4)]
        if any(w in _DEF_MODEL_CUES for w in before):
            return "MODEL"  # "we propose noise contrastive priors (NCPs)"
        return None

    def _bullets(self, text: str) -> list[Candidate]:
        """"- [Name](url) - A library for ...": Markdown link lists name tools."""
        out = []
        for m in _BULLET.finditer(text):
            name = m.group("name").strip()
            words = name.split()
            if not 1 <= len(words) <= 3 or all(w.lower() in COMMON_WORDS for w in words):
                continue
            if not (name[0].isupper() or any(c.isupper() for c in name[1:])):
                continue
            type_ = "PRODUCT"
            for word in re.findall(r"[A-Za-z][\w-]*", m.group("desc"))[:10]:
                head = ctx.head_type(word) if word.islower() else None
                if head and head != "EVENT":
                    type_ = head
                    break
            start = m.start("name") + m.group("name").index(name)
            out.append(Candidate(start, start + len(name), type_, MEDIUM, None, "bullet"))
        return out

    def _bylines(self, text: str) -> list[Candidate]:
        """A byline's one-word author is a publisher ("By Synced."), or a person when the word
        is a known given name or surname; a byline's parenthesis is the author's organisation."""
        out = []
        for m in _BYLINE.finditer(text):
            name = m.group("name")
            if " " not in name and any(ch.isupper() for ch in name) and name[0].isalpha() \
                    and name.lower() not in COMMON_WORDS:
                type_ = "PERSON" if name.lower() in GIVEN_NAMES | SURNAMES else "ORG"
                out.append(Candidate(m.start("name"), m.end("name"), type_, MEDIUM, None, "byline"))
            paren = (m.group("paren") or "").strip()
            words = paren.split()
            if paren and len(words) <= 3 and paren.lower() not in COMMON_WORDS and any(ch.isalpha() for ch in paren) \
                    and not (len(words) >= 2 and all(is_person_word(w) for w in words)):  # "(Ferenc Huszár)"
                start = m.start("paren") + m.group("paren").index(paren)
                out.append(Candidate(start, start + len(paren), "ORG", MEDIUM, None, "byline"))
        return out

    # ------------------------------------------------------------------ the component

    def candidates(self, doc: Doc) -> list[Candidate]:
        """All final candidates for `doc` (catalog entries and names), with ids."""
        chosen = self.rule_candidates(doc)
        if self.typer is None:
            return chosen
        text = doc.user_data.get(TEXT_KEY) or doc.text
        out = []
        for c, type_ in self.typer.decide(text, chosen):
            if type_ == c.type:  # unchanged, or a run the typer named (its id comes from assign_ids)
                out.append(c)
            else:  # a role, not another entity: "used Hugging Face" is the platform, still its page
                out.append(self._as_type(text, c, type_, "typer", keep_entry=True))
        return assign_ids(text, out)

    def rule_candidates(self, doc: Doc) -> list[Candidate]:
        """The catalog's and the rules' candidates alone, before the role typer."""
        if self.makers is None:
            return self._candidates(doc)
        with using_makers(self.makers):
            return self._candidates(doc)

    def _candidates(self, doc: Doc) -> list[Candidate]:
        text = doc.user_data.get(TEXT_KEY) or doc.text
        catalog = self._catalog(doc, text)
        known = SpanIndex(catalog)
        rules: list[Candidate] = []
        if self.families is not None:
            rules += self.families.families(text)
            rules += self.families.event_years(text, catalog)
        rules += self._extensions(text, catalog)
        found, units = find_names(text, known)
        rules += found
        definitions, aliases = self._definitions(text, known)
        rules += definitions
        rules += self._bullets(text)
        rules += self._bylines(text)
        typed_units = {(u.start, u.end) for u in units}
        units = sorted(units + [Unit(c.start, c.end, c.type, CATALOG) for c in catalog
                                if c.type != TOPIC and (c.start, c.end) not in typed_units],
                       key=lambda u: (u.start, -u.end))
        rules += [c for c in list_candidates(text, units) if c.type != TOPIC]
        rules = [c for c in rules if not is_generic_name(text[c.start:c.end], c.type)]
        chosen = choose(catalog, rules)
        aliases.update(self._person_aliases(text, chosen))
        chosen = spread(text, chosen, aliases)
        return assign_ids(text, clean_spans(text, chosen))

    def _person_aliases(self, text: str, chosen: list[Candidate]) -> dict[str, tuple[str, str | None]]:
        """A person's given name or surname alone, later in the text, is that person."""
        out: dict[str, tuple[str, str | None]] = {}
        for c in chosen:
            if c.type != "PERSON":
                continue
            parts = text[c.start:c.end].split()
            if len(parts) < 2:
                continue
            entity_id = c.entity_id or candidate_id(text[c.start:c.end], "PERSON")
            for part in (parts[0], parts[-1]):
                if len(part) >= 3 and part.lower() not in COMMON_WORDS and part.lower() not in PLACES \
                        and part.isalpha():
                    out.setdefault(part, ("PERSON", entity_id))
        return out

    def __call__(self, doc: Doc) -> Doc:
        doc.ents = [doc.char_span(start, end, label=type_, kb_id=entity_id, span_id=entity_id)
                    for start, end, type_, entity_id in self.char_spans(doc)]
        return doc

    def char_spans(self, doc: Doc) -> list[tuple[int, int, str, str]]:
        """The final entities in characters: what ``doc.ents`` gets, without building Spans.

        Candidates that do not fall on token boundaries are dropped (``doc.char_span``
        would give None), then overlaps are dropped left to right.
        """
        out = []
        last = -1
        for c in sorted(self.candidates(doc), key=lambda c: (c.start, -c.end)):
            if c.start >= last and _token_aligned(doc, c):
                out.append((c.start, c.end, c.type, c.entity_id))
                last = c.end
        return out


def _token_aligned(doc: Doc, c: Candidate) -> bool:
    """Whether `c` starts and ends on token boundaries (catalog spans are made of tokens)."""
    return c.rule == "catalog" or doc.char_span(c.start, c.end) is not None

"""Entity and topic extraction on a blank spaCy pipeline: the catalog first, then rules.

Two components, each in two steps (find candidates, then resolve and write ``doc.ents``):
:class:`CatalogRuler` tags names the catalog knows; :class:`indexer.ner.EntityRules` then adds
names it has never seen (model families and versions, "X Labs", "University of X", people,
acronym definitions, lists, "the X dataset"...), typed by spelling and context, with ids
``new:<slug>`` (:data:`kb.models.CANDIDATE_PREFIX`). Catalog entries stay authoritative: a
rule only replaces a catalog span by a longer name with strong evidence ("CVPR 2019").

The catalog's names and aliases become phrase patterns in ONE place (:func:`catalog_patterns`),
which a small pipeline component (:class:`CatalogRuler`) matches in two steps, as spaCy's own
rulers do: find candidate spans, then resolve overlaps and write ``doc.ents``.

* Case: each alias is matched exactly (ORTH) or case-insensitively (LOWER), as the catalog
  decides (:meth:`kb.catalog.CatalogEntry.is_case_sensitive`).
* Tokens: patterns are tokenized by the same tokenizer as the text, so "GPT-3", "PS-ViT",
  "Llama 3.1" or "C++" match however spaCy splits them. "Tesla’s" splits into "Tesla" + "’s".
* Variants (v1 rules): "Llama 3.1" also matches "Llama-3.1"/"Llama3.1", "Claude 3.5 Sonnet"
  also "Claude-3.5-Sonnet", "TPU v4" also "TPUv4"; hardware also matches plurals ("H100s").
  An explicit alias always beats a generated variant of another entry.
* Overlaps: the longest span (in characters) wins; on the same span a catalog entity beats a
  topic; then the earlier span wins.
* English-word names (entries with ``case_sensitive: true`` such as Meta, Apple, Ray) are not
  taken from hyphenated compounds: "Meta-learning" is not Meta.

Example::

    >>> from kb.catalog import load_catalog
    >>> extractor = Extractor(load_catalog())
    >>> [(m.text, m.type, m.entity_id) for m in extractor.extract_texts(["Tesla’s D1 Dojo chip"])[0]]
    [('Tesla', 'ORG', 'tesla'), ('D1 Dojo', 'HARDWARE', 'd1-dojo')]
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import compile_suffix_regex
from spacy.vocab import Vocab

from kb.catalog import Catalog
from kb.models import Item, Mention
from indexer.ner.lexicon import COMMON_WORDS, COMPOUND_AFTER, COMPOUND_BEFORE
from indexer.ner.rules import CATALOG_SPANS_KEY, RULES_NAME, TEXT_KEY, EntityRules
from indexer.ner.typer import load_typer

__all__ = ["AliasPattern", "CatalogRuler", "Extractor", "build_nlp", "catalog_patterns", "doc_mentions"]

RULER_NAME = "catalog_ruler"
TOPIC = "TOPIC"
# a winning span in characters: (start, end, type, entity id)
CharSpan = tuple[int, int, str, str]
# spaCy caches the tokens of each whitespace-separated chunk, but only 10,000 chunks by
# default: a newsletter archive has far more, and every miss re-runs the affix regexes.
# A cached chunk gives the same tokens; 250,000 entries stay within a few tens of MB.
TOKENIZER_CACHE_SIZE = 250_000

# "Llama 3.1" / "GPT-3" / "TPU v4": a space or hyphen between a letter and a version number
_VERSION_SEP = re.compile(r"(?<=[A-Za-z])[- ](?=v?\d)")


@dataclass(frozen=True)
class AliasPattern:
    """One surface form to match and what it refers to."""

    text: str
    entity_id: str
    type: str
    case_sensitive: bool
    derived: bool = False  # generated from an alias by a v1 rule, not written in the catalog


def _variants(alias: str, type_: str) -> list[str]:
    """Spelling variants of one alias (without the alias itself)."""
    out: list[str] = []
    if type_ != TOPIC and any(c.isdigit() for c in alias):
        if _VERSION_SEP.search(alias):
            out += [_VERSION_SEP.sub("-", alias), _VERSION_SEP.sub(" ", alias), _VERSION_SEP.sub("", alias)]
        if " " in alias:
            hyphenated = alias.replace(" ", "-")
            out += [hyphenated, _VERSION_SEP.sub("", hyphenated)]
    if type_ == "HARDWARE":
        out += [f"{form}s" for form in [alias, *out] if not form.endswith("s")]
    return [v for v in dict.fromkeys(out) if v != alias]


def catalog_patterns(catalog: Catalog) -> list[AliasPattern]:
    """Every pattern the ruler matches: catalog aliases first, then generated variants.

    A generated variant is dropped when its text (case-folded unless both sides are
    case-sensitive) already belongs to another entry.
    """
    explicit = [
        AliasPattern(form, e.id, e.type, e.is_case_sensitive(form))
        for e in catalog
        for form in e.surface_forms
    ]
    owners: dict[str, set[str]] = {}  # casefolded text -> entity ids
    exact: set[tuple[str, str]] = set()
    for p in explicit:
        owners.setdefault(p.text.casefold(), set()).add(p.entity_id)
        exact.add((p.text, p.entity_id))
    derived: list[AliasPattern] = []
    for p in explicit:
        for variant in _variants(p.text, p.type):
            others = owners.get(variant.casefold(), set()) - {p.entity_id}
            if others or (variant, p.entity_id) in exact:
                continue
            exact.add((variant, p.entity_id))
            derived.append(AliasPattern(variant, p.entity_id, p.type, p.case_sensitive, derived=True))
    for p in derived:
        owners.setdefault(p.text.casefold(), set()).add(p.entity_id)
    # two entries generating the same variant: ambiguous, keep neither
    return explicit + [p for p in derived if len(owners[p.text.casefold()]) == 1]


class CatalogRuler:
    """Finds catalog aliases in a Doc and writes them to ``doc.ents``.

    Labels are entity types (ORG, ..., TOPIC); ``span.kb_id_`` and ``span.id_`` hold the
    catalog id.
    """

    def __init__(self, vocab: Vocab, name: str = RULER_NAME):
        self.name = name
        self.vocab = vocab
        self.exact = PhraseMatcher(vocab, attr="ORTH")
        self.folded = PhraseMatcher(vocab, attr="LOWER")
        self._meta: dict[int, tuple[str, str, bool]] = {}  # key -> (entity id, type, no compounds)
        self._folded_forms: dict[str, dict[str, list[str]]] = {}  # id -> casefolded -> spellings
        self.n_patterns = 0

    def add_patterns(
        self,
        patterns: Iterable[AliasPattern],
        make_doc: Callable[[str], Doc],
        *,
        word_like: Iterable[str] = (),
    ) -> None:
        """Add patterns; `word_like` ids are not matched inside hyphenated compounds."""
        word_like = set(word_like)
        grouped: dict[tuple[str, bool], list[str]] = {}
        for p in patterns:
            key = self.vocab.strings.add(p.entity_id)
            self._meta[key] = (p.entity_id, p.type, p.entity_id in word_like)
            grouped.setdefault((p.entity_id, p.case_sensitive), []).append(p.text)
            if not p.case_sensitive and " " in p.text and p.type != TOPIC:
                self._folded_forms.setdefault(p.entity_id, {}).setdefault(p.text.casefold(), []).append(p.text)
        for (entity_id, case_sensitive), texts in grouped.items():
            matcher = self.exact if case_sensitive else self.folded
            matcher.add(entity_id, [make_doc(t) for t in texts])
            self.n_patterns += len(texts)

    def __call__(self, doc: Doc) -> Doc:
        doc.ents = self.resolve(doc, self.find(doc))
        return doc

    def char_spans(self, doc: Doc) -> list[CharSpan]:
        """The winning spans in characters, without writing ``doc.ents``.

        Why: the Extractor only needs character offsets, and building Spans and setting
        ``doc.ents`` costs more than finding them. Also kept for the entity rules.
        """
        chars = [c for _, _, c in self._winners(doc, self.find(doc))]
        doc.user_data[CATALOG_SPANS_KEY] = chars
        return chars

    def find(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Candidate (key, start, end) token spans, before overlap resolution."""
        folded = [m for m in self.folded(doc) if m[2] - m[1] == 1 or self._case_fits(doc, *m)]
        matches = self.exact(doc) + folded
        return [m for m in matches if not (self._meta[m[0]][2] and _in_hyphen_compound(doc, m[1], m[2]))]

    def _case_fits(self, doc: Doc, key: int, start: int, end: int) -> bool:
        """A several-word name matched in another case keeps its capitals.

        "Microsoft research" is not Microsoft Research and "Jupyter notebooks" not the
        "Jupyter Notebooks" alias; all lower case ("hugging face") is fine unless every word
        of the name is an ordinary word ("neural engine").
        """
        spellings = self._folded_forms.get(self._meta[key][0])
        if not spellings:
            return True  # no several-word spelling to compare (topics, one-word names)
        text = doc[start:end].text
        forms = spellings.get(text.casefold())
        if not forms:
            return True
        words = text.split()
        if text == text.lower():
            return any(any(w.lower() not in COMMON_WORDS for w in form.split()) for form in forms)
        return any(all(not (f[:1].isupper() and t[:1].islower()) for t, f in zip(words, form.split()))
                   for form in forms)

    def resolve(self, doc: Doc, matches: list[tuple[int, int, int]]) -> list[Span]:
        """Longest span first (characters), entities before topics, then leftmost."""
        winners = self._winners(doc, matches)
        # the same spans in characters, for the entity rules (reading Span offsets is slow)
        doc.user_data[CATALOG_SPANS_KEY] = [c for _, _, c in winners]
        return [Span(doc, start, end, label=type_, kb_id=entity_id, span_id=entity_id)
                for start, end, (_, _, type_, entity_id) in winners]

    def _winners(self, doc: Doc, matches: list[tuple[int, int, int]]) -> list[tuple[int, int, CharSpan]]:
        """(start token, end token, char span) of the non-overlapping winners, leftmost first."""
        if not matches:
            return []
        ranked = []
        for key, start, end in set(matches):
            first, last = doc[start], doc[end - 1]
            start_char, end_char = first.idx, last.idx + len(last)
            entity_id, type_, _ = self._meta[key]
            ranked.append(((-(end_char - start_char), type_ == TOPIC, start),
                           (start, end, (start_char, end_char, type_, entity_id))))
        ranked.sort(key=lambda r: r[0])
        taken = bytearray(len(doc))
        winners = []
        for _, (start, end, chars) in ranked:
            if taken.find(1, start, end) >= 0:
                continue
            taken[start:end] = b"\x01" * (end - start)
            winners.append((start, end, chars))
        winners.sort(key=lambda w: w[0])
        return winners


def _in_hyphen_compound(doc: Doc, start: int, end: int) -> bool:
    """True for "Meta" in "Meta-learning" or "Meta-RL": a hyphen glued to a word; not before
    an adjective-forming word or after a prefix ("Anthropic-style", "non-Meta", "OpenAI-to-
    Anthropic"), where the name stays a name."""
    if end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
            and not doc[end].whitespace_ and doc[end + 1].is_alpha and doc[end + 1].lower_ not in COMPOUND_AFTER:
        return True
    return start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_ \
        and not doc[start - 2].whitespace_ and doc[start - 2].is_alpha and doc[start - 2].lower_ not in COMPOUND_BEFORE


@Language.factory(RULER_NAME)
def _make_catalog_ruler(nlp: Language, name: str) -> CatalogRuler:
    return CatalogRuler(nlp.vocab, name)


MAX_RUN = 1_000  # characters without whitespace; no name is this long
MAX_PUNCTUATION_RUN = 50  # punctuation characters in a row; no name has as many
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}|(?:[^\w\s]|_){{{MAX_PUNCTUATION_RUN + 1},}}")


def defused(text: str) -> str:
    """`text` with every run of more than MAX_RUN characters without whitespace, or of more
    than MAX_PUNCTUATION_RUN punctuation characters, blanked out (same length, so offsets hold).

    Why: spaCy's tokenizer strips prefixes and suffixes one at a time, copying the rest of the
    chunk each time: 20,000 asterisks took a minute, and 1,000 still 0.2 s. Such a run (a
    separator, a broken export, an overlong URL) holds no name.
    """
    if len(text) <= MAX_PUNCTUATION_RUN or not _LONG_RUN.search(text):
        return text
    return _LONG_RUN.sub(lambda m: " " * len(m.group()), text)


class _TextKeepingTokenizer:
    """The tokenizer, plus the input text kept on the Doc.

    Why: rules read the text with regexes, and ``doc.text`` rebuilds it token by token,
    which costs as much as tokenizing. Everything else is the wrapped tokenizer's. Runs
    without whitespace longer than any name are read as blanks (`defused`).
    """

    def __init__(self, tokenizer: Callable[[str], Doc]):
        self._tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        safe = defused(text)  # what the rules read too, so tokens and text agree
        doc = self._tokenizer(safe)
        doc.user_data[TEXT_KEY] = safe
        return doc

    def __getattr__(self, name: str):
        return getattr(self._tokenizer, name)


@Language.factory(RULES_NAME)
def _make_entity_rules(nlp: Language, name: str) -> EntityRules:
    return EntityRules(nlp.vocab, name)


def build_nlp(catalog: Catalog, *, rules: bool = True, typer: bool = True) -> Language:
    """A blank English pipeline: catalog entities and topics, then names found by rules.

    With ``rules=False`` only the catalog ruler runs (names the catalog knows, nothing else);
    with ``typer=False`` the trained role typer (:mod:`indexer.ner.typer`) does not retype
    names (how "rules alone" is measured).
    """
    nlp = spacy.blank("en")
    # Markdown links "[PyTorch](https://...)": the "](url)" tail becomes one suffix token, so
    # the anchor text is matchable and nothing is matched inside the URL. And a full stop after
    # a camel-case capital ("ViT.", "Google I/O.") ends the sentence, as after "GPT-3." does.
    suffixes = [r"\]\(\S*$", r"(?<=[^\s.][A-Z])\.", *nlp.Defaults.suffixes]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    nlp.tokenizer.max_cache_size = TOKENIZER_CACHE_SIZE
    nlp.tokenizer = _TextKeepingTokenizer(nlp.tokenizer)
    ruler: CatalogRuler = nlp.add_pipe(RULER_NAME)
    ruler.add_patterns(
        catalog_patterns(catalog),
        nlp.make_doc,
        word_like=(e.id for e in catalog if e.case_sensitive),
    )
    if rules:
        entity_rules: EntityRules = nlp.add_pipe(RULES_NAME)
        entity_rules.add_catalog(catalog)
        if typer:
            entity_rules.use_typer(load_typer(catalog))
    nlp.meta["catalog_version"] = catalog.version
    return nlp


def doc_mentions(doc: Doc, field: str = "text") -> list[Mention]:
    """The Doc's entities as Mentions (char offsets into the Doc's text)."""
    return [
        Mention(start=ent.start_char, end=ent.end_char, text=ent.text, type=ent.label_,
                entity_id=ent.kb_id_, field=field)  # type: ignore[arg-type]
        for ent in doc.ents
    ]


def span_mentions(text: str, spans: Iterable[CharSpan], field: str = "text") -> list[Mention]:
    """Character spans of `text` as Mentions (what :func:`doc_mentions` gives for them)."""
    return [Mention(start=start, end=end, text=text[start:end], type=type_, entity_id=entity_id,  # type: ignore[arg-type]
                    field=field)
            for start, end, type_, entity_id in spans]


class Extractor:
    """Tags texts and items with catalog mentions.

    When every pipeline component can give its result in characters (``char_spans``, as
    the catalog ruler and the entity rules do), texts go through the tokenizer and those
    methods directly: the same mentions as ``doc.ents`` without building Spans. Any other
    pipeline runs through ``nlp.pipe`` in batches.
    """

    def __init__(self, catalog: Catalog, *, batch_size: int = 256, nlp: Language | None = None):
        self.catalog = catalog
        self.batch_size = batch_size
        self._own_nlp = nlp is not None
        self.nlp = nlp if nlp is not None else build_nlp(catalog)

    def __reduce__(self) -> tuple[Callable[..., "Extractor"], tuple[type["Extractor"], Catalog, int]]:
        """Pickled as its catalog, rebuilt on arrival (a worker process started by "spawn").

        Why: the spaCy pipeline with our components does not pickle, and the catalog is all
        it is built from. A pipeline passed in by the caller cannot travel that way.
        """
        if self._own_nlp:
            raise TypeError("an Extractor built with its own nlp pipeline cannot be sent to another process")
        return _rebuild_extractor, (type(self), self.catalog, self.batch_size)

    def _char_spans(self) -> list[Callable[[Doc], list[CharSpan]]] | None:
        steps = [getattr(proc, "char_spans", None) for _, proc in self.nlp.pipeline]
        return steps if steps and all(steps) else None  # type: ignore[return-value]

    def _mentions(self, texts: Iterable[str], fields: Iterable[str]) -> Iterator[list[Mention]]:
        steps = self._char_spans()
        if steps is None:
            docs = self.nlp.pipe(texts, batch_size=self.batch_size)
            yield from (doc_mentions(doc, field) for doc, field in zip(docs, fields))
            return
        make_doc = self.nlp.make_doc
        for text, field in zip(texts, fields):
            doc = make_doc(text)
            spans: list[CharSpan] = []
            for step in steps:
                spans = step(doc)
            yield span_mentions(text, spans, field)

    def extract_texts(self, texts: Iterable[str]) -> list[list[Mention]]:
        """One list of mentions (field "text") per input text, in order."""
        return list(self._mentions(texts, itertools.repeat("text")))

    def tag_items(self, items: Sequence[Item]) -> list[Item]:
        """Copies of `items` with `mentions` filled: title mentions first, then text ones."""
        texts = (text for item in items for text in (item.title or "", item.text or ""))
        mentions = self._mentions(texts, itertools.cycle(("title", "text")))
        tagged = []
        for item in items:
            title, text = next(mentions), next(mentions)
            tagged.append(replace(item, mentions=tuple(title + text)))
        return tagged


def _rebuild_extractor(cls: type[Extractor], catalog: Catalog, batch_size: int) -> Extractor:
    return cls(catalog, batch_size=batch_size)

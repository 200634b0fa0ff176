"""Rules derived from the catalog: unseen versions of known families, events with years.

Why: the catalog knows "Llama 3.1", "Qwen 3" and "TPU v4", so it also knows that "Llama",
"Qwen" and "TPU" are families; "Llama 4 Scout", "Qwen3.6-27B" or "TPU v7" are new members
of them, of the same type. Likewise a known conference followed by a year ("CVPR 2019",
"ICLR19") is that conference. The patterns are compiled once per catalog into a few
alternations, so each text is scanned by one regex per rule.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from kb.catalog import Catalog, CatalogEntry, default_case_sensitive
from indexer.ner.lexicon import COMMON_WORDS, MODEL_VARIANT_WORDS, PLACES
from indexer.ner.spans import EXTEND, Candidate

__all__ = ["FamilyRules", "family_stems"]

_STEM_OF = re.compile(r"^(?:.*?[ -])??(?P<stem>[A-Za-z]+(?:-[A-Za-z]{3,})*)"
                      r"[- ]?(?:[vV]|[A-Z](?=\d))?(?P<ver>\d[\w.]*)")
_VER = r"(?:[vV]?\d{1,3}(?:\.\d+)*[a-z]?|[A-Z]\d{1,2}(?:\.\d+)?[a-z]?)"
_HW_VER = r"(?:[vV]?\d{1,4}(?:\.\d+)*[a-zA-Z]{0,2})"
_SIZE = r"(?:\d+(?:\.\d+)?[BMT]|\d+x\d+(?:\.\d+)?B|[AE]\d+(?:\.\d+)?B)"
_CODE = r"(?:[A-Z]\d{1,2}(?:\.\d+)?|" + _SIZE + ")"
_VER_FULL = re.compile(r"^(?:[vV]?\d+(?:\.\d+)*[a-z]?)$")


def _alternation(forms: Iterable[str], case_sensitive: dict[str, bool]) -> str:
    parts = []
    for form in sorted(set(forms), key=len, reverse=True):
        escaped = re.escape(form)
        parts.append(escaped if case_sensitive[form] else f"(?i:{escaped})")
    return "|".join(parts)


def family_stems(catalog: Catalog) -> dict[str, tuple[str, bool]]:
    """Family name -> (type, case-sensitive) from MODEL and HARDWARE names with versions.

    "Llama 3.1" gives Llama, "Claude Opus 4" gives Opus, "YOLOv5" gives YOLO, "TPU v4"
    gives TPU; one-word names ("Mamba", "Gaudi") are families of their own.
    """
    stems: dict[str, tuple[str, bool]] = {}
    orgs = {f.casefold() for e in catalog.by_type("ORG") for f in e.surface_forms}
    for entry in catalog:
        if entry.type not in {"MODEL", "HARDWARE"}:
            continue
        for form in entry.surface_forms:
            m = _STEM_OF.match(form)
            if m and _VER_FULL.match(m.group("ver").split()[0]):
                stem = m.group("stem")
                if stem[-1] in "vV" and len(stem) > 3 and stem[-2].isalpha():
                    stem = stem[:-1]  # "YOLOv5", "InceptionV3"
            elif re.fullmatch(r"[A-Za-z][A-Za-z-]*[A-Za-z](?: [A-Z][A-Za-z-]*[A-Za-z])?", form):
                stem = form  # "Mamba", "Stable Diffusion": a family of its own
            else:
                continue
            if len(stem) < 3 or (stem.lower() in COMMON_WORDS and not stem.isupper()) or stem.lower() in PLACES \
                    or stem.casefold() in orgs or stem.split()[0].casefold() in orgs:
                continue
            cs = entry.is_case_sensitive(stem) if entry.case_sensitive is not None else default_case_sensitive(stem)
            stems.setdefault(stem, (entry.type, cs))
    return stems


def _model_makers(catalog: Catalog) -> list[CatalogEntry]:
    """Organisations that release models and no hardware ("DeepSeek" -> "DeepSeek-R2")."""
    out = []
    for entry in catalog.by_type("ORG"):
        owned = {e.type for e in catalog.owned_by(entry.id)}
        if "MODEL" in owned and "HARDWARE" not in owned:
            out.append(entry)
    return out


class FamilyRules:
    """Compiled family and event-year patterns for one catalog."""

    def __init__(self, catalog: Catalog):
        stems = family_stems(catalog)
        upper = [v for v in MODEL_VARIANT_WORDS if v[0].isupper()]
        lower = [v for v in MODEL_VARIANT_WORDS if v[0].islower()]
        variants = "|".join(re.escape(v) for v in sorted(upper, key=len, reverse=True))
        lowers = "|".join(re.escape(v) for v in sorted(lower, key=len, reverse=True))
        # capitalised variants after a space or hyphen, lower-case ones only hyphenated ("-mini")
        tail = rf"(?:[- ](?:{variants}|{_SIZE})(?![\w])|-(?:{lowers})(?![\w]))*"
        self._types = {s.lower(): t for s, (t, _) in stems.items()}
        model_stems = {s: cs for s, (t, cs) in stems.items() if t == "MODEL"}
        hw_stems = {s: cs for s, (t, cs) in stems.items() if t == "HARDWARE"}
        makers = {f: e.is_case_sensitive(f) for e in _model_makers(catalog) for f in e.surface_forms
                  if " " not in f and len(f) >= 3}
        patterns = []
        if model_stems:
            patterns.append(rf"(?P<model>(?:{_alternation(model_stems, model_stems)})"
                            rf"(?:[ ](?:{variants}))?(?:[- ]?{_VER}){tail})")
        if hw_stems:
            patterns.append(rf"(?P<hardware>(?:{_alternation(hw_stems, hw_stems)})[- ]?{_HW_VER}s?)")
        if makers:
            patterns.append(rf"(?P<maker>(?:{_alternation(makers, makers)})[- ]{_CODE}{tail})")
        body = "|".join(patterns) or r"(?!x)x"
        self.family_re = re.compile(rf"(?<![\w.\-/@])(?:{body})(?![\w+]|[-.]\w)")
        # one-word event names ("ICLR", "NeurIPS") for years glued to them: "ICLR2019"
        self._event_forms: dict[str, str] = {}
        self._event_forms_folded: dict[str, str] = {}
        for e in catalog.by_type("EVENT"):
            for f in e.surface_forms:
                if " " in f:
                    continue
                if e.is_case_sensitive(f) or len(f) <= 6:
                    self._event_forms[f] = e.id
                else:
                    self._event_forms_folded[f.lower()] = e.id

    def families(self, text: str) -> list[Candidate]:
        """New members of known model/hardware families, and model codes of model makers."""
        out = []
        end = 0
        for start in _name_starts(text):
            if start < end:
                continue
            m = self.family_re.match(text, start)
            if m is None:
                continue
            end = m.end()
            kind = m.lastgroup
            type_ = "HARDWARE" if kind == "hardware" else "MODEL"
            out.append(Candidate(m.start(), m.end(), type_, EXTEND, None, f"family:{kind}"))
        return out

    def event_years(self, text: str, known: Iterable[Candidate] = ()) -> list[Candidate]:
        """"CVPR 2019", "ICLR19", "NeurIPS'23": a known event and the year of its edition.

        `known` are the catalog's spans: a multi-word event name ("PyData Berlin") followed
        by a year is found through them.
        """
        ends = {c.end: c for c in known if c.type == "EVENT"}
        out = []
        for m in _YEAR.finditer(text):
            year_start, year_end = m.span()
            year = m.group()
            if not (len(year) == 2 or (len(year) == 4 and year[:2] in {"19", "20"})) or \
                    (year_end < len(text) and (text[year_end].isalnum() or text[year_end] == "_")):
                continue
            if len(year) == 2 and not (text[year_start - 1:year_start] in {"'", "’"}
                                            or text[year_end:year_end + 1] == "]"
                                            or text[year_start - 1:year_start].isalpha()):
                continue
            i = year_start
            if text[i - 1:i] in {"'", "’"}:
                i -= 1
            if text[i - 1:i] in {" ", "-"} and i - 1 in ends:
                c = ends[i - 1]
                out.append(Candidate(c.start, year_end, "EVENT", EXTEND, c.entity_id, "event-year"))
                continue
            if text[i - 1:i] in {" ", "-"}:
                i -= 1
            k = i
            while k > 0 and (text[k - 1].isalnum() or text[k - 1] in "+&"):
                k -= 1
            if k == i or (k > 0 and text[k - 1] in ".-/@_"):
                continue
            name = text[k:i]
            entity_id = self._event_forms.get(name) or self._event_forms_folded.get(name.lower())
            if entity_id:
                out.append(Candidate(k, year_end, "EVENT", EXTEND, entity_id, "event-year"))
        return out


_DIGITS = re.compile(r"\d+")
_YEAR = re.compile(r"\d\d+")


def _name_starts(text: str) -> Iterator[int]:
    """Where a versioned name may start: the word (or two) before each number."""
    for m in _DIGITS.finditer(text):
        j = m.start()
        if j == 0:
            continue
        if text[j - 1] in "vV" or (text[j - 1].isupper() and (j < 2 or text[j - 2] in " -")):
            j -= 1  # "v4", "R1"
        if j and text[j - 1] in " -":
            j -= 1
        k = j
        while k and (text[k - 1].isalpha() or text[k - 1] == "-"):
            k -= 1
        if k == j:
            continue
        if k >= 2 and text[k - 1] == " ":
            k2 = k - 1
            while k2 and text[k2 - 1].isalpha():
                k2 -= 1
            if k2 < k - 1 and text[k2].isupper():
                yield k2  # "Claude Opus 4.6": the word before may start the name
        yield k

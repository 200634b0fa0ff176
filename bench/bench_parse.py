"""How well the parsers find the items of newsletters they were never written for.

    python -m bench.bench_parse [--archive NAME] [--show] [--corpus DIR]

Parses every issue named in `tests/parse_gold/*.jsonl` (archives of
`../shared/corpus/more-newsletters/`, read by path) and compares the items found with the gold
lists. An item found matches a gold item when its title is the same (normalised words) or it
links the same page; each gold item matches at most once. Prints per archive: files that
failed, item precision/recall/F1, the strict title-only F1, and section accuracy (matched items
whose section path, or its last part, is the gold one). Held-out archives (never tuned on) are
marked; the project's own fixtures (`tests/parse_gold/fixtures/`, for layout families the
shared corpus lacks: a platform e-mail export, a feed of full issues, one story per heading)
are scored the same way. `--show` lists misses and extras, never for held-out archives.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from indexer.parsers import parse_paths
from kb.models import Issue, Item
from kb.urls import normalize_url
from tests.relevance.targets import title_hash

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "parse_gold"
CORPUS = ROOT.parent / "shared" / "corpus" / "more-newsletters"
OWN_GOLD = GOLD / "fixtures"
OWN_CORPUS = ROOT / "tests" / "fixtures" / "archives"
HELD_OUT = frozenset({"haskellweekly", "julia-tmjw-html"})
EMPTY_SECTION = title_hash("")

__all__ = ["Tally", "score_issue", "evaluate_archive", "archives", "main"]


@dataclass
class Tally:
    files: int = 0
    failed: int = 0
    gold: int = 0
    found: int = 0
    matched: int = 0
    title_matched: int = 0
    section_right: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name in ("files", "failed", "gold", "found", "matched", "title_matched", "section_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses
        self.extras += other.extras

    @staticmethod
    def _f1(matched: int, found: int, gold: int) -> tuple[float, float, float]:
        p = matched / found if found else 0.0
        r = matched / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def prf(self) -> tuple[float, float, float]:
        return self._f1(self.matched, self.found, self.gold)

    @property
    def title_f1(self) -> float:
        return self._f1(self.title_matched, self.found, self.gold)[2]

    @property
    def section_accuracy(self) -> float:
        return self.section_right / self.matched if self.matched else 0.0


def _gold_sections(entry: dict) -> list[str]:
    names: list[str] = []
    for section in entry["sections"]:
        names += [section["name_hash"]] * section["items"]
    return names


def _section_ok(item: Item, wanted: str) -> bool:
    if not item.section:
        return wanted == EMPTY_SECTION
    parts = [p.strip() for p in item.section.split("›")]
    return wanted in {title_hash(item.section), title_hash(parts[-1])}


def score_issue(issue: Issue, entry: dict, where: str) -> Tally:
    """Greedy one-to-one matching: exact titles first, then shared links."""
    gold = entry["items"]
    sections = _gold_sections(entry)
    found = list(issue.items)
    tally = Tally(files=1, gold=len(gold), found=len(found))
    free = set(range(len(gold)))
    pairs: dict[int, int] = {}
    for k, item in enumerate(found):
        hit = next((g for g in sorted(free) if gold[g]["title_hash"] == title_hash(item.title)), None)
        if hit is not None:
            free.discard(hit)
            pairs[k] = hit
            tally.title_matched += 1
    for k, item in enumerate(found):
        if k in pairs or not item.url:
            continue
        url = normalize_url(item.url)
        hit = next((g for g in sorted(free) if gold[g].get("url") and normalize_url(gold[g]["url"]) == url), None)
        if hit is not None:
            free.discard(hit)
            pairs[k] = hit
    tally.matched = len(pairs)
    tally.section_right = sum(_section_ok(found[k], sections[g]) for k, g in pairs.items())
    tally.extras = [f"{where}: + {found[k].title[:90]!r} [{found[k].section}]" for k in range(len(found)) if k not in pairs]
    tally.misses = [f"{where}: - {gold[g].get('url') or gold[g]['title_hash']}" for g in sorted(free)]
    return tally


def _issues_of(archive: Path, files: list[str]) -> dict[str, Issue]:
    """Every gold file parsed as one archive (so what the archive repeats is learned)."""
    paths = sorted({archive.parent / name.split("#", 1)[0] for name in files})
    parsed, failures = parse_paths(paths)
    by_name: dict[str, Issue] = {}
    for path, issues in parsed.items():
        rel = path.relative_to(archive.parent).as_posix()
        if len(issues) == 1 and not any(f.startswith(rel + "#") for f in files):
            by_name[rel] = issues[0]
        for n, issue in enumerate(issues, start=1):
            by_name[f"{rel}#{n}"] = issue
    return by_name


def archives(corpus: Path = CORPUS) -> list[tuple[str, Path, Path]]:
    """(name, gold file, corpus folder) of every archive with gold: the shared newsletters,
    then the project's own fixtures for layout families the shared corpus lacks."""
    found = [(p.stem, p, corpus) for p in sorted(GOLD.glob("*.jsonl"))]
    return found + [(p.stem, p, OWN_CORPUS) for p in sorted(OWN_GOLD.glob("*.jsonl"))]


def evaluate_archive(name: str, corpus: Path = CORPUS, gold: Path | None = None) -> Tally:
    gold = gold or GOLD / f"{name}.jsonl"
    entries = [json.loads(line) for line in gold.read_text().splitlines() if line.strip()]
    issues = _issues_of(corpus / name, [e["file"] for e in entries])
    total = Tally()
    for entry in entries:
        issue = issues.get(entry["file"])
        if issue is None:
            total.add(Tally(files=1, failed=1, gold=len(entry["items"])))
            total.misses.append(f"{entry['file']}: failed to parse")
            continue
        total.add(score_issue(issue, entry, entry["file"]))
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", action="append", help="only this archive (repeatable)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--show", action="store_true", help="list misses and extras (development archives only)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    chosen = [a for a in archives(args.corpus) if not args.archive or a[0] in args.archive]
    print(f"{'archive':<24} {'part':<9} {'files':>5} {'failed':>6} {'gold':>5} {'found':>5} "
          f"{'P':>6} {'R':>6} {'F1':>6} {'titleF1':>7} {'sections':>8}")
    totals = {"dev": Tally(), "held-out": Tally(), "own": Tally()}
    for name, gold, corpus in chosen:
        tally = evaluate_archive(name, corpus, gold)
        part = "own" if corpus == OWN_CORPUS else "held-out" if name in HELD_OUT else "dev"
        totals[part].add(tally)
        p, r, f1 = tally.prf
        print(f"{name:<24} {part:<9} {tally.files:>5} {tally.failed:>6} {tally.gold:>5} {tally.found:>5} "
              f"{p:>6.3f} {r:>6.3f} {f1:>6.3f} {tally.title_f1:>7.3f} {tally.section_accuracy:>8.3f}")
        if args.show and part != "held-out":
            for line in tally.misses + tally.extras:
                print("   ", line)
    for part, tally in totals.items():
        if tally.files:
            p, r, f1 = tally.prf
            print(f"{'all ' + part:<24} {'':<9} {tally.files:>5} {tally.failed:>6} {tally.gold:>5} {tally.found:>5} "
                  f"{p:>6.3f} {r:>6.3f} {f1:>6.3f} {tally.title_f1:>7.3f} {tally.section_accuracy:>8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

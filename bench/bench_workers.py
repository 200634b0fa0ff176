"""What `indexer ingest --workers N` gains over one worker, on a synthetic archive of any size.

    python -m bench.bench_workers --items 100000 --workers 2

Why a bench of its own: issue 11 asks for the speed-up of parallel ingest on 100k items, and
the scale bench (`bench.bench_scale`) writes issues straight to the backend, skipping the
parse and extract stages the workers share. Here the synthetic archive (`bench.synthetic`,
drawn from a real archive's profile, the MLE newsletter by default) is written as Markdown
files with front matter, one folder per newsletter, and read back by the real pipeline
(`indexer.pipeline.ingest`: parse, date, extract, write) once with one worker and once with
N, each into a fresh SQLite database, timed end to end. Printed: issues, items, mentions,
seconds and items/s per run, the speed-up, and whether both databases hold the same archive
(every issue's fingerprint, which covers its items and mentions, and the counts); the command
fails when they differ.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from bench.bench_scale import MLE, ROOT, _start, newsletters_for
from bench.synthetic import ArchiveProfile, sample_profile, synthetic_issues
from indexer.extract import Extractor
from indexer.parallel import available_cores, worker_count
from indexer.pipeline import ingest
from kb.backends.sqlite import SQLiteBackend
from kb.catalog import load_catalog
from kb.models import Issue

__all__ = ["WorkerRun", "WorkersResult", "issue_markdown", "write_archive", "run", "report", "main"]

# Characters Markdown could read as markup: escaped, so the parser gives back the text as generated.
_MARKUP = re.compile(r"([\\`*_\[\]<>#!|~&])")


@dataclass
class WorkerRun:
    """One ingest of the archive: its counts as the pipeline reports them, and its wall time."""

    workers: int
    files: int = 0
    issues: int = 0
    items: int = 0
    mentions: int = 0
    failures: int = 0
    seconds: float = 0.0
    stored_issues: int = 0
    stored_items: int = 0
    load: float = 0.0  # 1-minute load average when the run started: other work on the cores skews the speed-up

    @property
    def items_per_s(self) -> float:
        return self.items / self.seconds if self.seconds else 0.0


@dataclass
class WorkersResult:
    items: int  # generated
    issues: int = 0  # generated
    newsletters: int = 0
    corpus: str = ""
    write_seconds: float = 0.0
    runs: list[WorkerRun] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)

    @property
    def speedup(self) -> float:
        one, many = self.runs[0].seconds, self.runs[-1].seconds
        return one / many if many else 0.0

    @property
    def identical(self) -> bool:
        return len(self.runs) == 2 and not self.differences


def _escape(text: str) -> str:
    return _MARKUP.sub(r"\\\1", text)


def issue_markdown(issue: Issue) -> str:
    """One issue as the Markdown parser reads it back: front matter, `## Section` headings,
    `### [Title](url)` items with their text (the shape of a static-site newsletter archive)."""
    lines = ["---", f"issue: {issue.number}", f"date: {issue.date.isoformat() if issue.date else ''}",
             f"publication: {json.dumps(issue.publication)}", f"title: {json.dumps(issue.title)}", "---", ""]
    section: str | None = None
    for item in issue.items:
        if item.section != section:
            section = item.section
            lines += [f"## {_escape(section)}", ""]
        lines += [f"### [{_escape(item.title)}]({item.url})", "", _escape(item.text), ""]
    return "\n".join(lines)


def _folder_name(publication: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", publication.lower()).strip("-")


def write_archive(issues: Iterable[Issue], root: Path) -> tuple[int, int, int]:
    """Write every issue under `root`, one folder per newsletter (templates and sidecars are
    per folder, as in a real archive); returns (issues, items, newsletters) written."""
    count = items = 0
    folders: set[Path] = set()
    for issue in issues:
        folder = root / _folder_name(issue.publication)
        if folder not in folders:
            folder.mkdir(parents=True, exist_ok=True)
            folders.add(folder)
        (folder / f"{issue.number:05d}.md").write_text(issue_markdown(issue), encoding="utf-8")
        count += 1
        items += len(issue.items)
    return count, items, len(folders)


def _progress(label: str, quiet: bool) -> Callable[[str, int, int], None] | None:
    """A line on stderr per stage and tenth: cheap enough not to weigh on the timing."""
    if quiet:
        return None
    shown: set[tuple[str, int]] = set()

    def update(stage: str, done: int, total: int) -> None:
        tenth = 10 * done // max(1, total)
        if (stage, tenth) not in shown:
            shown.add((stage, tenth))
            print(f"{label}: {stage} {done:,}/{total:,}", file=sys.stderr, flush=True)

    return update


def ingest_once(root: Path, db: Path, workers: int, *, quiet: bool = True) -> tuple[WorkerRun, dict[str, str]]:
    """The real pipeline into a fresh database, timed from the first file read to the closed
    database; returns the run and every stored issue's fingerprint."""
    extractor = Extractor(load_catalog())  # built per run, outside the timing: no cache carried over
    backend = SQLiteBackend(db)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    try:
        got = ingest([root], backend=backend, extractor=extractor, workers=workers,
                     progress=_progress(f"{workers} worker{'s' * (workers > 1)}", quiet))
    finally:
        backend.close()
    seconds = time.perf_counter() - started
    stored = SQLiteBackend(db)
    try:
        fingerprints = stored.fingerprints()
        result = WorkerRun(workers, got.files, got.issues, got.items, got.mentions, len(got.failures), seconds,
                           stored.count_issues(), stored.count_items(), round(load, 2))
    finally:
        stored.close()
    return result, fingerprints


def differences(runs: list[WorkerRun], prints: list[dict[str, str]]) -> list[str]:
    """What differs between the two stored archives (empty when they are the same)."""
    out: list[str] = []
    (one, many), (a, b) = runs, prints
    for name in ("files", "issues", "items", "mentions", "failures", "stored_issues", "stored_items"):
        if getattr(one, name) != getattr(many, name):
            out.append(f"{name}: {getattr(one, name):,} with 1 worker, {getattr(many, name):,} with {many.workers}")
    if a.keys() != b.keys():
        out.append(f"issues stored by one run only: {len(a.keys() ^ b.keys()):,}")
    changed = sum(1 for k in a.keys() & b.keys() if a[k] != b[k])
    if changed:
        out.append(f"issues stored with different content or mentions: {changed:,}")
    return out


def run(args: argparse.Namespace, profile: ArchiveProfile | None = None, *,
        out: Callable[[str], None] = print) -> WorkersResult:
    """Write the archive once, ingest it with 1 worker then `args.workers`, compare; the
    temporary folder (files and both databases) is removed afterwards."""
    profile = profile or sample_profile(args.corpus)
    newsletters = newsletters_for(args.items, profile)
    result = WorkersResult(args.items, corpus=str(args.corpus))
    with tempfile.TemporaryDirectory(dir=args.workdir, prefix="bench-workers-") as tmp:
        root = Path(tmp) / "archive"
        started = time.perf_counter()
        issues = synthetic_issues(profile, args.items, newsletters=newsletters,
                                  start=_start(args.items, newsletters, profile), seed=args.seed)
        result.issues, _, result.newsletters = write_archive(issues, root)
        result.write_seconds = time.perf_counter() - started
        prints: list[dict[str, str]] = []
        for workers in (1, args.workers):
            one, fingerprints = ingest_once(root, Path(tmp) / f"workers-{workers}-{len(prints)}.sqlite3", workers,
                                            quiet=args.quiet)
            result.runs.append(one)
            prints.append(fingerprints)
        result.differences = differences(result.runs, prints)
    report(result, out)
    return result


def report(r: WorkersResult, out: Callable[[str], None] = print) -> None:
    out(f"synthetic archive: {r.items:,} items in {r.issues:,} Markdown issues of {r.newsletters} newsletters"
        f" (written in {r.write_seconds:,.1f} s; profile of {r.corpus}); {available_cores()} cores available")
    out(f"{'workers':>7} {'files':>8} {'issues':>8} {'items':>9} {'mentions':>9} {'failures':>8} {'seconds':>9} {'items/s':>9} {'load1m':>6}")
    for w in r.runs:
        out(f"{w.workers:>7} {w.files:>8,} {w.issues:>8,} {w.items:>9,} {w.mentions:>9,} {w.failures:>8,}"
            f" {w.seconds:>9,.1f} {w.items_per_s:>9,.0f} {w.load:>6.2f}")
    out(f"speed-up, {r.runs[-1].workers} workers over 1: {r.speedup:.2f}x")
    if r.runs[0].items != r.items:
        out(f"note: the pipeline read {r.runs[0].items:,} of the {r.items:,} items written")
    if r.identical:
        w = r.runs[-1]
        out(f"same archive: yes ({w.stored_issues:,} issues with equal fingerprints, {w.stored_items:,} items,"
            f" {w.mentions:,} mentions)")
    else:
        out("same archive: NO")
        for line in r.differences:
            out(f"  {line}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_workers", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000, help="synthetic items to generate (default 100000)")
    parser.add_argument("--workers", type=worker_count, default=available_cores(),
                        help=f"workers of the parallel run, compared with 1 (default: the cores, here {available_cores()})")
    parser.add_argument("--corpus", type=Path, default=MLE if MLE.is_dir() else ROOT / "data",
                        help="real archive whose profile the synthetic one follows (default: the MLE newsletter)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the Markdown files and databases go (a temporary folder in it, removed after)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return parser


def _payload(r: WorkersResult) -> dict[str, Any]:
    return {**asdict(r), "speedup": r.speedup, "identical": r.identical,
            "runs": [{**asdict(w), "items_per_s": w.items_per_s} for w in r.runs]}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.items < 1:
        parser.error("--items must be at least 1")
    result = run(args)
    if args.json:
        args.json.write_text(json.dumps(_payload(result), indent=2) + "\n")
    return 0 if result.identical else 1


if __name__ == "__main__":
    sys.exit(main())

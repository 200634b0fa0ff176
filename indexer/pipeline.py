"""parse → date → extract → write, as plain functions over the data.

A file that fails is recorded with its path and reason and the batch goes on; a batch of
issues is written in one backend transaction, so nothing already indexed is lost.

With `workers` above 1, files are parsed and issues tagged in that many processes
(:mod:`indexer.parallel`); what crosses files (templates, dates, duplicates) and every write
stay in this process, in input order, so the result is the same as with one worker.
"""
from __future__ import annotations

import os
import time
from datetime import date, timedelta
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from indexer.dates import Sidecar, apply_dates, load_sidecar
from indexer.extract import Extractor
from indexer.parallel import map_in_order
from indexer.parsers import ParseError, detect_parser, discover_files, read_source, strip_templates
from indexer.parsers.common import shown
from kb.backends.base import Backend, BackendError
from kb.models import Issue
from kb.urls import MAX_URL_CHARS, is_web_link

__all__ = [
    "Failure",
    "IngestReport",
    "ParsedFile",
    "parse_files",
    "named_publications",
    "date_issues",
    "ingest",
    "reindex",
    "retag",
    "tag_issue",
]

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class Failure:
    path: str
    reason: str


@dataclass
class IngestReport:
    files: int = 0
    issues: int = 0
    written: int = 0
    unchanged: int = 0
    items: int = 0
    mentions: int = 0
    failures: list[Failure] = field(default_factory=list)
    notes: list[Failure] = field(default_factory=list)  # indexed, but changed on the way (an item cut)
    seconds: float = 0.0

    @classmethod
    def after_parsing(cls, parsed: Sequence["ParsedFile"], failures: list[Failure]) -> "IngestReport":
        return cls(files=len(parsed) + len({f.path for f in failures}), failures=failures)

    def count(self, issue: Issue) -> None:
        """Add an issue about to be written to the totals."""
        self.issues += 1
        self.items += len(issue.items)
        self.mentions += sum(len(i.mentions) for i in issue.items)

    def summary_line(self) -> str:
        return (
            f"{self.issues} issues ({self.written} written, {self.unchanged} unchanged), "
            f"{self.items} items, {self.mentions} mentions, {len(self.failures)} failures "
            + (f"({len(self.notes)} notes) " if self.notes else "")
            + (f"from {self.files} files " if self.files else "")
            + f"in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class ParsedFile:
    path: Path
    folder: Path
    issues: tuple[Issue, ...]


def _sidecars() -> Callable[[Path], tuple[Sidecar | None, Failure | None]]:
    cache: dict[Path, tuple[Sidecar | None, Failure | None]] = {}

    def get(folder: Path) -> tuple[Sidecar | None, Failure | None]:
        if folder not in cache:
            try:
                cache[folder] = (load_sidecar(folder), None)
            except ParseError as exc:
                cache[folder] = (None, Failure(exc.path, exc.reason))
        return cache[folder]

    return get


def _parse_file(job: tuple[Path, str | None], layout: str | Path | None) -> tuple[Issue, ...] | Failure:
    """One file's issues, or why it cannot be read (a value, so it crosses processes as is)."""
    path, hint = job
    try:
        if path.is_symlink() and not path.exists():
            return Failure(str(path), f"a link to {shown(os.readlink(path), 120)}, which does not exist")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Failure(str(path), f"{size:,} bytes is more than an issue file can be ({MAX_FILE_BYTES:,}); split it")
        source = read_source(path, publication_hint=hint, layout=layout)
        issues = tuple(detect_parser(source).parse(source))
        problem = next((p for p in map(_out_of_range, issues) if p), None)
        return Failure(str(path), problem) if problem else issues
    except ParseError as exc:
        return Failure(exc.path, exc.reason)
    except Exception as exc:  # whatever else one file raises, the batch goes on without it
        return Failure(str(path), f"could not be read ({_described(exc)})")


MAX_FILE_BYTES = 25 * 2**20  # no issue file is this large; reading more would tie up a worker
MAX_ISSUE_NUMBER = 1_000_000
MAX_ITEMS_PER_ISSUE = 2_000
MAX_ISSUE_CHARS = 2_000_000  # item text per issue: tagging is linear in it, about 10 s at this size
EARLIEST_DATE = date(1900, 1, 1)


def _out_of_range(issue: Issue) -> str | None:
    """Why an issue's number, date or size cannot be right (None when they can)."""
    if issue.number is not None and not 0 <= issue.number <= MAX_ISSUE_NUMBER:
        return f"issue number {shown(issue.number, 40)} is out of range (0 to {MAX_ISSUE_NUMBER:,})"
    latest = date.today() + timedelta(days=366)
    if issue.date is not None and not EARLIEST_DATE <= issue.date <= latest:
        return f"issue date {issue.date.isoformat()} is out of range ({EARLIEST_DATE.isoformat()} to {latest.isoformat()})"
    if len(issue.items) > MAX_ITEMS_PER_ISSUE:
        return f"{len(issue.items):,} items in one issue (at most {MAX_ITEMS_PER_ISSUE:,}): is the layout read right?"
    chars = sum(len(item.text) for item in issue.items)
    if chars > MAX_ISSUE_CHARS:
        return f"{chars:,} characters of item text in one issue (at most {MAX_ISSUE_CHARS:,}): is the layout read right?"
    return None


def _described(exc: BaseException) -> str:
    """An exception in one bounded line (its text may hold a whole malformed value)."""
    return f"{type(exc).__name__}: {_one_line(str(exc))}"


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text[:_REASON_CHARS] + ("…" if len(text) > _REASON_CHARS else "")


_REASON_CHARS = 200


def parse_files(
    paths: Iterable[str | Path],
    progress: Progress | None = None,
    publication: str | None = None,
    layout: str | Path | None = None,
    *,
    workers: int = 1,
) -> tuple[list[ParsedFile], list[Failure], dict[Path, Sidecar | None]]:
    """Parse every file under `paths`; failures are collected, never raised.

    `publication` names the newsletter for files that do not name it themselves (it beats a
    sidecar's and the folder name). Files are parsed in `workers` processes; sidecars and
    templates, which span files, are read here.
    """
    failures: list[Failure] = []
    existing: list[Path] = []
    for p in map(Path, paths):
        if p.exists():
            existing.append(p)
        else:
            failures.append(Failure(str(p), "no such file or folder"))
    files = discover_files(existing)
    sidecar_of = _sidecars()
    jobs: list[tuple[Path, str | None]] = []
    for path in files:
        sidecar, _ = sidecar_of(path.parent)
        jobs.append((path, publication or (sidecar.publication if sidecar else None)))
    parsed: list[ParsedFile] = []
    with closing(map_in_order(_parse_file, jobs, state=layout, workers=workers)) as results:
        for n, (path, result) in enumerate(zip(files, results), start=1):
            problem = sidecar_of(path.parent)[1]
            if problem and problem not in failures:
                failures.append(problem)
            if isinstance(result, Failure):
                if result not in failures:  # a bad layout file is reported once
                    failures.append(result)
            else:
                parsed.append(ParsedFile(path, path.parent, result))
            if progress:
                progress("parse", n, len(files))
    sidecars = {f: sidecar_of(f)[0] for f in {p.parent for p in files}}
    stripped = strip_templates({p.path: list(p.issues) for p in parsed})
    parsed = [replace(p, issues=tuple(stripped[p.path])) for p in parsed]
    return parsed, failures, sidecars


_UNNAMED = "\x00unnamed"  # a publication hint no file can name itself


def named_publications(paths: Iterable[str | Path]) -> dict[Path, str | None]:
    """The newsletter each issue file names itself (front matter, title line, site name, feed
    title) or its folder's sidecar names (`publication:`); None when nothing does, so a caller
    asks instead of guessing. Files that cannot be parsed are left out (ingest reports them).
    """
    named: dict[Path, str | None] = {}
    sidecar_of = _sidecars()
    for path in discover_files(list(paths)):
        sidecar, _ = sidecar_of(path.parent)
        hint = sidecar.publication if sidecar and sidecar.publication else _UNNAMED
        parsed = _parse_file((path, hint), None)  # the ingest's own guard: whatever one file raises
        if isinstance(parsed, Failure):
            continue
        names = {issue.publication for issue in parsed}
        named[path] = None if not names or _UNNAMED in names else sorted(names)[0]
    return named


def date_issues(
    parsed: Sequence[ParsedFile], sidecars: dict[Path, Sidecar | None], backend: Backend | None
) -> list[tuple[ParsedFile, Issue]]:
    """Dates from metadata, then sidecars, then estimates anchored on every known date."""
    anchors: dict[str, dict[int, object]] = defaultdict(dict)
    if backend is not None:
        for pub in {i.publication for f in parsed for i in f.issues}:
            anchors[pub].update(backend.known_dates(pub))
    for f in parsed:  # real dates from any file's metadata or sidecar anchor every estimate
        sidecar = sidecars.get(f.folder)
        for issue in f.issues:
            entry = sidecar.lookup(issue) if issue.date is None and sidecar is not None else None
            when, estimated = (entry.date, entry.estimated) if entry else (issue.date, issue.date_estimated)
            if issue.number is not None and when is not None and not estimated:
                anchors[issue.publication][issue.number] = when
    out: list[tuple[ParsedFile, Issue]] = []
    for f in parsed:
        by_pub: dict[str, list[Issue]] = defaultdict(list)
        for issue in f.issues:
            by_pub[issue.publication].append(issue)
        for pub, issues in by_pub.items():
            for issue in apply_dates(issues, sidecars.get(f.folder), dict(anchors[pub])):
                out.append((f, issue))
    return out


def _already_read(issue: Issue, path: Path, seen: dict[str, Path], report: IngestReport) -> bool:
    """Two files holding the same issue: keep the first, report the second."""
    if issue.id in seen:
        report.failures.append(Failure(str(path), f"issue {issue.id} was already read from {seen[issue.id]}"))
        return True
    seen[issue.id] = path
    return False


def _write_batch(backend: Backend, batch: list[Issue], report: IngestReport) -> None:
    """Write and empty `batch`, adding the backend's counts and failures to `report`. A batch
    the store rejects for a reason other than the store itself (a value it cannot hold) is
    written again issue by issue, so only the bad issue is left out, named by its file."""
    if not batch:
        return
    try:
        reports = [backend.write_issues(batch)]
    except BackendError:
        raise  # the store is down or refuses everything: the edge says so
    except Exception:
        reports = []
        for issue in batch:
            try:
                reports.append(backend.write_issues([issue]))
            except BackendError:
                raise
            except Exception as exc:
                report.failures.append(Failure(issue.source or issue.id, f"could not be stored ({_described(exc)})"))
    source = {issue.id: issue.source for issue in batch if issue.source}
    source.update((item.id, issue.source) for issue in batch if issue.source for item in issue.items if item.id)
    for written in reports:
        report.written += written.written
        report.unchanged += written.unchanged
        report.failures.extend(  # named by the file the document came from
            Failure(source[i], _one_line(f"{i}: {r}")) if i in source else Failure(i, _one_line(r))
            for i, r in written.failures
        )
    batch.clear()


MAX_ITEM_CHARS = 100_000  # an item's text beyond this is cut (and the report says so): no newsletter
# item is this long, and extraction time grows with it
MAX_TITLE_CHARS = 1_000  # an item's or issue's title
MAX_LABEL_CHARS = 200  # a publication, section or tag: stored as one term, which has a size limit


def _cut(value: str, limit: int, what: str, path: Path, report: IngestReport) -> str:
    """`value` cut at a word boundary to `limit` characters, the cut noted (unchanged if shorter)."""
    if len(value) <= limit:
        return value
    cut = value[:limit].rsplit(None, 1)[0] if " " in value[:limit] else value[:limit]
    report.notes.append(Failure(str(path), f"{what} cut from {len(value):,} to {len(cut):,} characters"))
    return cut


def _storable_link(url: str) -> bool:
    return is_web_link(url) and len(url) <= MAX_URL_CHARS


def _bounded(issue: Issue, path: Path, report: IngestReport) -> Issue:
    """The issue as it may be stored, each change noted: overlong texts, titles and labels cut
    at a word boundary; links that are not web links (javascript:, data:, file:) or are longer
    than any real link dropped."""
    items = []
    for item in issue.items:
        where = f"item {item.position + 1} ({item.title[:60]!r})"
        text = _cut(item.text, MAX_ITEM_CHARS, where, path, report)
        title = _cut(item.title, MAX_TITLE_CHARS, f"{where}: its title", path, report)
        section = _cut(item.section or "", MAX_LABEL_CHARS, f"{where}: its section", path, report) or item.section
        links = tuple(u for u in item.links if _storable_link(u))
        url = item.url if item.url is None or _storable_link(item.url) else None
        if (url, links) != (item.url, item.links):
            dropped = [u for u in (item.url, *item.links) if u and not _storable_link(u)]
            report.notes.append(Failure(str(path), f"{where}: links that are not web links, or longer than "
                                        f"{MAX_URL_CHARS:,} characters, left out ({shown(dropped, 80)})"))
        items.append(replace(item, text=text, title=title, section=section, url=url, links=links))
    return replace(
        issue,
        items=tuple(items),
        publication=_cut(issue.publication, MAX_LABEL_CHARS, "the publication name", path, report),
        title=_cut(issue.title, MAX_TITLE_CHARS, "the issue title", path, report),
        intro=_cut(issue.intro, MAX_ITEM_CHARS, "the issue intro", path, report),
        summary=_cut(issue.summary, MAX_ITEM_CHARS, "the issue summary", path, report),
        tags=tuple(_cut(t, MAX_LABEL_CHARS, "a tag", path, report) for t in issue.tags),
    )


def _all_bounded(parsed: list[ParsedFile], report: IngestReport) -> list[ParsedFile]:
    """Every parsed issue as it may be stored (`_bounded`), before anything reads it further:
    its id, its date and the store all see the bounded values."""
    return [replace(f, issues=tuple(_bounded(issue, f.path, report) for issue in f.issues)) for f in parsed]


def _queue(backend: Backend, batch: list[Issue], issue: Issue, report: IngestReport, batch_size: int) -> None:
    """Count `issue` and add it to `batch`, writing the batch once it is full."""
    report.count(issue)
    batch.append(issue)
    if len(batch) >= batch_size:
        _write_batch(backend, batch, report)


def tag_issue(issue: Issue, extractor: Extractor) -> Issue:
    return replace(issue, items=tuple(extractor.tag_items(issue.items))).with_ids()


def _tag_or_fail(issue: Issue, extractor: Extractor) -> Issue | Failure:
    """`tag_issue`, or why it failed (a value: one issue's failure never stops the batch)."""
    try:
        return tag_issue(issue, extractor)
    except Exception as exc:
        return Failure(issue.source or issue.id, f"names could not be extracted ({_described(exc)})")


def _tag_issues(issues: Iterable[Issue], extractor: Extractor, workers: int) -> closing[Iterator[Issue | Failure]]:
    """`_tag_or_fail` over `issues` in `workers` processes, in order; close it when done."""
    return closing(map_in_order(_tag_or_fail, issues, state=extractor, workers=workers))


def ingest(
    paths: Iterable[str | Path],
    *,
    backend: Backend,
    extractor: Extractor,
    progress: Progress | None = None,
    batch_size: int = 50,
    publication: str | None = None,
    workers: int = 1,
) -> IngestReport:
    """Parse, date, tag and write `paths`; `workers` processes parse and tag (same result)."""
    started = time.perf_counter()
    parsed, failures, sidecars = parse_files(paths, progress, publication, workers=workers)
    report = IngestReport.after_parsing(parsed, failures)
    dated = date_issues(_all_bounded(parsed, report), sidecars, backend)
    seen: dict[str, Path] = {}
    batch: list[Issue] = []

    with _tag_issues([issue for _, issue in dated], extractor, workers) as tagged_issues:
        for n, ((f, _), tagged) in enumerate(zip(dated, tagged_issues), start=1):
            if isinstance(tagged, Failure):
                report.failures.append(Failure(str(f.path), tagged.reason))
                continue
            if _already_read(tagged, f.path, seen, report):
                continue
            _queue(backend, batch, tagged, report, batch_size)
            if progress:
                progress("index", n, len(dated))
    _write_batch(backend, batch, report)
    report.seconds = time.perf_counter() - started
    return report


def reindex(
    paths: Iterable[str | Path],
    *,
    backend: Backend,
    extractor: Extractor,
    progress: Progress | None = None,
    publication: str | None = None,
    workers: int = 1,
) -> IngestReport:
    """Rebuild the whole archive from `paths`; readers keep the old one until it is done.

    If any file fails to parse, nothing is swapped in: a full rebuild that silently dropped
    issues would lose what is indexed now. `workers` processes parse and tag (same result).
    """
    started = time.perf_counter()
    parsed, failures, sidecars = parse_files(paths, progress, publication, workers=workers)
    report = IngestReport.after_parsing(parsed, failures)
    if failures:
        report.seconds = time.perf_counter() - started
        return report
    dated = date_issues(_all_bounded(parsed, report), sidecars, backend=None)
    seen: dict[str, Path] = {}
    tagged: dict[str, Issue] = {}
    with _tag_issues([issue for _, issue in dated], extractor, workers) as tagged_issues:
        for n, ((f, _), issue) in enumerate(zip(dated, tagged_issues), start=1):
            if isinstance(issue, Failure):
                report.failures.append(Failure(str(f.path), issue.reason))
            elif not _already_read(issue, f.path, seen, report):
                tagged[issue.id] = issue
            if progress:
                progress("tag", n, len(dated))
    if report.failures:
        report.seconds = time.perf_counter() - started
        return report
    written = backend.rebuild(tagged.values())
    report.issues = report.written = written.written
    report.items, report.mentions = written.items, written.mentions
    report.failures.extend(Failure(i, r) for i, r in written.failures)
    report.seconds = time.perf_counter() - started
    return report


def _retag_one(numbered: tuple[int, Issue], extractor: Extractor) -> tuple[int, Issue | Failure]:
    n, stored = numbered
    return n, _tag_or_fail(replace(stored, fingerprint=""), extractor)


def retag(
    backend: Backend,
    extractor: Extractor,
    *,
    progress: Progress | None = None,
    batch_size: int = 50,
    workers: int = 1,
) -> IngestReport:
    """Re-extract every stored item with the current catalog, without re-parsing any file.

    Only issues whose mentions changed are rewritten (their fingerprint changes with them).
    With `workers` above 1 every stored issue is read first, then tagged in that many processes.
    """
    started = time.perf_counter()
    report = IngestReport()
    summaries = backend.list_issues()
    stored = (
        (n, issue)
        for n, summary in enumerate(summaries, start=1)
        if (issue := backend.get_issue(summary.id)) is not None  # None: deleted meanwhile
    )
    batch: list[Issue] = []
    with closing(map_in_order(_retag_one, stored, state=extractor, workers=workers)) as retagged:
        for n, issue in retagged:
            if isinstance(issue, Failure):  # the stored issue keeps its mentions
                report.failures.append(issue)
            else:
                _queue(backend, batch, issue, report, batch_size)
            if progress:
                progress("retag", n, len(summaries))
    _write_batch(backend, batch, report)
    report.seconds = time.perf_counter() - started
    return report

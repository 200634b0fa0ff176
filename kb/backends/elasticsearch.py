"""Elasticsearch backend: the real server, for teams that outgrow one machine.

Indices carry a version and are read through aliases (`<alias>-items`, `<alias>-issues`,
`<alias>-entities`), so `rebuild()` fills fresh indices and swaps every alias in one atomic
call: readers never see an empty or half index. Incremental writes update in place with bulk
requests that retry with backoff on 429 and report per-document failures.

At scale (1M items on two cores): an ingest inside `bulk_load()` and every `rebuild()` write
without a refresh per batch and make the writes visible with one refresh at the end; every count is an
aggregation (mentions and spellings have keyword fields of their own, no source is read back
to count); lists longer than one response (trend per issue, an issue's items, the issue list)
are paged (composite aggregations, `search_after`), never cut at a fixed size.
"""
from __future__ import annotations

import functools
import inspect
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers

from kb.backends.base import (
    EXACT_FACETS_FROM,
    FACET_SAMPLE,
    Backend,
    EntityStats,
    IssueRef,
    BackendError,
    Significant,
    Suggestion,
    BackendUnavailable,
    FacetValue,
    Hit,
    Interval,
    IssueSummary,
    Retrieved,
    TrendBy,
    TrendPoint,
    WriteReport,
)
from kb.analysis import analysed
from kb.backends.es_errors import REFUSED_ADVICE, backend_error, settings_problem
from kb.backends.es_mappings import ISSUES_MAPPING, ITEMS_MAPPING, SCHEMA, SEP, index_settings
from kb.backends.es_query import WORD_FIELDS, compile_filters, compile_plan, has_entity, starts_with, stem_filter
from kb.backends.shared import (
    PeriodTotal, issue_from_records, mention_of, rank_significant, trend_points, unique_suggestions,
)
from kb.backends.snippets import as_date
from kb.documents import SEARCH_FIELDS, to_document
from kb.curation import CandidateRow, commonest_spellings
from kb.models import CANDIDATE_PREFIX, Issue, Item, Mention
from kb.periods import period_label, period_start
from kb.plan import Plan
from kb.query import Filters
from kb.ranking import Candidate, CollectionStats, entities_needed, stems_needed
from kb.settings import Settings, redact_url
from kb.spelling import MAX_EDITS, MIN_WORD_LENGTH, PREFIX_LENGTH, best_correction, query_words, rewrite
from kb.urls import normalize_url
from kb.textstats import MLT_MAX_TERMS, MLT_MIN_DOC_FREQ, MLT_MIN_WORD_LENGTH, STOPWORDS

__all__ = ["ElasticsearchBackend"]

T = TypeVar("T")

KINDS = {"items": ITEMS_MAPPING, "issues": ISSUES_MAPPING}
_PAGE = 5_000  # buckets per composite-aggregation page, hits per search_after page
_LOOKUP_CHUNK = 1_000  # ids per mget / terms lookup
_BULK_CHUNK = 500  # documents per bulk request (as `helpers.bulk`)
_BULK_TIMEOUT = 120  # seconds one bulk request (or a refresh) may take on a busy node
_READ_TIMEOUT = 10  # seconds any other request may take
_ABANDONED_AFTER = timedelta(days=1)  # unaliased versioned indices this old are a killed rebuild's
_MAX_ID_BYTES = 512  # Elasticsearch's limit on a document id
_REBUILD_BATCH = 50  # issues per write while rebuilding (as `indexer ingest` writes)
# Every count of distinct mention counts of one entity fits (an item mentions a name < 1,000 times).
_MAX_COUNTS = 1_000
_CO_FIELDS = {"entities": "entity_ids", "topics": "topic_ids"}
_CAL = {"week": "week", "month": "month", "quarter": "quarter", "year": "year"}
_FACET_NAMES = ("entity", "type", "topic", "section", "publication", "year")
_HIT_SOURCE = {"excludes": ["*_words", "*_stems", "*_len", "suggest", "url_key"]}
# Where did-you-mean looks for words: every field a search matches on.
_SPELL_FIELDS = tuple(WORD_FIELDS)


def _issue_doc(issue: Issue) -> dict[str, Any]:
    return {
        "id": issue.id,
        "publication": issue.publication,
        "number": issue.number,
        "title": issue.title,
        "summary": issue.summary,
        "intro": issue.intro,
        "date": issue.date.isoformat() if issue.date else None,
        "date_estimated": issue.date_estimated,
        "tags": list(issue.tags),
        "source": issue.source,
        "fingerprint": issue.fingerprint,
        "items": len(issue.items),
    }


def _item_doc(issue: Issue, item: Item) -> dict[str, Any]:
    doc = to_document(issue, item)
    doc["links"] = list(item.links)
    doc["suggest"] = {"input": sorted({m.text for m in item.mentions if len(m.text) <= 80})}
    doc["mention_counts"] = sorted(f"{e}{SEP}{n}" for e, n in Counter(m.entity_id for m in item.mentions).items())
    spelled = Counter((m.entity_id, m.text) for m in item.mentions if m.entity_id.startswith(CANDIDATE_PREFIX))
    doc["spellings"] = sorted(f"{e}{SEP}{text}{SEP}{n}" for (e, text), n in spelled.items())
    return doc


def _item_record(source: dict[str, Any]) -> dict[str, Any]:
    """A stored item as `issue_from_records` reads it (mentions as `Mention`s)."""
    return {**source, "mentions": [mention_of(m) for m in source.get("mentions", ())]}


def _batches(values: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(values)
    while batch := list(islice(it, size)):
        yield batch


def _chunks(values: Sequence[str], size: int = _LOOKUP_CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _suggested(options: list[dict[str, Any]]) -> Iterator[tuple[str, str, str]]:
    """(entity id, type, text) of each completion: the first mention of its item written so."""
    for option in options:
        for m in option["_source"].get("mentions", []):
            if m["text"] == option["text"]:
                yield m["entity_id"], m["type"], m["text"]
                break


def _ref(src: dict[str, Any]) -> IssueRef:
    date_ = as_date(src.get("date"))
    return IssueRef(src["issue_id"], src.get("issue_number"), date_, bool(src.get("date_estimated")))


class ElasticsearchBackend(Backend):
    name = "elasticsearch"
    # Buckets per composite page / hits per search_after page (tests lower it to page often).
    page_size: int = _PAGE
    # Terms each shard returns first for co-mentions; grows until counts are proven exact.
    co_mention_shard_size: int = 150

    def __init__(
        self,
        client: Elasticsearch,
        *,
        alias: str = "newsletter-kb",
        shards: int = 1,
        replicas: int = 0,
        location: str = "",
    ):
        self.es = client
        self.alias = alias
        self.shards = shards
        self.replicas = replicas
        self.location = location or "Elasticsearch"
        self._deferred = False  # inside bulk_load(): writes are made visible at its end
        self._unrefreshed: set[str] = set()  # issues written since the last refresh
        self._pending: dict[str, dict[str, Any]] = {}  # issue records sent with the next batch
        self._lengths: tuple[int, dict[str, float]] | None = None  # (items, mean lengths): _mean_lengths
        with _as_backend_errors(self.location, self.alias):
            self.es.cluster.health()
            self._ensure_aliases()
            self._ensure_current()

    @classmethod
    def from_settings(cls, settings: Settings) -> "ElasticsearchBackend":
        hosts = [h.strip() for h in settings.es_url.split(",") if h.strip()]
        problem = settings_problem(settings.es_url, settings.es_ca_certs)
        if problem:
            raise BackendUnavailable(redact_url(settings.es_url), problem)
        # A page answers or explains within seconds: a search gets 10 s and no retry after a
        # timeout (writes and refreshes ask for longer themselves); a refused connection or a
        # busy node is tried twice more
        options: dict[str, Any] = {
            "request_timeout": _READ_TIMEOUT,
            "retry_on_timeout": False,
            "max_retries": 2,
            "retry_on_status": (429, 502, 503, 504),
        }
        if settings.es_api_key:
            options["api_key"] = settings.es_api_key
        elif settings.es_username:
            options["basic_auth"] = (settings.es_username, settings.es_password or "")
        if settings.es_ca_certs:
            options["ca_certs"] = settings.es_ca_certs
        return cls(
            Elasticsearch(hosts, **options),
            alias=settings.es_index,
            shards=int(settings.es_shards),
            replicas=int(settings.es_replicas),
            location=redact_url(settings.es_url),
        )

    def describe(self) -> str:
        return f"Elasticsearch at {self.location} (alias {self.alias})"

    def close(self) -> None:
        self.es.close()

    # -- index lifecycle -------------------------------------------------------------------
    def _alias(self, kind: str) -> str:
        return f"{self.alias}-{kind}"

    def _create_versioned(self, kind: str, version: str) -> str:
        name = f"{self._alias(kind)}-{version}"
        self.es.indices.create(index=name, settings=index_settings(self.shards, self.replicas), mappings=KINDS[kind])
        return name

    def _refresh(self, indices: str) -> None:
        self.es.options(request_timeout=_BULK_TIMEOUT).indices.refresh(index=indices, ignore_unavailable=True)
        self._unrefreshed.clear()

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """No refresh per batch for the whole ingest (refreshing after every batch held
        100k-item writes to 0.59× a bare `helpers.bulk`); on exit, even after an error, one
        refresh makes every batch visible. Bulk writes are durable (translog) when they
        return, refreshed or not.

        Each index keeps its own refresh interval meanwhile. Turning refresh off for the load
        (the usual advice) was slower here: 60k items at 0.88× the bare bulk, against 0.97×
        with the 1 s default, on two cores. The server's periodic refresh overlaps our
        preparing the next batch, while one refresh of a whole load at the end is serial.

        Inside the block an issue's own record (its fingerprint) rides in the next batch's
        bulk request instead of a request of its own (one request and one translog sync per
        batch, as a bare `helpers.bulk`); the last ones are sent on exit. Should the process
        die in between, those issues have their items but no record, so the next ingest
        writes them again: nothing is lost or taken as stored too early."""
        if self._deferred:  # nested: the outer block restores
            yield
            return
        self._deferred = True
        try:
            yield
        finally:
            self._deferred = False
            try:
                self._flush_pending()
            finally:
                self._refresh(f"{self._alias('items')},{self._alias('issues')}")

    def _flush_pending(self) -> None:
        report = WriteReport()
        self._bulk(list(self._pending.values()), report)
        self._pending.clear()
        if report.failures:
            raise BackendError(
                f"{len(report.failures)} issue records could not be written ({report.failures[:3]});"
                " the next ingest writes those issues again"
            )

    def _remove_abandoned(self, older_than: str) -> None:
        """Delete versioned indices behind no alias whose version is older than `older_than`
        (what a rebuild killed half-way left); a running rebuild's own are newer."""
        for kind in KINDS:
            got = self.es.indices.get_alias(index=f"{self._alias(kind)}-v*", ignore_unavailable=True)
            stale = [name for name, info in got.items()
                     if not info.get("aliases") and name.rsplit("-", 1)[-1] < older_than]
            if stale:
                self.es.indices.delete(index=",".join(stale), ignore_unavailable=True)

    def _ensure_aliases(self) -> None:
        now = datetime.now(timezone.utc)
        version = now.strftime("v%Y%m%d%H%M%S%f")
        # at start only those a day old: a rebuild in another process may be filling its own
        self._remove_abandoned((now - _ABANDONED_AFTER).strftime("v%Y%m%d%H%M%S%f"))
        for kind in KINDS:
            if not self.es.indices.exists_alias(name=self._alias(kind)):
                index = self._create_versioned(kind, version)
                self.es.indices.put_alias(index=index, name=self._alias(kind))

    def _ensure_current(self) -> None:
        """An archive indexed by an older version (no analysed fields, older `_meta.schema`)
        is rebuilt from its own stored documents into new indices, swapped in atomically."""
        try:
            mappings = self.es.indices.get_mapping(index=self._alias("items"))
        except ApiError:
            return
        schemas = [int((m.get("mappings", {}).get("_meta") or {}).get("schema", 0)) for m in mappings.values()]
        if all(v >= SCHEMA for v in schemas):
            return
        try:
            self.rebuild(self._stored_issues())
        except ApiError as exc:  # read-only credentials: say what would fix it
            raise BackendError(
                f"the index {self._alias('items')} was made by an older version and could not be"
                f" upgraded ({exc}); run `python -m indexer reindex` with write access"
            ) from exc

    def _indices_behind(self, kind: str) -> list[str]:
        try:
            return sorted(self.es.indices.get_alias(name=self._alias(kind)).keys())
        except ApiError:
            return []

    def rebuild(self, issues: Iterable[Issue]) -> WriteReport:
        """Fill new versioned indices, then move every alias at once and drop the old ones.

        `issues` is consumed batch by batch (an archive of millions never sits in memory),
        written with no refresh per batch (as `bulk_load`), and refreshed once before the
        aliases move. Any failure deletes them and leaves the old ones."""
        version = datetime.now(timezone.utc).strftime("v%Y%m%d%H%M%S%f")
        fresh = {kind: self._create_versioned(kind, version) for kind in KINDS}
        report = WriteReport()
        try:
            for batch in _batches(issues, _REBUILD_BATCH):
                self._bulk_write(batch, fresh["items"], fresh["issues"], stored={}, report=report)
                if report.failures:
                    raise BackendError(f"rebuild aborted, {len(report.failures)} documents failed: {report.failures[:3]}")
            self._refresh(",".join(fresh.values()))
        except BaseException:
            self.es.indices.delete(index=",".join(fresh.values()), ignore_unavailable=True)
            raise
        old = {kind: self._indices_behind(kind) for kind in KINDS}
        actions: list[dict[str, Any]] = []
        for kind, index in fresh.items():
            actions += [{"remove": {"index": o, "alias": self._alias(kind)}} for o in old[kind]]
            actions.append({"add": {"index": index, "alias": self._alias(kind)}})
        self.es.indices.update_aliases(actions=actions)
        stale = [o for names in old.values() for o in names]
        if stale:
            self.es.indices.delete(index=",".join(stale), ignore_unavailable=True)
        self._remove_abandoned(version)  # earlier rebuilds killed half-way (the last one wins)
        return report

    # -- writing ---------------------------------------------------------------------------
    def write_issues(self, issues: Sequence[Issue]) -> WriteReport:
        ids = [i.id for i in issues]
        stored = self._stored_fingerprints(ids)
        stored.update({i: self._pending[i]["_source"]["fingerprint"] for i in ids if i in self._pending})
        report = self._bulk_write(issues, self._alias("items"), self._alias("issues"), stored)
        if self._deferred:
            self._unrefreshed.update(i.id for i in issues)
        else:
            self._refresh(f"{self._alias('items')},{self._alias('issues')}")
        return report

    def _stored_fingerprints(self, ids: list[str]) -> dict[str, str]:
        """Fingerprints of the given issues only (real-time gets: unrefreshed writes count)."""
        out: dict[str, str] = {}
        for chunk in _chunks(ids):
            docs = self.es.mget(index=self._alias("issues"), ids=list(chunk), source_includes=["fingerprint"])["docs"]
            out.update({d["_id"]: d["_source"]["fingerprint"] for d in docs if d.get("found")})
        return out

    def _item_ids_of(self, issue_ids: list[str]) -> dict[str, set[str]]:
        """Stored item ids of the issues about to be replaced (a search: issues written since
        the last refresh are made visible first, or their stale items would be missed)."""
        if self._unrefreshed.intersection(issue_ids):
            self._refresh(self._alias("items"))
        out: dict[str, set[str]] = {}
        for chunk in _chunks(issue_ids):
            for hit in self._hits(self._alias("items"), {"terms": {"issue_id": list(chunk)}}, ["issue_id"]):
                out.setdefault(hit["_source"]["issue_id"], set()).add(hit["_id"])
        return out

    def _bulk_write(
        self,
        issues: Sequence[Issue],
        items_index: str,
        issues_index: str,
        stored: dict[str, str],
        report: WriteReport | None = None,
    ) -> WriteReport:
        """Items first; an issue's own document (with its fingerprint) only once all its items
        are in, so a partly failed issue is retried by the next ingest instead of skipped.
        Stored item ids are looked up only for issues already stored with another fingerprint."""
        report = report if report is not None else WriteReport()
        changed = [i for i in issues if not (i.fingerprint and stored.get(i.id) == i.fingerprint)]
        report.unchanged += len(issues) - len(changed)
        replaced = [i.id for i in changed if i.id in stored]
        previous = self._item_ids_of(replaced) if replaced else {}
        owner: dict[str, str] = {}
        actions: list[dict[str, Any]] = []
        for issue in changed:
            new_ids = {item.id for item in issue.items}
            for stale in sorted(previous.get(issue.id, set()) - new_ids):
                actions.append({"_op_type": "delete", "_index": items_index, "_id": stale})
                owner[stale] = issue.id
            for item in issue.items:
                actions.append({"_index": items_index, "_id": item.id, "_source": _item_doc(issue, item)})
                owner[item.id] = issue.id
        defer = self._deferred and issues_index == self._alias("issues")
        carried = list(self._pending.values()) if defer else []
        self._pending = {} if defer else self._pending
        failed = self._bulk(carried + actions, report)
        complete = [i for i in changed if i.id not in {owner.get(d, d) for d in failed}]
        records = [{"_index": issues_index, "_id": i.id, "_source": _issue_doc(i)} for i in complete]
        if defer:
            self._pending.update((r["_id"], r) for r in records)
        else:
            self._bulk(records, report)
        for issue in complete:
            report.count_written(issue)
        return report

    def _bulk(self, actions: Iterable[dict[str, Any]], report: WriteReport) -> set[str]:
        """Send with retries and backoff on 429; record and return the ids that failed."""
        failed: set[str] = set()
        for ok, result in helpers.streaming_bulk(
            self.es.options(request_timeout=_BULK_TIMEOUT),
            actions,
            chunk_size=_BULK_CHUNK,
            max_retries=5,
            initial_backoff=1,
            max_backoff=30,
            raise_on_error=False,
            raise_on_exception=True,
            ignore_status=(404,),  # deleting an item that is already gone is fine
        ):
            if not ok:
                info = next(iter(result.values()))
                doc_id = str(info.get("_id", "?"))
                failed.add(doc_id)
                report.failures.append((doc_id, str(info.get("error", info.get("status")))))
        return failed

    def delete_issue(self, issue_id: str) -> bool:
        pending = self._pending.pop(issue_id, None)
        existed = pending is not None or bool(self._stored_fingerprints([issue_id]))
        actions = [
            {"_op_type": "delete", "_index": self._alias("items"), "_id": i}
            for i in sorted(self._item_ids_of([issue_id]).get(issue_id, set()))
        ]
        if existed:
            actions.append({"_op_type": "delete", "_index": self._alias("issues"), "_id": issue_id})
        helpers.bulk(self.es, actions, raise_on_error=False)
        if not self._deferred:
            self._refresh(f"{self._alias('items')},{self._alias('issues')}")
        return existed

    def clear(self) -> None:
        for kind in KINDS:
            for index in self._indices_behind(kind):
                self.es.indices.delete(index=index, ignore_unavailable=True)
        self._ensure_aliases()

    def drop(self) -> None:
        """Delete every index behind the aliases (tests; `indexer reset`)."""
        for kind in KINDS:
            for index in self._indices_behind(kind):
                self.es.indices.delete(index=index, ignore_unavailable=True)

    # -- paging ----------------------------------------------------------------------------
    def _hits(
        self, index: str, query: dict[str, Any], source: Any, sort: Sequence[Any] = ({"id": "asc"},)
    ) -> Iterator[dict[str, Any]]:
        """Every matching hit, `page_size` at a time with `search_after` (no scroll context
        held on the server, nothing cut at a fixed size). `sort` must end in a unique field."""
        after: list[Any] | None = None
        while True:
            extra = {"search_after": after} if after else {}
            hits = self.es.search(
                index=index, query=query, sort=list(sort), size=self.page_size, _source=source,
                track_total_hits=False, **extra,
            )["hits"]["hits"]
            yield from hits
            if len(hits) < self.page_size:
                return
            after = hits[-1]["sort"]

    def _buckets(
        self, query: dict[str, Any], sources: list[dict[str, Any]], aggs: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every bucket of a composite aggregation over the items, page by page (after_key):
        as many buckets as the data has, none dropped at a size limit."""
        after: dict[str, Any] | None = None
        while True:
            composite: dict[str, Any] = {"size": self.page_size, "sources": sources}
            if after:
                composite["after"] = after
            agg: dict[str, Any] = {"composite": composite, **({"aggs": aggs} if aggs else {})}
            page = self.es.search(index=self._alias("items"), size=0, query=query, aggs={"page": agg})
            found = page["aggregations"]["page"]
            yield from found["buckets"]
            after = found.get("after_key")
            if not after or len(found["buckets"]) < self.page_size:
                return

    # -- reading ---------------------------------------------------------------------------
    def _retrieve(
        self,
        plan: Plan,
        filters: Filters,
        *,
        ranked: bool,
        start: int,
        count: int,
        facet_size: int | None,
        stats: bool,
    ) -> Retrieved:
        sort: list[Any] = (
            ["_score", {"date": {"order": "desc", "missing": "_last"}}, {"position": "asc"}, {"id": "asc"}]
            if ranked
            else [
                {"date": {"order": "desc", "missing": "_last"}},
                {"issue_number": {"order": "desc", "missing": "_last"}},
                {"position": "asc"},
                {"id": "asc"},
            ]
        )
        query = compile_plan(plan, filters)
        body: dict[str, Any] = {
            "query": query,
            "from": start,
            "size": count,
            "sort": sort,
            "track_total_hits": True,
            "_source": _HIT_SOURCE,
        }
        searches: list[dict[str, Any]] = [{}, body]
        if stats:  # in the same round trip, as a search of its own (see _stats_body)
            searches += [{}, self._stats_body(plan)]
        responses = self.es.msearch(index=self._alias("items"), searches=searches)["responses"]
        for answer in responses:
            if "error" in answer:
                error = answer["error"] if isinstance(answer["error"], dict) else {"reason": answer["error"]}
                raise BackendError(f"Elasticsearch refused the request ({error.get('type', '')}: {error.get('reason', '')});"
                                   f" {REFUSED_ADVICE}")
        resp = responses[0]
        total = resp["hits"]["total"]["value"]
        return Retrieved(
            total=total,
            candidates=tuple(self._candidate(h) for h in resp["hits"]["hits"]),
            facets=self._facet_counts(query, total, facet_size) if facet_size else {},
            stats=self._stats(plan, responses[1]) if stats else None,
        )

    def _facet_counts(self, query: dict[str, Any], total: int, size: int) -> dict[str, tuple[FacetValue, ...]]:
        """Facets in a request of their own, once the total is known: above `FACET_SAMPLE`
        matches (and for a page's worth of values) over a random sample of about that many,
        which Elasticsearch scales back up; marked estimated. Counting every one of 700k
        matches cost most of a search at 1M items."""
        aggs = self._facet_aggs(size)
        # random_sampler keeps a share of at most a half: below twice the sample, count all
        sampled = total >= 2 * FACET_SAMPLE and size < EXACT_FACETS_FROM
        if sampled:
            probability = max(FACET_SAMPLE / total, 1e-6)
            aggs = {"sample": {"random_sampler": {"probability": probability, "seed": 7}, "aggs": aggs}}
        resp = self.es.search(index=self._alias("items"), query=query, size=0, track_total_hits=False, aggs=aggs)
        found = resp["aggregations"]["sample"] if sampled else resp["aggregations"]
        facets = self._facets({name: found[name] for name in _FACET_NAMES})
        if not sampled:
            return facets
        return {
            name: tuple(FacetValue(v.value, min(total, v.count), True) for v in values if v.count > 0)
            for name, values in facets.items()
        }

    def _count(self, plan: Plan, filters: Filters) -> int:
        return int(self.es.count(index=self._alias("items"), query=compile_plan(plan, filters))["count"])

    @staticmethod
    def _stats_body(plan: Plan) -> dict[str, Any]:
        """Collection statistics for kb.ranking: items, and items per stem and entity, as
        top-level filter aggregations over every item, which Elasticsearch answers from its
        term statistics instead of visiting each item (as it must inside a global bucket).
        Mean lengths are kept apart (`_mean_lengths`)."""
        aggs: dict[str, Any] = {f"s{n}": {"filter": stem_filter(s)} for n, s in enumerate(stems_needed(plan))}
        aggs.update({f"e{n}": {"filter": has_entity(e)} for n, e in enumerate(entities_needed(plan))})
        return {"query": {"match_all": {}}, "size": 0, "track_total_hits": True, **({"aggs": aggs} if aggs else {})}

    def _stats(self, plan: Plan, resp: dict[str, Any]) -> CollectionStats:
        items = int(resp["hits"]["total"]["value"])
        agg = resp.get("aggregations", {})
        return CollectionStats(
            items=items,
            stem_items={s: int(agg[f"s{n}"]["doc_count"]) for n, s in enumerate(stems_needed(plan))},
            entity_items={e: int(agg[f"e{n}"]["doc_count"]) for n, e in enumerate(entities_needed(plan))},
            avg_length=self._mean_lengths(items),
        )

    def _mean_lengths(self, items: int) -> dict[str, float]:
        """Mean field lengths, averaged again only when the number of items changes (an avg
        over every item on each search cost a pass over the whole index)."""
        if self._lengths is None or self._lengths[0] != items:
            resp = self.es.search(
                index=self._alias("items"), size=0, track_total_hits=False,
                aggs={f"len_{f}": {"avg": {"field": f"{f}_len"}} for f in SEARCH_FIELDS},
            )
            found = resp["aggregations"]
            self._lengths = (items, {f: float(found[f"len_{f}"]["value"] or 0.0) for f in SEARCH_FIELDS})
        return self._lengths[1]

    @staticmethod
    def _facet_aggs(size: int) -> dict[str, Any]:
        def terms(field: str) -> dict[str, Any]:
            return {"terms": {"field": field, "size": size, "order": [{"_count": "desc"}, {"_key": "asc"}]}}

        return {
            "entity": terms("entity_ids"),
            "type": terms("entity_types"),
            "topic": terms("topic_ids"),
            "section": terms("section"),
            "publication": terms("publication"),
            "year": {"date_histogram": {"field": "date", "calendar_interval": "year", "format": "yyyy", "min_doc_count": 1}},
        }

    @staticmethod
    def _facets(aggs: dict[str, Any]) -> dict[str, tuple[FacetValue, ...]]:
        out: dict[str, tuple[FacetValue, ...]] = {}
        for name, agg in aggs.items():
            buckets = agg.get("buckets", [])
            values = [FacetValue(str(b.get("key_as_string", b["key"])), int(b["doc_count"])) for b in buckets]
            if name == "year":
                values.sort(key=lambda v: (-v.count, v.value))
            out[name] = tuple(values)
        return out

    def _plain_hits(self, resp: dict[str, Any]) -> list[Hit]:
        """Hits without highlighting, scored as Elasticsearch scored them."""
        return [self._to_hit(self._candidate(h), None, round(float(h.get("_score") or 0.0), 4)) for h in resp["hits"]["hits"]]

    @staticmethod
    def _candidate(raw: dict[str, Any]) -> Candidate:
        src = raw["_source"]
        return Candidate(
            item_id=src["id"],
            issue_id=src["issue_id"],
            publication=src["publication"],
            issue_number=src.get("issue_number"),
            date=as_date(src.get("date")),
            date_estimated=bool(src.get("date_estimated")),
            section=src.get("section"),
            position=int(src.get("position") or 0),
            title=src["title"],
            text=src.get("text", ""),
            url=src.get("url"),
            links=tuple(src.get("links", ())),
            mentions=tuple(
                Mention(m["start"], m["end"], m["text"], m["type"], m["entity_id"], m["field"])
                for m in src.get("mentions", ())
            ),
        )

    def trend(
        self, keys: Sequence[str], interval: Interval, filters: Filters = Filters(), *, by: TrendBy = "entity"
    ) -> list[TrendPoint]:
        key_filter = has_entity if by == "entity" else (lambda t: {"term": {"entity_types": t}})
        return self._trend(keys, interval, filters, key_filter)

    def _trend(
        self,
        keys: Sequence[str],
        interval: Interval,
        filters: Filters,
        key_filter: Callable[[str], dict[str, Any]],
    ) -> list[TrendPoint]:
        """Per-period item counts, one filter aggregation per key. Periods by date come from
        one date histogram (a few hundred buckets at most: years × 53); periods per issue are
        as many as the issues, so they are paged through a composite aggregation."""
        key_aggs = {f"k{n}": {"filter": key_filter(k)} for n, k in enumerate(keys)}
        sub = {
            **key_aggs,
            "number": {"min": {"field": "issue_number"}},
            "first_date": {"min": {"field": "date", "format": "strict_date"}},
            "estimated": {"filter": {"term": {"date_estimated": True}}},
        }
        if interval == "issue":
            query = {"bool": {"filter": compile_filters(filters)}}
            buckets = list(self._buckets(query, [{"issue": {"terms": {"field": "issue_id"}}}], sub))
        else:
            periods = {
                "date_histogram": {"field": "date", "calendar_interval": _CAL[interval], "min_doc_count": 1, "format": "strict_date"},
                "aggs": sub,
            }
            resp = self.es.search(
                index=self._alias("items"),
                size=0,
                query={"bool": {"filter": [*compile_filters(filters), {"exists": {"field": "date"}}]}},
                aggs={"periods": periods},
            )
            buckets = resp["aggregations"]["periods"]["buckets"]
        periods: list[PeriodTotal] = []
        counts: dict[tuple[str, str], int] = {}
        for b in buckets:
            first = b["first_date"].get("value_as_string")
            if interval == "issue":
                label, start = b["key"]["issue"], as_date(first)
            else:
                label = period_label(as_date(b["key_as_string"]), interval)
                start = period_start(label, interval)
            number = b["number"]["value"]
            periods.append(PeriodTotal(label, start, int(b["doc_count"]), int(number) if number is not None else None,
                                       b["estimated"]["doc_count"] > 0))
            counts.update(((label, key), int(b[f"k{n}"]["doc_count"])) for n, key in enumerate(keys))
        return trend_points(keys, periods, counts, interval)

    def similar(self, item_id: str | None = None, *, text: str = "", limit: int = 5) -> list[Hit]:
        like: list[Any] = [{"_index": self._alias("items"), "_id": item_id}] if item_id else [analysed(text)]
        if not item_id and not text.strip():
            return []
        resp = self.es.search(
            index=self._alias("items"),
            size=limit,
            query={
                "more_like_this": {
                    "fields": ["title_words", "text_words"],
                    "like": like,
                    "min_term_freq": 1,
                    "min_doc_freq": MLT_MIN_DOC_FREQ,
                    "max_query_terms": MLT_MAX_TERMS,
                    "min_word_length": MLT_MIN_WORD_LENGTH,
                    "stop_words": sorted(STOPWORDS),
                }
            },
            _source=_HIT_SOURCE,
        )
        return self._plain_hits(resp)

    def significant(
        self, foreground: Filters, *, size: int = 10, min_count: int = 2
    ) -> list[Significant]:
        exclude = list(foreground.required_ids)

        def agg(field: str) -> dict[str, Any]:
            return {
                "significant_terms": {
                    "field": field,
                    "size": size,
                    "min_doc_count": min_count,
                    "shard_min_doc_count": 1,
                    **({"exclude": exclude} if exclude else {}),
                    "jlh": {},
                }
            }

        resp = self.es.search(
            index=self._alias("items"),
            size=0,
            query={"bool": {"filter": compile_filters(foreground)}},
            aggs={"entities": agg("entity_ids"), "topics": agg("topic_ids")},
        )
        return rank_significant(
            (
                Significant(b["key"], round(float(b["score"]), 6), int(b["doc_count"]), int(b["bg_count"]))
                for name in ("entities", "topics")
                for b in resp["aggregations"][name]["buckets"]
            ),
            size,
        )

    def suggest(self, prefix: str, *, limit: int = 8) -> list[Suggestion]:
        prefix = prefix.strip()
        if not prefix:
            return []
        resp = self.es.search(
            index=self._alias("items"),
            source=["mentions"],
            suggest={"entity": {"prefix": prefix, "completion": {"field": "suggest", "size": limit * 3, "skip_duplicates": True}}},
        )
        return unique_suggestions(_suggested(resp["suggest"]["entity"][0]["options"]), limit)

    # -- entity page, coverage check, did-you-mean -------------------------------------------
    def entity_stats(self, entity_id: str) -> EntityStats | None:
        def end(order: str) -> dict[str, Any]:
            """The first (or last) covering issue, ordered as the SQLite backend orders them."""
            sort = [{f: {"order": order, "missing": "_last"}} for f in ("date", "issue_number")]
            return {
                "top_hits": {
                    "size": 1,
                    "sort": [*sort, {"issue_id": {"order": order}}],
                    "_source": ["issue_id", "issue_number", "date", "date_estimated"],
                }
            }

        # mentions: items holding "<id>SEP<n>", bucketed by n, summed as n × items (exact on
        # any number of shards: every shard returns every one of these few buckets)
        counts = {
            "terms": {"field": "mention_counts", "include": starts_with(entity_id + SEP), "size": _MAX_COUNTS}
        }
        resp = self.es.search(
            index=self._alias("items"),
            size=0,
            track_total_hits=True,
            query={"bool": {"filter": [has_entity(entity_id)]}},
            aggs={"first": end("asc"), "last": end("desc"), "counts": counts},
        )
        items = int(resp["hits"]["total"]["value"])
        if not items:
            return None
        found = resp["aggregations"]["counts"]
        if found["sum_other_doc_count"]:
            raise BackendError(f"{entity_id}: items mention it more than {_MAX_COUNTS} different numbers of times")
        mentions = sum(int(b["key"].rsplit(SEP, 1)[1]) * int(b["doc_count"]) for b in found["buckets"])
        first, last = (_ref(resp["aggregations"][k]["hits"]["hits"][0]["_source"]) for k in ("first", "last"))
        return EntityStats(entity_id, items, mentions, first, last)

    def co_mentions(self, entity_id: str, *, size: int = 15) -> list[FacetValue]:
        """Most items first, counts exact on any number of shards.

        A terms aggregation on several shards sums each shard's top `shard_size` terms, so a
        count can be short and a term can be missing. Elasticsearch says by how much at most:
        `doc_count_error_upper_bound`, the most any term left out of a shard's answer has.
        One shard (the default), or a bound of 0 (every shard sent all its terms): the
        counts are exact as they come. Otherwise the terms returned are counted again,
        exactly (`include` lists them, so every shard sends all of them), and the answer is
        kept only when no term left out could reach the last place (its count is at most
        the bound, plus the last partial count when the merged list was cut); if one could,
        `shard_size` grows eightfold and the question is asked again, until it is proven."""
        query = {"bool": {"filter": [has_entity(entity_id)]}}
        shard_size = max(size, self.co_mention_shard_size)
        while True:
            first = self._co_terms(query, entity_id, size=shard_size)
            if first["_shards"]["total"] == 1 or all(self._bound(a, shard_size) == 0 for a in first["aggregations"].values()):
                return self._top(first["aggregations"], size)
            recount = {
                name: [b["key"] for b in agg["buckets"]] for name, agg in first["aggregations"].items()
            }
            recount = {name: keys for name, keys in recount.items() if keys}  # an empty list would include all
            most = max(map(len, recount.values()))  # one more per shard than there can be: bound 0
            exact = self._co_terms(query, entity_id, size=most, shard_size=most + 1, include=recount)
            top = self._top(exact["aggregations"], size)
            last = top[-1].count if len(top) == size else 0
            counted = all(self._bound(a, most + 1) == 0 for a in exact["aggregations"].values())
            if counted and all(self._bound(a, shard_size) < last for a in first["aggregations"].values()):
                return top
            if shard_size * 8 * max(1, first["_shards"]["total"]) > 60_000:
                raise BackendError(f"co-mentions of {entity_id}: counts could not be proven exact across shards")
            shard_size *= 8

    def _co_terms(
        self,
        query: dict[str, Any],
        entity_id: str,
        *,
        size: int,
        shard_size: int | None = None,
        include: dict[str, list[str]] | None = None,
    ) -> dict[str, Any]:
        """Entities and topics of the items, `shard_size` (default `size`) from each shard."""

        def terms(name: str) -> dict[str, Any]:
            chosen = {"include": include[name]} if include is not None else {}
            return {
                "terms": {
                    "field": _CO_FIELDS[name],
                    "size": size,
                    "shard_size": shard_size or size,
                    "exclude": [entity_id],
                    "order": [{"_count": "desc"}, {"_key": "asc"}],
                    **chosen,
                }
            }

        aggs = {name: terms(name) for name in (include if include is not None else _CO_FIELDS)}
        return self.es.search(index=self._alias("items"), size=0, query=query, aggs=aggs)

    @staticmethod
    def _bound(agg: dict[str, Any], size: int) -> int:
        """The most items any term missing from this answer can have."""
        cut = agg["buckets"][-1]["doc_count"] if len(agg["buckets"]) >= size else 0
        error = int(agg.get("doc_count_error_upper_bound", 0))
        return error + cut if error else 0

    @staticmethod
    def _top(aggs: dict[str, Any], size: int) -> list[FacetValue]:
        values = [FacetValue(b["key"], int(b["doc_count"])) for agg in aggs.values() for b in agg["buckets"]]
        return sorted(values, key=lambda v: (-v.count, v.value))[:size]

    def items_with_url(self, url: str, *, limit: int = 100) -> list[Hit]:
        resp = self.es.search(
            index=self._alias("items"),
            size=limit,
            query={"bool": {"filter": [{"term": {"url_key": normalize_url(url)}}]}},
            sort=[
                {"date": {"order": "desc", "missing": "_last"}},
                {"issue_number": {"order": "desc", "missing": "_last"}},
                {"position": "asc"},
                {"id": "asc"},
            ],
            _source=_HIT_SOURCE,
        )
        return self._plain_hits(resp)

    def did_you_mean(self, text: str) -> str | None:
        words = query_words(text)
        if not words:
            return None
        found = self.es.search(
            index=self._alias("items"),
            size=0,
            aggs={
                f"w{n}": {"filter": {"multi_match": {"query": w, "fields": list(_SPELL_FIELDS)}}}
                for n, w in enumerate(words)
            },
        )["aggregations"]
        missing = [w for n, w in enumerate(words) if not found[f"w{n}"]["doc_count"]]
        if not missing:
            return None
        # the term suggester proposes; kb.spelling chooses, exactly as the SQLite backend does
        options = {
            "suggest_mode": "always",
            "max_edits": MAX_EDITS,
            "prefix_length": PREFIX_LENGTH,
            "min_word_length": MIN_WORD_LENGTH,
            "accuracy": 0.1,
            "size": 25,
        }
        resp = self.es.search(
            index=self._alias("items"),
            size=0,
            suggest={
                "text": " ".join(missing),
                **{f"in_{f}": {"term": {"field": f, **options}} for f in _SPELL_FIELDS},
            },
        )
        near: dict[str, dict[str, int]] = {}
        for field in _SPELL_FIELDS:
            for entry in resp["suggest"][f"in_{field}"]:
                seen = near.setdefault(entry["text"], {})
                for o in entry["options"]:
                    seen[o["text"]] = max(seen.get(o["text"], 0), int(o["freq"]))
        corrections = {w: best for w in missing if (best := best_correction(w, near.get(w, {})))}
        return rewrite(text, corrections)

    def candidate_names(self) -> dict[str, str]:
        """Counted by a composite aggregation over `spellings` (candidate, as written, times
        in the item): no item source is read, however many items mention candidates."""
        counts: dict[str, Counter[str]] = {}
        query = {"prefix": {"entity_ids": CANDIDATE_PREFIX}}
        for b in self._buckets(query, [{"spelling": {"terms": {"field": "spellings"}}}]):
            entity_id, text, times = b["key"]["spelling"].split(SEP)
            counts.setdefault(entity_id, Counter())[text] += int(times) * int(b["doc_count"])
        return commonest_spellings(counts)

    def candidate_rows(self) -> Iterator[CandidateRow]:
        """Streamed page by page: each row needs its item's text, so sources are read here,
        but only of items mentioning a candidate, and never all at once."""
        source = ["id", "title", "text", "issue_id", "publication", "issue_number", "date", "mentions"]
        for hit in self._hits(self._alias("items"), {"prefix": {"entity_ids": CANDIDATE_PREFIX}}, source):
            d = hit["_source"]
            for m in d.get("mentions", []):
                if m["entity_id"].startswith(CANDIDATE_PREFIX):
                    yield CandidateRow(
                        m["entity_id"], m["type"], m["text"], m["field"], m["start"], m["end"],
                        d["id"], d["title"], d["text"], d["issue_id"], d["publication"],
                        d.get("issue_number"), as_date(d.get("date")),
                    )

    def _issue_summaries(self, publication: str | None = None) -> Iterator[IssueSummary]:
        """Issues in the list's order, sorted by the server and paged (search_after)."""
        query = {"term": {"publication": publication}} if publication else {"match_all": {}}
        sort = [
            {"publication": "asc"},
            {"number": {"order": "asc", "missing": "_first"}},
            {"date": {"order": "asc", "missing": "_first"}},
            {"id": "asc"},
        ]
        source = ["id", "publication", "number", "title", "date", "date_estimated", "items", "source", "fingerprint",
                  "summary"]
        for hit in self._hits(self._alias("issues"), query, source, sort):
            s = hit["_source"]
            yield IssueSummary(
                id=s["id"],
                publication=s["publication"],
                number=s.get("number"),
                title=s.get("title", ""),
                date=as_date(s.get("date")),
                date_estimated=bool(s.get("date_estimated")),
                items=int(s.get("items", 0)),
                source=s.get("source", ""),
                fingerprint=s.get("fingerprint", ""),
                summary=s.get("summary") or "",
            )

    def list_issues(self, publication: str | None = None) -> list[IssueSummary]:
        return list(self._issue_summaries(publication))

    def issue_leads(self) -> dict[str, str]:
        hits = self._hits(self._alias("items"), {"term": {"position": 1}}, ["issue_id", "title"])
        return {h["_source"]["issue_id"]: h["_source"].get("title", "") for h in hits}

    def _stored_issues(self) -> Iterator[Issue]:
        """Every stored issue with its items, `_LOOKUP_CHUNK` issues per items search (an
        upgrade of a million items reads pages, not each issue on its own)."""
        records = (h["_source"] for h in self._hits(self._alias("issues"), {"match_all": {}}, True))
        for chunk in _batches(records, _LOOKUP_CHUNK):
            items: dict[str, list[dict[str, Any]]] = {}
            hits = self._hits(self._alias("items"), {"terms": {"issue_id": [r["id"] for r in chunk]}}, True,
                              [{"issue_id": "asc"}, {"position": "asc"}, {"id": "asc"}])
            for d in (h["_source"] for h in hits):
                items.setdefault(d["issue_id"], []).append(_item_record(d))
            for record in chunk:
                yield issue_from_records(record, items.get(record["id"], []))

    def get_issue(self, issue_id: str) -> Issue | None:
        if not issue_id or len(issue_id.encode("utf-8")) > _MAX_ID_BYTES:
            return None  # no document has such an id (a crafted ?issue= link), and asking is a 400
        resp = self.es.options(ignore_status=404).get(index=self._alias("issues"), id=issue_id)
        if not resp.get("found"):
            return None
        s = resp["_source"]
        hits = self._hits(self._alias("items"), {"term": {"issue_id": issue_id}}, True, [{"position": "asc"}, {"id": "asc"}])
        return issue_from_records(s, [_item_record(h["_source"]) for h in hits])

    def generation(self) -> str:
        """Documents indexed and deleted, and refreshes, of the indices behind the aliases: any
        process's writes move it once they are visible."""
        stats = self.es.indices.stats(index=f"{self._alias('items')},{self._alias('issues')}", metric="indexing,refresh")
        return "|".join(
            f"{name}:{v['primaries']['indexing']['index_total']}:{v['primaries']['indexing']['delete_total']}"
            f":{v['primaries']['refresh']['total']}"
            for name, v in sorted(stats["indices"].items())
        )

    def count_items(self) -> int:
        return int(self.es.count(index=self._alias("items"))["count"])

    def count_issues(self) -> int:
        return int(self.es.count(index=self._alias("issues"))["count"])


@contextmanager
def _as_backend_errors(location: str, prefix: str) -> Iterator[None]:
    """The client's errors as the app and the CLI handle them: the server out of reach (down,
    timed out, TLS or credentials wrong) or a request it refused, each saying what to change."""
    try:
        yield
    except (TransportError, ApiError) as exc:
        raise backend_error(exc, location, prefix) from exc


def _speaking_errors(method: Callable[..., Any]) -> Callable[..., Any]:
    """`method` raising only `BackendError`s (generators too: their errors come while iterated)."""
    if inspect.isgeneratorfunction(method):
        @functools.wraps(method)
        def generate(self: ElasticsearchBackend, *args: Any, **kwargs: Any) -> Iterator[Any]:
            with _as_backend_errors(self.location, self.alias):
                yield from method(self, *args, **kwargs)

        return generate

    @functools.wraps(method)
    def call(self: ElasticsearchBackend, *args: Any, **kwargs: Any) -> Any:
        with _as_backend_errors(self.location, self.alias):
            return method(self, *args, **kwargs)

    return call


# Every public call, its own or inherited from Backend (search, count): a server that went down
# after the app started, or refused a request, is a message on the page, never a traceback.
for _name in dir(ElasticsearchBackend):
    _method = getattr(ElasticsearchBackend, _name)
    if not _name.startswith("_") and _name not in {"bulk_load", "describe", "close"} and inspect.isfunction(_method):
        setattr(ElasticsearchBackend, _name, _speaking_errors(_method))

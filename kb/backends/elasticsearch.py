"""Elasticsearch backend: the real server, for teams that outgrow one machine.

Indices carry a version and are read through aliases (`<alias>-items`, `<alias>-issues`,
`<alias>-entities`), so `rebuild()` fills fresh indices and swaps every alias in one atomic
call: readers never see an empty or half index. Incremental writes update in place with bulk
requests that retry with backoff on 429 and report per-document failures.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Sequence

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers

from kb.backends.base import (
    TREND_TYPES,
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
    TrendPoint,
    WriteReport,
)
from kb.analysis import analysed
from kb.backends.es_mappings import ISSUES_MAPPING, ITEMS_MAPPING, SCHEMA, index_settings
from kb.backends.es_query import WORD_FIELDS, compile_filters, compile_plan, has_entity, stem_filter
from kb.backends.snippets import as_date
from kb.documents import SEARCH_FIELDS, to_document
from kb.curation import CandidateRow, commonest_spellings
from kb.models import CANDIDATE_PREFIX, Issue, Item, Mention
from kb.periods import period_label, period_start
from kb.plan import Plan
from kb.query import Filters
from kb.ranking import Candidate, CollectionStats, entities_needed, stems_needed
from kb.settings import Settings
from kb.spelling import MAX_EDITS, MIN_WORD_LENGTH, PREFIX_LENGTH, best_correction, query_words, rewrite
from kb.urls import normalize_url
from kb.textstats import MLT_MAX_TERMS, MLT_MIN_DOC_FREQ, MLT_MIN_WORD_LENGTH, STOPWORDS

__all__ = ["ElasticsearchBackend"]

KINDS = {"items": ITEMS_MAPPING, "issues": ISSUES_MAPPING}
_MAX_BUCKETS = 10_000
_CAL = {"week": "week", "month": "month", "quarter": "quarter", "year": "year"}
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
    return doc


def _ref(src: dict[str, Any]) -> IssueRef:
    date_ = as_date(src.get("date"))
    return IssueRef(src["issue_id"], src.get("issue_number"), date_, bool(src.get("date_estimated")))


class ElasticsearchBackend(Backend):
    name = "elasticsearch"

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
        try:
            self.es.cluster.health()
        except (TransportError, ApiError) as exc:
            raise BackendUnavailable(self.location, str(exc)) from exc
        self._ensure_aliases()
        self._ensure_current()

    @classmethod
    def from_settings(cls, settings: Settings) -> "ElasticsearchBackend":
        hosts = [h.strip() for h in settings.es_url.split(",") if h.strip()]
        options: dict[str, Any] = {
            "request_timeout": 30,
            "retry_on_timeout": True,
            "max_retries": 3,
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
            location=settings.es_url,
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
        self.es.indices.create(
            index=name, settings=index_settings(self.shards, self.replicas), mappings=KINDS[kind]
        )
        return name

    def _ensure_aliases(self) -> None:
        version = datetime.now(timezone.utc).strftime("v%Y%m%d%H%M%S%f")
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
            self.rebuild(issue for s in self.list_issues() if (issue := self.get_issue(s.id)) is not None)
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
        """Fill new versioned indices, then move every alias at once and drop the old ones."""
        version = datetime.now(timezone.utc).strftime("v%Y%m%d%H%M%S%f")
        fresh = {kind: self._create_versioned(kind, version) for kind in KINDS}
        try:
            report = self._bulk_write(list(issues), fresh["items"], fresh["issues"], stored={})
            self.es.indices.refresh(index=",".join(fresh.values()))
            if report.failures:
                raise BackendError(f"rebuild aborted, {len(report.failures)} documents failed: {report.failures[:3]}")
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
        return report

    # -- writing ---------------------------------------------------------------------------
    def write_issues(self, issues: Sequence[Issue]) -> WriteReport:
        stored = self._stored_fingerprints([i.id for i in issues])
        report = self._bulk_write(issues, self._alias("items"), self._alias("issues"), stored)
        self.es.indices.refresh(index=f"{self._alias('items')},{self._alias('issues')}")
        return report

    def _stored_fingerprints(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        docs = self.es.mget(index=self._alias("issues"), ids=ids, source_includes=["fingerprint"])["docs"]
        return {d["_id"]: d["_source"]["fingerprint"] for d in docs if d.get("found")}

    def _item_ids_of(self, issue_ids: list[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for hit in helpers.scan(
            self.es,
            index=self._alias("items"),
            query={"query": {"terms": {"issue_id": issue_ids}}, "_source": ["issue_id"]},
        ):
            out.setdefault(hit["_source"]["issue_id"], set()).add(hit["_id"])
        return out

    def _bulk_write(
        self, issues: Sequence[Issue], items_index: str, issues_index: str, stored: dict[str, str]
    ) -> WriteReport:
        """Items first; an issue's own document (with its fingerprint) only once all its items
        are in, so a partly failed issue is retried by the next ingest instead of skipped."""
        report = WriteReport()
        changed = [i for i in issues if not (i.fingerprint and stored.get(i.id) == i.fingerprint)]
        report.unchanged = len(issues) - len(changed)
        previous = self._item_ids_of([i.id for i in changed if i.id in stored]) if stored else {}
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
        failed = self._bulk(actions, report)
        complete = [i for i in changed if i.id not in {owner.get(d, d) for d in failed}]
        self._bulk([{"_index": issues_index, "_id": i.id, "_source": _issue_doc(i)} for i in complete], report)
        for issue in complete:
            report.written += 1
            report.items += len(issue.items)
            report.mentions += sum(len(i.mentions) for i in issue.items)
        return report

    def _bulk(self, actions: list[dict[str, Any]], report: WriteReport) -> set[str]:
        """Send with retries and backoff on 429; record and return the ids that failed."""
        failed: set[str] = set()
        for ok, result in helpers.streaming_bulk(
            self.es,
            actions,
            chunk_size=500,
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
        existed = bool(self._stored_fingerprints([issue_id]))
        actions = [
            {"_op_type": "delete", "_index": self._alias("items"), "_id": i}
            for i in sorted(self._item_ids_of([issue_id]).get(issue_id, set()))
        ]
        if existed:
            actions.append({"_op_type": "delete", "_index": self._alias("issues"), "_id": issue_id})
        helpers.bulk(self.es, actions, raise_on_error=False)
        self.es.indices.refresh(index=f"{self._alias('items')},{self._alias('issues')}")
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
        aggs: dict[str, Any] = self._facet_aggs(facet_size) if facet_size else {}
        if stats:
            aggs["stats"] = self._stats_aggs(plan)
        body: dict[str, Any] = {
            "query": compile_plan(plan, filters),
            "from": start,
            "size": count,
            "sort": sort,
            "track_total_hits": True,
            "_source": _HIT_SOURCE,
        }
        if aggs:
            body["aggs"] = aggs
        try:
            resp = self.es.search(index=self._alias("items"), **body)
        except TransportError as exc:
            raise BackendUnavailable(self.location, str(exc)) from exc
        found = resp.get("aggregations", {})
        return Retrieved(
            total=resp["hits"]["total"]["value"],
            candidates=tuple(self._candidate(h) for h in resp["hits"]["hits"]),
            facets=self._facets({k: v for k, v in found.items() if k != "stats"}) if facet_size else {},
            stats=self._stats(plan, found["stats"]) if stats else None,
        )

    def _count(self, plan: Plan, filters: Filters) -> int:
        try:
            return int(self.es.count(index=self._alias("items"), query=compile_plan(plan, filters))["count"])
        except TransportError as exc:
            raise BackendUnavailable(self.location, str(exc)) from exc

    @staticmethod
    def _stats_aggs(plan: Plan) -> dict[str, Any]:
        """Collection statistics for kb.ranking, counted over every item (a global bucket)."""
        sub: dict[str, Any] = {f"s{n}": {"filter": stem_filter(s)} for n, s in enumerate(stems_needed(plan))}
        sub.update({f"e{n}": {"filter": has_entity(e)} for n, e in enumerate(entities_needed(plan))})
        sub.update({f"len_{f}": {"avg": {"field": f"{f}_len"}} for f in SEARCH_FIELDS})
        return {"global": {}, "aggs": sub}

    @staticmethod
    def _stats(plan: Plan, agg: dict[str, Any]) -> CollectionStats:
        return CollectionStats(
            items=int(agg["doc_count"]),
            stem_items={s: int(agg[f"s{n}"]["doc_count"]) for n, s in enumerate(stems_needed(plan))},
            entity_items={e: int(agg[f"e{n}"]["doc_count"]) for n, e in enumerate(entities_needed(plan))},
            avg_length={f: float(agg[f"len_{f}"]["value"] or 0.0) for f in SEARCH_FIELDS},
        )

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
        self, keys: Sequence[str], interval: Interval, filters: Filters = Filters()
    ) -> list[TrendPoint]:
        return self._trend(keys, interval, filters, has_entity)

    def type_trend(self, interval: Interval, filters: Filters = Filters()) -> list[TrendPoint]:
        return self._trend(TREND_TYPES, interval, filters, lambda t: {"term": {"entity_types": t}})

    def _trend(
        self,
        keys: Sequence[str],
        interval: Interval,
        filters: Filters,
        key_filter: Callable[[str], dict[str, Any]],
    ) -> list[TrendPoint]:
        """Per-period item counts, one filter aggregation per key."""
        key_aggs = {f"k{n}": {"filter": key_filter(k)} for n, k in enumerate(keys)}
        sub = {
            **key_aggs,
            "number": {"min": {"field": "issue_number"}},
            "first_date": {"min": {"field": "date", "format": "strict_date"}},
            "estimated": {"filter": {"term": {"date_estimated": True}}},
        }
        if interval == "issue":
            periods = {"terms": {"field": "issue_id", "size": _MAX_BUCKETS}, "aggs": sub}
        else:
            periods = {
                "date_histogram": {"field": "date", "calendar_interval": _CAL[interval], "min_doc_count": 1, "format": "strict_date"},
                "aggs": sub,
            }
        resp = self.es.search(
            index=self._alias("items"),
            size=0,
            query={"bool": {"filter": [*compile_filters(filters), {"exists": {"field": "date"}}] if interval != "issue" else compile_filters(filters)}},
            aggs={"periods": periods},
        )
        buckets = resp["aggregations"]["periods"]["buckets"]
        rows = []
        for b in buckets:
            first = b["first_date"].get("value_as_string")
            if interval == "issue":
                label, start = b["key"], as_date(first)
            else:
                day = as_date(b["key_as_string"])
                label = period_label(day, interval)
                start = period_start(label, interval)
            number = b["number"]["value"]
            rows.append((label, start, b, int(number) if number is not None else None))
        if interval == "issue":
            rows.sort(key=lambda r: ((r[2]["first_date"].get("value_as_string") or ""), r[3] or 0, r[0]))
        points: list[TrendPoint] = []
        for n, key in enumerate(keys):
            for label, start, b, number in rows:
                points.append(
                    TrendPoint(
                        key=key,
                        period=label,
                        period_start=start,
                        items=int(b[f"k{n}"]["doc_count"]),
                        total=int(b["doc_count"]),
                        issue_number=number if interval == "issue" else None,
                        date_estimated=b["estimated"]["doc_count"] > 0,
                    )
                )
        return points

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
        out = [
            Significant(b["key"], round(float(b["score"]), 6), int(b["doc_count"]), int(b["bg_count"]))
            for name in ("entities", "topics")
            for b in resp["aggregations"][name]["buckets"]
        ]
        out = [x for x in out if x.score > 0]
        out.sort(key=lambda x: (-x.score, x.key))
        return out[:size]

    def suggest(self, prefix: str, *, limit: int = 8) -> list[Suggestion]:
        prefix = prefix.strip()
        if not prefix:
            return []
        resp = self.es.search(
            index=self._alias("items"),
            source=["mentions"],
            suggest={"entity": {"prefix": prefix, "completion": {"field": "suggest", "size": limit * 3, "skip_duplicates": True}}},
        )
        best: dict[str, Suggestion] = {}
        for option in resp["suggest"]["entity"][0]["options"]:
            for m in option["_source"].get("mentions", []):
                if m["text"] == option["text"]:
                    best.setdefault(m["entity_id"], Suggestion(m["entity_id"], m["type"], m["text"]))
                    break
        return list(best.values())[:limit]

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

        query = {"bool": {"filter": [has_entity(entity_id)]}}
        resp = self.es.search(
            index=self._alias("items"),
            size=0,
            track_total_hits=True,
            query=query,
            aggs={"first": end("asc"), "last": end("desc")},
        )
        items = int(resp["hits"]["total"]["value"])
        if not items:
            return None
        # `mentions` is stored, not indexed (and no scripts): count occurrences in the sources
        scan = helpers.scan(
            self.es, index=self._alias("items"), query={"query": query, "_source": ["mentions.entity_id"]}
        )
        mentions = sum(m["entity_id"] == entity_id for hit in scan for m in hit["_source"].get("mentions", []))
        first, last = (_ref(resp["aggregations"][k]["hits"]["hits"][0]["_source"]) for k in ("first", "last"))
        return EntityStats(entity_id, items, mentions, first, last)

    def co_mentions(self, entity_id: str, *, size: int = 15) -> list[FacetValue]:
        def terms(field: str) -> dict[str, Any]:
            return {
                "terms": {
                    "field": field,
                    "size": size,
                    "shard_size": max(10 * size, 100),  # keeps counts exact on a few shards
                    "exclude": [entity_id],
                    "order": [{"_count": "desc"}, {"_key": "asc"}],
                }
            }

        resp = self.es.search(
            index=self._alias("items"),
            size=0,
            query={"bool": {"filter": [has_entity(entity_id)]}},
            aggs={"entities": terms("entity_ids"), "topics": terms("topic_ids")},
        )
        values = [
            FacetValue(b["key"], int(b["doc_count"]))
            for name in ("entities", "topics")
            for b in resp["aggregations"][name]["buckets"]
        ]
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
        counts: dict[str, Counter[str]] = {}
        for hit in helpers.scan(
            self.es,
            index=self._alias("items"),
            query={"query": {"prefix": {"entity_ids": CANDIDATE_PREFIX}}, "_source": ["mentions"]},
        ):
            for m in hit["_source"].get("mentions", []):
                if m["entity_id"].startswith(CANDIDATE_PREFIX):
                    counts.setdefault(m["entity_id"], Counter())[m["text"]] += 1
        return commonest_spellings(counts)

    def candidate_rows(self) -> Iterator[CandidateRow]:
        for hit in helpers.scan(
            self.es,
            index=self._alias("items"),
            query={
                "query": {"prefix": {"entity_ids": CANDIDATE_PREFIX}},
                "_source": ["id", "title", "text", "issue_id", "publication", "issue_number", "date", "mentions"],
            },
        ):
            d = hit["_source"]
            for m in d.get("mentions", []):
                if m["entity_id"].startswith(CANDIDATE_PREFIX):
                    yield CandidateRow(
                        m["entity_id"], m["type"], m["text"], m["field"], m["start"], m["end"],
                        d["id"], d["title"], d["text"], d["issue_id"], d["publication"],
                        d.get("issue_number"), as_date(d.get("date")),
                    )

    def list_issues(self, publication: str | None = None) -> list[IssueSummary]:
        query = {"term": {"publication": publication}} if publication else {"match_all": {}}
        out = [
            IssueSummary(
                id=s["id"],
                publication=s["publication"],
                number=s.get("number"),
                title=s.get("title", ""),
                date=as_date(s.get("date")),
                date_estimated=bool(s.get("date_estimated")),
                items=int(s.get("items", 0)),
                source=s.get("source", ""),
                fingerprint=s.get("fingerprint", ""),
            )
            for s in (
                h["_source"]
                for h in helpers.scan(
                    self.es, index=self._alias("issues"), query={"query": query, "_source": {"excludes": ["intro", "summary"]}}
                )
            )
        ]
        out.sort(key=lambda s: (s.publication, s.number if s.number is not None else -1, s.date or date.min))
        return out

    def get_issue(self, issue_id: str) -> Issue | None:
        resp = self.es.options(ignore_status=404).get(index=self._alias("issues"), id=issue_id)
        if not resp.get("found"):
            return None
        s = resp["_source"]
        hits = self.es.search(
            index=self._alias("items"),
            query={"term": {"issue_id": issue_id}},
            sort=[{"position": "asc"}],
            size=_MAX_BUCKETS,
        )["hits"]["hits"]
        items = tuple(
            Item(
                title=d["title"],
                text=d["text"],
                url=d.get("url"),
                section=d.get("section"),
                position=d["position"],
                id=d["id"],
                issue_id=issue_id,
                mentions=tuple(
                    Mention(m["start"], m["end"], m["text"], m["type"], m["entity_id"], m["field"])
                    for m in d.get("mentions", [])
                ),
                links=tuple(d.get("links", [])),
            )
            for d in (h["_source"] for h in hits)
        )
        return Issue(
            publication=s["publication"],
            source=s.get("source", ""),
            number=s.get("number"),
            title=s.get("title", ""),
            summary=s.get("summary", ""),
            intro=s.get("intro", ""),
            date=as_date(s.get("date")),
            date_estimated=bool(s.get("date_estimated")),
            tags=tuple(s.get("tags", [])),
            items=items,
            id=s["id"],
            fingerprint=s.get("fingerprint", ""),
        )

    def count_items(self) -> int:
        return int(self.es.count(index=self._alias("items"))["count"])

    def count_issues(self) -> int:
        return int(self.es.count(index=self._alias("issues"))["count"])

"""How often a topic tag is right: precision per topic on a sample of the items it tags.

    python -m bench.bench_topics                         # the table, from tests/topic_judgments.jsonl
    python -m bench.bench_topics --sample OUT.jsonl [--db KB.sqlite3]   # draw a new sample to judge

The sample is seeded: up to SAMPLE_SIZE items per topic from an index built from the sample,
the MLE newsletter and ML Articles Weekly, each with the phrase that triggered the tag and the
sentence around it. Judges (people reading, no code) mark each tag right or wrong: right when
the phrase, there, means the topic (not another sense, not a generic phrase). Judgments keep
only ids and verdicts; no newsletter text is stored.
"""
from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUDGMENTS = ROOT / "tests" / "topic_judgments.jsonl"
SAMPLE_SIZE = 30
SEED = 7

__all__ = ["load_judgments", "precision_by_topic", "draw_sample", "main"]


def load_judgments(path: Path = JUDGMENTS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def precision_by_topic(judgments: list[dict]) -> dict[str, tuple[int, int]]:
    """topic -> (judged, right)."""
    judged: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for j in judgments:
        judged[j["topic"]] += 1
        right[j["topic"]] += j["verdict"] == "yes"
    return {t: (judged[t], right[t]) for t in judged}


def draw_sample(db_path: Path, out: Path, size: int = SAMPLE_SIZE, seed: int = SEED) -> int:
    from kb.catalog import load_catalog
    from kb.curation import sentence_around

    catalog = load_catalog()
    db = sqlite3.connect(db_path)
    db.row_factory = sqlite3.Row
    rng = random.Random(seed)
    topics = db.execute("SELECT entity_id, COUNT(DISTINCT item_id) AS n FROM mentions WHERE type = 'TOPIC'"
                        " GROUP BY entity_id ORDER BY n DESC, entity_id").fetchall()
    rows = []
    for topic in topics:
        items = [r[0] for r in db.execute("SELECT DISTINCT item_id FROM mentions WHERE entity_id = ? ORDER BY item_id",
                                          (topic["entity_id"],))]
        entry = catalog.get(topic["entity_id"])
        for item_id in sorted(rng.sample(items, min(size, len(items)))):
            m = db.execute("SELECT me.*, i.title, i.text FROM mentions me JOIN items i ON i.id = me.item_id"
                           " WHERE me.item_id = ? AND me.entity_id = ? ORDER BY me.field DESC, me.start LIMIT 1",
                           (item_id, topic["entity_id"])).fetchone()
            source = m["title"] if m["field"] == "title" else m["text"]
            rows.append({"topic": topic["entity_id"], "topic_name": entry.name if entry else topic["entity_id"],
                         "topic_aliases": list(entry.aliases) if entry else [], "item_id": item_id,
                         "title": m["title"], "matched": m["surface"],
                         "context": sentence_around(source, m["start"], m["end"], width=400)})
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS)
    parser.add_argument("--sample", type=Path, help="write a sample to judge instead of the table")
    parser.add_argument("--db", type=Path, default=ROOT / ".kb" / "kb.sqlite3", help="SQLite index to sample from")
    args = parser.parse_args(argv)
    if args.sample:
        print(f"{draw_sample(args.db, args.sample)} tags sampled -> {args.sample}")
        return 0
    if not args.judgments.is_file():
        print(f"no judgments at {args.judgments}", file=sys.stderr)
        return 2
    table = precision_by_topic(load_judgments(args.judgments))
    print(f"{'topic':<34} {'judged':>6} {'right':>5} {'precision':>9}")
    for topic, (n, ok) in sorted(table.items(), key=lambda kv: (kv[1][1] / kv[1][0], kv[0])):
        print(f"{topic:<34} {n:>6} {ok:>5} {ok / n:>9.2f}")
    total, good = sum(n for n, _ in table.values()), sum(ok for _, ok in table.values())
    print(f"{'all (micro)':<34} {total:>6} {good:>5} {good / total:>9.2f}")
    below = [t for t, (n, ok) in table.items() if ok / n < 0.8]
    print(f"{len(table)} topics; {len(below)} below 0.80: {', '.join(sorted(below)) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

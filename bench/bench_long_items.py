"""How extraction time grows with an item's length, up to the ingest's cut (MAX_ITEM_CHARS).

    python -m bench.bench_long_items [--repeat 3]

Prints, per text shape, the seconds to tag one item of 1/8, 1/4, 1/2 and all of MAX_ITEM_CHARS,
and the growth from the shortest to the longest divided by the length ratio (8): about 1 means
linear; a quadratic path shows as about 8. Shapes: prose (words of the sample issue), a run of
capitalised names (the densest input for the name rules), one unbroken token, runs of
punctuation (what spaCy's tokenizer splits one character at a time), and links.
"""
from __future__ import annotations

import argparse
import random
import time
from pathlib import Path
from typing import Callable

from indexer.extract import Extractor
from indexer.pipeline import MAX_ITEM_CHARS
from kb.catalog import load_catalog
from kb.models import Item

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "deep-learning-weekly-214.txt"
NAMES = ["Alpha", "Beta", "GPT-4", "NVIDIA", "Mr", "The", "Inc.", "Llama", "Google", "Mistral"]


def shapes(seed: int = 7) -> dict[str, Callable[[int], str]]:
    """Text makers by shape: each gives exactly `n` characters, the same for the same seed."""
    words = SAMPLE.read_text(encoding="utf-8").split()

    def drawn(pool: list[str], n: int) -> str:
        rng = random.Random(seed)
        return " ".join(rng.choice(pool) for _ in range(n // 3))[:n]

    return {
        "prose": lambda n: drawn(words, n),
        "capitalised names": lambda n: drawn(NAMES, n),
        "one unbroken token": lambda n: "x" * n,
        # each run different, so the tokenizer's cache of chunks cannot help
        "punctuation runs": lambda n: " ".join("*_[(" * 249 + f"{i:04d}" for i in range(n // 1_001 + 1))[:n],
        "links": lambda n: " ".join(f"https://example.org/{i}" for i in range(n // 20))[:n],
    }


def seconds(extractor: Extractor, text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        list(extractor.tag_items([Item(title="Long item", text=text, position=0)]))
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per text (best counts)")
    args = parser.parse_args(argv)
    extractor = Extractor(load_catalog())
    seconds(extractor, "OpenAI and NVIDIA", 1)  # load the pipeline before timing
    lengths = [MAX_ITEM_CHARS // 8, MAX_ITEM_CHARS // 4, MAX_ITEM_CHARS // 2, MAX_ITEM_CHARS]
    print(f"{'shape':<20}" + "".join(f"{n:>11,}" for n in lengths) + "   growth / length ratio")
    for name, make in shapes().items():
        times = [seconds(extractor, make(n), args.repeat) for n in lengths]
        growth = times[-1] / max(times[0], 1e-9) / (lengths[-1] / lengths[0])
        print(f"{name:<20}" + "".join(f"{t:>10.2f}s" for t in times) + f"   {growth:.2f}")


if __name__ == "__main__":
    main()

"""Suggestion quality on the hand-labelled seeds, and speed on a 20,000-word article.

Run by hand from the project folder (not part of the test suite; no database needed):

    .venv/bin/python -m bench.suggestions
    .venv/bin/python -m bench.suggestions --words 50000 --repeat 9

Quality: the engine runs over the five seed articles (fixtures/seed_articles.json) with
the source registry of fixtures/sources.json and is scored against the hand labels in
tests/suggestions/gold_seeds.json (matching rules in annotations/suggestions/quality.py).
It prints precision and recall per language and kind, then the totals, source-link
accuracy and attribution → claim pairing accuracy, against the targets: attributions
P >= 0.7 and R >= 0.8, right source >= 0.9, claim recall >= 0.6, pairing >= 0.6.

Speed: for each language the seed texts of that language are repeated (paragraph by
paragraph) into one article of --words words. It times ``suggest`` on it (median of
--repeat runs, after one warm-up) and, in the same run and on the same text, a baseline:
one pass of ``re.findall(r"\\w+")`` over the text (reading every word once, nothing more).
It prints the load average, wall-clock and CPU milliseconds (medians), the ratio
suggest ÷ baseline (wall-clock), and the peak memory of one ``suggest`` call
(tracemalloc). Target: < 200 ms per 20,000-word article.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
import tracemalloc

from annotations.suggestions import ATTRIBUTION, CLAIM, SourceMatcher, suggest
from annotations.suggestions.quality import evaluate_seeds, load_seeds, load_sources


def _timed(function, repeat: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of ``repeat`` calls, after one warm-up.

    CPU time (this process only) is printed beside wall-clock time because on a shared
    machine the wall clock mostly measures the other processes' load.
    """
    function()
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def _article(texts: list[str], words: int) -> str:
    paragraphs = [p for text in texts for p in text.split("\n") if p.strip()]
    out: list[str] = []
    count = 0
    index = 0
    while count < words:
        paragraph = paragraphs[index % len(paragraphs)]
        out.append(paragraph)
        count += len(paragraph.split())
        index += 1
    return "\n\n".join(out)


def _row(language: str, kind: str, tally) -> None:
    print(f"{language:<9} {kind:<12} {tally.gold:>5} {tally.predicted:>9} {tally.precision:>9.2f} {tally.recall:>7.2f}")


def quality() -> None:
    report = evaluate_seeds()
    print("Quality on the hand-labelled seeds (tests/suggestions/gold_seeds.json)")
    print(f"{'language':<9} {'kind':<12} {'gold':>5} {'suggested':>9} {'precision':>9} {'recall':>7}")
    for (language, kind), tally in sorted(report.tallies.items()):
        _row(language, kind, tally)
    for kind in (ATTRIBUTION, CLAIM):
        tally = report.total(kind)
        _row("all", kind, tally)
    print(
        f"source linked right: {report.source_right}/{report.source_total} = {report.source_accuracy:.2f}   "
        f"pairing right: {report.pair_right}/{report.pair_total} = {report.pairing_accuracy:.2f}"
    )
    attributions, claims = report.total(ATTRIBUTION), report.total(CLAIM)
    checks = {
        "attribution precision >= 0.7": attributions.precision >= 0.7,
        "attribution recall >= 0.8": attributions.recall >= 0.8,
        "source >= 0.9": report.source_accuracy >= 0.9,
        "claim recall >= 0.6": claims.recall >= 0.6,
        "pairing >= 0.6": report.pairing_accuracy >= 0.6,
    }
    print("targets: " + ", ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in checks.items()))
    if report.misses:
        print("missed:")
        for miss in report.misses:
            print("  " + miss)


def speed(words: int, repeat: int) -> None:
    seeds = load_seeds()
    matcher = SourceMatcher(load_sources())
    by_language: dict[str, list[str]] = {}
    for fields in seeds.values():
        by_language.setdefault(fields["language"], []).append(fields["text"])
    print(f"\nSpeed: one article of {words:,} words per language, median of {repeat} runs")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"{'language':<9} {'chars':>8} {'suggest ms':>10} {'cpu ms':>7} {'baseline ms':>11} {'ratio':>7} "
        f"{'found':>6} {'peak MiB':>8}"
    )
    word = re.compile(r"\w+")
    for language, texts in sorted(by_language.items()):
        text = _article(texts, words)
        took, took_cpu = _timed(lambda text=text, language=language: suggest(text, language, matcher), repeat)
        baseline, _ = _timed(lambda text=text: word.findall(text), repeat)
        tracemalloc.start()
        found = suggest(text, language, matcher)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{language:<9} {len(text):>8,} {took * 1000:>10.1f} {took_cpu * 1000:>7.1f} {baseline * 1000:>11.2f} "
            f"{took / baseline:>7.1f} {len(found):>6} {peak / 2**20:>8.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    quality()
    speed(args.words, args.repeat)


if __name__ == "__main__":
    main()

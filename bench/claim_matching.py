"""Claim matching: how often the right claim comes first / in the top 3, and what it costs.

Run by hand (not part of the test suite), from the project folder:

    .venv/bin/python -m bench.claim_matching
    .venv/bin/python -m bench.claim_matching --repeat 20 --claims 1000

No database and no Django: it reads the hand-labelled claims of the seed articles
(``tests/claims/seed_claims.json``), the seed texts and the source registry
(``fixtures/``) and scores every appearance of a claim that appears in more than one
language, against every claim represented only by its texts in *other* languages
(``annotations.claims.evaluation.evaluate``). Two settings: with each claim's English
statement among its texts (as in the app, where a claim has a statement), and with
appearances only.

Baseline, measured in the same run on the same queries: character 3- and 4-gram
TF-IDF cosine over all texts, whatever their language (what a plain "similar text"
search does). Printed:

- top-1 and top-3 hit rates of the matcher and of the baseline (targets for the
  matcher with statements: top-1 >= 50%, top-3 >= 80%);
- time: the median over ``--repeat`` runs of one full evaluation, for the matcher and
  the baseline, and their ratio (matcher ÷ baseline);
- one ranking of a span against ``--claims`` claims (the labelled claims copied under
  new keys, each text numbered so that no two are the same), the cost of one
  ``GET /api/annotations/{id}/claim-matches/`` minus the database, median of
  ``--repeat`` runs, with the same ratio: cold (a new matcher) and warm (the matcher
  has seen these texts, as the app's cached matcher has);
- peak memory: Python allocations during one evaluation and one ranking against
  ``--claims`` claims (tracemalloc, in a pass of its own since it slows allocation
  down) and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.claims.evaluation import evaluate, load_labelled  # noqa: E402
from annotations.claims.matching import (  # noqa: E402
    ClaimTexts,
    Match,
    Matcher,
    RegistryEntry,
    _cosine,
    _ngrams,
    _tfidf,
    fold,
)


def registry() -> list[RegistryEntry]:
    records = json.loads((ROOT / "fixtures" / "sources.json").read_text(encoding="utf-8"))
    return [
        RegistryEntry(r["fields"]["slug"], r["fields"]["name"], tuple(r["fields"]["aliases"]))
        for r in records
        if r["model"] == "annotations.source"
    ]


def baseline_rank(text: str, language: str, claims, *, limit: int = 5) -> list[Match]:
    """Character n-gram TF-IDF cosine, every language pooled: the naive 'similar text' search."""
    profiles = [(claim, [Counter(_ngrams(fold(t))) for t, _lang in claim.texts]) for claim in claims]
    df: Counter = Counter()
    for _claim, grams in profiles:
        df.update({g for counts in grams for g in counts})
    total = max(len(profiles), 1)
    query = _tfidf(Counter(_ngrams(fold(text))), df, total)
    matches = [
        Match(claim.key, max(_cosine(query, _tfidf(counts, df, total)) for counts in grams))
        for claim, grams in profiles
    ]
    matches.sort(key=lambda m: (-m.score, str(m.claim)))
    return matches[:limit]


def timed(function, repeat: int) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (median is printed)")
    parser.add_argument("--claims", type=int, default=1000, help="claims to rank one span against")
    args = parser.parse_args()

    labelled = load_labelled()
    entries = registry()

    print(f"labelled: {len(labelled.statements)} claims, {len(labelled.appearances)} appearances")
    print(f"{'setting':<22} {'ranker':<9} {'queries':>7} {'top-1':>12} {'top-3':>12} {'time':>9}")
    ratios = []
    for with_statements in (True, False):
        setting = "with statements" if with_statements else "appearances only"
        seconds = {}
        # A fresh matcher per run: it keeps the profiles of the texts it has seen.
        for name, rank in (("matcher", lambda *a, **k: Matcher(entries).rank(*a, **k)), ("baseline", baseline_rank)):
            elapsed, rates = timed(
                lambda rank=rank, with_statements=with_statements: evaluate(
                    labelled, rank, with_statements=with_statements
                ),
                args.repeat,
            )
            seconds[name] = elapsed
            print(
                f"{setting:<22} {name:<9} {rates.queries:>7} "
                f"{rates.top1:>3} = {rates.top1_rate:>5.0%} {rates.top3:>3} = {rates.top3_rate:>5.0%} "
                f"{elapsed * 1000:>7.1f}ms"
            )
        ratios.append(seconds["matcher"] / seconds["baseline"])
        print(f"{setting:<22} time ratio matcher/baseline: {ratios[-1]:.2f}")

    # One span against many claims: the labelled claims copied under new keys.
    base = []
    for key, (statement, language) in labelled.statements.items():
        texts = [(statement, language)] + [(a.text, a.language) for a in labelled.appearances if a.claim == key]
        base.append(texts)
    # Each copy's texts are numbered so that no two claims share a text (nothing is cached across them).
    many = [
        ClaimTexts(f"claim-{i}", tuple((f"{text} (#{i})", language) for text, language in base[i % len(base)]))
        for i in range(args.claims)
    ]
    query = next(a for a in labelled.appearances if a.language == "ar" and a.claim == "coreweave-deal")
    cold_time, _ = timed(lambda: Matcher(entries).rank(query.text, query.language, many), args.repeat)
    matcher = Matcher(entries)
    warm_time, _ = timed(lambda: matcher.rank(query.text, query.language, many), args.repeat)
    baseline_time, _ = timed(lambda: baseline_rank(query.text, query.language, many), args.repeat)
    print(
        f"one span against {args.claims} claims: matcher {cold_time * 1000:.1f}ms cold, {warm_time * 1000:.1f}ms warm, "
        f"baseline {baseline_time * 1000:.1f}ms; ratio cold {cold_time / baseline_time:.2f}, "
        f"warm {warm_time / baseline_time:.2f}"
    )
    # Memory in a pass of its own: tracemalloc slows every allocation down.
    tracemalloc.start()
    evaluate(labelled, Matcher(entries).rank)
    Matcher(entries).rank(query.text, query.language, many)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak / 2**20:.1f} MB allocated by Python (tracemalloc), peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()

"""Import benchmark: ``import_articles`` against a raw ``executemany`` of the same rows.

Run by hand (not part of the test suite), from the project folder:

    .venv/bin/python -m bench.import                                  # SQLite and PostgreSQL, 50,000 articles
    .venv/bin/python -m bench.import --databases sqlite --articles 5000

It writes a synthetic corpus as a doccano JSONL file (``{"external_id", "title", "text",
"label": [[start, end, label], ...]}``): about 2.9 KB of text and 10 spans per article,
Indonesian, French and Arabic in turn, with emoji outside the BMP in a quarter of the
sentences (so code points and UTF-16 units differ). For each database it creates a
throwaway database (SQLite: a WAL file under /tmp; PostgreSQL: ``bench_import`` on the
local server, created and dropped here), migrates it, and runs, each in a fresh
subprocess with its peak RSS taken from ``os.wait4``, started once the disk is synced
(``os.sync``, so the corpus just written is not flushed during the measurement):

- ``import_articles FILE --annotator bench-annotator``: seconds for the command (Django
  start-up and migrations excluded), articles/s, spans/s;
- the same command again on the same database: a re-import, every record already there
  and unchanged (found by ``external_id``, nothing written), which must stay linear in
  the corpus however fresh the database's statistics;
- the baseline: the same rows (articles, spans and the spans' history rows, with the
  values the command stored) inserted with the database driver alone (sqlite3 or
  psycopg, no Django) by one ``executemany`` per table and chunk of 500 articles, in one
  transaction, into a second fresh database. Building the rows from the file is not
  timed, only the inserts and the commit.

ratio = baseline seconds ÷ command seconds (1.0 would mean the command costs no more
than writing its rows). Targets for 50,000 articles and 500,000 spans: ≤ 15 s on SQLite,
≤ 25 s on PostgreSQL, peak RSS ≤ 300 MB, ratio ≥ 0.35.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import WORDS, django_environment, drop_database, fresh_database, run_child, sentence_pool

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench_import"
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "factcheck-bench-import"
SPANS_PER_ARTICLE = 10
CHUNK = 500
ANNOTATOR = "bench-annotator"
SECRET = "bench-import-not-a-secret"


# ---------------------------------------------------------------- synthetic corpus


def write_corpus(path: Path, articles: int) -> tuple[int, int]:
    """Write the corpus; (bytes of text, spans)."""
    rng = random.Random(14)
    pools = {language: sentence_pool(rng, language) for language in WORDS}
    languages = list(WORDS)
    text_bytes = spans = 0
    with path.open("w", encoding="utf-8") as file:
        for n in range(articles):
            language = languages[n % 3]
            target = 2900  # bytes of UTF-8, whatever the script
            sentences, size = [], 0
            while size < target:
                sentence = rng.choice(pools[language])
                sentences.append(sentence)
                size += len(sentence.encode()) + 1
            text = " ".join(sentences)
            bounds, position = [], 0
            for sentence in sentences:
                bounds.append((position, position + len(sentence)))
                position += len(sentence) + 1
            label = []
            for start, end in sorted(rng.sample(bounds, SPANS_PER_ARTICLE)):
                if rng.random() < 0.5:  # part of a sentence, not always a whole one
                    end = start + max(1, (end - start) // 2)
                label.append([start, end, rng.choice(["claim", "attribution"])])
            record = {"external_id": f"bench-{n:07d}", "title": sentences[0][:120], "text": text, "label": label}
            file.write(json.dumps(record, ensure_ascii=False) + "\n")
            text_bytes += len(text.encode())
            spans += len(label)
    return text_bytes, spans


# ---------------------------------------------------------------- measured runs (subprocesses)


def run_command(path: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    get_user_model().objects.get_or_create(username=ANNOTATOR)
    with open(os.devnull, "w") as devnull:
        started = time.perf_counter()
        call_command("import_articles", path, annotator=ANNOTATOR, no_progress=True, stdout=devnull)
        seconds = time.perf_counter() - started
    from annotations.models import Annotation, Article

    print(json.dumps({"seconds": seconds, "articles": Article.objects.count(), "spans": Annotation.objects.count()}))


def run_baseline(path: str) -> None:
    """The same rows through the bare driver: one executemany per table and chunk."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from annotations.models import SEED_PROJECT, Label, Project, Verdict

    user_id = get_user_model().objects.get_or_create(username=ANNOTATOR)[0].pk
    project_id = Project.objects.get(slug=SEED_PROJECT).pk
    labels = dict(Label.objects.filter(project_id=project_id).values_list("slug", "pk"))
    unchecked = Verdict.objects.get(project_id=project_id, slug="unchecked").pk
    url = os.environ.get("DATABASE_URL", "")
    now = datetime.now(UTC)
    if url:
        import psycopg

        connection = psycopg.connect(url.replace("postgres://", "postgresql://", 1))
        stamp, metadata, mark = now, "{}", "%s"
    else:
        import sqlite3

        connection = sqlite3.connect(os.environ["SQLITE_PATH"], isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")  # as the settings have it
        connection.execute("BEGIN")
        stamp, metadata, mark = now.replace(tzinfo=None).isoformat(" "), "{}", "?"

    def insert(table: str, columns: list[str]) -> str:
        names = ", ".join(f'"{c}"' for c in columns)
        return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join([mark] * len(columns))})'

    article_sql = insert(
        "annotations_article",
        [
            *(
                "id",
                "project_id",
                "external_id",
                "title",
                "text",
                "language",
                "direction",
                "url",
                "publisher",
                "author",
            ),
            *("published_at", "text_sha256", "metadata", "created_at", "updated_at"),
        ],
    )
    span_columns = [
        *("id", "article_id", "annotator_id", "start", "end", "text", "label_id", "claim_type_id", "checkworthy"),
        *("verdict_id", "note", "is_gold", "created_at", "updated_at", "version", "deleted_at"),
    ]
    span_sql = insert("annotations_annotation", span_columns)
    history_sql = insert(
        "annotations_historicalannotation",
        [*span_columns, "history_date", "history_change_reason", "history_type", "history_user_id"],
    )
    cursor = connection.cursor()
    timed = 0.0
    article_id = span_id = 0

    def flush(articles, spans, history):
        nonlocal timed
        started = time.perf_counter()
        cursor.executemany(article_sql, articles)
        cursor.executemany(span_sql, spans)
        cursor.executemany(history_sql, history)
        timed += time.perf_counter() - started

    articles, spans, history = [], [], []
    with open(path, encoding="utf-8") as file:
        for line in file:
            record = json.loads(line)
            text = record["text"]
            article_id += 1
            language = ["id", "fr", "ar"][(article_id - 1) % 3]
            articles.append(
                (
                    article_id,
                    project_id,
                    record["external_id"],
                    record["title"],
                    text,
                    language,
                    "rtl" if language == "ar" else "ltr",
                    None,
                    "",
                    "",
                    None,
                    hashlib.sha256(text.encode()).hexdigest(),
                    metadata,
                    stamp,
                    stamp,
                )
            )
            for start, end, label in record["label"]:
                span_id += 1
                row = (
                    span_id,
                    article_id,
                    user_id,
                    start,
                    end,
                    text[start:end],
                    labels[label],
                    None,
                    None,
                    unchecked,
                    "",
                    False,
                    stamp,
                    stamp,
                    1,
                    None,
                )
                spans.append(row)
                history.append((*row, stamp, None, "+", None))
            if len(articles) == CHUNK:
                flush(articles, spans, history)
                articles, spans, history = [], [], []
    flush(articles, spans, history)
    started = time.perf_counter()
    connection.commit() if url else connection.execute("COMMIT")
    timed += time.perf_counter() - started
    connection.close()
    print(json.dumps({"seconds": timed, "articles": article_id, "spans": span_id}))


# ---------------------------------------------------------------- the driver


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres or both (comma-separated)")
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    corpus = args.workdir / f"corpus-{args.articles}.jsonl"
    text_bytes, spans = write_corpus(corpus, args.articles)
    print(
        f"corpus: {args.articles:,} articles, {spans:,} spans, {text_bytes / args.articles / 1000:.2f} KB of text "
        f"per article, {corpus.stat().st_size / 1e6:.0f} MB file",
        flush=True,
    )
    limits = {"sqlite": 15.0, "postgres": 25.0}
    for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
        env = django_environment(database, args.workdir, args.postgres_url, SECRET)
        try:
            fresh_database(database, args.workdir, args.postgres_url, env)
            command, _, rss = run_child("bench.import", ["_command", str(corpus)], env)
            again, _, again_rss = run_child("bench.import", ["_command", str(corpus)], env)
            fresh_database(database, args.workdir, args.postgres_url, env)
            baseline, _, baseline_rss = run_child("bench.import", ["_baseline", str(corpus)], env)
        finally:
            drop_database(database, args.workdir, args.postgres_url)
        assert (command["articles"], command["spans"]) == (baseline["articles"], baseline["spans"]), (command, baseline)
        assert (again["articles"], again["spans"]) == (command["articles"], command["spans"]), (again, command)
        ratio = baseline["seconds"] / command["seconds"]
        print(
            f"{database:8} import_articles {command['seconds']:6.2f} s (limit {limits[database]:.0f} s at 50,000)  "
            f"{command['articles'] / command['seconds']:7,.0f} articles/s  "
            f"{command['spans'] / command['seconds']:8,.0f} spans/s  peak RSS {rss:4.0f} MB (limit 300)  |  "
            f"raw executemany {baseline['seconds']:5.2f} s "
            f"(RSS {baseline_rss:.0f} MB)  ratio {ratio:.2f} (target >= 0.35)",
            flush=True,
        )
        print(
            f"{database:8} re-import, all unchanged {again['seconds']:6.2f} s  "
            f"{again['articles'] / again['seconds']:7,.0f} articles/s  peak RSS {again_rss:4.0f} MB",
            flush=True,
        )
    corpus.unlink()


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "_command":
        run_command(sys.argv[2])
    elif len(sys.argv) > 2 and sys.argv[1] == "_baseline":
        run_baseline(sys.argv[2])
    else:
        main()

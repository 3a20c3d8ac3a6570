"""Load test: many annotators writing the same articles at once, then an audit.

Run by hand (not part of the test suite; tests/reliability/test_load.py runs a short
version through the same code):

    .venv/bin/python -m bench.load                          # PostgreSQL, 32 clients, 30 s
    .venv/bin/python -m bench.load --database sqlite --clients 8,32,64
    .venv/bin/python -m bench.load --database both --clients 32 --seconds 30

Each run creates a throwaway database (PostgreSQL: ``bench_load`` on the local server,
dropped afterwards; SQLite: a temporary WAL file), migrates and seeds it (a few
articles with non-BMP text, one user with an API token per two clients), starts
gunicorn on 127.0.0.1 with several workers, and lets the clients create, edit (PATCH
with ``version``; on 409 re-read and retry) and delete spans through the REST API for a
fixed time. Two clients share each user, so they edit each other's spans and see real
version conflicts. Every acknowledged (2xx) write is recorded client side.

Afterwards, with gunicorn stopped, the database is read back and compared with what
the clients believe they wrote: every acknowledged create present with its last
acknowledged note and version, every acknowledged delete gone from
``Annotation.objects``, no row nobody was told about, and one history record per
acknowledged write. Any 5xx other than a 503 with Retry-After is a failure; a 503 (the
database was too busy) must have changed nothing, which the audit checks too.

Only 127.0.0.1 is ever contacted; the count of clients and the run time are bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/bench_load"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAX_CLIENTS = 256
MAX_SECONDS = 600
MAX_RETRIES = 5

# ---------------------------------------------------------------- the clients' ledger


@dataclass
class Expected:
    """What the clients were told about one annotation."""

    user: str
    note: str = ""
    version: int = 1
    deleted_at_version: int | None = None  # the version the delete was sent with
    acknowledged_writes: int = 1  # the create

    @property
    def final_version(self) -> int:
        return self.deleted_at_version + 1 if self.deleted_at_version is not None else self.version


class Ledger:
    """Every acknowledged write, as the clients saw it. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.annotations: dict[int, Expected] = {}

    def created(self, pk: int, *, user: str, note: str, version: int) -> None:
        with self._lock:
            self.annotations[pk] = Expected(user=user, note=note, version=version)

    def updated(self, pk: int, *, note: str, version: int) -> None:
        with self._lock:
            expected = self.annotations[pk]
            expected.acknowledged_writes += 1
            # Acknowledgements of two clients may arrive in any order; versions don't lie.
            if version > expected.version:
                expected.version, expected.note = version, note

    def deleted(self, pk: int, *, version: int) -> None:
        with self._lock:
            expected = self.annotations[pk]
            expected.acknowledged_writes += 1
            expected.deleted_at_version = version


def audit(ledger: Ledger, rows: list[dict]) -> list[str]:
    """Compare the database (``rows``: one dict per stored annotation) with the ledger.

    Returns one line per discrepancy; an empty list means no write was lost, doubled
    or invented.
    """
    problems: list[str] = []
    stored = {row["id"]: row for row in rows}
    for pk, expected in sorted(ledger.annotations.items()):
        row = stored.get(pk)
        if row is None:
            problems.append(f"annotation {pk}: acknowledged create is missing from the database")
            continue
        if row["annotator"] != expected.user:
            problems.append(f"annotation {pk}: annotator {row['annotator']!r}, expected {expected.user!r}")
        if expected.deleted_at_version is not None:
            if row["live"]:
                problems.append(f"annotation {pk}: acknowledged delete, but still in Annotation.objects")
        elif not row["live"]:
            problems.append(f"annotation {pk}: deleted, but no delete was acknowledged")
        if row["version"] != expected.final_version:
            problems.append(f"annotation {pk}: version {row['version']}, expected {expected.final_version}")
        if row["note"] != expected.note:
            problems.append(f"annotation {pk}: note {row['note']!r}, expected {expected.note!r}")
        if row["history"] != expected.acknowledged_writes:
            problems.append(
                f"annotation {pk}: {row['history']} history records, {expected.acknowledged_writes} acknowledged writes"
            )
    for pk in sorted(set(stored) - set(ledger.annotations)):
        problems.append(f"annotation {pk}: in the database, but no client was told it was created")
    return problems


# ---------------------------------------------------------------- measurements


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


@dataclass
class Stats:
    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    bad_503s: int = 0  # 503 without Retry-After
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, status: int | str, seconds: float, retry_after: str | None = None) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)
            if status == 503 and not retry_after:
                self.bad_503s += 1

    @property
    def server_errors(self) -> int:
        """5xx answers that are failures: everything but a 503 with Retry-After."""
        return sum(n for s, n in self.statuses.items() if isinstance(s, int) and s >= 500 and s != 503) + self.bad_503s

    @property
    def transport_errors(self) -> int:
        return sum(n for s, n in self.statuses.items() if isinstance(s, str))


# ---------------------------------------------------------------- one client


class Client(threading.Thread):
    """One annotator at the keyboard: create, edit and delete spans until the deadline."""

    def __init__(self, *, index, port, user, token, articles, pool, pool_lock, ledger, stats, deadline, seed):
        super().__init__(name=f"client-{index}", daemon=True)
        self.index, self.port, self.user, self.token = index, port, user, token
        self.articles, self.pool, self.pool_lock = articles, pool, pool_lock
        self.ledger, self.stats, self.deadline = ledger, stats, deadline
        self.random = random.Random(seed)
        self.sequence = 0
        self.crash: BaseException | None = None

    def run(self) -> None:
        try:
            while time.monotonic() < self.deadline:
                self.step()
        except BaseException as exc:  # reported by the runner, never swallowed
            self.crash = exc

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int | str, dict | None]:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        for _attempt in range(MAX_RETRIES):
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                connection.request(method, path, body=payload, headers=headers)
                response = connection.getresponse()
                raw = response.read()
                status, retry_after = response.status, response.getheader("Retry-After")
            except (OSError, http.client.HTTPException) as exc:
                self.stats.record(f"error:{type(exc).__name__}", time.perf_counter() - started)
                # The write may or may not have happened; the audit will tell.
                return f"error:{type(exc).__name__}", None
            finally:
                connection.close()
            self.stats.record(status, time.perf_counter() - started, retry_after)
            if status == 503 and retry_after:
                # The database was busy and nothing was written: back off a little, resend.
                time.sleep(min(float(retry_after), 0.5) * self.random.random())
                continue
            data = (
                json.loads(raw)
                if raw and response.getheader("Content-Type", "").startswith("application/json")
                else None
            )
            return status, data
        return 503, None

    # -- the three things an annotator does

    def step(self) -> None:
        with self.pool_lock:
            known = list(self.pool.items())
        roll = self.random.random()
        if len(known) < 3 or roll < 0.4:
            self.create()
        elif roll < 0.85:
            self.update(*self.random.choice(known))
        else:
            self.delete(*self.random.choice(known))

    def note(self) -> str:
        self.sequence += 1
        return f"client {self.index} edit {self.sequence} — “quoted” 🎉"

    def create(self) -> None:
        article = self.random.choice(self.articles)
        length = len(article["text"])
        start = self.random.randrange(0, length - 1)
        end = self.random.randrange(start + 1, min(length, start + 80) + 1)
        note = self.note()
        body = {
            "article": article["id"],
            "start": start,
            "end": end,
            "text": article["text"][start:end],
            "label": "claim",
            "note": note,
        }
        status, data = self.request("POST", "/api/annotations/", body)
        if status == 201:
            self.ledger.created(data["id"], user=self.user, note=data["note"], version=data["version"])
            with self.pool_lock:
                self.pool[data["id"]] = data["version"]

    def update(self, pk: int, version: int) -> None:
        note = self.note()
        for _ in range(MAX_RETRIES):
            status, data = self.request("PATCH", f"/api/annotations/{pk}/", {"note": note, "version": version})
            if status == 200:
                self.ledger.updated(pk, note=data["note"], version=data["version"])
                self._remember(pk, data["version"])
                return
            if status == 409 and data and data.get("current"):
                version = data["current"]["version"]  # someone else wrote first: re-read, apply again
                continue
            if status in (404, 400):
                self._forget(pk)  # the other client deleted it
            return

    def delete(self, pk: int, version: int) -> None:
        for _ in range(MAX_RETRIES):
            status, data = self.request("DELETE", f"/api/annotations/{pk}/", {"version": version})
            if status == 204:
                self.ledger.deleted(pk, version=version)
                self._forget(pk)
                return
            if status == 409:
                status, data = self.request("GET", f"/api/annotations/{pk}/")
                if status != 200:
                    self._forget(pk)
                    return
                version = data["version"]
                continue
            if status == 404:
                self._forget(pk)
            return

    def _remember(self, pk: int, version: int) -> None:
        with self.pool_lock:
            if pk in self.pool:
                self.pool[pk] = max(self.pool[pk], version)

    def _forget(self, pk: int) -> None:
        with self.pool_lock:
            self.pool.pop(pk, None)


# ---------------------------------------------------------------- databases and server


def _check_local(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in LOCAL_HOSTS:
        raise SystemExit(f"refusing to load-test {host!r}: only a local database (127.0.0.1) is allowed")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _postgres_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(sql)


@contextlib.contextmanager
def throwaway_database(kind: str, *, postgres_url: str = DEFAULT_POSTGRES_URL, keep: bool = False) -> Iterator[dict]:
    """Yield the environment that points Django at a fresh, empty database."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {"FACTCHECK_VAR_DIR": str(workdir)}
    name = None
    try:
        if kind == "postgres":
            _check_local(postgres_url)
            name = urlsplit(postgres_url).path.lstrip("/") or "bench_load"
            if not name.replace("_", "").isalnum():
                raise SystemExit(f"unusual database name {name!r}")
            _postgres_admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _postgres_admin(postgres_url, f'CREATE DATABASE "{name}"')
            env["DATABASE_URL"] = postgres_url
        elif kind == "sqlite":
            env["SQLITE_PATH"] = str(workdir / "load.sqlite3")
        else:
            raise ValueError(kind)
        yield env
    finally:
        if name and not keep:
            _postgres_admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


def django_env(database_env: dict) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "SQLITE_PATH", "DJANGO_ALLOW_ASYNC_UNSAFE", "PRODUCTION", "DEBUG")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DB_CONN_MAX_AGE=env.get("DB_CONN_MAX_AGE", "60"),  # as bin/serve-production
        PYTHONPATH=str(ROOT),
        **database_env,
    )
    return env


def _python(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare(env: dict, *, users: int, articles: int) -> dict:
    _python(env, "manage.py", "migrate", "--noinput", "--verbosity", "0")
    _python(env, "manage.py", "createcachetable")
    return json.loads(_python(env, "-m", "bench.load", "_seed", "--users", str(users), "--articles", str(articles)))


def dump(env: dict) -> list[dict]:
    return json.loads(_python(env, "-m", "bench.load", "_dump"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int, log: Path) -> Iterator[int]:
    port = _free_port()
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "factcheck.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "30",
                "--graceful-timeout",
                "10",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(port, process, log)
            yield port
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(port: int, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status == 200:
                return
        time.sleep(0.1)  # waiting for another process to bind its socket
    raise RuntimeError(f"gunicorn did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


# ---------------------------------------------------------------- one run


@dataclass
class Report:
    database: str
    clients: int
    seconds: float
    workers: int
    stats: Stats
    problems: list[str]
    annotations: int
    acknowledged: int
    crashes: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.crashes and self.stats.server_errors == 0

    def summary(self) -> str:
        s = self.stats
        total = sum(s.statuses.values())
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(s.statuses.items(), key=lambda kv: str(kv[0])))
        return "\n".join(
            [
                f"{self.database}: {self.clients} clients, {self.workers} gunicorn workers, {self.seconds:.1f} s",
                f"  requests {total} ({total / self.seconds:.0f}/s); "
                f"acknowledged writes {self.acknowledged} ({self.acknowledged / self.seconds:.0f}/s)",
                f"  latency p50 {percentile(s.latencies, 0.50) * 1000:.0f} ms, "
                f"p95 {percentile(s.latencies, 0.95) * 1000:.0f} ms, p99 {percentile(s.latencies, 0.99) * 1000:.0f} ms",
                f"  status codes: {statuses}",
                f"  5xx failures: {s.server_errors} (503 with Retry-After: {s.statuses.get(503, 0) - s.bad_503s}); "
                f"transport errors: {s.transport_errors}",
                f"  audit of {self.annotations} annotations: "
                + (
                    "every acknowledged write is there, nothing else"
                    if not self.problems
                    else f"{len(self.problems)} problems"
                ),
                *(f"    {line}" for line in self.problems[:20]),
                *(f"  client crashed: {line}" for line in self.crashes),
                "  OK" if self.ok else "  FAILED",
            ]
        )


def run_load(
    kind: str,
    *,
    clients: int = 32,
    seconds: float = 30,
    workers: int = 4,
    articles: int = 3,
    postgres_url: str = DEFAULT_POSTGRES_URL,
    seed: int = 1,
) -> Report:
    if not 1 <= clients <= MAX_CLIENTS or not 0 < seconds <= MAX_SECONDS:
        raise SystemExit(f"clients must be 1..{MAX_CLIENTS} and seconds 1..{MAX_SECONDS}")
    users = (clients + 1) // 2
    with throwaway_database(kind, postgres_url=postgres_url) as database_env:
        env = django_env(database_env)
        seeded = prepare(env, users=users, articles=articles)
        ledger, stats = Ledger(), Stats()
        pools = [({}, threading.Lock()) for _ in range(users)]
        log = Path(database_env["FACTCHECK_VAR_DIR"]) / "gunicorn.log"
        with gunicorn(env, workers=workers, log=log) as port:
            started = time.monotonic()
            threads = [
                Client(
                    index=i,
                    port=port,
                    user=seeded["users"][i // 2]["username"],
                    token=seeded["users"][i // 2]["token"],
                    articles=seeded["articles"],
                    pool=pools[i // 2][0],
                    pool_lock=pools[i // 2][1],
                    ledger=ledger,
                    stats=stats,
                    deadline=started + seconds,
                    seed=seed * 1000 + i,
                )
                for i in range(clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
        rows = dump(env)
        crashes = [f"{t.name}: {t.crash!r}" for t in threads if t.crash is not None]
        if stats.server_errors:
            crashes.append("server log tail:\n" + log.read_text()[-4000:])
        return Report(
            database=kind,
            clients=clients,
            seconds=elapsed,
            workers=workers,
            stats=stats,
            problems=audit(ledger, rows),
            annotations=len(rows),
            acknowledged=sum(e.acknowledged_writes for e in ledger.annotations.values()),
            crashes=crashes,
        )


# ---------------------------------------------------------------- inside the throwaway database

ARTICLE_TEXT = (
    "Selon Reuters, la banque centrale a relevé son taux de 0,25 point. 🎉 "
    "قالت رويترز إن الاقتصاد نما بنسبة 3٪ في الربع الثالث. "
    "Menurut CNBC, harga beras naik 12 persen sejak Januari. 👩🏽‍🔬 "
)


def _seed(users: int, articles: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    from annotations.models import Article, Project, seed_project_pk
    from annotations.projects.services import membership_set

    annotators = Group.objects.get_or_create(name="annotator")[0]
    seed = Project.objects.get(pk=seed_project_pk())
    seeded_users = []
    for n in range(users):
        user = User(username=f"bench{n:03d}")
        user.set_unusable_password()  # token only: the bench never signs in with a password
        user.save()
        user.groups.add(annotators)
        membership_set(project=seed, user=user, role="annotator")
        seeded_users.append({"username": user.username, "token": Token.objects.create(user=user).key})
    seeded_articles = []
    for n in range(articles):
        article = Article.objects.create(
            external_id=f"bench-{n}", title=f"Bench article {n}", text=ARTICLE_TEXT * (n + 4), language="fr"
        )
        seeded_articles.append({"id": article.pk, "text": article.text})
    return {"users": seeded_users, "articles": seeded_articles}


def _dump() -> list[dict]:
    import django

    django.setup()
    from django.db.models import Count

    from annotations.models import Annotation

    live = set(Annotation.objects.values_list("id", flat=True))
    history = dict(Annotation.history.values("id").annotate(n=Count("history_id")).values_list("id", "n").order_by())
    return [
        {
            "id": row["id"],
            "annotator": row["annotator__username"],
            "note": row["note"],
            "version": row["version"],
            "live": row["id"] in live,
            "history": history.get(row["id"], 0),
        }
        for row in Annotation.all_objects.values("id", "annotator__username", "note", "version")
    ]


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("_seed", "_dump"):
        parser = argparse.ArgumentParser()
        parser.add_argument("--users", type=int, default=1)
        parser.add_argument("--articles", type=int, default=1)
        args = parser.parse_args(argv[1:])
        out = _seed(args.users, args.articles) if argv[0] == "_seed" else _dump()
        print(json.dumps(out))
        return 0

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["postgres", "sqlite", "both"], default="postgres")
    parser.add_argument("--clients", default="32", help="comma-separated counts, e.g. 8,32,64 (one run each)")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--articles", type=int, default=3)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="a local, throwaway database")
    args = parser.parse_args(argv)
    kinds = ["postgres", "sqlite"] if args.database == "both" else [args.database]
    ok = True
    for kind in kinds:
        for clients in (int(c) for c in args.clients.split(",")):
            report = run_load(
                kind,
                clients=clients,
                seconds=args.seconds,
                workers=args.workers,
                articles=args.articles,
                postgres_url=args.postgres_url,
            )
            print(report.summary(), flush=True)
            ok = ok and report.ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

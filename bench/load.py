r"""Load test: many annotators writing the same articles at once, then an audit.

Run by hand (not part of the test suite; tests/reliability/test_load.py runs a short
version through the same code):

    .venv/bin/python -m bench.load                          # PostgreSQL, 32 clients, 30 s
    .venv/bin/python -m bench.load --database sqlite --clients 8,32,64
    .venv/bin/python -m bench.load --database both --clients 32 --seconds 30
    .venv/bin/python -m bench.load --database postgres --servers 2 --import-workers 2 \
        --cache-url redis://127.0.0.1:6379/0 --clients 32 --seconds 30

The last is the scaled-out shape: two gunicorn processes (two machines), the login
throttle's counters in the local Redis under a key prefix of the run's own, and two
``manage.py worker`` processes on the RQ backend (``TASKS_BACKEND=rq``) whose queue and job
progress live in an empty Redis database number the run claims (emptied afterwards).
Beside the annotators, import clients (``--import-clients``, 2) upload small doccano JSONL
files (three articles of three spans, one annotator, ids of their own) to the servers and
poll each job until it is done.

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
database was too busy) must have changed nothing, which the audit checks too. With import
workers, the workers are stopped too and the imports are audited: every acknowledged job
done (none failed, queued or running), every uploaded article and span there exactly once
with its text and offsets, nothing imported from no upload, and each job put on the RQ
queue once and run once.

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
MAX_SERVERS = 4
MAX_IMPORT_WORKERS = 4
MAX_IMPORT_SECONDS = 400

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


# ---------------------------------------------------------------- the import clients' ledger

IMPORT_ANNOTATOR = "bench-imports"  # owns every imported span
IMPORT_MANAGER = "bench-importer"  # manages the project: uploads the files


@dataclass
class Upload:
    """One file an import client uploaded (acknowledged with 202), and what became of its job."""

    records: list[dict]  # as in the file: external_id, title, text, label ([start, end, label] triples)
    status: str = "queued"  # the last status the client read
    seconds: float | None = None  # from sending the upload to reading "done" or "failed"


class ImportLedger:
    """Every acknowledged upload, as the import clients saw it. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.uploads: dict[int, Upload] = {}

    def uploaded(self, job: int, records: list[dict]) -> None:
        with self._lock:
            self.uploads[job] = Upload(records=records)

    def polled(self, job: int, *, status: str, seconds: float) -> None:
        with self._lock:
            upload = self.uploads[job]
            upload.status = status
            if status in FINISHED:
                upload.seconds = seconds

    @property
    def latencies(self) -> list[float]:
        return [u.seconds for u in self.uploads.values() if u.seconds is not None]


FINISHED = ("done", "failed")


def audit_imports(ledger: ImportLedger, stored: dict) -> list[str]:
    """Compare what the import workers wrote with the acknowledged uploads.

    ``stored`` holds the database's import ``jobs``, the ``articles`` that are not the seeded
    ones, the ``spans`` on those articles (rows as ``_dump`` gives them) and, with the RQ
    backend, the queue's ``rq`` jobs (``None`` otherwise). Returns one line per discrepancy:
    a job lost, failed, left queued or running, or run twice; an article or span missing,
    imported twice, with other text or offsets, or imported from no acknowledged upload.
    """
    problems: list[str] = []
    jobs = {row["id"]: row for row in stored["jobs"]}
    for pk, upload in sorted(ledger.uploads.items()):
        row = jobs.get(pk)
        if row is None:
            problems.append(f"import job {pk}: acknowledged upload, but no job in the database")
            continue
        if row["status"] != "done":
            problems.append(f"import job {pk}: {row['status']}, expected done; errors {row['errors']}")
        elif upload.status != "done":
            problems.append(f"import job {pk}: the client last read {upload.status!r}, the database says done")
        spans = sum(len(record["label"]) for record in upload.records)
        counts = {key: row[key] for key in ("created", "updated", "unchanged", "spans")}
        expected = {"created": len(upload.records), "updated": 0, "unchanged": 0, "spans": spans}
        if row["status"] == "done" and counts != expected:
            problems.append(f"import job {pk}: counts {counts}, expected {expected}")
    for pk in sorted(set(jobs) - set(ledger.uploads)):
        problems.append(f"import job {pk}: in the database, but no upload of it was acknowledged")
    records = {record["external_id"]: record for upload in ledger.uploads.values() for record in upload.records}
    problems += _audit_imported_articles(records, stored["articles"])
    problems += _audit_imported_spans(records, stored["articles"], stored["spans"])
    if stored.get("rq") is not None:
        problems += _audit_rq_runs(set(ledger.uploads), stored["rq"])
    return problems


def _audit_imported_articles(records: dict[str, dict], articles: list[dict]) -> list[str]:
    problems = []
    found = Counter(article["external_id"] for article in articles)
    texts = {article["external_id"]: article["text"] for article in articles}
    for external_id, record in sorted(records.items()):
        if found[external_id] != 1:
            problems.append(f"article {external_id}: imported {found[external_id]} times, expected once")
        elif texts[external_id] != record["text"]:
            problems.append(f"article {external_id}: text differs from the uploaded one")
    for external_id in sorted(set(found) - set(records)):
        problems.append(f"article {external_id}: in the database, but no acknowledged upload carried it")
    return problems


def _audit_imported_spans(records: dict[str, dict], articles: list[dict], spans: list[dict]) -> list[str]:
    problems = []
    article_of = {article["id"]: article for article in articles}
    texts = {article["external_id"]: article["text"] for article in articles}
    found: dict[tuple, list[dict]] = {}
    for span in spans:
        external_id = article_of[span["article"]]["external_id"]
        found.setdefault((external_id, span["start"], span["end"], span["label"]), []).append(span)
    expected = {(external_id, *triple) for external_id, record in records.items() for triple in record["label"]}
    for key in sorted(expected):
        external_id, start, end, label = key
        rows, text = found.get(key, []), records[external_id]["text"][start:end]
        where = f"span {external_id} [{start}, {end}] {label}"
        if len(rows) != 1:
            problems.append(f"{where}: imported {len(rows)} times, expected once")
            continue
        row = rows[0]
        stored_text = texts[external_id][start:end]
        if row["text"] != text or stored_text != text:
            problems.append(f"{where}: text {row['text']!r}, article text there {stored_text!r}, uploaded {text!r}")
        if row["annotator"] != IMPORT_ANNOTATOR or not row["live"] or row["history"] != 1:
            problems.append(
                f"{where}: annotator {row['annotator']!r}, live {row['live']}, {row['history']} history records"
            )
    for key in sorted(set(found) - expected):
        problems.append(f"span {key[0]} [{key[1]}, {key[2]}] {key[3]}: in the database, but in no acknowledged upload")
    return problems


def _audit_rq_runs(acknowledged: set[int], rq_jobs: list[dict]) -> list[str]:
    """Each import job was put on the RQ queue once and run once, returning "done"."""
    problems = []
    by_job: dict[int | None, list[dict]] = {}
    for rq_job in rq_jobs:
        by_job.setdefault(rq_job["args"][0] if rq_job["args"] else None, []).append(rq_job)
    for pk in sorted(acknowledged):
        runs = by_job.get(pk, [])
        if len(runs) != 1:
            problems.append(f"import job {pk}: {len(runs)} RQ jobs, expected one")
        elif runs[0]["results"] != [["SUCCESSFUL", "done"]]:
            problems.append(
                f"import job {pk}: RQ job {runs[0]['status']}, runs {runs[0]['results']}, expected one: done"
            )
    for pk in sorted(set(by_job) - acknowledged, key=str):
        problems.append(f"RQ job for import job {pk}: no upload of it was acknowledged")
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


class ApiClient(threading.Thread):
    """One user of the REST API, taking steps until the deadline, or until ``steps`` steps are
    done when that is given (the test suite's run: a fixed amount of work, whatever the
    machine's speed)."""

    def __init__(self, *, name, port, token, stats, deadline, seed, steps=None):
        super().__init__(name=name, daemon=True)
        self.port, self.token, self.stats, self.deadline = port, token, stats, deadline
        self.random = random.Random(seed)
        self.steps = steps
        self.crash: BaseException | None = None

    def run(self) -> None:
        try:
            done = 0
            while time.monotonic() < self.deadline and (self.steps is None or done < self.steps):
                self.step()
                done += 1
        except BaseException as exc:  # reported by the runner, never swallowed
            self.crash = exc

    def step(self) -> None:
        raise NotImplementedError

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int | str, dict | None]:
        payload = json.dumps(body).encode() if body is not None else None
        return self.send(method, path, payload, "application/json" if payload is not None else None)

    def send(
        self, method: str, path: str, payload: bytes | None, content_type: str | None
    ) -> tuple[int | str, dict | None]:
        headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        if content_type is not None:
            headers["Content-Type"] = content_type
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


class Client(ApiClient):
    """One annotator at the keyboard: create, edit and delete spans."""

    def __init__(
        self, *, index, port, user, token, articles, pool, pool_lock, ledger, stats, deadline, seed, steps=None
    ):
        super().__init__(
            name=f"client-{index}", port=port, token=token, stats=stats, deadline=deadline, seed=seed, steps=steps
        )
        self.index, self.user = index, user
        self.articles, self.pool, self.pool_lock = articles, pool, pool_lock
        self.ledger = ledger
        self.sequence = 0

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


IMPORT_ARTICLES = 3  # articles per uploaded file
IMPORT_SPANS = 3  # spans per imported article
JOB_POLL_SECONDS = 0.2
JOB_WAIT_SECONDS = 120  # past the run's deadline, a job still unfinished is reported as such


def import_records(prefix: str, rng: random.Random) -> list[dict]:
    """A small doccano file's records: distinct ``external_id``s, each article with a few
    spans that do not overlap, at random offsets (code points)."""
    records = []
    for n in range(IMPORT_ARTICLES):
        external_id = f"{prefix}-{n}"
        text = f"{external_id}: {ARTICLE_TEXT * 2}".strip()
        part = len(text) // IMPORT_SPANS
        spans = []
        for k in range(IMPORT_SPANS):
            start = rng.randrange(k * part, (k + 1) * part - 1)
            spans.append([start, rng.randrange(start + 1, (k + 1) * part + 1), "claim"])
        records.append({"external_id": external_id, "title": f"Imported {external_id}", "text": text, "label": spans})
    return records


def multipart(fields: dict[str, str], *, file_name: str, content: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body with ``fields`` and one file (field ``file``), and its content type."""
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class ImportClient(ApiClient):
    """A project manager importing corpora: uploads a small doccano JSONL file, then polls its
    job until it is done or failed, and records what was acknowledged."""

    def __init__(self, *, index, port, token, project, ledger, stats, deadline, seed, steps=None):
        super().__init__(
            name=f"import-client-{index}",
            port=port,
            token=token,
            stats=stats,
            deadline=deadline,
            seed=seed,
            steps=steps,
        )
        self.index, self.project, self.ledger = index, project, ledger
        self.uploads = 0

    def step(self) -> None:
        self.uploads += 1
        name = f"import-{self.index}-{self.uploads}"
        records = import_records(name, self.random)
        content = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode()
        body, content_type = multipart(
            {"format": "doccano", "annotator": IMPORT_ANNOTATOR}, file_name=f"{name}.jsonl", content=content
        )
        started = time.perf_counter()
        status, data = self.send("POST", f"/api/projects/{self.project}/imports/", body, content_type)
        if status != 202 or data is None:
            return  # counted in the statistics; a job made anyway shows in the audit
        job, url = data["id"], data["url"]
        self.ledger.uploaded(job, records)
        give_up = max(self.deadline, time.monotonic()) + JOB_WAIT_SECONDS
        while time.monotonic() < give_up:
            status, data = self.request("GET", url)
            if status == 200 and data is not None:
                self.ledger.polled(job, status=data["status"], seconds=time.perf_counter() - started)
                if data["status"] in FINISHED:
                    return
            time.sleep(JOB_POLL_SECONDS)


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


def dump(env: dict) -> dict:
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
            _stop([process])


def _stop(processes: list[subprocess.Popen], *, grace: float = 30) -> None:
    """SIGTERM (a graceful stop: gunicorn and the RQ worker finish what they are doing), then
    SIGKILL after ``grace`` seconds; every process is reaped."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    give_up = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.1, give_up - time.monotonic()))
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


DEFAULT_QUEUE_REDIS = "redis://127.0.0.1:6379"
REDIS_CLAIM_KEY = "bench-load:claim"


class QueueRedis:
    """An empty database number of the local Redis, held by this run (a claim key no other
    run can take), for the RQ queue and the jobs' progress. Every key in it is the run's."""

    def __init__(self, server_url: str) -> None:
        import redis

        _check_local(server_url)
        self.token = secrets.token_hex(8)
        # Redis has 16 databases unless configured otherwise; 0 is the one everyone uses.
        for number in range(15, 0, -1):
            self.number = number
            self.url = _with_database(server_url, str(number))
            self.server = redis.Redis.from_url(self.url)
            try:
                # Expires, so that a run killed outright does not hold the number for ever.
                if self.server.set(REDIS_CLAIM_KEY, self.token, nx=True, ex=4 * MAX_SECONDS):
                    if self.server.dbsize() == 1:
                        return
                    self.server.delete(REDIS_CLAIM_KEY)  # someone else's data is there: not ours
            except redis.ResponseError:
                pass  # no such database number on this server
            self.server.close()
        raise SystemExit(f"no empty Redis database on {server_url} to run the import queue in")

    def empty(self) -> int:
        """Remove the run's keys (and the claim); how many there were besides the claim."""
        keys = list(self.server.scan_iter(count=1000))
        for at in range(0, len(keys), 1000):
            self.server.delete(*keys[at : at + 1000])
        return len([key for key in keys if key != REDIS_CLAIM_KEY.encode()])


@contextlib.contextmanager
def throwaway_redis(server_url: str) -> Iterator[QueueRedis]:
    queue = QueueRedis(server_url)
    try:
        yield queue
    finally:
        try:
            queue.empty()
        finally:
            queue.server.close()


@contextlib.contextmanager
def import_workers_running(env: dict, *, logs: list[Path]) -> Iterator[list[subprocess.Popen]]:
    """``manage.py worker`` processes, one per log file, as on that many machines; stopped
    (and reaped) when the block ends, however it ends."""
    processes: list[subprocess.Popen] = []
    try:
        for log in logs:
            with log.open("w") as log_file:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "manage.py", "worker"],
                        cwd=ROOT,
                        env=env,
                        stdout=log_file,
                        stderr=subprocess.STDOUT,
                    )
                )
        yield processes
    finally:
        _stop(processes)


# ---------------------------------------------------------------- one run


@dataclass
class Imports:
    """What the import clients and workers did, and the import audit."""

    workers: int
    clients: int
    ledger: ImportLedger
    stats: Stats
    problems: list[str]
    articles: int  # imported articles in the database
    spans: int  # spans on them
    jobs_per_worker: list[int]  # jobs each worker process ran, most first
    queue: str = ""  # where the queue was
    redis_keys_removed: int = 0
    exit_codes: list[int | None] = field(default_factory=list)  # of the worker processes, once stopped
    crashes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.crashes and self.stats.server_errors == 0

    def summary(self) -> list[str]:
        uploads = self.ledger.uploads.values()
        done = sum(1 for u in uploads if u.status == "done")
        failed = sum(1 for u in uploads if u.status == "failed")
        latencies = self.ledger.latencies
        return [
            f"  imports: {self.clients} clients, {self.workers} RQ worker processes ({self.queue}); "
            f"jobs submitted {len(uploads)}, finished {done + failed} (done {done}, failed {failed}, "
            f"unfinished {len(uploads) - done - failed}); jobs per worker {self.jobs_per_worker}",
            f"  imported {self.articles} articles, {self.spans} spans; job latency (upload to done) "
            f"median {percentile(latencies, 0.5) * 1000:.0f} ms, max {max(latencies, default=0) * 1000:.0f} ms",
            f"  import requests: {', '.join(f'{k}: {v}' for k, v in sorted(self.stats.statuses.items(), key=str))}; "
            f"5xx failures {self.stats.server_errors}, transport errors {self.stats.transport_errors}",
            "  import audit: "
            + (
                "every job done and run once; every article and span there once, text and offsets right"
                if not self.problems
                else f"{len(self.problems)} problems"
            ),
            *(f"    {line}" for line in self.problems[:20]),
            *(f"  import worker: {line}" for line in self.crashes),
            f"  workers stopped (exit codes {self.exit_codes}); "
            f"Redis: {self.redis_keys_removed} keys of the run removed",
        ]


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
    servers: int = 1
    cache: str = "database"
    shared_throttle: list[str] = field(default_factory=list)  # what the check saw; empty: not run
    throttle_ok: bool = True
    imports: Imports | None = None  # with import workers

    @property
    def ok(self) -> bool:
        return (
            not self.problems
            and not self.crashes
            and self.stats.server_errors == 0
            and self.throttle_ok
            and (self.imports is None or self.imports.ok)
        )

    def summary(self) -> str:
        s = self.stats
        total = sum(s.statuses.values())
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(s.statuses.items(), key=lambda kv: str(kv[0])))
        return "\n".join(
            [
                f"{self.database}: {self.clients} clients, {self.servers} gunicorn process(es) x {self.workers} "
                f"workers, cache {self.cache}, {self.seconds:.1f} s",
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
                *(f"  login throttle: {line}" for line in self.shared_throttle),
                *(f"  client crashed: {line}" for line in self.crashes),
                *(self.imports.summary() if self.imports else []),
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
    servers: int = 1,
    cache_url: str | None = None,
    steps: int | None = None,
    import_workers: int = 0,
    import_clients: int = 2,
    import_steps: int | None = None,
    queue_redis: str = DEFAULT_QUEUE_REDIS,
) -> Report:
    """One load run. ``servers`` gunicorn processes (as on that many machines) share the
    database and, with ``cache_url`` (a local Redis), the login throttle's counters; the
    clients are spread over them in turn. With ``import_workers``, that many ``manage.py
    worker`` processes run the import jobs from an RQ queue in an empty database number of
    the local Redis at ``queue_redis``, while ``import_clients`` upload files (``import_steps``
    each, or until the deadline)."""
    if not 1 <= clients <= MAX_CLIENTS or not 0 < seconds <= MAX_SECONDS or not 1 <= servers <= MAX_SERVERS:
        raise SystemExit(f"clients must be 1..{MAX_CLIENTS}, seconds 1..{MAX_SECONDS} and servers 1..{MAX_SERVERS}")
    if import_workers and (not 1 <= import_workers <= MAX_IMPORT_WORKERS or not 1 <= import_clients <= MAX_CLIENTS):
        raise SystemExit(f"import workers must be 1..{MAX_IMPORT_WORKERS} and import clients 1..{MAX_CLIENTS}")
    if import_workers and seconds > MAX_IMPORT_SECONDS:
        # RQ keeps a finished job's record for 500 s; the audit reads every one.
        raise SystemExit(f"with import workers, seconds must be at most {MAX_IMPORT_SECONDS}")
    users = (clients + 1) // 2
    with contextlib.ExitStack() as resources:
        database_env = resources.enter_context(throwaway_database(kind, postgres_url=postgres_url))
        prefix = None
        if cache_url:
            _check_local(cache_url)
            prefix = f"bench-load-{secrets.token_hex(6)}"  # this run's keys, removed afterwards
            database_env = {**database_env, "CACHE_URL": cache_url, "CACHE_KEY_PREFIX": prefix}
        queue = resources.enter_context(throwaway_redis(queue_redis)) if import_workers else None
        if queue is not None:
            database_env = {**database_env, "TASKS_BACKEND": "rq", "REDIS_URL": queue.url}
        env = django_env(database_env)
        env["BENCH_SIGNIN_PASSWORD"] = secrets.token_urlsafe(16)
        seeded = prepare(env, users=users, articles=articles)
        ledger, stats = Ledger(), Stats()
        import_ledger, import_stats = ImportLedger(), Stats()
        pools = [({}, threading.Lock()) for _ in range(users)]
        var = Path(database_env["FACTCHECK_VAR_DIR"])
        logs = [var / f"gunicorn-{n}.log" for n in range(servers)]
        worker_logs = [var / f"worker-{n}.log" for n in range(import_workers)]
        throttle: list[str] = []
        throttle_ok = True
        with contextlib.ExitStack() as running:
            processes = running.enter_context(import_workers_running(env, logs=worker_logs))
            ports = [running.enter_context(gunicorn(env, workers=workers, log=log)) for log in logs]
            started = time.monotonic()
            threads = [
                Client(
                    index=i,
                    port=ports[i % servers],
                    user=seeded["users"][i // 2]["username"],
                    token=seeded["users"][i // 2]["token"],
                    articles=seeded["articles"],
                    pool=pools[i // 2][0],
                    pool_lock=pools[i // 2][1],
                    ledger=ledger,
                    stats=stats,
                    deadline=started + seconds,
                    seed=seed * 1000 + i,
                    steps=steps,
                )
                for i in range(clients)
            ]
            importers = [
                ImportClient(
                    index=i,
                    port=ports[i % servers],
                    token=seeded["importer"],
                    project=seeded["project"],
                    ledger=import_ledger,
                    stats=import_stats,
                    deadline=started + seconds,
                    seed=seed * 1000 + MAX_CLIENTS + i,
                    steps=import_steps,
                )
                for i in range(import_clients if import_workers else 0)
            ]
            for thread in threads + importers:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            for thread in importers:
                thread.join()  # until each one's last job has finished
            if servers > 1 or cache_url:
                throttle_ok, throttle = shared_throttle_check(ports, env["BENCH_SIGNIN_PASSWORD"])
            # A worker that died early left the other to do its jobs: the shape was not run.
            stopped = [
                f"worker {n} exited early with {process.returncode}:\n{log.read_text()[-3000:]}"
                for n, (process, log) in enumerate(zip(processes, worker_logs, strict=True))
                if process.poll() is not None
            ]
        stored = dump(env)
        seeded_ids = {article["id"] for article in seeded["articles"]}
        rows = [row for row in stored["annotations"] if row["article"] in seeded_ids]
        if cache_url and prefix:
            throttle_ok, throttle = _where_the_counters_are(env, cache_url, prefix, throttle_ok, throttle)
        crashes = [f"{t.name}: {t.crash!r}" for t in threads + importers if t.crash is not None]
        if stats.server_errors or import_stats.server_errors:
            crashes.extend("server log tail:\n" + log.read_text()[-4000:] for log in logs)
        imports = None
        if queue is not None:
            imports = _audited_imports(
                stored,
                seeded_ids,
                ledger=import_ledger,
                stats=import_stats,
                clients=len(importers),
                queue=queue,
                processes=processes,
                crashes=stopped,
            )
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
            servers=servers,
            cache="redis" if cache_url else "database",
            shared_throttle=throttle,
            throttle_ok=throttle_ok,
            imports=imports,
        )


def _audited_imports(
    stored: dict,
    seeded_ids: set[int],
    *,
    ledger: ImportLedger,
    stats: Stats,
    clients: int,
    queue: QueueRedis,
    processes: list[subprocess.Popen],
    crashes: list[str],
) -> Imports:
    """The import audit of ``stored`` (``_dump``'s output; what is not on the seeded
    articles was imported), once the workers are stopped; empties the run's Redis database."""
    imported = {
        "jobs": stored["jobs"],
        "articles": [article for article in stored["articles"] if article["id"] not in seeded_ids],
        "spans": [row for row in stored["annotations"] if row["article"] not in seeded_ids],
        "rq": stored["rq"],
    }
    return Imports(
        workers=len(processes),
        clients=clients,
        ledger=ledger,
        stats=stats,
        problems=audit_imports(ledger, imported),
        articles=len(imported["articles"]),
        spans=len(imported["spans"]),
        jobs_per_worker=sorted(Counter(job["worker"] for job in stored["jobs"]).values(), reverse=True),
        queue=f"Redis database {queue.number}, queue {stored['queue']}",
        redis_keys_removed=queue.empty(),
        crashes=crashes,
        exit_codes=[process.returncode for process in processes],
    )


SIGNIN_USER = "bench-signin"


def shared_throttle_check(ports: list[int], password: str) -> tuple[bool, list[str]]:
    """Five wrong passwords spread over the servers in turn, then the right one on the next
    server: it must be refused (429), so every server counted every failure."""
    seen = []

    def token(port: int, secret: str) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            body = json.dumps({"username": SIGNIN_USER, "password": secret})
            connection.request("POST", "/api/auth/token/", body=body, headers={"Content-Type": "application/json"})
            return connection.getresponse().status
        finally:
            connection.close()

    wrong = [token(ports[n % len(ports)], "not-the-password") for n in range(5)]
    last = token(ports[5 % len(ports)], password)
    ok = all(status == 400 for status in wrong) and last == 429
    seen.append(
        f"wrong passwords over {len(ports)} server(s): {wrong}; the right one next: {last} "
        + ("(locked everywhere: shared counters)" if ok else "(NOT shared)")
    )
    return ok, seen


def _where_the_counters_are(
    env: dict, cache_url: str, prefix: str, ok: bool, seen: list[str]
) -> tuple[bool, list[str]]:
    """Count this run's keys in Redis (then remove them) and the database cache's rows."""
    import redis

    server = redis.Redis.from_url(cache_url)
    try:
        keys = list(server.scan_iter(f"{prefix}:*"))
        if keys:
            server.delete(*keys)
    finally:
        server.close()
    rows = int(_python(env, "-m", "bench.load", "_cache_rows").strip())
    in_redis = len(keys) > 0 and rows == 0
    seen = [*seen, f"counters in Redis: {len(keys)} keys; database cache rows: {rows}"]
    return ok and in_redis, seen


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
    signin = User(username=SIGNIN_USER)
    signin.set_password(os.environ.get("BENCH_SIGNIN_PASSWORD") or secrets.token_urlsafe(16))
    signin.save()
    importer, annotator = User(username=IMPORT_MANAGER), User(username=IMPORT_ANNOTATOR)
    for user, role in ((importer, "manager"), (annotator, "annotator")):
        user.set_unusable_password()
        user.save()
        membership_set(project=seed, user=user, role=role)
    seeded_articles = []
    for n in range(articles):
        article = Article.objects.create(
            external_id=f"bench-{n}", title=f"Bench article {n}", text=ARTICLE_TEXT * (n + 4), language="fr"
        )
        seeded_articles.append({"id": article.pk, "text": article.text})
    return {
        "users": seeded_users,
        "articles": seeded_articles,
        "project": seed.slug,
        "importer": Token.objects.create(user=importer).key,
    }


def _dump() -> dict:
    """The database after the run: every annotation (with its article, offsets and text),
    every article, every import job and, with the RQ backend, the queue's jobs."""
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count

    from annotations.models import Annotation, Article, ImportJob

    live = set(Annotation.objects.values_list("id", flat=True))
    history = dict(Annotation.history.values("id").annotate(n=Count("history_id")).values_list("id", "n").order_by())
    fields = ("id", "annotator__username", "note", "version", "article", "start", "end", "label__slug", "text")
    annotations = [
        {
            **row,
            "annotator": row.pop("annotator__username"),
            "label": row.pop("label__slug"),
            "live": row["id"] in live,
            "history": history.get(row["id"], 0),
        }
        for row in Annotation.all_objects.values(*fields)
    ]
    jobs = ImportJob.objects.values("id", "status", "created", "updated", "unchanged", "spans", "errors", "worker")
    return {
        "annotations": annotations,
        "articles": list(Article.objects.values("id", "external_id", "text")),
        "jobs": list(jobs),
        "rq": _rq_jobs() if settings.TASKS_BACKEND == "rq" else None,
        "queue": settings.IMPORT_QUEUE,
    }


def _rq_jobs() -> list[dict]:
    """Every job RQ holds for the import queue, waiting, running or done: its arguments and
    the result of each time a worker ran it."""
    import django_rq
    from django.conf import settings
    from django_tasks_rq.backend import Job

    queue = django_rq.get_queue(settings.IMPORT_QUEUE, job_class=Job)
    ids = set(queue.get_job_ids())
    for registry in (
        queue.started_job_registry,
        queue.finished_job_registry,
        queue.failed_job_registry,
        queue.deferred_job_registry,
        queue.scheduled_job_registry,
        queue.canceled_job_registry,
    ):
        ids.update(registry.get_job_ids())
    return [
        {
            "id": job.id,
            "args": list(job.args),
            "status": str(job.get_status()),
            "results": [[result.type.name, result.return_value] for result in job.results()],
        }
        for job in Job.fetch_many(sorted(ids), connection=queue.connection)
        if job is not None
    ]


def _cache_rows() -> int:
    import django

    django.setup()
    from django.db import connection

    if "django_cache" not in connection.introspection.table_names():
        return 0  # with CACHE_URL, createcachetable makes no table: nothing can be there
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_cache")
        return cursor.fetchone()[0]


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_cache_rows":
        print(_cache_rows())
        return 0
    if argv and argv[0] in ("_seed", "_dump"):
        parser = argparse.ArgumentParser()
        parser.add_argument("--users", type=int, default=1)
        parser.add_argument("--articles", type=int, default=1)
        args = parser.parse_args(argv[1:])
        out = _seed(args.users, args.articles) if argv[0] == "_seed" else _dump()
        print(json.dumps(out))
        return 0

    # A SIGTERM (a timeout, kill) unwinds like an error: the servers and workers are stopped.
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["postgres", "sqlite", "both"], default="postgres")
    parser.add_argument("--clients", default="32", help="comma-separated counts, e.g. 8,32,64 (one run each)")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--articles", type=int, default=3)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="a local, throwaway database")
    parser.add_argument(
        "--servers", type=int, default=1, help="gunicorn processes (machines), clients spread over them"
    )
    parser.add_argument("--cache-url", help="CACHE_URL for the servers: a local Redis, e.g. redis://127.0.0.1:6379/0")
    parser.add_argument(
        "--import-workers",
        type=int,
        default=0,
        help="manage.py worker processes on the RQ backend (TASKS_BACKEND=rq), with import clients uploading files",
    )
    parser.add_argument("--import-clients", type=int, default=2, help="clients uploading files (with --import-workers)")
    parser.add_argument(
        "--queue-redis",
        default=DEFAULT_QUEUE_REDIS,
        help="the local Redis server for the RQ queue; the run takes an empty database number on it and empties it",
    )
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
                servers=args.servers,
                cache_url=args.cache_url,
                import_workers=args.import_workers,
                import_clients=args.import_clients,
                queue_redis=args.queue_redis,
            )
            print(report.summary(), flush=True)
            ok = ok and report.ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

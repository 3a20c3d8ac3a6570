"""What the import and export benchmarks share: the synthetic sentences, the throwaway
databases they run on, and the measured subprocess."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- synthetic sentences

WORDS = {
    "id": (
        "pemerintah mengumumkan anggaran baru untuk tahun depan sebesar triliun rupiah menurut laporan "
        "kementerian keuangan perusahaan teknologi bermitra dengan produsen lokal membangun pusat data "
        "di jakarta harga beras naik persen dibanding bulan lalu kata juru bicara badan pusat statistik"
    ),
    "fr": (
        "le gouvernement a annoncé un nouveau budget de milliards d'euros pour l'année prochaine selon "
        "le ministère l'entreprise a signé un accord avec un fabricant local pour construire un centre "
        "de données à lyon le prix du café a augmenté de pour cent par rapport au mois dernier a déclaré"
    ),
    "ar": (
        "أعلنت الحكومة ميزانية جديدة بقيمة مليار دولار للعام المقبل وفقا لوزارة المالية وقعت الشركة "
        "اتفاقا مع مصنع محلي لبناء مركز بيانات في القاهرة ارتفع سعر القمح بنسبة في المئة مقارنة بالشهر "
        "الماضي قال المتحدث باسم الجهاز المركزي للإحصاء"
    ),
}
EMOJI = ["🎉", "📈", "💰", "🇫🇷", "👍🏽", "👨‍👩‍👧", "🛰️"]


def sentence_pool(rng: random.Random, language: str, count: int = 400) -> list[str]:
    """``count`` sentences of 8 to 22 words of ``language``, a quarter with an emoji outside the BMP."""
    words = WORDS[language].split()
    pool = []
    for _ in range(count):
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 22)))
        sentence = sentence[0].upper() + sentence[1:] + rng.choice([".", ".", ".", "!"])
        if rng.random() < 0.25:
            sentence += " " + rng.choice(EMOJI)
        pool.append(sentence)
    return pool


# ---------------------------------------------------------------- throwaway databases


def django_environment(database: str, workdir: Path, postgres_url: str, secret: str) -> dict[str, str]:
    """The environment of a benchmark's Django processes: its own database and var folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update({"DJANGO_SETTINGS_MODULE": "factcheck.settings", "SECRET_KEY": secret, "DEBUG": "false"})
    env["FACTCHECK_VAR_DIR"] = str(workdir / "var")
    if database == "postgres":
        env["DATABASE_URL"] = postgres_url
    else:
        env["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    return env


def _postgres_admin(url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(url.replace("postgres://", "postgresql://", 1))
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(statement)


def drop_database(database: str, workdir: Path, postgres_url: str) -> None:
    """Remove the benchmark's database; on PostgreSQL only one whose name starts with bench_."""
    if database == "postgres":
        name = urlsplit(postgres_url).path.lstrip("/")
        if not name.startswith("bench_"):
            raise SystemExit(f"refusing to drop {name!r}: the benchmark database's name must start with bench_")
        _postgres_admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{workdir / 'bench.sqlite3'}{suffix}").unlink(missing_ok=True)


def fresh_database(database: str, workdir: Path, postgres_url: str, env: dict[str, str]) -> None:
    """An empty database, migrated."""
    drop_database(database, workdir, postgres_url)
    if database == "postgres":
        _postgres_admin(postgres_url, f'CREATE DATABASE "{urlsplit(postgres_url).path.lstrip("/")}"')
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)


# ---------------------------------------------------------------- measured runs


def run_child(module: str, args: list[str], env: dict[str, str]) -> tuple[dict, float, float]:
    """Run ``python -m module args`` in a fresh process: (the JSON report on its last line of
    output, wall seconds, peak RSS in MB from ``os.wait4``).

    The disk is synced first, so writes left from the step before (the corpus just
    written, the database of the run before) are not flushed during this one: with 400 MB
    waiting, the same SQLite import of 50,000 articles took 15.2 s instead of 13.5–13.9 s.
    """
    os.sync()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(process.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    assert process.stdout is not None
    report = process.stdout.read()
    process.stdout.close()
    if code != 0:
        raise SystemExit(f"{module} {' '.join(args)} failed with exit code {code}")
    return json.loads(report.strip().splitlines()[-1]), time.perf_counter() - started, usage.ru_maxrss / 1024

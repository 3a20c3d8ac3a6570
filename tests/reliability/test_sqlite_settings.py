"""SQLite runs with its concurrency settings (WAL, BEGIN IMMEDIATE, busy timeout) however it
was chosen: an empty DATABASE_URL or a ``sqlite:///`` one."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _probe(tmp_path: Path, **env_overrides: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH", "SQLITE_TIMEOUT")}
    env.update(DJANGO_SETTINGS_MODULE="factcheck.settings", FACTCHECK_VAR_DIR=str(tmp_path / "var"), **env_overrides)
    result = subprocess.run(
        [sys.executable, "-m", "tests.reliability.sqlite_probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module", params=["DATABASE_URL=sqlite:///", "no DATABASE_URL"])
def probe(request, tmp_path_factory) -> dict:
    # One fresh process per way of choosing SQLite; the three tests read its report.
    tmp_path = tmp_path_factory.mktemp("sqlite")
    path = tmp_path / "chosen.sqlite3"
    if request.param == "no DATABASE_URL":
        return _probe(tmp_path, SQLITE_PATH=str(path))
    return _probe(tmp_path, DATABASE_URL=f"sqlite:///{path}")


def test_sqlite_runs_in_wal_mode_with_the_busy_timeout(probe):
    assert probe["engine"] == "sqlite"
    assert probe["pragmas"] == {"journal_mode": "wal", "busy_timeout": 20_000, "synchronous": 1}


def test_a_transaction_takes_the_write_lock_at_begin(probe):
    # BEGIN IMMEDIATE: a second writer waits at its BEGIN instead of failing mid-transaction.
    assert probe["begin_waits_for_the_write_lock"] is True


def test_concurrent_writers_queue_and_every_write_lands(probe):
    # 16 writers, 25 read-modify-write transactions at once, as 16 annotators posting spans.
    assert probe["writes"] == {"attempted": 400, "counted": 400, "failures": 0}

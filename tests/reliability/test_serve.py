"""bin/serve: the local command serves on the port named by PORT (8000 when unset)."""

import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path: Path, **extra: str) -> dict:
    unset = ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "PRODUCTION", "SQLITE_PATH", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(FACTCHECK_VAR_DIR=str(tmp_path / "var"), **extra)
    return env


def start_serving(tmp_path: Path, port: int) -> tuple[subprocess.Popen, Path, int]:
    """Start bin/serve on ``port`` in a process group of its own and wait until it answers:
    (the process, its log, the status of GET /accounts/login/). The caller stops it."""
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["bin/serve"],
            cwd=ROOT,
            env=_env(tmp_path, PORT=str(port)),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    give_up = time.monotonic() + 300  # install, migrate and seed first; a busy machine is slow
    while True:
        if process.poll() is not None:
            return process, log, 0
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/accounts/login/")
            return process, log, connection.getresponse().status
        except OSError:
            if time.monotonic() > give_up:
                return process, log, 0
            time.sleep(0.2)  # waiting for another process to bind its socket


def test_it_serves_on_the_port_given_by_the_environment(tmp_path):
    port = _free_port()
    process, log, status = start_serving(tmp_path, port)
    try:
        assert status == 200, f"bin/serve did not answer on {port}:\n{log.read_text()}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    assert f"Serving on http://127.0.0.1:{port}/" in log.read_text()


def test_it_refuses_a_port_that_is_not_a_number_before_installing_anything(tmp_path):
    result = subprocess.run(
        ["bin/serve"], cwd=ROOT, env=_env(tmp_path, PORT="80a"), capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert "PORT must be a number from 1 to 65535 (got '80a')" in result.stderr
    assert not (tmp_path / "var").exists()

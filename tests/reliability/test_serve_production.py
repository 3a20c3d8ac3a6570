"""bin/serve-production: the documented production command really serves the workbench."""

import http.client
import os
import re
import secrets
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


def _get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    # As a TLS-terminating proxy would send it.
    connection.request("GET", path, headers={"Host": "example.org", "X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    response.body = response.read()
    return response


def _wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    give_up = time.monotonic() + 300  # a busy machine is slow to start
    while time.monotonic() < give_up:
        assert process.poll() is None, log.read_text()
        try:
            _get(port, "/accounts/login/")
            return
        except OSError:
            time.sleep(0.2)  # waiting for another process to bind its socket
    raise AssertionError(f"bin/serve-production did not answer:\n{log.read_text()}")


def test_serve_production_migrates_collects_and_serves_over_gunicorn(tmp_path):
    port = _free_port()
    unset = ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "PRODUCTION", "SECRET_KEY")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="example.org",
        FACTCHECK_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
    )
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["bin/serve-production"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait_for(port, process, log)
        login = _get(port, "/accounts/login/")
        assert login.status == 200, login.body[:500]
        assert "max-age=31536000" in login.getheader("Strict-Transport-Security")
        assert "default-src 'self'" in login.getheader("Content-Security-Policy")
        # Static files are collected with hashed names and served by whitenoise.
        stylesheet = re.search(rb'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', login.body)
        assert stylesheet, login.body[:1000]
        css = _get(port, stylesheet.group(1).decode())
        assert css.status == 200
        assert "immutable" in css.getheader("Cache-Control")
        # Plain http is sent to https.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/", headers={"Host": "example.org"})
        redirect = connection.getresponse()
        assert redirect.status == 301
        assert redirect.getheader("Location").startswith("https://example.org/")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    text = log.read_text()
    assert "Booting worker" in text
    assert "createcachetable" not in text or "Error" not in text

"""A request body sent in chunks (no Content-Length) answers 411 Length Required; it is
never read as an empty body. Checked through Django and through gunicorn, which hands such
a body to Django without CONTENT_LENGTH."""

import http.client
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.models import Annotation
from tests.conftest import api_client

ROOT = Path(__file__).resolve().parents[2]
BODY = json.dumps({"article": 1, "start": 0, "end": 5, "label": "claim"}).encode()

pytestmark = pytest.mark.django_db


def test_a_chunked_api_body_answers_411_and_writes_nothing(alice, article):
    client = api_client(alice)
    # The environ gunicorn builds for a chunked body: the header, and no CONTENT_LENGTH.
    response = client.generic("POST", "/api/annotations/", b"", HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411
    assert "Content-Length" in response.json()["detail"]
    assert not Annotation.objects.exists()


def test_a_chunked_form_post_answers_411_in_plain_text(client, alice):
    client.force_login(alice)
    response = client.generic("POST", "/accounts/logout/", b"", HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411
    assert response["Content-Type"].startswith("text/plain")


def test_a_body_with_its_length_is_read_as_usual(alice, article):
    response = api_client(alice).post(
        "/api/annotations/", {"article": article.pk, "start": 0, "end": 5, "label": "claim"}, format="json"
    )
    assert response.status_code == 201


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn serving the workbench on a socket the test bound (no waiting for it to start:
    a connection queues on the listening socket until a worker accepts it)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        FACTCHECK_VAR_DIR=str(tmp_path / "var"),
        ALLOWED_HOSTS="127.0.0.1",
    )
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "factcheck.wsgi",
            "--bind",
            f"fd://{listener.fileno()}",
            "--workers",
            "1",
            "--worker-class",
            "gthread",
        ],
        cwd=ROOT,
        env=env,
        pass_fds=[listener.fileno()],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield listener.getsockname()[1]
    finally:
        process.terminate()
        process.wait(timeout=30)
        listener.close()


def test_gunicorn_answers_411_to_a_chunked_body(gunicorn):
    connection = http.client.HTTPConnection("127.0.0.1", gunicorn, timeout=60)
    connection.request(
        "POST",
        "/api/annotations/",
        body=iter([BODY[:10], BODY[10:]]),
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        encode_chunked=True,
    )
    response = connection.getresponse()
    assert response.status == 411
    assert "Content-Length" in json.loads(response.read())["detail"]

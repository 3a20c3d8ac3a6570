"""Every response carries the Content-Security-Policy and the anti-framing headers."""

import pytest
from django.test import Client

EXPECTED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
}


def _directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: (part[1] if len(part) > 1 else "") for part in parts}


def _assert_policy(response) -> None:
    directives = _directives(response["Content-Security-Policy"])
    for name, value in EXPECTED_DIRECTIVES.items():
        assert directives.get(name) == value, (name, directives)
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/", "/api/", "/no-such-page/"])
def test_anonymous_pages_carry_the_policy(path):
    _assert_policy(Client().get(path))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/admin/", "/api/"])
def test_signed_in_pages_and_the_api_carry_the_policy(sam, path):
    client = Client()
    client.force_login(sam)
    response = client.get(path)
    assert response.status_code < 500
    _assert_policy(response)


@pytest.mark.django_db
def test_the_policy_is_on_api_json_answers(alice):
    client = Client()
    client.force_login(alice)
    response = client.get("/api/annotations/", HTTP_ACCEPT="application/json")
    _assert_policy(response)


@pytest.mark.django_db
def test_only_the_browsable_api_pages_may_use_inline_styles(alice):
    client = Client()
    client.force_login(alice)
    browsable = _directives(client.get("/api/annotations/", HTTP_ACCEPT="text/html")["Content-Security-Policy"])
    assert browsable["style-src-attr"] == "'unsafe-inline'"
    assert browsable["style-src-elem"] == "'self' 'unsafe-inline'"
    assert browsable["script-src"] == "'self'"
    for response in (client.get("/api/annotations/", HTTP_ACCEPT="application/json"), client.get("/")):
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy

"""Sign-in to the API: tokens, sessions with CSRF, and no anonymous access anywhere."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.conftest import CLAIM
from tests.conftest import api_client

ANONYMOUS_REFUSED = (401, 403)


def test_it_gives_a_token_for_a_username_and_password(alice):
    response = APIClient().post("/api/auth/token/", {"username": "alice", "password": "alice-password"})
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=alice).key}


def test_it_refuses_a_token_for_a_wrong_password_with_a_message(alice):
    response = APIClient().post("/api/auth/token/", {"username": "alice", "password": "nope"})
    assert response.status_code == 400
    assert "Unable to log in" in response.json()["non_field_errors"][0]
    assert not Token.objects.exists()


def test_a_token_authenticates_api_calls(alice, article):
    token = Token.objects.create(user=alice)
    client = APIClient()
    assert client.get("/api/articles/").status_code in ANONYMOUS_REFUSED
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/articles/").status_code == 200
    response = client.post("/api/annotations/", {"article": article.pk, "label": "claim", **CLAIM})
    assert response.status_code == 201
    assert response.json()["annotator"] == "alice"


def test_a_wrong_token_is_refused(alice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get("/api/articles/")
    # Session authentication comes first and has no WWW-Authenticate challenge, so DRF says 403.
    assert response.status_code in ANONYMOUS_REFUSED
    assert response.json() == {"detail": "Invalid token."}


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/"),
        ("get", "/api/articles/"),
        ("get", "/api/articles/{article}/"),
        ("get", "/api/annotations/"),
        ("post", "/api/annotations/"),
        ("get", "/api/annotations/{annotation}/"),
        ("patch", "/api/annotations/{annotation}/"),
        ("put", "/api/annotations/{annotation}/"),
        ("delete", "/api/annotations/{annotation}/"),
        ("post", "/api/annotations/{annotation}/restore/"),
        ("get", "/api/sources/"),
        ("post", "/api/sources/"),
        ("get", "/api/sources/reuters/"),
        ("patch", "/api/sources/reuters/"),
        ("delete", "/api/sources/reuters/"),
        ("get", "/api/labels/"),
        ("get", "/api/claim-types/"),
        ("get", "/api/verdicts/"),
        ("get", "/api/schema/?format=json"),
    ],
)
def test_anonymous_requests_are_refused(method, url, alice, article, make_annotation):
    annotation = make_annotation(alice)
    before = annotation.version
    response = getattr(APIClient(), method)(url.format(article=article.pk, annotation=annotation.pk), {})
    assert response.status_code in ANONYMOUS_REFUSED
    assert "detail" in response.json()
    annotation.refresh_from_db()
    assert annotation.version == before and annotation.deleted_at is None


def test_the_docs_page_sends_anonymous_visitors_to_the_login_page(db):
    response = APIClient().get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_writes_need_the_csrf_token(alice, article):
    client = api_client(alice, csrf=True)
    body = {"article": article.pk, "label": "claim", **CLAIM}
    refused = client.post("/api/annotations/", body)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    client.get("/accounts/login/")  # a page with a form sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post("/api/annotations/", body, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_session_reads_need_no_csrf_token(alice, article):
    assert api_client(alice, csrf=True).get("/api/articles/").status_code == 200

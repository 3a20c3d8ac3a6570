"""Hostile input on every write endpoint: whatever arrives, the answer is never a 5xx.

Hypothesis generates JSON bodies that mix valid and hostile values (huge numbers, NUL
bytes, lone surrogates, markup, wrong types, deep nesting) and raw bodies that are not
JSON or not UTF-8 at all. Examples are derandomised so CI sees the same inputs every
run; FUZZ_EXAMPLES=2000 FUZZ_RANDOM=1 searches wider by hand.
"""

import json

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from annotations.models import Annotation
from tests.factories import make_span
from tests.reliability.fuzz import FUZZ

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>",
    "{{ 7|add:7 }}{% debug %}",
]
NASTY_TEXT = st.one_of(
    st.sampled_from(XSS),
    st.sampled_from(["\x00", "a\x00b", "\ud800", "\udfff", "\u202e", "\ufeff", "🎉", "👩🏽‍🔬", "", " ", "claim"]),
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.text(max_size=20).map(lambda s: s * 600),  # long: past the field limits
)
NUMBERS = st.one_of(
    st.integers(min_value=-5, max_value=200),
    st.sampled_from([2**31, 2**63 - 1, 2**63, 2**64, 10**100, -(2**63) - 1]),
    st.floats(allow_nan=False),
    st.booleans(),
)
SCALARS = st.one_of(st.none(), NUMBERS, NASTY_TEXT)
JSON_VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NASTY_TEXT, inner, max_size=3), max_leaves=8
)


def _field(valid):
    return st.one_of(valid, JSON_VALUES)


def _annotation_body(article_id: int):
    link = st.fixed_dictionaries(
        {},
        optional={
            "source": _field(st.sampled_from(["reuters", "cnbc"])),
            "url": _field(st.sampled_from(["https://example.org/a", "javascript:alert(1)", "http://x"])),
            "relation": _field(st.sampled_from(["attributed", "supports", "refutes", "context"])),
        },
    )
    return (
        st.fixed_dictionaries(
            {},
            optional={
                "article": _field(st.just(article_id)),
                "start": _field(st.integers(min_value=0, max_value=90)),
                "end": _field(st.integers(min_value=0, max_value=90)),
                "text": _field(NASTY_TEXT),
                "label": _field(st.sampled_from(["claim", "attribution"])),
                "claim_type": _field(st.sampled_from(["quantity", "event"])),
                "checkworthy": _field(st.booleans()),
                "verdict": _field(st.sampled_from(["unchecked", "false"])),
                "note": _field(NASTY_TEXT),
                "source_links": _field(st.lists(_field(link), max_size=3)),
                "version": _field(st.integers(min_value=0, max_value=5)),
                "id": JSON_VALUES,
                "annotator": JSON_VALUES,
            },
        )
        | JSON_VALUES
    )


def _encode(body, ascii_only: bool) -> bytes:
    # Lone surrogates only travel as \\u escapes; raw, they are not UTF-8 at all.
    return json.dumps(body, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


RAW_BODIES = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(
        [
            b"",
            b"\xff\xfe\x00",
            b'{"note": "\xed\xa0\x80"}',  # a surrogate encoded as if it were UTF-8
            b'{"start": 1e999999}',
            b'{"start": 123456789012345678901234567890}',
            b"[" * 100_000 + b"]" * 100_000,
            b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
            b'{"note": "' + b"x" * 2_000_000 + b'"}',  # past DATA_UPLOAD_MAX_MEMORY_SIZE
            b"NaN",
            b'{"start": NaN, "end": Infinity}',
        ]
    ),
)


def _assert_no_server_error(response, what) -> None:
    assert response.status_code < 500, (what, response.status_code, response.content[:500])


@pytest.fixture
def alice_api(alice):
    client = APIClient()
    client.force_authenticate(alice)
    return client


def _span(article, user) -> Annotation:
    return make_span(article, user, 0, 5)


@pytest.mark.django_db
def test_creating_annotations_never_fails_with_a_server_error(alice_api, article, reuters):
    @FUZZ
    @given(body=_annotation_body(article.pk), ascii_only=st.booleans())
    def check(body, ascii_only):
        response = alice_api.post("/api/annotations/", _encode(body, ascii_only), content_type="application/json")
        _assert_no_server_error(response, body)

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_changing_annotations_never_fails_with_a_server_error(alice_api, alice, article, reuters, method):
    @FUZZ
    @given(body=_annotation_body(article.pk), ascii_only=st.booleans(), if_match=st.none() | NASTY_TEXT)
    def check(body, ascii_only, if_match):
        span = _span(article, alice)
        headers = (
            {}
            if if_match is None or "\x00" in if_match
            else {"HTTP_IF_MATCH": if_match.encode("utf-8", "surrogatepass").decode("latin-1")}
        )
        response = getattr(alice_api, method)(
            f"/api/annotations/{span.pk}/", _encode(body, ascii_only), content_type="application/json", **headers
        )
        _assert_no_server_error(response, body)
        if response.status_code < 300 and method != "delete":
            span.refresh_from_db()
            assert span.article.text[span.start : span.end] == span.text

    check()


@pytest.mark.django_db
def test_adding_sources_never_fails_with_a_server_error(alice_api):
    source = st.fixed_dictionaries(
        {},
        optional={
            "slug": _field(st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True)),
            "name": _field(NASTY_TEXT),
            "homepage": _field(st.sampled_from(["https://example.org/", "javascript:alert(1)", "ftp://x", ""])),
            "kind": _field(st.sampled_from(["news-agency", "other"])),
            "aliases": _field(st.lists(_field(NASTY_TEXT), max_size=4)),
        },
    )

    @FUZZ
    @given(body=source | JSON_VALUES, ascii_only=st.booleans())
    def check(body, ascii_only):
        response = alice_api.post("/api/sources/", _encode(body, ascii_only), content_type="application/json")
        _assert_no_server_error(response, body)

    check()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/annotations/"),
        ("patch", "/api/annotations/{pk}/"),
        ("put", "/api/annotations/{pk}/"),
        ("delete", "/api/annotations/{pk}/"),
        ("post", "/api/sources/"),
        ("post", "/api/auth/token/"),
    ],
)
def test_raw_bodies_that_are_not_json_are_client_errors(alice_api, alice, article, method, path):
    @FUZZ
    @given(
        body=RAW_BODIES,
        content_type=st.sampled_from(
            ["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
        ),
    )
    def check(body, content_type):
        url = path.format(pk=_span(article, alice).pk)
        response = getattr(alice_api, method)(url, body, content_type=content_type)
        _assert_no_server_error(response, body[:100])

    check()


@pytest.mark.django_db
def test_a_100k_deep_json_document_is_a_400(alice_api, article):
    body = b"[" * 100_000 + b"]" * 100_000
    response = alice_api.post("/api/annotations/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["note", "text", "label", "claim_type", "verdict"])
def test_a_nul_byte_in_a_text_field_is_a_400_on_every_database(alice_api, article, field):
    body = {"article": article.pk, "start": 0, "end": 5, "label": "claim", field: "Sel\x00on"}
    response = alice_api.post("/api/annotations/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.django_db
def test_a_nul_byte_in_a_source_is_a_400_on_every_database(alice_api):
    for body in (
        {"name": "Reu\x00ters"},
        {"name": "Reuters", "aliases": ["رويترز\x00"]},
        {"name": "R", "slug": "a\x00"},
    ):
        response = alice_api.post("/api/sources/", body, format="json")
        assert response.status_code == 400, (body, response.content)


@pytest.mark.django_db
def test_the_token_endpoint_never_fails_with_a_server_error(alice):
    client = APIClient()

    @FUZZ
    @given(
        body=st.fixed_dictionaries({}, optional={"username": _field(st.just("alice")), "password": JSON_VALUES})
        | JSON_VALUES,
        ascii_only=st.booleans(),
        address=st.integers(min_value=1, max_value=250),
    )
    def check(body, ascii_only, address):
        # A fresh address per example keeps the login throttle from answering for the parser.
        response = client.post(
            "/api/auth/token/",
            _encode(body, ascii_only),
            content_type="application/json",
            REMOTE_ADDR=f"10.0.0.{address}",
        )
        _assert_no_server_error(response, body)

    check()


@pytest.mark.django_db
def test_the_token_endpoint_locks_after_five_failures_with_429(alice, bob):
    client = APIClient()
    for _ in range(5):
        response = client.post("/api/auth/token/", {"username": "alice", "password": "nope"}, format="json")
        assert response.status_code == 400
    response = client.post("/api/auth/token/", {"username": "alice", "password": "alice-password"}, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    response = client.post("/api/auth/token/", {"username": "bob", "password": "bob-password"}, format="json")
    assert response.status_code == 200
    assert response.json()["token"]


@pytest.mark.django_db
def test_the_login_form_never_fails_with_a_server_error(alice):
    client = Client()
    fields = st.dictionaries(
        st.sampled_from(["username", "password", "next", "csrfmiddlewaretoken", "x"]),
        st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=300) | st.sampled_from(XSS),
        max_size=5,
    )

    @FUZZ
    @given(data=fields, address=st.integers(min_value=1, max_value=250))
    def check(data, address):
        response = client.post("/accounts/login/", data, REMOTE_ADDR=f"10.1.0.{address}")
        _assert_no_server_error(response, data)
        body = response.content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "<img src=x onerror" not in body

    check()


@pytest.mark.django_db
def test_stale_writes_are_refused_with_409_and_change_nothing(alice_api, alice, article):
    span = _span(article, alice)
    first = alice_api.patch(f"/api/annotations/{span.pk}/", {"note": "first", "version": 1}, format="json")
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = alice_api.patch(f"/api/annotations/{span.pk}/", {"note": "stale", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["note"] == "first"
    stale_delete = alice_api.delete(f"/api/annotations/{span.pk}/", {"version": 1}, format="json")
    assert stale_delete.status_code == 409
    span.refresh_from_db()
    assert (span.note, span.version, span.deleted_at) == ("first", 2, None)
    stale_header = alice_api.patch(f"/api/annotations/{span.pk}/", {"note": "x"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale_header.status_code == 409


@pytest.mark.django_db
def test_a_body_over_one_mebibyte_is_refused_with_413(alice_api, article):
    body = b'{"note": "' + b"x" * (1024 * 1024) + b'"}'
    response = alice_api.post("/api/annotations/", body, content_type="application/json")
    assert response.status_code == 413
    assert not Annotation.objects.exists()


@pytest.mark.django_db
def test_a_form_over_one_mebibyte_on_the_login_page_is_a_400(alice):
    response = Client().post(
        "/accounts/login/",
        b"username=alice&password=" + b"x" * (1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400

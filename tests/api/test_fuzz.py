"""Property-based: whatever a client sends, the API answers 2xx/4xx with JSON, never 5xx.

Bodies are random JSON (any types, huge integers, lone surrogates, deep nesting,
random strings) and random mutations of valid bodies, so the examples reach both the
type checks and the services' own validation. Runs are bounded to stay fast.
"""

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.models import Annotation
from tests.conftest import api_client

FUZZ = settings(
    max_examples=100,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

# Text with every kind of code point, lone surrogates and NUL included.
wild_text = st.text(st.characters(exclude_categories=()), max_size=30) | st.sampled_from(
    ["", "\x00", "\ud800", "\udfff", "javascript:alert(1)", "data:text/html,x", "https://example.org/" + "a" * 2100]
)
huge_ints = st.integers(min_value=-(10**30), max_value=10**30) | st.sampled_from([2**63, -(2**63) - 1, 10**4000])
scalars = st.none() | st.booleans() | huge_ints | st.floats(allow_nan=False, allow_infinity=False) | wild_text
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(wild_text, inner, max_size=4), max_leaves=12
)

ANNOTATION_KEYS = ["article", "start", "end", "text", "label", "claim_type", "checkworthy", "verdict", "note",
                   "source_links", "version", "id", "annotator", "is_gold"]  # fmt: skip
SOURCE_KEYS = ["slug", "name", "homepage", "kind", "aliases", "id", "created_by"]
plausible = {
    "start": st.integers(-3, 100),
    "end": st.integers(-3, 100),
    "label": st.sampled_from(["claim", "attribution", "nope", ""]),
    "verdict": st.sampled_from(["unchecked", "false", None, "x"]),
    "claim_type": st.sampled_from(["quantity", None, "", "x"]),
    "source_links": st.lists(
        st.fixed_dictionaries(
            {"source": st.sampled_from(["reuters", "x"]) | json_values},
            optional={"url": json_values, "relation": st.sampled_from(["supports", "likes"]) | json_values},
        ),
        max_size=3,
    ),
    "name": wild_text,
    "aliases": st.lists(wild_text, max_size=3),
}


def bodies(keys):
    """A dict of known keys with plausible or random values, or any JSON value at all."""
    field_value = {key: plausible.get(key, json_values) | json_values for key in keys}
    mostly_known = st.fixed_dictionaries({}, optional=field_value).flatmap(
        lambda body: st.dictionaries(wild_text, json_values, max_size=2).map(lambda extra: {**body, **extra})
    )
    return mostly_known | json_values


raw_bodies = st.integers(1, 50_000).map(lambda depth: "[" * depth + "]" * depth) | st.binary(max_size=64)


def encode(body) -> str:
    # ensure_ascii writes lone surrogates as \ud800 escapes: valid JSON, invalid text.
    return json.dumps(body)


def assert_clean(response):
    assert response.status_code < 500, response.content[:500]
    if response.status_code != 204:
        assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
        response.json()


@pytest.fixture
def client(alice, article, reuters):
    return api_client(alice)


@FUZZ
@given(body=bodies(ANNOTATION_KEYS))
def test_post_annotations_never_fails_on_random_bodies(client, article, body):
    if isinstance(body, dict) and "article" not in body:
        body["article"] = article.pk
    response = client.post("/api/annotations/", encode(body), content_type="application/json")
    assert_clean(response)
    if response.status_code == 201:
        stored = Annotation.objects.get(pk=response.json()["id"])
        assert article.text[stored.start : stored.end] == stored.text


@FUZZ
@given(body=bodies(ANNOTATION_KEYS), method=st.sampled_from(["patch", "put", "delete"]))
def test_editing_an_annotation_never_fails_on_random_bodies(client, alice, make_annotation, body, method):
    annotation = make_annotation(alice)
    response = getattr(client, method)(
        f"/api/annotations/{annotation.pk}/", encode(body), content_type="application/json"
    )
    assert_clean(response)
    stored = Annotation.all_objects.get(pk=annotation.pk)
    assert stored.article.text[stored.start : stored.end] == stored.text


@FUZZ
@given(body=bodies(SOURCE_KEYS))
def test_post_sources_never_fails_on_random_bodies(client, body):
    assert_clean(client.post("/api/sources/", encode(body), content_type="application/json"))


@FUZZ
@given(raw=raw_bodies, url=st.sampled_from(["/api/annotations/", "/api/sources/", "/api/auth/token/"]))
def test_raw_bodies_never_fail(client, raw, url):
    assert_clean(client.post(url, raw, content_type="application/json"))


@FUZZ
@given(
    url=st.sampled_from(["/api/annotations/", "/api/articles/", "/api/sources/"]),
    params=st.dictionaries(
        st.sampled_from(["article", "label", "annotator", "language", "q", "kind", "page", "page_size"]),
        wild_text | huge_ints.map(str),
        max_size=3,
    ),
)
def test_list_filters_never_fail(client, url, params):
    query = urlencode({key: value.encode("utf-8", "surrogatepass") for key, value in params.items()})
    response = client.get(f"{url}?{query}")
    assert response.status_code in (200, 400, 404), response.content[:300]
    response.json()

"""Bad input answers 400 (or 413/415) naming the field, and writes nothing."""

import json

import pytest

from annotations.models import Annotation
from tests.api.conftest import CLAIM, row_counts
from tests.conftest import api_client

LONG_URL = "https://example.org/" + "a" * 2030  # 2,050 characters


@pytest.fixture
def post_annotation(alice, article, reuters):
    client = api_client(alice)

    def post(**changes):
        body = {"article": article.pk, "label": "claim", **CLAIM, **changes}
        body = {key: value for key, value in body.items() if value is not ...}
        before = row_counts()
        response = client.post("/api/annotations/", body)
        assert row_counts() == before, "a refused write left rows behind"
        return response

    return post


def assert_refused(response, field, fragment=""):
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert fragment in json.dumps(errors[field], ensure_ascii=False), errors


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"start": 80, "end": 87, "text": ...}, "end", "past the end of the text (86 code points)"),
        ({"start": 90, "end": 95, "text": ...}, "start", "past the end"),
        ({"start": -1, "text": ...}, "start", "0 or more"),
        ({"start": 80, "end": 57, "text": ...}, "end", "before start"),
        ({"start": 57, "end": 57, "text": ...}, "end", "may not be empty"),
        ({"start": "57"}, "start", "whole number"),
        ({"start": 57.0}, "start", "whole number"),
        ({"end": 80.5}, "end", "whole number"),
        ({"start": True}, "start", "whole number"),
        ({"start": None}, "start", "null"),
        ({"start": ...}, "start", "required"),
        ({"end": 10**30, "text": ...}, "end", "past the end"),
        ({"text": "12 milliards de dollar"}, "text", "does not match"),
        ({"text": " 12 milliards de dollars"}, "text", "does not match"),
        ({"text": ""}, "text", "does not match"),
        ({"article": 999999}, "article", "Unknown article"),
        ({"article": 10**30}, "article", "less than or equal"),
        ({"article": "1"}, "article", "whole number"),
        ({"article": ...}, "article", "required"),
        ({"label": "nope"}, "label", "Unknown label"),
        ({"label": ...}, "label", "required"),
        ({"label": 3}, "label", "string"),
        ({"claim_type": "nope"}, "claim_type", "Unknown claim_type"),
        ({"verdict": "nope"}, "verdict", "Unknown verdict"),
        ({"checkworthy": "yes"}, "checkworthy", "true or false"),
        ({"checkworthy": 1}, "checkworthy", "true or false"),
        ({"note": "x" * 10_001}, "note", "at most 10000"),
        ({"note": 5}, "note", "string"),
        ({"note": "nul \x00 byte"}, "note", "Null characters"),
        ({"lable": "claim"}, "lable", "Unknown field"),
        ({"version": 1}, "version", "no version yet"),
        ({"source_links": {"source": "reuters"}}, "source_links", "list"),
        ({"source_links": ["reuters"]}, "source_links", "dictionary"),
        ({"source_links": [{"source": "nope"}]}, "source_links", "Unknown source 'nope'"),
        ({"source_links": [{"url": "https://example.org/"}]}, "source_links", "required"),
        ({"source_links": [{"source": "reuters", "relation": "likes"}]}, "source_links", "not a valid choice"),
        ({"source_links": [{"source": "reuters", "url": "javascript:alert(1)"}]}, "source_links", "http"),
        ({"source_links": [{"source": "reuters", "url": "data:text/html,<b>x</b>"}]}, "source_links", "http"),
        ({"source_links": [{"source": "reuters", "url": "ftp://example.org/x"}]}, "source_links", "http"),
        ({"source_links": [{"source": "reuters", "url": "not a url"}]}, "source_links", "http"),
        ({"source_links": [{"source": "reuters", "url": "https://"}]}, "source_links", "valid URL"),
        ({"source_links": [{"source": "reuters", "url": LONG_URL}]}, "source_links", "at most 2048"),
        ({"source_links": [{"source": "reuters", "urll": "https://x.org"}]}, "source_links", "Unknown field"),
        ({"source_links": [{"source": "reuters"}] * 101}, "source_links", "no more than 100"),
    ],
)
def test_it_refuses_a_bad_annotation(post_annotation, changes, field, fragment):
    assert_refused(post_annotation(**changes), field, fragment)


def test_it_names_the_bad_link_by_position(post_annotation):
    links = [{"source": "reuters"}, {"source": "reuters", "url": "javascript:alert(1)"}]
    response = post_annotation(source_links=links)
    assert_refused(response, "source_links", "source_links[1].url")


@pytest.mark.parametrize("body", [[], [1, 2], "text", 3, None])
def test_it_refuses_a_body_that_is_not_an_object(alice, body):
    before = row_counts()
    response = api_client(alice).post("/api/annotations/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert row_counts() == before


def test_malformed_json_answers_400_in_json(alice):
    response = api_client(alice).post("/api/annotations/", '{"article": 1,', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


def test_json_nested_beyond_the_parsers_reach_answers_400(alice):
    body = "[" * 100_000 + "]" * 100_000
    response = api_client(alice).post("/api/annotations/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_a_lone_surrogate_answers_400(alice, article):
    body = '{"article": ARTICLE, "label": "claim", "start": 0, "end": 5, "note": "\\ud800"}'
    body = body.replace("ARTICLE", str(article.pk))
    before = row_counts()
    response = api_client(alice).post("/api/annotations/", body, content_type="application/json")
    assert response.status_code == 400
    assert "surrogate" in response.json()["detail"]
    assert row_counts() == before


def test_nan_is_not_json(alice, article):
    body = '{"article": ARTICLE, "label": "claim", "start": NaN, "end": 5}'.replace("ARTICLE", str(article.pk))
    response = api_client(alice).post("/api/annotations/", body, content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x", "application/xml"],
)
def test_a_body_that_is_not_json_answers_415(alice, article, content_type):
    before = row_counts()
    response = api_client(alice).post(
        "/api/annotations/", "article=1&start=0&end=5&label=claim", content_type=content_type
    )
    assert response.status_code == 415
    assert "Unsupported media type" in response.json()["detail"]
    assert row_counts() == before


def test_an_oversized_body_answers_413_in_json(alice, article, settings):
    body = json.dumps(
        {"article": article.pk, "label": "claim", **CLAIM, "note": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}
    )
    before = row_counts()
    response = api_client(alice).post("/api/annotations/", body, content_type="application/json")
    assert response.status_code == 413
    assert "larger than 1048576 bytes" in response.json()["detail"]
    assert row_counts() == before


def test_an_oversized_form_body_answers_415_before_it_is_read(alice, settings):
    client = api_client(alice, csrf=True)
    client.get("/accounts/login/")  # the CSRF cookie
    body = "a=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    before = row_counts()
    response = client.post("/api/sources/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert row_counts() == before


def test_an_oversized_form_body_to_the_token_endpoint_answers_413_in_json(alice, settings):
    body = "username=alice&password=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    response = api_client().post("/api/auth/token/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


# ---------------------------------------------------------------- edits


@pytest.fixture
def patch_mine(alice, make_annotation):
    annotation = make_annotation(alice)
    client = api_client(alice)

    def patch(body, **headers):
        before = row_counts()
        response = client.patch(f"/api/annotations/{annotation.pk}/", body, **headers)
        assert row_counts() == before
        fresh = Annotation.objects.get(pk=annotation.pk)
        assert (fresh.version, fresh.start, fresh.end, fresh.label_id) == (1, 57, 80, annotation.label_id)
        return response

    return patch


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"end": 87}, "end", "past the end"),
        ({"start": 81}, "end", "before start"),
        ({"start": 80}, "end", "may not be empty"),
        ({"start": -3}, "start", "0 or more"),
        ({"start": "1"}, "start", "whole number"),
        ({"text": "something else"}, "text", "does not match"),
        ({"start": 0, "end": 5, "text": "Selon Reuters"}, "text", "does not match"),
        ({"label": None}, "label", "null"),
        ({"label": "nope"}, "label", "Unknown label"),
        ({"claim_type": "nope"}, "claim_type", "Unknown"),
        ({"verdict": "nope"}, "verdict", "Unknown"),
        ({"note": "y" * 10_001}, "note", "at most 10000"),
        ({"source_links": [{"source": "reuters", "url": "javascript:alert(1)"}]}, "source_links", "http"),
        ({"version": "1"}, "version", "whole number"),
        ({"version": 0}, "version", "greater than or equal to 1"),
        ({"annotatr": "bob"}, "annotatr", "Unknown field"),
    ],
)
def test_it_refuses_a_bad_edit(patch_mine, body, field, fragment):
    assert_refused(patch_mine(body), field, fragment)


@pytest.mark.parametrize("header", ['"1" junk', 'W/"x"', '"1", "2"', "abc"])
def test_it_refuses_a_malformed_if_match(patch_mine, header):
    response = patch_mine({"verdict": "true"}, HTTP_IF_MATCH=header)
    assert_refused(response, "If-Match", "ETag")


def test_it_refuses_a_version_and_if_match_that_disagree(patch_mine):
    assert_refused(patch_mine({"verdict": "true", "version": 1}, HTTP_IF_MATCH='"2"'), "version", "If-Match")


def test_a_refused_put_leaves_links_alone(alice, make_annotation):
    annotation = make_annotation(alice)
    body = {
        "article": annotation.article_id,
        "start": 57,
        "end": 80,
        "label": "claim",
        "source_links": [{"source": "x"}],
    }
    response = api_client(alice).put(f"/api/annotations/{annotation.pk}/", body)
    assert_refused(response, "source_links", "Unknown source")
    assert annotation.source_links.count() == 1

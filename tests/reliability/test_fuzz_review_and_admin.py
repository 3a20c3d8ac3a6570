"""Hostile input on the reviewers' write endpoints and the admin's JSON fields: never a 5xx."""

import json

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from annotations import services
from tests.reliability.fuzz import FUZZ

TEXT = st.one_of(st.text(max_size=30), st.sampled_from(["\x00", "\ud800", "<script>alert(1)</script>", "claim", ""]))
NUMBERS = st.one_of(st.integers(-2, 100), st.sampled_from([2**63, 10**30]), st.floats(allow_nan=False))
VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), NUMBERS, TEXT),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
GOLD = st.fixed_dictionaries(
    {},
    optional={
        "start": NUMBERS,
        "end": NUMBERS,
        "label": st.one_of(st.just("claim"), TEXT),
        "text": TEXT,
        "note": TEXT,
        "verdict": TEXT,
        "claim_type": TEXT,
        "checkworthy": VALUE,
        "proposed_by": VALUE,
        "source_links": VALUE,
        "gold": VALUE,
    },
)


def _encode(body, ascii_only: bool) -> bytes:
    return json.dumps(body, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


@pytest.mark.django_db
def test_reviewer_endpoints_never_fail_with_a_server_error(rita, alice, article):
    client = APIClient()
    client.force_authenticate(rita)

    @FUZZ
    @given(body=GOLD | VALUE, ascii_only=st.booleans(), endpoint=st.sampled_from(["gold", "accept", "reject"]))
    def check(body, ascii_only, endpoint):
        span = services.annotation_create(article=article, annotator=alice, start=0, end=5, label="claim")
        path = {
            "gold": f"/api/review/articles/{article.pk}/gold/",
            "accept": f"/api/review/annotations/{span.pk}/accept/",
            "reject": f"/api/review/annotations/{span.pk}/reject/",
        }[endpoint]
        response = client.post(path, _encode(body, ascii_only), content_type="application/json")
        assert response.status_code < 500, (endpoint, body, response.content[:300])

    check()


@pytest.fixture
def root_client(django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "root-password")
    client = Client()
    client.force_login(root)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("aliases", ['["Reu\\u0000ters"]', '["\\ud800"]', '{"a": 1}', "[" * 5000, "not json"])
def test_the_admin_refuses_unstorable_source_aliases_with_a_form_error(root_client, aliases):
    response = root_client.post(
        "/admin/annotations/source/add/",
        {"slug": "reuters", "name": "Reuters", "homepage": "", "kind": "news-agency", "aliases": aliases},
    )
    assert response.status_code == 200, response.status_code  # the form again, with an error
    assert b"errorlist" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("metadata", ['{"k": "a\\u0000b"}', '{"\\u0000": 1}', '{"k": "\\udfff"}'])
def test_the_admin_refuses_unstorable_article_metadata_with_a_form_error(root_client, metadata):
    response = root_client.post(
        "/admin/annotations/article/add/",
        {
            "external_id": "x",
            "title": "T",
            "language": "fr",
            "direction": "",
            "text": "Some text.",
            "url": "",
            "publisher": "",
            "author": "",
            "published_at_0": "",
            "published_at_1": "",
            "metadata": metadata,
        },
    )
    assert response.status_code == 200, response.status_code
    assert b"errorlist" in response.content


@pytest.mark.django_db
def test_the_admin_annotation_form_never_fails_with_a_server_error(root_client, alice, article):
    span = services.annotation_create(article=article, annotator=alice, start=0, end=5, label="claim")
    form_text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)
    number = st.one_of(
        st.integers(-5, 100).map(str), st.sampled_from(["99999999999999999999999", "1e9", "-0", "", "x"])
    )

    @FUZZ
    @given(
        start=number,
        end=number,
        version=number,
        text=st.one_of(form_text, st.just("Selon")),
        note=st.one_of(form_text, st.sampled_from(["<script>alert(1)</script>", "a\x00b"])),
    )
    def check(start, end, version, text, note):
        response = root_client.post(
            f"/admin/annotations/annotation/{span.pk}/change/",
            {
                "article": article.pk,
                "annotator": alice.pk,
                "start": start,
                "end": end,
                "text": text,
                "label": "1",
                "note": note,
                "expected_version": version,
                "source_links-TOTAL_FORMS": "0",
                "source_links-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code < 500, (start, end, version, response.content[:300])
        assert b"<script>alert(1)</script>" not in response.content

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("done", ["1", "0", "", "\x00", "x" * 10_000, "<script>"])
def test_marking_done_takes_any_value_without_a_server_error(alice, article, done):
    client = Client()
    client.force_login(alice)
    response = client.post(f"/articles/{article.pk}/done/", {"done": done})
    assert response.status_code in (302, 400)

"""GET /api/annotations/{id}/claim-matches/: the project's claims a span most likely makes."""

import pytest
from django.contrib.auth.models import User

from annotations.claims.services import claim_create
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_claims(alice, seed_span):
    """Claims alice made from French seed spans, the CoreWeave deal among look-alikes (12 billion, 2025)."""
    return {
        key: claim_create(user=alice, annotation=seed_span(alice, key, index))
        for key, index in (
            ("coreweave-deal", 0),
            ("openai-revenue", 0),
            ("google-cloud-revenue", 0),
            ("google-cloud-deal", 1),
        )
    }


def test_the_arabic_coreweave_span_finds_the_french_claim_first(bob, rita, seed_span, french_claims):
    arabic = seed_span(bob, "coreweave-deal", 1)

    response = api_client(bob).get(f"/api/annotations/{arabic.pk}/claim-matches/")

    assert response.status_code == 200
    matches = response.json()["matches"]
    assert matches[0]["claim"] == french_claims["coreweave-deal"].pk
    assert matches[0]["language"] == "fr"
    assert matches[0]["statement"].startswith("L'accord d'environ 12 milliards de dollars avec Coreweave")
    assert "same amount: 12 billion USD" in matches[0]["reasons"]
    assert "names: CoreWeave" in matches[0]["reasons"]
    scores = [m["score"] for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)


def test_a_span_already_in_a_claim_is_not_offered_its_own_claim(alice, french_claims):
    span = french_claims["coreweave-deal"].appearances.get().annotation

    matches = api_client(alice).get(f"/api/annotations/{span.pk}/claim-matches/").json()["matches"]

    assert french_claims["coreweave-deal"].pk not in [m["claim"] for m in matches]


def test_a_span_you_may_not_read_is_404(alice, bob, olga, french_claims):
    span = french_claims["coreweave-deal"].appearances.get().annotation

    assert api_client(bob).get(f"/api/annotations/{span.pk}/claim-matches/").status_code == 404
    assert api_client(olga).get(f"/api/annotations/{span.pk}/claim-matches/").status_code == 404


def test_claims_of_another_project_are_never_offered(bob, seed_span, french_claims, other_span):
    matches = api_client(bob).get(f"/api/annotations/{other_span.pk}/claim-matches/").json()["matches"]

    assert matches == []


def test_matching_takes_the_same_queries_for_4_and_12_claims(
    alice, bob, seed_span, french_claims, labelled, django_assert_num_queries
):
    arabic = seed_span(bob, "coreweave-deal", 1)

    # bob's reviewer group (visible_to), the span with its article, its own claim, the claims,
    # their appearances, the registry
    # A fresh user object per request, as a real request has: nothing cached from the last one.
    client = api_client(User.objects.get(pk=bob.pk))
    with django_assert_num_queries(6):
        assert client.get(f"/api/annotations/{arabic.pk}/claim-matches/").status_code == 200
    for key in ("azure-only", "microsoft-ties-remain", "diversification", "reuters-report"):
        for index, appearance in enumerate(labelled[key]["appearances"]):
            if appearance["article"].startswith("001"):
                claim_create(user=alice, annotation=seed_span(alice, key, index))
    for key in ("foxconn-racks", "foxconn-capex", "foxconn-nvidia", "chinese-model-downloads"):
        claim_create(user=alice, annotation=seed_span(alice, key, 0))
    client = api_client(User.objects.get(pk=bob.pk))
    with django_assert_num_queries(6):
        assert client.get(f"/api/annotations/{arabic.pk}/claim-matches/").json()["matches"][0]["claim"] == (
            french_claims["coreweave-deal"].pk
        )

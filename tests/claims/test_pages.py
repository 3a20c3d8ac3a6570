"""The claim pages: /projects/{slug}/claims/ and one claim with its appearances side by side."""

import json

import pytest
from django.test import Client

from annotations.claims.models import Claim
from annotations.claims.services import claim_attach, claim_create, claim_update

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coreweave(alice, bob, seed_span):
    """One claim from alice's French CoreWeave span, with bob's Arabic span attached."""
    claim = claim_create(user=alice, annotation=seed_span(alice, "coreweave-deal", 0))
    claim_attach(user=bob, claim=claim, annotation=seed_span(bob, "coreweave-deal", 1))
    return claim


def test_the_list_shows_claims_with_their_appearance_counts(alice, coreweave):
    response = client_for(alice).get("/projects/seed/claims/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-claim-id="{coreweave.pk}"' in html
    assert '<td class="numeric" data-testid="appearance-count">2</td>' in html
    assert 'dir="auto">L&#x27;accord d&#x27;environ 12 milliards' in html


def test_the_list_filters_by_status_verdict_and_language(alice, vera, coreweave):
    claim_update(user=vera, claim=coreweave, expected_version=None, changes={"status": "checked", "verdict": "true"})
    client = client_for(alice)

    assert f'data-claim-id="{coreweave.pk}"' in client.get("/projects/seed/claims/?status=checked").content.decode()
    assert f'data-claim-id="{coreweave.pk}"' not in client.get("/projects/seed/claims/?status=open").content.decode()
    assert f'data-claim-id="{coreweave.pk}"' in client.get("/projects/seed/claims/?verdict=true").content.decode()
    assert f'data-claim-id="{coreweave.pk}"' not in client.get("/projects/seed/claims/?language=ar").content.decode()


def test_the_list_takes_the_same_queries_for_1_and_5_claims(alice, coreweave, seed_span, django_assert_num_queries):
    client = client_for(alice)
    client.get("/projects/seed/claims/")  # warm the session
    # session, user, project, count, the menu's reviewer group and memberships, verdicts, languages,
    # claims with counts
    with django_assert_num_queries(9):
        client.get("/projects/seed/claims/")
    for key in ("openai-revenue", "google-cloud-revenue", "foxconn-racks", "foxconn-capex"):
        claim_create(user=alice, annotation=seed_span(alice, key, 0))
    with django_assert_num_queries(9):
        assert client.get("/projects/seed/claims/").content.decode().count("data-claim-id=") == 5


def test_a_non_member_gets_404_for_the_claim_pages(olga, coreweave):
    client = client_for(olga)

    assert client.get("/projects/seed/claims/").status_code == 404
    assert client.get(f"/projects/seed/claims/{coreweave.pk}/").status_code == 404


def test_the_claim_page_shows_its_appearances_side_by_side_in_their_languages(rita, coreweave):
    response = client_for(rita).get(f"/projects/seed/claims/{coreweave.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="appearance"') == 2
    assert 'lang="fr" dir="ltr"' in html
    assert 'lang="ar" dir="rtl"' in html
    assert '<mark dir="auto">L&#x27;accord d&#x27;environ 12 milliards de dollars avec Coreweave' in html
    assert "الحوسبة" in html  # context around the Arabic span


def test_an_annotator_sees_only_the_appearances_they_may_read(alice, coreweave):
    html = client_for(alice).get(f"/projects/seed/claims/{coreweave.pk}/").content.decode()

    assert html.count('class="appearance"') == 1
    assert "and 1 more in other annotators" in html
    assert 'data-testid="verdict-form"' not in html


def test_a_reviewer_sets_the_verdict_from_the_claim_page(vera, coreweave):
    client = client_for(vera)
    page = client.get(f"/projects/seed/claims/{coreweave.pk}/").content.decode()
    assert 'data-testid="verdict-form"' in page
    assert "A ClaimReview is published once the claim has a verdict." in page

    response = client.post(
        f"/projects/seed/claims/{coreweave.pk}/",
        {
            "verdict": "mostly-true",
            "status": "published",
            "rating_explanation": "CoreWeave's filing confirms $11.9 billion over five years.",
            "review_url": "https://factcheck.example.org/coreweave",
            "version": "1",
        },
    )

    assert response.status_code == 302
    coreweave.refresh_from_db()
    assert (coreweave.verdict.slug, coreweave.status, coreweave.version) == ("mostly-true", "published", 2)
    html = client.get(f"/projects/seed/claims/{coreweave.pk}/").content.decode()
    preview = html.split('data-testid="claimreview-preview">')[1].split("</pre>")[0]
    record = json.loads(preview.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&"))
    assert record["@type"] == "ClaimReview"
    assert record["reviewRating"]["alternateName"] == "Mostly true"
    assert record["reviewRating"]["ratingValue"] == 4


def test_the_verdict_form_refuses_a_javascript_url_and_writes_nothing(vera, coreweave):
    response = client_for(vera).post(
        f"/projects/seed/claims/{coreweave.pk}/",
        {
            "verdict": "false",
            "status": "checked",
            "rating_explanation": "",
            "review_url": "javascript:alert(1)",
            "version": "1",
        },
    )

    assert response.status_code == 400
    assert "Only http:// and https:// URLs are allowed." in response.content.decode()
    coreweave.refresh_from_db()
    assert (coreweave.verdict, coreweave.status, coreweave.version) == (None, "open", 1)


def test_the_verdict_form_refuses_a_stale_version(vera, coreweave):
    claim_update(user=vera, claim=coreweave, expected_version=1, changes={"claimant": "Reuters"})

    response = client_for(vera).post(
        f"/projects/seed/claims/{coreweave.pk}/",
        {"verdict": "false", "status": "checked", "rating_explanation": "", "review_url": "", "version": "1"},
    )

    assert response.status_code == 400
    assert "Someone else changed this claim meanwhile" in response.content.decode()
    assert Claim.objects.get().verdict is None


def test_an_annotator_cannot_post_a_verdict(alice, coreweave):
    response = client_for(alice).post(
        f"/projects/seed/claims/{coreweave.pk}/", {"verdict": "false", "status": "checked", "version": "1"}
    )

    assert response.status_code == 403
    assert Claim.objects.get().verdict is None


def test_user_text_is_escaped_on_the_claim_pages(alice, span):
    # Markup is stripped when stored; what is left of a "<" is escaped when shown.
    claim = claim_create(user=alice, annotation=span, statement='5 < 6 <img src=x onerror="alert(1)"> & "7"')
    assert claim.statement == '5 < 6  & "7"'

    for url in ("/projects/seed/claims/", f"/projects/seed/claims/{claim.pk}/"):
        html = client_for(alice).get(url).content.decode()
        assert "5 &lt; 6  &amp; &quot;7&quot;" in html
        assert "<img" not in html


def test_the_annotate_page_offers_the_claim_box(alice, article):
    html = client_for(alice).get(f"/articles/{article.pk}/").content.decode()

    assert "data-claim-box" in html
    assert 'data-claims-page="/projects/seed/claims/"' in html
    assert "js/claims.js" in html


def test_staff_read_claims_and_their_history_in_the_admin(sam, coreweave):
    from django.contrib.auth.models import Permission

    sam.user_permissions.add(*Permission.objects.filter(content_type__app_label="annotations"))
    client = client_for(sam)

    assert "L&#x27;accord d&#x27;environ 12 milliards" in client.get("/admin/annotations/claim/").content.decode()
    assert client.get(f"/admin/annotations/claim/{coreweave.pk}/change/").status_code == 200
    assert client.get(f"/admin/annotations/claim/{coreweave.pk}/history/").status_code == 200
    assert client.get("/admin/annotations/claim/add/").status_code == 403

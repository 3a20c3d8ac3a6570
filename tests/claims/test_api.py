"""/api/claims/: who may do what, and bad input refused with nothing written."""

import pytest
from django.db import IntegrityError, transaction

from annotations.claims.models import Claim, ClaimAppearance, ClaimEvidence
from annotations.claims.services import claim_create
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def make_claim(user, span, **fields):
    return claim_create(user=user, annotation=span, **fields)


def test_an_annotator_makes_a_claim_from_their_own_span(alice, span):
    response = api_client(alice).post("/api/claims/", {"annotation": span.pk}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["statement"] == "Selon Reuters, OpenAI a signé un accord."
    assert body["language"] == "fr"
    assert body["project"] == "seed"
    assert body["appearances"] == [span.pk]
    assert body["status"] == "open"
    assert body["verdict"] is None
    assert body["created_by"] == "alice"
    assert body["version"] == 1
    assert response["ETag"] == '"1"'
    assert response["Location"] == f"/api/claims/{body['id']}/"
    assert Claim.history.filter(id=body["id"]).count() == 1


def test_a_session_write_needs_the_csrf_token(alice, span):
    client = api_client(alice, csrf=True)
    refused = client.post("/api/claims/", {"annotation": span.pk}, format="json")
    assert refused.status_code == 403
    assert not Claim.objects.exists()

    client.get("/accounts/login/")  # a page with a form sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post("/api/claims/", {"annotation": span.pk}, format="json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_it_refuses_a_claim_from_someone_elses_span(alice, bobs_span):
    response = api_client(alice).post("/api/claims/", {"annotation": bobs_span.pk}, format="json")

    assert response.status_code == 400
    assert "annotation" in response.json()
    assert not Claim.objects.exists()


def test_it_refuses_a_second_claim_for_one_span(alice, span):
    make_claim(alice, span)

    response = api_client(alice).post("/api/claims/", {"annotation": span.pk, "statement": "Again"}, format="json")

    assert response.status_code == 400
    assert "already belongs to claim" in response.json()["annotation"][0]
    assert Claim.objects.count() == 1


def test_the_database_holds_a_span_to_one_claim(alice, span, second_span):
    first = make_claim(alice, span)
    second = make_claim(alice, second_span)

    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimAppearance.objects.create(claim=second, annotation=span, added_by=alice)
    assert list(span.claim_appearance.__class__.objects.filter(annotation=span).values_list("claim", flat=True)) == [
        first.pk
    ]


def test_it_refuses_to_attach_a_span_of_another_project(alice, bob, span, other_span):
    claim = make_claim(alice, span)
    client = api_client(bob)

    response = client.post(f"/api/claims/{claim.pk}/appearances/", {"annotation": other_span.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"annotation": ["This span is in another project than the claim."]}
    assert list(claim.appearances.values_list("annotation", flat=True)) == [span.pk]


def test_it_refuses_a_claim_naming_a_project_its_span_is_not_in(bob, other_span, seed_project):
    response = api_client(bob).post("/api/claims/", {"annotation": other_span.pk, "project": "seed"}, format="json")

    assert response.status_code == 400
    assert not Claim.objects.exists()


def test_it_refuses_a_javascript_review_url_and_writes_nothing(alice, vera, span):
    claim = make_claim(alice, span)

    response = api_client(vera).patch(
        f"/api/claims/{claim.pk}/",
        {"review_url": "javascript:alert(1)", "verdict": "false", "version": 1},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"review_url": ["Only http:// and https:// URLs are allowed."]}
    claim.refresh_from_db()
    assert (claim.review_url, claim.verdict, claim.version) == (None, None, 1)


def test_a_stale_version_answers_409_with_the_current_claim_and_changes_nothing(alice, vera, span):
    claim = make_claim(alice, span)
    client = api_client(vera)
    assert (
        client.patch(f"/api/claims/{claim.pk}/", {"claimant": "Reuters", "version": 1}, format="json").status_code
        == 200
    )

    response = client.patch(f"/api/claims/{claim.pk}/", {"claimant": "AFP", "version": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["current"]["claimant"] == "Reuters"
    assert response.json()["current"]["version"] == 2
    assert response["ETag"] == '"2"'
    claim.refresh_from_db()
    assert claim.claimant == "Reuters"


def test_if_match_carries_the_version_too(alice, span):
    claim = make_claim(alice, span)

    stale = api_client(alice).patch(
        f"/api/claims/{claim.pk}/", {"statement": "New"}, format="json", HTTP_IF_MATCH='"7"'
    )

    assert stale.status_code == 409
    assert Claim.objects.get().statement == "Selon Reuters, OpenAI a signé un accord."


def test_an_annotator_may_not_set_a_verdict(alice, span):
    claim = make_claim(alice, span)

    response = api_client(alice).patch(f"/api/claims/{claim.pk}/", {"verdict": "false"}, format="json")

    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.verdict is None


def test_an_annotator_may_not_create_a_claim_with_a_verdict(alice, span):
    response = api_client(alice).post("/api/claims/", {"annotation": span.pk, "verdict": "false"}, format="json")

    assert response.status_code == 403
    assert not Claim.objects.exists()


def test_a_reviewer_sets_verdict_explanation_status_and_review_url(alice, vera, span, reuters):
    claim = make_claim(alice, span)

    response = api_client(vera).patch(
        f"/api/claims/{claim.pk}/",
        {
            "verdict": "mostly-true",
            "rating_explanation": "Reuters reported it; the deal was confirmed later.",
            "status": "checked",
            "review_url": "https://factcheck.example.org/openai-google",
            "claimant": "Reuters",
            "claim_date": "2025-06-10",
            "evidence": [{"source": "reuters", "url": "https://www.reuters.com/x", "relation": "supports"}],
            "version": 1,
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["verdict"], body["status"], body["version"]) == ("mostly-true", "checked", 2)
    assert body["claim_date"] == "2025-06-10"
    assert body["evidence"] == [
        {"source": "reuters", "name": "Reuters", "url": "https://www.reuters.com/x", "relation": "supports"}
    ]
    assert [h.verdict_id is not None for h in Claim.history.filter(id=claim.pk).order_by("history_id")] == [
        False,
        True,
    ]


def test_a_verdict_must_be_one_of_the_projects_verdicts(alice, vera, span, other_project):
    claim = make_claim(alice, span)

    response = api_client(vera).patch(f"/api/claims/{claim.pk}/", {"verdict": "no-such-verdict"}, format="json")

    assert response.status_code == 400
    assert "verdict" in response.json()


def test_bad_evidence_is_refused_with_every_problem_named(alice, span, reuters):
    claim = make_claim(alice, span)

    response = api_client(alice).patch(
        f"/api/claims/{claim.pk}/",
        {"evidence": [{"source": "nobody"}, {"source": "reuters", "url": "data:text/html,x"}]},
        format="json",
    )

    assert response.status_code == 400
    errors = response.json()["evidence"]
    assert any("Unknown source" in e for e in errors)
    assert any("evidence[1].url" in e for e in errors)
    assert not ClaimEvidence.objects.exists()


def test_unknown_fields_are_refused(alice, span):
    response = api_client(alice).post("/api/claims/", {"annotation": span.pk, "verdikt": "false"}, format="json")

    assert response.status_code == 400
    assert "verdikt" in response.json()


def test_a_non_member_gets_404_for_a_claim_and_sees_none_listed(alice, olga, span):
    claim = make_claim(alice, span)
    client = api_client(olga)

    assert client.get(f"/api/claims/{claim.pk}/").status_code == 404
    assert client.patch(f"/api/claims/{claim.pk}/", {"statement": "x"}, format="json").status_code == 404
    assert client.get("/api/claims/").json()["count"] == 0
    assert client.get("/api/claims/?project=seed").status_code == 404


def test_it_requires_a_login(alice, span):
    assert api_client().get("/api/claims/").status_code in (401, 403)


def test_members_attach_and_detach_their_own_spans(alice, bob, span, bobs_span):
    claim = make_claim(alice, span)
    client = api_client(bob)

    added = client.post(f"/api/claims/{claim.pk}/appearances/", {"annotation": bobs_span.pk}, format="json")
    assert added.status_code == 200
    assert sorted(added.json()["appearances"]) == sorted([span.pk, bobs_span.pk])

    # bob may not take alice's span out; he may take his own.
    assert client.delete(f"/api/claims/{claim.pk}/appearances/{span.pk}/").status_code == 403
    removed = client.delete(f"/api/claims/{claim.pk}/appearances/{bobs_span.pk}/")
    assert removed.status_code == 200
    assert removed.json()["appearances"] == [span.pk]


def test_the_list_filters_by_project_status_verdict_language_and_words(alice, vera, span, second_span):
    first = make_claim(alice, span)
    make_claim(alice, second_span, statement="Le café coûte cher", language="fr")
    client = api_client(vera)
    client.patch(f"/api/claims/{first.pk}/", {"verdict": "false", "status": "published"}, format="json")

    def ids(query):
        response = client.get(f"/api/claims/?{query}")
        assert response.status_code == 200, response.json()
        return [c["id"] for c in response.json()["results"]]

    assert len(ids("project=seed")) == 2
    assert ids("status=published") == [first.pk]
    assert ids("verdict=false") == [first.pk]
    assert len(ids("language=FR")) == 2
    assert ids("q=café") != ids("q=reuters")
    assert ids("q=reuters") == [first.pk]
    assert client.get("/api/claims/?status=maybe").status_code == 400


def _claims(user, article, count):
    from annotations.services import annotation_create

    for start in range(count):
        make_claim(user, annotation_create(article=article, annotator=user, start=start, end=start + 5, label="claim"))


def test_the_list_takes_the_same_queries_for_2_and_20_claims(alice, article, django_assert_num_queries):
    client = api_client(alice)
    _claims(alice, article, 2)
    # count, claims (with project, verdict, creator; alice's projects as a subquery), evidence,
    # appearances with their spans
    with django_assert_num_queries(4):
        assert client.get("/api/claims/").json()["count"] == 2
    _claims(alice, article, 18)
    with django_assert_num_queries(4):
        assert client.get("/api/claims/").json()["count"] == 20


def test_merging_moves_appearances_and_evidence_and_loses_nothing(alice, vera, span, second_span, reuters):
    keep = make_claim(alice, span, evidence=[{"source": "reuters", "relation": "supports"}])
    fold = make_claim(
        alice,
        second_span,
        claimant="Le Monde",
        evidence=[{"source": "reuters", "relation": "supports"}, {"source": "reuters", "relation": "refutes"}],
    )

    response = api_client(vera).post(f"/api/claims/{keep.pk}/merge/", {"other": fold.pk, "version": 1}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert sorted(body["appearances"]) == sorted([span.pk, second_span.pk])
    assert sorted(e["relation"] for e in body["evidence"]) == ["refutes", "supports"]
    assert body["claimant"] == "Le Monde"
    assert body["version"] == 2
    assert not Claim.objects.filter(pk=fold.pk).exists()
    assert Claim.history.filter(id=fold.pk, history_type="-").get().history_change_reason == (
        f"merged into claim {keep.pk}"
    )


def test_only_reviewers_merge(alice, span, second_span):
    keep, fold = make_claim(alice, span), make_claim(alice, second_span)

    response = api_client(alice).post(f"/api/claims/{keep.pk}/merge/", {"other": fold.pk}, format="json")

    assert response.status_code == 403
    assert Claim.objects.count() == 2


def test_splitting_moves_the_named_appearances_to_a_new_claim(alice, vera, span, second_span):
    claim = make_claim(alice, span)
    api_client(alice).post(f"/api/claims/{claim.pk}/appearances/", {"annotation": second_span.pk}, format="json")

    response = api_client(vera).post(
        f"/api/claims/{claim.pk}/split/", {"annotations": [second_span.pk], "statement": "Café"}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["appearances"] == [second_span.pk]
    assert response.json()["statement"] == "Café"
    claim.refresh_from_db()
    assert list(claim.appearances.values_list("annotation", flat=True)) == [span.pk]
    assert claim.version == 2


def test_splitting_off_every_appearance_is_refused(alice, vera, span):
    claim = make_claim(alice, span)

    response = api_client(vera).post(f"/api/claims/{claim.pk}/split/", {"annotations": [span.pk]}, format="json")

    assert response.status_code == 400
    assert Claim.objects.count() == 1


def test_deleting_a_claim_keeps_its_spans(alice, span):
    claim = make_claim(alice, span)

    assert api_client(alice).delete(f"/api/claims/{claim.pk}/").status_code == 204

    assert not Claim.objects.exists()
    span.refresh_from_db()
    assert span.deleted_at is None
    assert not ClaimAppearance.objects.exists()


def test_someone_else_may_not_delete_a_claim_they_did_not_make(alice, bob, span):
    claim = make_claim(alice, span)

    assert api_client(bob).delete(f"/api/claims/{claim.pk}/").status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_a_reviewer_makes_a_claim_from_a_statement_alone_and_an_annotator_may_not(alice, vera, seed_project):
    client = api_client(vera)

    missing = client.post("/api/claims/", {"project": "seed"}, format="json")
    assert missing.status_code == 400
    assert "statement" in missing.json()
    made = client.post(
        "/api/claims/", {"project": "seed", "statement": "Les prix ont doublé", "language": "fr"}, format="json"
    )
    assert made.status_code == 201, made.json()
    assert (made.json()["appearances"], made.json()["language"]) == ([], "fr")

    refused = api_client(alice).post("/api/claims/", {"project": "seed", "statement": "x"}, format="json")
    assert refused.status_code == 403
    assert Claim.objects.count() == 1


def test_a_project_you_are_not_in_is_unknown_when_making_a_claim(olga):
    response = api_client(olga).post("/api/claims/", {"project": "seed", "statement": "x"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"project": ["Unknown project."]}

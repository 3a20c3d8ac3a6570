"""Adjudication: accepting, rejecting and adding spans builds the gold layer."""

import json

import pytest

from annotations.models import Annotation, ReviewDecision
from annotations.review.workflow import adjudication_state, gold_accept, gold_add, gold_reject
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

# The article fixture's text: "Selon Reuters, OpenAI a signé un accord. 🎉 Le café coûte 12 milliards de dollars.\nFin."
CLAIM = (15, 40)  # "OpenAI a signé un accord."
PRICE = (43, 81)  # "Le café coûte 12 milliards de dollars."


@pytest.fixture
def work(article, reuters, alice, bob, carol, mark):
    """alice and bob mark the same claim; carol marks it shorter; bob alone marks the price."""
    return {
        "alice": mark(
            article,
            alice,
            *CLAIM,
            claim_type="event",
            checkworthy=True,
            verdict="true",
            note="Signed in Paris.",
            source_links=[
                {"source": "reuters", "url": "https://www.reuters.com/x", "relation": "attributed"},
                {"source": "reuters", "relation": "supports"},
            ],
        ),
        "bob": mark(article, bob, *CLAIM, claim_type="quantity", checkworthy=False),
        "carol": mark(article, carol, 15, 39, claim_type="event"),
        "bob_price": mark(article, bob, *PRICE, claim_type="quantity"),
        "alice_attr": mark(article, alice, 0, 13, "attribution"),
    }


def accept(client, annotation):
    return client.post(f"/api/review/annotations/{annotation.pk}/accept/", {}, format="json")


def test_accepting_a_span_copies_it_into_the_gold_layer(article, work, rita, alice, bob):
    response = accept(api_client(rita), work["alice"])
    assert response.status_code == 200, response.content
    gold = Annotation.objects.get(pk=response.json()["gold"])
    assert gold.is_gold and gold.annotator == rita
    assert (gold.article, gold.start, gold.end, gold.text) == (article, *CLAIM, "OpenAI a signé un accord.")
    assert gold.text == article.text[gold.start : gold.end]
    assert (gold.label.slug, gold.claim_type.slug, gold.checkworthy, gold.verdict.slug, gold.note) == (
        "claim",
        "event",
        True,
        "true",
        "Signed in Paris.",
    )
    assert [(link.source.slug, link.url, link.relation) for link in gold.source_links.order_by("id")] == [
        ("reuters", "https://www.reuters.com/x", "attributed"),
        ("reuters", None, "supports"),
    ]
    # bob marked the very same span: he proposed it too; carol's shorter span did not
    assert sorted(gold.proposed_by.values_list("username", flat=True)) == ["alice", "bob"]
    decisions = {d.annotation_id: (d.decision, d.gold_id, d.reviewer_id) for d in ReviewDecision.objects.all()}
    assert decisions == {
        work["alice"].pk: ("accepted", gold.pk, rita.pk),
        work["bob"].pk: ("accepted", gold.pk, rita.pk),
    }
    # the candidates themselves are untouched
    work["alice"].refresh_from_db()
    assert not work["alice"].is_gold and work["alice"].annotator == alice


def test_accepting_the_same_span_twice_makes_one_gold_span(work, rita):
    client = api_client(rita)
    first = accept(client, work["alice"]).json()["gold"]
    again = accept(client, work["alice"]).json()["gold"]
    twin = accept(client, work["bob"]).json()["gold"]  # same boundaries and label
    assert first == again == twin
    assert Annotation.objects.filter(is_gold=True).count() == 1
    assert ReviewDecision.objects.count() == 2


def test_accepting_an_overlapping_span_makes_a_separate_gold_span(work, rita):
    alice_gold = gold_accept(reviewer=rita, annotation_id=work["alice"].pk)
    carol_gold = gold_accept(reviewer=rita, annotation_id=work["carol"].pk)
    assert alice_gold.pk != carol_gold.pk
    assert (carol_gold.start, carol_gold.end) == (15, 39)
    assert list(carol_gold.proposed_by.values_list("username", flat=True)) == ["carol"]


def test_rejecting_a_span_records_the_decision_and_writes_no_gold(work, rita):
    response = api_client(rita).post(f"/api/review/annotations/{work['carol'].pk}/reject/", {}, format="json")
    assert response.status_code == 200, response.content
    decision = ReviewDecision.objects.get(annotation=work["carol"])
    assert (decision.decision, decision.gold, decision.reviewer) == ("rejected", None, rita)
    assert not Annotation.objects.filter(is_gold=True).exists()
    # rejecting twice keeps one decision
    api_client(rita).post(f"/api/review/annotations/{work['carol'].pk}/reject/", {}, format="json")
    assert ReviewDecision.objects.filter(annotation=work["carol"]).count() == 1


def test_rejecting_an_accepted_span_withdraws_its_annotator_from_the_proposers(work, rita):
    gold = gold_accept(reviewer=rita, annotation_id=work["alice"].pk)
    gold_reject(reviewer=rita, annotation_id=work["bob"].pk)
    assert list(gold.proposed_by.values_list("username", flat=True)) == ["alice"]
    assert ReviewDecision.objects.get(annotation=work["bob"]).decision == "rejected"
    assert Annotation.objects.filter(pk=gold.pk, is_gold=True).exists()  # the gold span stays


def test_a_reviewer_adds_a_gold_span_of_their_own(article, work, rita):
    client = api_client(rita)
    body = {"start": 70, "end": 81, "label": "claim", "text": "de dollar", "claim_type": "quantity"}
    response = client.post(f"/api/review/articles/{article.pk}/gold/", body, format="json")
    assert response.status_code == 400 and "text" in response.json()
    body["text"] = "de dollars."
    response = client.post(f"/api/review/articles/{article.pk}/gold/", body, format="json")
    assert response.status_code == 201, response.content
    gold = Annotation.objects.get(pk=response.json()["gold"])
    assert (gold.is_gold, gold.annotator, gold.start, gold.end, gold.claim_type.slug) == (
        True,
        rita,
        70,
        81,
        "quantity",
    )
    assert gold.proposed_by.count() == 0
    # sending it again (a retried request) returns the same span
    again = client.post(f"/api/review/articles/{article.pk}/gold/", body, format="json")
    assert again.status_code == 200 and again.json()["gold"] == gold.pk
    assert Annotation.objects.filter(is_gold=True).count() == 1


def test_gold_spans_follow_the_offset_rule(article, rita):
    client = api_client(rita)
    too_far = {"start": 80, "end": len(article.text) + 1, "label": "claim"}
    response = client.post(f"/api/review/articles/{article.pk}/gold/", too_far, format="json")
    assert response.status_code == 400 and "end" in response.json()
    empty = {"start": 5, "end": 5, "label": "claim"}
    assert client.post(f"/api/review/articles/{article.pk}/gold/", empty, format="json").status_code == 400
    unknown = {"start": 0, "end": 5, "label": "rumour"}
    response = client.post(f"/api/review/articles/{article.pk}/gold/", unknown, format="json")
    assert response.status_code == 400 and "label" in response.json()
    bad_link = {"start": 0, "end": 5, "label": "claim", "source_links": [{"source": "nobody"}]}
    response = client.post(f"/api/review/articles/{article.pk}/gold/", bad_link, format="json")
    assert response.status_code == 400 and "source_links" in response.json()
    assert not Annotation.objects.filter(is_gold=True).exists()


def test_a_gold_span_cannot_itself_be_accepted_or_rejected(work, rita):
    gold = gold_accept(reviewer=rita, annotation_id=work["alice"].pk)
    client = api_client(rita)
    assert accept(client, gold).status_code == 400
    assert client.post(f"/api/review/annotations/{gold.pk}/reject/", {}, format="json").status_code == 400


def test_a_deleted_or_unknown_span_is_not_found(work, rita):
    from annotations.services import annotation_delete

    annotation_delete(annotation=work["carol"])
    client = api_client(rita)
    assert accept(client, work["carol"]).status_code == 404
    assert client.post("/api/review/annotations/999999/accept/", {}, format="json").status_code == 404
    assert client.post("/api/review/articles/999999/gold/", {}, format="json").status_code == 404


def test_review_actions_need_the_csrf_token_with_a_session(work, rita):
    client = api_client(rita, csrf=True)
    assert accept(client, work["alice"]).status_code == 403
    assert not Annotation.objects.filter(is_gold=True).exists()


def test_the_gold_span_belongs_to_the_reviewer_and_is_edited_through_the_annotation_api(work, rita, alice):
    gold = gold_accept(reviewer=rita, annotation_id=work["alice"].pk)
    response = api_client(rita).patch(
        f"/api/annotations/{gold.pk}/", {"verdict": "mostly-true", "version": gold.version}, format="json"
    )
    assert response.status_code == 200, response.content
    gold.refresh_from_db()
    assert gold.verdict.slug == "mostly-true" and gold.is_gold
    # an annotator neither reads nor changes it
    assert api_client(alice).get(f"/api/annotations/{gold.pk}/").status_code == 404
    assert gold.pk not in [a["id"] for a in api_client(alice).get("/api/annotations/").json()["results"]]


def test_the_page_state_groups_spans_and_flags_disagreements(article, work, rita):
    gold_accept(reviewer=rita, annotation_id=work["alice"].pk)
    gold_reject(reviewer=rita, annotation_id=work["carol"].pk)
    state = adjudication_state(article)
    assert state["annotators"] == ["alice", "bob", "carol"]
    rows = [(r["label"], r["start"], r["end"], sorted(r["cells"]), r["agree"], len(r["gold"])) for r in state["rows"]]
    assert rows == [
        ("attribution", 0, 13, ["alice"], False, 0),
        ("claim", 15, 40, ["alice", "bob", "carol"], False, 1),  # carol's boundaries differ
        ("claim", 43, 81, ["bob"], False, 0),
    ]
    claim = state["rows"][1]
    assert claim["cells"]["alice"]["exact_by"] == ["alice", "bob"] and not claim["cells"]["alice"]["agreed"]
    assert claim["cells"]["alice"]["decision"] == "accepted" and claim["cells"]["carol"]["decision"] == "rejected"
    assert claim["gold"][0]["proposed_by"] == ["alice", "bob"]
    assert state["summary"] == {
        "spans": 5,
        "gold": 1,
        "decided": 3,
        "disagreements": 3,
        "field_disagreements": 1,
    }
    assert [item["field"] for item in claim["field_disagreements"]] == [
        "claim_type",
        "checkworthy",
        "verdict",
        "sources",
    ]
    assert claim["field_disagreements"][2]["values"] == {"alice": "true", "bob": "unchecked", "carol": "unchecked"}
    assert claim["field_disagreements"][3]["values"] == {"alice": ["reuters"], "bob": [], "carol": []}


def test_a_row_agrees_when_every_annotator_marked_the_same_span(article, alice, bob, mark):
    mark(article, alice, *CLAIM)
    mark(article, bob, *CLAIM, claim_type="event")  # fields may differ; boundaries and label decide
    (row,) = adjudication_state(article)["rows"]
    assert row["agree"] and all(cell["agreed"] for cell in row["cells"].values())


def test_a_row_on_the_same_span_still_reports_whose_fields_differ(article, reuters, alice, bob, mark):
    mark(article, alice, *CLAIM, claim_type="quantity", verdict="mostly-true", checkworthy=True)
    mark(article, bob, *CLAIM, claim_type="event", checkworthy=True)
    mark(article, alice, 0, 13, "attribution", source_links=[{"source": "reuters"}])
    mark(article, bob, 0, 13, "attribution")
    state = adjudication_state(article)
    attribution, claim = state["rows"]
    assert claim["agree"] and claim["field_disagreements"] == [
        {"field": "claim_type", "values": {"alice": "quantity", "bob": "event"}},
        {"field": "verdict", "values": {"alice": "mostly-true", "bob": "unchecked"}},
    ]
    # An attribution has no claim fields: only its sources are compared.
    assert attribution["field_disagreements"] == [{"field": "sources", "values": {"alice": ["reuters"], "bob": []}}]
    assert (state["summary"]["disagreements"], state["summary"]["field_disagreements"]) == (0, 2)


def test_gold_export_lines_carry_the_adjudicated_spans(article, work, rita):
    gold = gold_accept(reviewer=rita, annotation_id=work["alice"].pk)
    response = api_client(rita).get("/api/export/", {"format": "jsonl", "layer": "gold"})
    assert response.status_code == 200
    lines = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines() if line]
    exported = [(record["id"], a) for record in lines for a in record["annotations"]]
    assert len(exported) == 1
    article_id, span = exported[0]
    assert article_id == article.pk
    assert {k: span[k] for k in ("id", "start", "end", "text", "label", "claim_type", "checkworthy", "verdict")} == {
        "id": gold.pk,
        "start": 15,
        "end": 40,
        "text": "OpenAI a signé un accord.",
        "label": "claim",
        "claim_type": "event",
        "checkworthy": True,
        "verdict": "true",
    }
    assert span["annotator"] == "rita" and span["is_gold"] is True and span["note"] == "Signed in Paris."
    assert [(link["source"], link["url"], link["relation"]) for link in span["source_links"]] == [
        ("reuters", "https://www.reuters.com/x", "attributed"),
        ("reuters", None, "supports"),
    ]


def test_only_reviewers_may_write_gold_through_the_services(article, work, alice):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        gold_accept(reviewer=alice, annotation_id=work["bob"].pk)
    with pytest.raises(PermissionDenied):
        gold_reject(reviewer=alice, annotation_id=work["bob"].pk)
    with pytest.raises(PermissionDenied):
        gold_add(reviewer=alice, article=article, start=0, end=5, label="claim")
    assert not Annotation.objects.filter(is_gold=True).exists() and not ReviewDecision.objects.exists()


def test_the_page_makes_the_same_number_of_queries_however_many_spans(client, article, work, rita, mark, carol):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(rita)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/review/articles/{article.pk}/").status_code == 200
        return len(queries)

    gold_accept(reviewer=rita, annotation_id=work["alice"].pk)
    before = count()
    for start in range(0, 60, 6):
        mark(article, carol, start, start + 4, source_links=[{"source": "reuters"}])
    gold_accept(reviewer=rita, annotation_id=work["bob_price"].pk)
    assert count() == before


def test_malformed_requests_answer_4xx_not_500(article, work, rita):
    client = api_client(rita)
    huge = 10**30
    assert client.post(f"/api/review/annotations/{huge}/accept/", {}, format="json").status_code == 404
    assert client.get(f"/api/review/articles/{huge}/").status_code == 404
    url = f"/api/review/articles/{article.pk}/gold/"
    assert client.post(url, [], format="json").status_code == 400
    assert client.post(url, "{not json", content_type="application/json").status_code == 400
    for body in (
        {"start": -1, "end": 5, "label": "claim"},
        {"start": 0, "end": huge, "label": "claim"},
        {"start": "0", "end": 5.5, "label": "claim"},
        {"start": 0, "end": 5, "label": "claim", "checkworthy": "perhaps"},
        {"start": 0, "end": 5, "label": "claim", "note": "x" * 10_001},
        {"start": 0, "end": 5, "label": "claim", "source_links": [{"source": "reuters", "url": "javascript:alert(1)"}]},
    ):
        response = client.post(url, body, format="json")
        assert response.status_code == 400, (body, response.content)
    assert not Annotation.objects.filter(is_gold=True).exists()

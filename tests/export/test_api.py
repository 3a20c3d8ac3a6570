"""GET /api/export/: streaming, headers, who sees what, and the same bytes as the command."""

import re

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import api_client
from tests.export.conftest import records, run_export

pytestmark = pytest.mark.django_db

URL = "/api/export/"


def get(client: APIClient, **params):
    return client.get(URL, params)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_it_streams_ndjson_as_an_attachment(corpus, rita):
    response = get(api_client(rita), format="jsonl")
    assert response.status_code == 200
    assert response.streaming is True
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    today = timezone.now().date().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="factcheck-jsonl-{today}.jsonl"'
    assert len(records(body(response))) == 3


@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "spans", "w3c"])
def test_the_format_parameter_picks_the_export_format(corpus, rita, fmt):
    # DRF reads ?format= as a renderer name and would answer 404 for "jsonl".
    response = get(api_client(rita), format=fmt)
    assert response.status_code == 200
    assert f"factcheck-{fmt}-" in response["Content-Disposition"]
    first = records(body(response))[0]
    expected_keys = {
        "jsonl": "annotations",
        "doccano": "label",
        "spans": "annotation_id",
        "w3c": "@context",
    }
    assert expected_keys[fmt] in first


def test_it_exports_jsonl_when_no_format_is_given(corpus, rita):
    assert "annotations" in records(body(get(api_client(rita))))[0]


@pytest.mark.parametrize(
    "params",
    [
        {"format": "jsonl"},
        {"format": "doccano"},
        {"format": "spans", "layer": "all", "anonymize": "1"},
        {"format": "w3c", "label": "claim"},
        {"format": "jsonl", "language": "fr", "since": "2025-11-22T00:00:00Z", "metadata": "1"},
    ],
)
def test_a_reviewer_gets_the_same_bytes_as_the_command(corpus, rita, tmp_path, params):
    args = []
    for name, value in params.items():
        if name == "anonymize":
            args.append("--anonymize")
        elif name == "metadata":
            args.append("--metadata")
        else:
            args += [f"--{name}", value]
    assert body(get(api_client(rita), **params)) == run_export(tmp_path, *args)


def test_staff_export_everyones_spans(corpus, sam, tmp_path):
    assert body(get(api_client(sam), layer="all")) == run_export(tmp_path, "--layer", "all")


def span_owners(data: bytes) -> dict[int, str]:
    return {span["id"]: span["annotator"] for record in records(data) for span in record["annotations"]}


def test_an_annotator_exports_only_their_own_spans(corpus, alice):
    c = corpus
    data = body(get(api_client(alice), layer="all"))
    assert span_owners(data) == {c.attribution.pk: "alice", c.cafe.pk: "alice"}
    assert [r["external_id"] for r in records(data)] == ["test-article", "ar-001", "id-001"]


def test_an_annotator_cannot_reach_someone_elses_spans_through_a_filter(corpus, alice):
    data = body(get(api_client(alice), annotator="bob", format="spans"))
    assert data == b""
    assert span_owners(body(get(api_client(alice), annotator="bob"))) == {}


def test_token_authentication_works_and_sees_the_tokens_owner_spans(corpus, bob):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=bob).key}")
    c = corpus
    assert span_owners(body(get(client))) == {c.accord.pk: "bob", c.investment.pk: "bob"}


def test_a_session_with_csrf_checks_can_export(corpus, rita):
    response = get(api_client(rita, csrf=True), format="doccano")
    assert response.status_code == 200
    assert len(records(body(response))) == 3


def test_anonymous_callers_are_refused(corpus):
    response = get(APIClient(), format="jsonl")
    assert response.status_code in (401, 403)
    assert not response.streaming
    assert b"Reuters" not in response.content


def test_bad_parameters_get_a_400_with_a_message_per_field(corpus, rita):
    response = get(
        api_client(rita),
        format="xml",
        since="last tuesday",
        article="1,two",
        layer="draft",
        anonymize="maybe",
        label="rumour",
        annotator="nobody",
        language="français",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()
    assert set(errors) == {"format", "since", "article", "layer", "anonymize", "label", "annotator", "language"}
    assert all(isinstance(messages, list) and len(messages) == 1 for messages in errors.values())
    assert "jsonl, doccano, spans, w3c" in errors["format"][0]


def test_since_and_include_empty_cannot_be_combined(corpus, rita):
    response = get(api_client(rita), since="2025-11-22", include_empty="1")
    assert response.status_code == 400
    assert list(response.json()) == ["include_empty"]


def test_metadata_is_only_for_jsonl(corpus, rita):
    response = get(api_client(rita), format="w3c", metadata="1")
    assert response.status_code == 400
    assert list(response.json()) == ["metadata"]


def test_it_adds_article_metadata_to_every_record_only_when_asked(corpus, rita):
    corpus.arabic.metadata = {"seed_file": "ar-001.txt"}
    corpus.arabic.save()
    plain = records(body(get(api_client(rita))))
    assert all("metadata" not in record for record in plain)
    with_metadata = records(body(get(api_client(rita), metadata="1")))
    assert [r["metadata"] for r in with_metadata] == [{}, {"seed_file": "ar-001.txt"}, {}]
    assert list(with_metadata[0])[-3:] == ["metadata", "annotations", "relations"]


def test_the_export_is_in_the_openapi_schema(rita):
    response = api_client(rita).get("/api/schema/")
    assert response.status_code == 200
    assert re.search(rb"/api/export/", response.content)

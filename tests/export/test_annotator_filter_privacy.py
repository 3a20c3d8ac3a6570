"""``/api/export/?annotator=``: someone who may not see other annotators' spans cannot tell a
real username from an unknown one; reviewers, who see everyone, still hear about a typo."""

import pytest

from annotations.services import annotation_create
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def spans(article, alice, bob):
    annotation_create(article=article, annotator=alice, start=0, end=5, label="claim")
    annotation_create(article=article, annotator=bob, start=6, end=13, label="claim")


def _export(user, annotator: str):
    response = api_client(user).get(f"/api/export/?format=jsonl&annotator={annotator}")
    return response.status_code, b"".join(response.streaming_content) if response.streaming else response.content


def test_an_annotator_gets_the_same_answer_for_a_real_and_an_unknown_username(spans, alice):
    real = _export(alice, "bob")
    unknown = _export(alice, "nosuchuser")
    assert real[0] == 200
    assert unknown == real
    assert b'"annotations":[]' in real[1]  # bob's span stays invisible to alice either way


def test_an_annotator_filtering_on_themselves_gets_their_spans(spans, alice):
    status, body = _export(alice, "alice")
    assert status == 200
    assert b'"annotator":"alice"' in body and b'"annotator":"bob"' not in body


def test_a_reviewer_is_told_about_an_unknown_annotator(spans, rita):
    status, body = _export(rita, "nosuchuser")
    assert status == 400
    assert b"Unknown annotator" in body
    assert _export(rita, "bob")[0] == 200

"""A non-member meets 404 for a project and everything in it: every endpoint and page is
probed as two outsiders of `health` (alice annotates `seed`; sid manages `seed`, so the
review endpoints' role checks would let him through if the project did not stop him)."""

import pytest
from django.contrib.auth.models import User

from annotations.models import Annotation, Label, Role
from annotations.projects.services import membership_set
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

# (method, url template, body); {article}, {span} and {label} are health's.
PROBES = [
    ("get", "/api/projects/health/", None),
    ("patch", "/api/projects/health/", {"name": "Mine"}),
    ("get", "/api/projects/health/members/", None),
    ("post", "/api/projects/health/members/", {"username": "alice", "role": "manager"}),
    ("delete", "/api/projects/health/members/hana/", None),
    ("get", "/api/articles/{article}/", None),
    ("get", "/api/articles/?project=health", None),
    ("get", "/api/annotations/?project=health", None),
    ("get", "/api/annotations/{span}/", None),
    ("patch", "/api/annotations/{span}/", {"note": "mine"}),
    ("put", "/api/annotations/{span}/", {"article": 0, "start": 0, "end": 5, "label": "claim"}),
    ("delete", "/api/annotations/{span}/", None),
    ("post", "/api/annotations/{span}/restore/", None),
    ("get", "/api/articles/{article}/suggestions/", None),
    ("post", "/api/articles/{article}/suggestions/abc123/dismiss/", None),
    ("get", "/api/labels/?project=health", None),
    ("get", "/api/claim-types/?project=health", None),
    ("get", "/api/verdicts/?project=health", None),
    ("get", "/api/labels/{label}/", None),
    ("patch", "/api/labels/{label}/", {"name": "Mine"}),
    ("get", "/api/labels/claim/?project=health", None),
    ("get", "/api/export/?project=health", None),
    ("get", "/api/agreement/?project=health", None),
    ("get", "/api/review/articles/{article}/", None),
    ("post", "/api/review/articles/{article}/gold/", {"start": 0, "end": 5, "label": "claim"}),
    ("post", "/api/review/annotations/{span}/accept/", None),
    ("post", "/api/review/annotations/{span}/reject/", None),
    ("get", "/articles/{article}/", None),
    ("post", "/articles/{article}/done/", None),
    ("get", "/review/?project=health", None),
    ("get", "/review/agreement/?project=health", None),
    ("get", "/review/articles/{article}/", None),
    ("get", "/projects/health/", None),
    ("get", "/projects/health/?q=Vaccins", None),
    ("get", "/projects/health/guidelines/", None),
    ("get", "/projects/health/settings/", None),
    ("post", "/projects/health/settings/", {"action": "set-member", "username": "alice", "role": "manager"}),
]


@pytest.fixture
def sid(seed_project, vocabulary) -> User:
    user = User.objects.create_user("sid", "sid@example.org", "sid-password")
    membership_set(project=seed_project, user=user, role=Role.MANAGER)
    return user


@pytest.mark.parametrize("outsider", ["alice", "sid"])
@pytest.mark.parametrize("method, template, body", PROBES, ids=[f"{m} {t}" for m, t, _ in PROBES])
def test_an_outsider_gets_404_and_changes_nothing(
    request, health, health_article, health_span, outsider, method, template, body
):
    user = request.getfixturevalue(outsider)
    label = Label.objects.get(project=health, slug="claim")
    url = template.format(article=health_article.pk, span=health_span.pk, label=label.pk)
    before = Annotation.all_objects.get(pk=health_span.pk)
    client = api_client()
    client.force_login(user)  # a session: the pages read it, the API too
    response = getattr(client, method)(url, body, format="json")
    assert response.status_code == 404, (url, response.status_code, response.content[:200])
    after = Annotation.all_objects.get(pk=health_span.pk)
    assert (after.version, after.deleted_at, after.note, after.is_gold) == (
        before.version,
        before.deleted_at,
        before.note,
        before.is_gold,
    )
    assert not Annotation.all_objects.filter(is_gold=True).exists()
    assert Label.objects.get(pk=label.pk).name == "Claim"


@pytest.mark.parametrize("outsider", ["alice", "sid"])
def test_an_outsider_s_lists_and_export_hold_nothing_of_the_project(
    request, health, health_article, health_span, outsider
):
    client = api_client(request.getfixturevalue(outsider))
    for path in ("/api/articles/", "/api/annotations/", "/api/labels/", "/api/projects/"):
        body = client.get(path).content.decode()
        assert "health" not in body and "Vaccins" not in body, path
    export = b"".join(client.get("/api/export/?format=jsonl").streaming_content).decode()
    assert "vaccins-001" not in export and "health" not in export
    if outsider == "sid":  # a reviewer of seed: agreement over what he reviews, none of health
        agreement = client.get("/api/agreement/")
        assert agreement.status_code == 200 and "hana" not in agreement.content.decode()


@pytest.mark.parametrize("outsider", ["alice", "sid"])
def test_writing_into_another_project_s_article_is_refused_as_for_a_missing_one(request, health_article, outsider):
    client = api_client(request.getfixturevalue(outsider))
    span = {"start": 0, "end": 5, "label": "claim"}
    theirs = client.post("/api/annotations/", {"article": health_article.pk, **span}, format="json")
    missing = client.post("/api/annotations/", {"article": 987654, **span}, format="json")
    assert theirs.status_code == missing.status_code == 400
    assert theirs.json()["article"][0].replace(str(health_article.pk), "N") == missing.json()["article"][0].replace(
        "987654", "N"
    )
    label = {"slug": "mine", "name": "Mine"}
    in_theirs = client.post("/api/labels/", {"project": "health", **label}, format="json")
    in_none = client.post("/api/labels/", {"project": "nowhere", **label}, format="json")
    assert in_theirs.status_code == in_none.status_code == 400 and in_theirs.json() == in_none.json()
    assert not Annotation.all_objects.filter(article=health_article).exclude(annotator__username="hana").exists()

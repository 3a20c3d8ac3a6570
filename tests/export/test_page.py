"""The export page /projects/{slug}/export/: a form that is a GET to /api/export/."""

import re

import pytest
from django.test import Client

from annotations.models import Membership, Role
from annotations.projects.services import membership_set, project_create
from tests.export.conftest import records

pytestmark = pytest.mark.django_db


@pytest.fixture
def mona(vocabulary):
    from django.contrib.auth.models import User

    return User.objects.create_user("mona", "mona@example.org", "mona-password")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select id="export-{name}" name="{name}">(.*?)</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)"', select.group(1))


def test_it_asks_for_a_login(seed_project):
    response = Client().get("/projects/seed/export/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_non_member_meets_the_same_404_as_for_a_missing_project(alice, mona):
    project_create(slug="health", name="Health", languages=["fr"], creator=mona)
    assert signed_in(alice).get("/projects/health/export/").status_code == 404
    assert signed_in(alice).get("/projects/nowhere/export/").status_code == 404


def test_the_form_is_a_get_to_the_export_api_with_the_projects_choices(corpus, rita):
    response = signed_in(rita).get("/projects/seed/export/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<form method="get" action="/api/export/"', html)
    assert '<input type="hidden" name="project" value="seed">' in html
    assert options(html, "format") == ["jsonl", "doccano", "spans", "w3c", "claims", "claimreview", "averitec"]
    assert options(html, "layer") == ["annotations", "gold", "all"]
    assert options(html, "language") == ["", "ar", "fr", "id"]
    assert "attribution" in options(html, "label") and "claim" in options(html, "label")
    # A reviewer may pick any member; rita reviews through the group, alice and bob are members.
    assert options(html, "annotator") == ["", "alice", "bob"]
    assert 'name="anonymize" value="1"' in html and 'name="include_empty" value="0"' in html
    assert 'name="since"' in html


def test_an_annotator_may_pick_only_themselves(corpus, alice):
    html = signed_in(alice).get("/projects/seed/export/").content.decode()
    assert options(html, "annotator") == ["", "alice"]


def test_what_the_form_submits_is_what_the_api_exports(corpus, alice):
    # The browser sends every field, the empty ones as empty values.
    client = signed_in(alice)
    query = {"project": "seed", "format": "jsonl", "language": "fr", "annotator": "", "label": "", "since": ""}
    response = client.get("/api/export/", {**query, "layer": "annotations"})
    assert response.status_code == 200
    exported = records(b"".join(response.streaming_content))
    assert [record["language"] for record in exported] == ["fr"]
    assert {span["annotator"] for span in exported[0]["annotations"]} == {"alice"}


def test_the_header_links_to_the_export_page(corpus, alice):
    html = signed_in(alice).get("/articles/").content.decode()
    assert '<a href="/export/">Export</a>' in html
    export_page = signed_in(alice).get("/projects/seed/export/").content.decode()
    assert '<a href="/projects/seed/export/">Export</a>' in export_page


def test_the_header_link_leads_to_the_seed_project_first_else_the_first_project_seen(alice, mona):
    assert signed_in(alice).get("/export/")["Location"] == "/projects/seed/export/"
    health = project_create(slug="health", name="Health", languages=["fr"], creator=mona)
    Membership.objects.filter(project__slug="seed").delete()
    membership_set(project=health, user=alice, role=Role.ANNOTATOR)
    assert signed_in(alice).get("/export/")["Location"] == "/projects/health/export/"
    Membership.objects.filter(user=alice).delete()
    assert signed_in(alice).get("/export/").status_code == 404


@pytest.mark.parametrize("members", [2, 12])
def test_the_page_reads_a_fixed_number_of_queries_however_many_members(
    corpus, rita, members, django_assert_num_queries
):
    from django.contrib.auth.models import User

    seed = corpus.french.project
    for n in range(members):
        membership_set(project=seed, user=User.objects.create_user(f"member{n}"), role=Role.ANNOTATOR)
    client = signed_in(rita)
    # session, user, groups (reviewer), project, memberships' roles, article languages,
    # labels, members
    with django_assert_num_queries(8):
        assert client.get("/projects/seed/export/").status_code == 200

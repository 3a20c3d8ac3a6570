"""/api/projects/, members, and managers editing a project's vocabulary."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.models import Label, Membership, Project, Role
from annotations.projects.services import membership_set, project_create
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def test_it_lists_only_my_projects_with_my_role(health, hana, alice, mona):
    rows = api_client(hana).get("/api/projects/").json()["results"]
    assert [(row["slug"], row["role"]) for row in rows] == [("health", "annotator")]
    assert [row["slug"] for row in api_client(alice).get("/api/projects/").json()["results"]] == ["seed"]
    assert api_client(mona).get("/api/projects/health/").json()["role"] == "manager"


def test_a_non_member_gets_404_for_the_project_and_its_members(health, alice):
    client = api_client(alice)
    assert client.get("/api/projects/health/").status_code == 404
    assert client.get("/api/projects/health/members/").status_code == 404
    assert client.patch("/api/projects/health/", {"name": "x"}, format="json").status_code == 404
    assert client.post("/api/projects/health/members/", {"username": "alice", "role": "manager"}).status_code == 404
    assert client.delete("/api/projects/health/members/hana/").status_code == 404
    assert client.get("/api/projects/nowhere/").status_code == 404


def test_a_manager_starts_a_project_with_the_default_vocabulary(health, mona):
    client = api_client(mona, csrf=True)
    client.get("/projects/")  # a CSRF cookie, as the browser has (the page has a form)
    created = client.post(
        "/api/projects/",
        {"slug": "election", "name": "Élection 2026", "languages": ["id", "en"], "annotators_per_article": 2},
        format="json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert created.status_code == 201, created.json()
    assert created.json()["role"] == "manager" and created["Location"] == "/api/projects/election/"
    labels = api_client(mona).get("/api/labels/?project=election").json()["results"]
    assert [row["slug"] for row in labels] == ["claim", "attribution"]
    assert {row["project"] for row in labels} == {"election"}


def test_an_annotator_cannot_start_a_project(alice):
    response = api_client(alice).post("/api/projects/", {"slug": "mine", "name": "Mine"}, format="json")
    assert response.status_code == 403
    assert not Project.objects.filter(slug="mine").exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"slug": "health", "name": "Taken"}, "slug"),
        ({"slug": "Not a slug!", "name": "x"}, "slug"),
        ({"slug": "ok", "name": "x", "languages": ["fr", "fr"]}, "languages"),
        ({"slug": "ok", "name": "x", "languages": "fr"}, "languages"),
        ({"slug": "ok", "name": "x", "annotators_per_article": 0}, "annotators_per_article"),
        ({"slug": "ok", "name": "x", "allow_overlap": "yes"}, "allow_overlap"),
        ({"slug": "ok", "name": "x", "owner": "me"}, "owner"),
        ({"slug": "ok"}, "name"),
    ],
)
def test_it_rejects_a_bad_project_with_the_field_named(health, mona, body, field):
    response = api_client(mona).post("/api/projects/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Project.objects.count() == 2


def test_a_manager_changes_settings_and_guidelines(health, mona):
    response = api_client(mona).patch(
        "/api/projects/health/",
        {"guidelines": "# Règles\n\nSurlignez **la phrase**.", "allow_overlap": False, "languages": ["fr", "ar"]},
        format="json",
    )
    assert response.status_code == 200
    health.refresh_from_db()
    assert (health.allow_overlap, health.languages) == (False, ["fr", "ar"])
    assert health.guidelines.startswith("# Règles")


def test_only_managers_change_a_project_and_its_slug_is_permanent(health, hana, mona):
    assert api_client(hana).patch("/api/projects/health/", {"name": "x"}, format="json").status_code == 403
    moved = api_client(mona).patch("/api/projects/health/", {"slug": "other"}, format="json")
    assert moved.status_code == 400 and "slug" in moved.json()
    assert Project.objects.get(pk=health.pk).name == "Health misinformation"


def test_managers_add_change_and_remove_members(health, mona, alice):
    client = api_client(mona)
    added = client.post("/api/projects/health/members/", {"username": "alice", "role": "annotator"}, format="json")
    assert added.status_code == 201 and added.json()["role"] == "annotator"
    again = client.post("/api/projects/health/members/", {"username": "alice", "role": "annotator"}, format="json")
    assert again.status_code == 200
    changed = client.post("/api/projects/health/members/", {"username": "alice", "role": "reviewer"}, format="json")
    assert changed.json()["role"] == "reviewer"
    members = client.get("/api/projects/health/members/").json()["results"]
    assert [(m["username"], m["role"]) for m in members] == [
        ("alice", "reviewer"),
        ("hana", "annotator"),
        ("mona", "manager"),
        ("rhea", "reviewer"),
    ]
    assert client.delete("/api/projects/health/members/alice/").status_code == 204
    assert client.delete("/api/projects/health/members/alice/").status_code == 404
    assert not Membership.objects.filter(project=health, user=alice).exists()


def test_member_changes_are_refused_with_the_field_named(health, mona, hana):
    client = api_client(mona)
    unknown = client.post("/api/projects/health/members/", {"username": "nobody", "role": "annotator"}, format="json")
    assert unknown.status_code == 400 and "username" in unknown.json()
    bad_role = client.post("/api/projects/health/members/", {"username": "hana", "role": "owner"}, format="json")
    assert bad_role.status_code == 400 and "role" in bad_role.json()
    last = client.delete("/api/projects/health/members/mona/")
    assert last.status_code == 409 and "last manager" in last.json()["detail"]
    assert (
        api_client(hana)
        .post("/api/projects/health/members/", {"username": "hana", "role": "manager"}, format="json")
        .status_code
        == 403
    )
    assert Membership.objects.get(project=health, user=hana).role == Role.ANNOTATOR


def test_a_manager_edits_the_vocabulary_of_their_project_only(health, mona, seed_project):
    client = api_client(mona)
    created = client.post(
        "/api/labels/",
        {"project": "health", "slug": "dosage", "name": "Dosage", "color": "#a5d6a7", "shortcut": "d"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    label = created.json()
    assert (label["project"], label["order"]) == ("health", 3)
    renamed = client.patch(f"/api/labels/{label['id']}/", {"name": "Dose", "color": "#123456"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Dose"
    elsewhere = client.post("/api/labels/", {"project": "seed", "slug": "x", "name": "X"}, format="json")
    assert elsewhere.status_code == 400 and "project" in elsewhere.json()
    seed_label = Label.objects.get(project=seed_project, slug="claim")
    assert client.patch(f"/api/labels/{seed_label.pk}/", {"name": "Mine"}, format="json").status_code == 404
    for path, body in (
        ("/api/claim-types/", {"project": "health", "slug": "dose", "name": "Dose"}),
        ("/api/verdicts/", {"project": "health", "slug": "misleading", "name": "Misleading"}),
    ):
        assert client.post(path, body, format="json").status_code == 201


@pytest.mark.parametrize(
    "body, field",
    [
        ({"slug": "claim", "name": "Again"}, "slug"),
        ({"slug": "key", "name": "Key", "shortcut": "c"}, "shortcut"),
        ({"slug": "pink", "name": "Pink", "color": "pink"}, "color"),
        ({"slug": "long", "name": "Long", "shortcut": "ab"}, "shortcut"),
    ],
)
def test_it_rejects_a_bad_label_with_the_field_named(health, mona, body, field):
    response = api_client(mona).post("/api/labels/", {"project": "health", **body}, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert Label.objects.filter(project=health).count() == 2


def test_an_annotation_s_label_is_looked_up_in_its_article_s_project(health, health_article, article, mona, hana):
    api_client(mona).post("/api/labels/", {"project": "health", "slug": "dosage", "name": "Dosage"}, format="json")
    client = api_client(hana)
    ok = client.post("/api/annotations/", {"article": health_article.pk, "start": 0, "end": 5, "label": "dosage"})
    assert ok.status_code == 201 and ok.json()["label"] == "dosage"
    membership_set(project=article.project, user=hana, role=Role.ANNOTATOR)
    wrong = client.post("/api/annotations/", {"article": article.pk, "start": 0, "end": 5, "label": "dosage"})
    assert wrong.status_code == 400 and "label" in wrong.json()


def test_a_retired_label_keeps_its_spans_but_takes_no_new_ones(health, health_span, mona, hana):
    label = Label.objects.get(project=health, slug="claim")
    assert api_client(mona).patch(f"/api/labels/{label.pk}/", {"retired": True}, format="json").status_code == 200
    client = api_client(hana)
    span = client.get(f"/api/annotations/{health_span.pk}/").json()
    assert span["label"] == "claim"
    kept = client.put(f"/api/annotations/{health_span.pk}/", {**span, "note": "still a claim"}, format="json")
    assert kept.status_code == 200 and kept.json()["label"] == "claim"
    new = client.post("/api/annotations/", {"article": health_span.article_id, "start": 0, "end": 5, "label": "claim"})
    assert new.status_code == 400 and "retired" in new.json()["label"][0]


def test_project_filters_answer_404_for_a_project_i_cannot_see(health, health_span, seed_span, alice, hana):
    client = api_client(alice)
    for path in ("/api/articles/", "/api/annotations/", "/api/labels/", "/api/claim-types/", "/api/verdicts/"):
        assert client.get(f"{path}?project=health").status_code == 404, path
        assert client.get(f"{path}?project=seed").status_code == 200, path
    mine = api_client(hana).get("/api/annotations/?project=health").json()["results"]
    assert [row["id"] for row in mine] == [health_span.pk]
    articles = api_client(hana).get("/api/articles/?project=health").json()["results"]
    assert [row["project"] for row in articles] == ["health"]


def test_add_member_adds_and_is_idempotent(health, alice, capsys):
    call_command("add_member", "health", "alice", "reviewer")
    call_command("add_member", "health", "alice", "reviewer")
    assert Membership.objects.get(project=health, user=alice).role == "reviewer"
    assert capsys.readouterr().out.splitlines() == [
        "alice is a reviewer of health (added).",
        "alice is a reviewer of health (unchanged).",
    ]
    with pytest.raises(CommandError, match="Unknown project 'nowhere'"):
        call_command("add_member", "nowhere", "alice", "reviewer")
    with pytest.raises(CommandError, match="Unknown user 'nobody'"):
        call_command("add_member", "health", "nobody", "reviewer")


def test_the_local_login_manages_the_seed_project(seed_project, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    call_command("local_login", "--username", "ana")
    ana = User.objects.get(username="ana")
    assert Membership.objects.get(project=seed_project, user=ana).role == Role.MANAGER


@pytest.mark.parametrize("projects", [1, 8])
def test_the_project_list_runs_the_same_queries_whatever_the_number_of_projects(
    vocabulary, mona, django_assert_num_queries, projects
):
    for n in range(projects):
        project = project_create(slug=f"p{n}", name=f"P{n}", creator=mona)
        for m in range(3):
            membership_set(project=project, user=User.objects.get_or_create(username=f"u{n}-{m}")[0], role="annotator")
    client = api_client(mona)
    # 1. COUNT  2. the page of projects  3. mona's roles and 4. her groups (once, for every row)
    with django_assert_num_queries(4):
        response = client.get("/api/projects/")
    assert response.json()["count"] == projects

"""Projects, memberships and per-project vocabulary, as stored."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from annotations.models import (
    SEED_PROJECT,
    Article,
    ClaimType,
    Label,
    Membership,
    Project,
    Role,
    Verdict,
    has_project_role,
    project_role,
)
from annotations.projects.services import membership_remove, membership_set, project_create, project_update
from annotations.vocabulary import DEFAULT_CLAIM_TYPES, DEFAULT_LABELS, DEFAULT_VERDICTS
from tests.conftest import SEED_FIXTURES

pytestmark = pytest.mark.django_db


def test_a_new_project_starts_with_a_copy_of_the_default_vocabulary(health):
    assert list(Label.objects.filter(project=health).values_list("slug", flat=True)) == [
        row["slug"] for row in DEFAULT_LABELS
    ]
    assert ClaimType.objects.filter(project=health).count() == len(DEFAULT_CLAIM_TYPES)
    assert Verdict.objects.filter(project=health).count() == len(DEFAULT_VERDICTS)
    # A copy: the seed project's rows are untouched and distinct.
    assert not Label.objects.filter(project=health).filter(pk__in=Label.objects.filter(project__slug="seed")).exists()


def test_its_creator_becomes_its_manager(health, mona):
    assert Membership.objects.get(project=health, user=mona).role == Role.MANAGER


def test_the_project_defaults_are_those_of_the_contract(vocabulary):
    project = project_create(slug="defaults", name="Defaults")
    assert (project.allow_overlap, project.annotators_per_article, project.suggestions) == (True, 1, True)
    assert project.languages == []


def test_it_rejects_a_taken_slug_and_bad_languages(health):
    with pytest.raises(ValidationError) as taken:
        project_create(slug="health", name="Again")
    assert "slug" in taken.value.message_dict
    with pytest.raises(ValidationError) as languages:
        project_create(slug="bad", name="Bad", languages=["fr", "not a tag"])
    assert "languages" in languages.value.message_dict
    assert not Project.objects.filter(slug="bad").exists()


def test_a_label_slug_is_unique_within_its_project_only(health, seed_project):
    assert Label.objects.filter(slug="claim").count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Label.objects.create(project=health, slug="claim", name="Again")


def test_an_external_id_is_unique_within_its_project_only(article, health):
    Article.objects.create(project=health, external_id=article.external_id, title="t", text="x", language="fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(project=article.project, external_id=article.external_id, title="t", text="x")


def test_articles_created_without_a_project_land_in_seed(article):
    assert article.project.slug == SEED_PROJECT


def test_the_seed_fixtures_load_into_the_seed_project(seeds):
    assert set(Article.objects.values_list("project__slug", flat=True)) == {SEED_PROJECT}
    assert Article.objects.count() == 5
    assert set(Label.objects.values_list("project__slug", flat=True)) == {SEED_PROJECT}
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)  # twice: natural keys find the rows
    assert Article.objects.count() == 5


def test_roles_rank_and_the_reviewer_group_reviews_every_project(health, hana, rhea, mona, rita, sam, alice):
    assert project_role(hana, health) == Role.ANNOTATOR
    assert project_role(rhea, health) == Role.REVIEWER
    assert project_role(mona, health) == Role.MANAGER
    assert project_role(alice, health) is None
    assert project_role(rita, health) == Role.REVIEWER  # the first round's reviewer group
    assert project_role(sam, health) == Role.MANAGER  # staff
    assert has_project_role(mona, health, Role.REVIEWER)
    assert not has_project_role(hana, health, Role.REVIEWER)


def test_membership_set_is_idempotent_and_changes_a_role(health, hana):
    assert membership_set(project=health, user=hana, role=Role.ANNOTATOR) == (
        Membership.objects.get(project=health, user=hana),
        "unchanged",
    )
    membership, outcome = membership_set(project=health, user=hana, role=Role.REVIEWER)
    assert outcome == "changed" and membership.role == Role.REVIEWER
    assert Membership.objects.filter(project=health, user=hana).count() == 1


def test_it_refuses_to_leave_a_project_without_a_manager(health, mona):
    from annotations.projects.services import LastManager

    with pytest.raises(LastManager):
        membership_remove(project=health, user=mona)
    with pytest.raises(LastManager):
        membership_set(project=health, user=mona, role=Role.ANNOTATOR)
    assert Membership.objects.get(project=health, user=mona).role == Role.MANAGER


def test_projects_and_memberships_keep_their_history(health, hana):
    project_update(project=health, changes={"name": "Health"})
    membership_set(project=health, user=hana, role=Role.REVIEWER)
    membership_remove(project=health, user=hana)
    assert [h.name for h in Project.history.filter(id=health.pk).order_by("history_id")] == [
        "Health misinformation",
        "Health",
    ]
    kinds = list(
        Membership.history.filter(project_id=health.pk, user_id=hana.pk)
        .order_by("history_id")
        .values_list("history_type", "role")
    )
    assert kinds == [("+", "annotator"), ("~", "reviewer"), ("-", "reviewer")]


def test_the_admin_writes_projects_and_members_through_the_services(client, health, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "root-password")
    client.force_login(root)
    created = client.post(
        "/admin/annotations/project/add/",
        {"slug": "viaadmin", "name": "Via the admin", "languages": "[]", "annotators_per_article": "1",
         "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert created.status_code == 302, created.content.decode()[:500]
    project = Project.objects.get(slug="viaadmin")
    assert Label.objects.filter(project=project).count() == 2  # the default vocabulary, as project_create gives
    assert Membership.objects.get(project=project, user=root).role == Role.MANAGER
    mona = Membership.objects.get(project=health, role=Role.MANAGER)
    client.post(f"/admin/annotations/membership/{mona.pk}/delete/", {"post": "yes"})
    assert Membership.objects.filter(pk=mona.pk).exists()  # the last manager stays


def test_it_refuses_guidelines_and_descriptions_past_their_limits(health):
    with pytest.raises(ValidationError) as refused:
        project_update(project=health, changes={"guidelines": "x" * 100_001, "description": "y" * 5001})
    assert set(refused.value.message_dict) == {"guidelines", "description"}
    assert Project.objects.get(pk=health.pk).guidelines == ""

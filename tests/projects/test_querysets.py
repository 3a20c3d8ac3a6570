"""Isolation in one place: the queryset methods say which projects, articles and spans a
user may see; everything else builds on them."""

import pytest

from annotations.models import Annotation, Article, Project

pytestmark = pytest.mark.django_db


def test_an_annotator_sees_only_the_projects_they_belong_to(health, hana, alice, seed_project):
    assert list(Project.objects.visible_to(hana)) == [health]
    assert list(Project.objects.visible_to(alice)) == [seed_project]


def test_staff_and_the_reviewer_group_see_every_project(health, seed_project, sam, rita):
    assert set(Project.objects.visible_to(sam)) == {health, seed_project}
    assert set(Project.objects.visible_to(rita)) == {health, seed_project}


def test_articles_of_other_projects_are_invisible(health_article, article, hana, alice):
    assert list(Article.objects.visible_to(hana)) == [health_article]
    assert list(Article.objects.visible_to(alice)) == [article]


def test_an_annotator_reads_and_changes_only_their_own_spans_in_their_projects(
    health_span, seed_span, make_span, hana, alice
):
    hana_seed_span = make_span(seed_span.article, hana)  # written while she was in seed
    assert set(Annotation.objects.visible_to(hana)) == {health_span}
    assert set(Annotation.objects.owned_by(hana)) == {health_span}
    assert hana_seed_span not in Annotation.objects.visible_to(hana)
    assert set(Annotation.objects.visible_to(alice)) == {seed_span}


def test_a_project_reviewer_reads_everyone_s_spans_there_and_nothing_elsewhere(health_span, seed_span, rhea, mona):
    assert set(Annotation.objects.visible_to(rhea)) == {health_span}
    assert set(Annotation.objects.visible_to(mona)) == {health_span}
    assert not Annotation.objects.owned_by(rhea).exists()


def test_the_reviewer_group_reads_every_project_and_changes_only_its_own(health_span, seed_span, rita):
    assert set(Annotation.objects.visible_to(rita)) == {health_span, seed_span}
    assert not Annotation.objects.owned_by(rita).exists()


def test_no_row_is_listed_twice_whatever_the_number_of_members(health, health_span, rhea, vocabulary):
    from django.contrib.auth.models import User

    from annotations.projects.services import membership_set

    for n in range(5):
        membership_set(project=health, user=User.objects.create_user(f"extra{n}"), role="reviewer")
    assert Annotation.objects.visible_to(rhea).count() == 1
    assert Article.objects.visible_to(rhea).count() == 1
    assert Project.objects.visible_to(rhea).count() == 1

"""Upgrading a first-round database: every row moves into the project `seed`, annotators
become its annotators, and the spans keep their labels."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("annotations", "0007_relations_and_dismissals")]
AFTER = [("annotations", "0009_project_required")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_rows_move_into_the_seed_project():
    try:
        _upgrade_a_first_round_database()
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _upgrade_a_first_round_database():
    old = _migrate(BEFORE)
    User = old.get_model("auth", "User")
    Group = old.get_model("auth", "Group")
    Article = old.get_model("annotations", "Article")
    Label = old.get_model("annotations", "Label")
    Annotation = old.get_model("annotations", "Annotation")
    ana = User.objects.create(username="ana")
    ana.groups.add(Group.objects.get_or_create(name="annotator")[0])  # an earlier flush may have dropped it
    User.objects.create(username="visitor")  # in no group: joins nothing
    article = Article.objects.create(external_id="a1", title="t", text="Selon Reuters.", language="fr")
    claim = Label.objects.get_or_create(slug="claim", defaults={"name": "Claim"})[0]
    Annotation.objects.create(article=article, annotator=ana, start=0, end=5, text="Selon", label=claim)
    new = _migrate(AFTER)
    Project = new.get_model("annotations", "Project")
    seed = Project.objects.get(slug="seed")
    assert new.get_model("annotations", "Article").objects.get(pk=article.pk).project_id == seed.pk
    for name in ("Label", "ClaimType", "Verdict"):
        assert not new.get_model("annotations", name).objects.exclude(project=seed).exists()
    memberships = new.get_model("annotations", "Membership").objects.values_list("user__username", "role")
    assert list(memberships) == [("ana", "annotator")]
    span = new.get_model("annotations", "Annotation").objects.get()
    assert (span.label.slug, span.label.project_id) == ("claim", seed.pk)

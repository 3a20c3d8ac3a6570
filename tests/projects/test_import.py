"""The importer writes into one project: an external_id and a label slug are that project's."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.models import Annotation, Article

pytestmark = pytest.mark.django_db


def _file(tmp_path, label="claim"):
    path = tmp_path / "a.jsonl"
    record = {"external_id": "same-id", "text": "Selon l'OMS, 3 cas.", "language": "fr",
              "spans": [{"start": 0, "end": 11, "label": label}]}  # fmt: skip
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_the_same_external_id_in_two_projects_makes_two_articles(health, hana, tmp_path):
    call_command("import_articles", str(_file(tmp_path)), "--annotator", "hana", verbosity=0)
    call_command("import_articles", str(_file(tmp_path)), "--project", "health", "--annotator", "hana", verbosity=0)
    rows = sorted(Article.objects.filter(external_id="same-id").values_list("project__slug", flat=True))
    assert rows == ["health", "seed"]
    labels = Annotation.objects.filter(article__external_id="same-id").values_list(
        "article__project__slug", "label__project__slug"
    )
    assert sorted(labels) == [("health", "health"), ("seed", "seed")]


def test_a_label_only_another_project_has_is_unknown(health, hana, mona, tmp_path):
    from annotations.models import Label
    from annotations.projects.services import vocabulary_create

    vocabulary_create(model=Label, project=health, values={"slug": "dosage", "name": "Dosage"})
    with pytest.raises(CommandError):
        call_command("import_articles", str(_file(tmp_path, "dosage")), "--annotator", "hana", verbosity=0)
    assert not Article.objects.filter(external_id="same-id").exists()
    with pytest.raises(CommandError, match="no project 'nowhere'"):
        call_command("import_articles", str(_file(tmp_path)), "--project", "nowhere", verbosity=0)

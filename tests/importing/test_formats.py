"""Each format as its peer tool writes it: doccano JSONL, Label Studio's JSON export, CSV."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from annotations.importing import detect_format
from annotations.models import Annotation, Article
from tests.importing.helpers import refused, run

DATA = Path(__file__).parent / "data"


def spans() -> list[tuple]:
    return list(
        Annotation.objects.order_by("article__external_id", "start").values_list(
            "article__external_id", "start", "end", "text", "label__slug"
        )
    )


def test_a_doccano_export_brings_its_articles_and_code_point_spans(tmp_path, alice):
    output = run(DATA / "doccano.jsonl", annotator="alice")
    assert "articles: 3 created" in output and "spans: 6 created" in output
    assert spans() == [
        ("doccano-1", 0, 13, "Selon Reuters", "attribution"),
        ("doccano-1", 15, 37, "le café coûte 12 euros", "claim"),
        ("doccano-2", 6, 12, "رويترز", "attribution"),
        ("doccano-2", 18, 44, "الصفقة تبلغ 12 مليار دولار", "claim"),
        ("doccano-3", 0, 11, "Menurut BPS", "attribution"),
        ("doccano-3", 13, 38, "harga beras naik 5 persen", "claim"),
    ]


def test_a_label_studio_export_brings_its_labelled_spans_and_skips_choices(tmp_path, alice):
    output = run(DATA / "label-studio.json", annotator="alice")
    assert "articles: 2 created" in output and "spans: 4 created" in output
    languages = dict(Article.objects.values_list("external_id", "language"))
    # Each task starts on its own line of the pretty-printed array: 2 and the next one's.
    assert set(languages.values()) == {"fr", "ar"}
    assert [s[1:] for s in spans()] == [
        (0, 13, "Selon Reuters", "attribution"),
        (15, 37, "le café coûte 12 euros", "claim"),
        (6, 12, "رويترز", "attribution"),
        (18, 44, "الصفقة تبلغ 12 مليار دولار", "claim"),
    ]
    for annotation in Annotation.objects.select_related("article"):
        assert annotation.article.text[annotation.start : annotation.end] == annotation.text


def test_a_label_studio_task_is_named_by_the_line_it_starts_on(tmp_path, alice):
    tasks = json.loads((DATA / "label-studio.json").read_text(encoding="utf-8"))
    tasks[1]["annotations"][0]["result"][0]["value"]["end"] = 999
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks, indent=2, ensure_ascii=False), encoding="utf-8")
    second_task_line = path.read_text(encoding="utf-8").split("\n").index("  {", 2) + 1
    message = refused(path, annotator="alice")
    assert f"ls.json:{second_task_line}: span [6, 999]: end 999 is past the end" in message
    assert not Article.objects.exists()


def test_broken_json_in_a_label_studio_export_is_reported_by_line(tmp_path, alice):
    path = tmp_path / "ls.json"
    path.write_text('[\n  {"data": {"text": "Un."}},\n  {"data": {"text": "Deux."}\n  oops\n]\n', encoding="utf-8")
    assert "ls.json:4: invalid JSON" in refused(path, annotator="alice")
    path.write_text('{"not": "an array"', encoding="utf-8")
    assert "ls.json:1: invalid JSON" in refused(path, annotator="alice")


def test_a_csv_file_brings_its_columns_and_keeps_the_others_as_metadata(tmp_path, vocabulary):
    output = run(DATA / "articles.csv")
    assert "articles: 3 created" in output
    fr = Article.objects.get(external_id="csv-fr")
    assert (fr.title, fr.language, fr.url, fr.published_at.isoformat()) == (
        "Le café",
        "fr",
        "https://example.org/fr",
        "2025-11-02T09:00:00+00:00",
    )
    assert fr.text == "Selon Reuters, le café coûte 12 euros 🎉 à Paris.\nLe thé coûte 3 euros."
    assert fr.metadata == {"section": "économie"}
    ar = Article.objects.get(external_id="csv-ar")
    assert (ar.language, ar.direction, ar.url) == ("ar", "rtl", None)
    # No external_id: the file's stem and the line the record starts on (a quoted cell spans two lines).
    assert Article.objects.filter(external_id="articles-5", language="id").exists()


def test_a_csv_without_a_text_column_or_with_a_short_row_is_refused_by_line(tmp_path, vocabulary):
    (tmp_path / "no-text.csv").write_text("title,body\nUn,Deux\n", encoding="utf-8")
    assert "no-text.csv:1: the header row has no 'text' column" in refused(tmp_path / "no-text.csv")
    (tmp_path / "short.csv").write_text("text,title\nUn,Titre\nDeux\n", encoding="utf-8")
    assert "short.csv:3: the row has 1 cells; the header has 2." in refused(tmp_path / "short.csv")
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.jsonl", b"{", "jsonl"),
        ("a.ndjson", b"{", "jsonl"),
        ("export.json", b"[\n  {", "label-studio"),
        ("tasks.json", b'\xef\xbb\xbf  {"text": "x"}', "jsonl"),
        ("a.CSV", b"text", "csv"),
        ("page.htm", b"<", "html"),
        ("notes.md", b"#", None),
    ],
)
def test_auto_detects_the_format_from_the_name_and_first_bytes(name, head, expected):
    assert detect_format(name, head) == expected


def test_the_format_option_overrides_the_suffix(tmp_path, alice):
    shutil.copy(DATA / "doccano.jsonl", tmp_path / "doccano.txt")
    run(tmp_path / "doccano.txt", annotator="alice", format="doccano")
    assert Annotation.objects.count() == 6


class _Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_the_command_shows_a_progress_bar_on_a_terminal_only(tmp_path, alice):
    terminal, pipe = _Terminal(), StringIO()
    call_command("import_articles", str(DATA / "doccano.jsonl"), annotator="alice", stdout=StringIO(), stderr=terminal)
    assert "doccano.jsonl: 100%" in terminal.getvalue() and "3/3" in terminal.getvalue()
    call_command("import_articles", str(DATA / "doccano.jsonl"), annotator="alice", stdout=StringIO(), stderr=pipe)
    assert pipe.getvalue() == ""


def test_the_project_option_imports_into_that_project_with_its_vocabulary(tmp_path, alice, sam):
    from annotations.models import Label
    from annotations.projects.services import project_create

    health = project_create(slug="health", name="Health", languages=["fr"], creator=sam)
    Label.objects.filter(project=health, slug="attribution").update(retired=True)
    path = tmp_path / "doccano.jsonl"
    shutil.copy(DATA / "doccano.jsonl", path)
    run(path, annotator="alice")
    message = refused(path, annotator="alice", project="health")
    assert "doccano.jsonl:1: span [0, 13]: label: unknown label 'attribution' in project 'health'" in message
    Label.objects.filter(project=health, slug="attribution").update(retired=False)
    output = run(path, annotator="alice", project="health")
    assert "articles: 3 created" in output  # the same external_ids, another project
    assert Article.objects.filter(project=health).count() == 3
    assert set(Annotation.objects.filter(article__project=health).values_list("label__project", flat=True)) == {
        health.pk
    }
    assert "there is no project 'nope'" in refused(path, annotator="alice", project="nope")

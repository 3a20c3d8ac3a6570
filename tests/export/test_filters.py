"""Export filters, layers and pseudonyms, through the command."""

import hashlib
import hmac

import pytest
from django.conf import settings
from django.core.management import CommandError

from tests.export.conftest import records, run_export

pytestmark = pytest.mark.django_db


def spans_by_article(data: bytes) -> dict[str, list[int]]:
    return {record["external_id"]: [span["id"] for span in record["annotations"]] for record in records(data)}


def test_it_filters_articles_by_language(corpus, tmp_path):
    assert spans_by_article(run_export(tmp_path, "--language", "ar")) == {"ar-001": [corpus.investment.pk]}


def test_it_keeps_only_one_annotators_spans_and_still_lists_the_other_articles(corpus, tmp_path):
    c = corpus
    assert spans_by_article(run_export(tmp_path, "--annotator", "alice")) == {
        "test-article": [c.attribution.pk, c.cafe.pk],
        "ar-001": [],
        "id-001": [],
    }


def test_it_leaves_out_articles_without_selected_spans_when_asked(corpus, tmp_path):
    c = corpus
    assert spans_by_article(run_export(tmp_path, "--annotator", "alice", "--no-empty")) == {
        "test-article": [c.attribution.pk, c.cafe.pk]
    }
    assert spans_by_article(run_export(tmp_path, "--no-empty")) == {
        "test-article": [c.attribution.pk, c.accord.pk, c.cafe.pk],
        "ar-001": [c.investment.pk],
    }


def test_it_filters_spans_by_label(corpus, tmp_path):
    assert spans_by_article(run_export(tmp_path, "--label", "attribution")) == {
        "test-article": [corpus.attribution.pk],
        "ar-001": [],
        "id-001": [],
    }


@pytest.mark.parametrize(
    "since", ["2025-11-22T00:00:00Z", "2025-11-22", "2025-11-22T13:30:00+02:00", "2025-11-22T12:00:00"]
)
def test_it_exports_only_spans_changed_since_and_only_their_articles(corpus, tmp_path, since):
    assert spans_by_article(run_export(tmp_path, "--since", since)) == {"test-article": [corpus.accord.pk]}


def test_it_exports_nothing_since_a_time_after_every_change(corpus, tmp_path):
    assert run_export(tmp_path, "--since", "2025-11-22T12:00:01Z") == b""


def test_it_selects_articles_by_id(corpus, tmp_path):
    c = corpus
    selected = f"{c.indonesian.pk},{c.arabic.pk}"
    assert spans_by_article(run_export(tmp_path, "--article", selected)) == {
        "ar-001": [c.investment.pk],
        "id-001": [],
    }


def test_it_exports_the_gold_layer_alone_or_with_the_annotators_spans(corpus, tmp_path):
    c = corpus
    gold = records(run_export(tmp_path, "--layer", "gold", "--no-empty"))
    assert [(r["external_id"], [(a["id"], a["is_gold"], a["annotator"]) for a in r["annotations"]]) for r in gold] == [
        ("test-article", [(c.gold.pk, True, "rita")])
    ]
    everything = records(run_export(tmp_path, "--layer", "all"))[0]["annotations"]
    assert [(a["id"], a["is_gold"]) for a in everything] == [
        (c.attribution.pk, False),
        (c.accord.pk, False),
        (c.cafe.pk, False),
        (c.gold.pk, True),
    ]


def expected_pseudonym(username: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"factcheck-export-pseudonym\x00" + username.encode(), hashlib.sha256
    ).hexdigest()
    return "annotator-" + digest[:10]


def test_it_replaces_usernames_by_stable_pseudonyms(corpus, tmp_path):
    first = run_export(tmp_path, "--anonymize", "--layer", "all")
    assert run_export(tmp_path, "--anonymize", "--layer", "all") == first
    annotators = {span["annotator"] for record in records(first) for span in record["annotations"]}
    assert annotators == {expected_pseudonym("alice"), expected_pseudonym("bob"), expected_pseudonym("rita")}
    assert len(annotators) == 3
    assert all(name.startswith("annotator-") and len(name) == len("annotator-") + 10 for name in annotators)


@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "spans", "w3c"])
def test_no_username_leaks_from_an_anonymized_export(corpus, tmp_path, fmt):
    plain = run_export(tmp_path, "--format", fmt, "--layer", "all")
    anonymized = run_export(tmp_path, "--format", fmt, "--layer", "all", "--anonymize")
    for username in (b"alice", b"bob", b"rita"):
        if fmt != "doccano":
            assert username in plain  # the check below would prove nothing otherwise
        assert username not in anonymized


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "format: Unknown format 'xml'"),
        (["--layer", "draft"], "layer: Unknown layer 'draft'"),
        (["--since", "yesterday"], "since: since must be an ISO 8601 timestamp"),
        (["--since", "2025-13-45"], "since: since must be an ISO 8601 timestamp"),
        (["--article", "3,x"], "article: article must be article ids"),
        (["--article", "99999999999999999999"], "article: article ids must be below 2\\^63"),
        (["--article", "9" * 5000], "article: article ids must be below 2\\^63"),
        (["--since", "0001-01-01T00:00:00+05:00"], "since: since must be an ISO 8601 timestamp"),
        (["--label", "rumour"], "label: Unknown label 'rumour'"),
        (["--annotator", "nobody"], "annotator: Unknown annotator 'nobody'"),
        (["--chunk-size", "0"], "chunk-size: must be at least 1"),
        (["--language", "fr_FR!"], "language: language must be a BCP 47 language tag"),
        (["--format", "x" * 500], "format: Unknown format 'x{50}…'"),
    ],
)
def test_the_command_names_the_bad_option(corpus, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        run_export(tmp_path, *args)
    assert not (tmp_path / "export.jsonl").exists()


def test_the_command_refuses_a_missing_output_directory(corpus, tmp_path):
    from django.core.management import call_command

    with pytest.raises(CommandError, match="output: directory"):
        call_command("export_corpus", "--output", str(tmp_path / "missing" / "export.jsonl"))


def test_the_command_writes_to_standard_output_without_a_file(corpus, tmp_path, capsysbinary):
    from django.core.management import call_command

    call_command("export_corpus", "--format", "doccano")
    assert capsysbinary.readouterr().out == run_export(tmp_path, "--format", "doccano")

"""import_articles with hostile files: a clean command error naming the file, never a crash."""

import json

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from annotations.models import Annotation, Article
from tests.reliability.fuzz import FUZZ

TEXT = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["\x00", "a\x00b", "\ud800", "<script>alert(1)</script>", "🎉👩🏽‍🔬", "\r\n", "", "Selon Reuters"]),
)
NUMBERS = st.one_of(st.integers(-3, 100), st.sampled_from([2**63, 10**100, -(2**70)]), st.floats(allow_nan=False))
VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), NUMBERS, TEXT),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
SPAN = st.one_of(
    st.lists(st.one_of(NUMBERS, TEXT), max_size=4),  # doccano [start, end, label]
    st.fixed_dictionaries({}, optional={"start": NUMBERS, "end": NUMBERS, "label": TEXT, "text": TEXT}),
    VALUE,
)
RECORD = st.one_of(
    st.fixed_dictionaries(
        {"text": TEXT},
        optional={
            "id": VALUE,
            "external_id": st.one_of(TEXT, VALUE),
            "title": st.one_of(TEXT, VALUE),
            "language": st.one_of(st.sampled_from(["fr", "ar", "id", "und", "xx-!!", ""]), VALUE),
            "url": st.one_of(st.sampled_from(["https://example.org/", "javascript:alert(1)"]), VALUE),
            "published_at": st.one_of(st.sampled_from(["2025-11-02T10:00:00Z", "yesterday", "9999-99-99"]), VALUE),
            "metadata": VALUE,
            "label": st.lists(SPAN, max_size=3),
            "annotations": st.lists(SPAN, max_size=3),
            "spans": st.lists(SPAN, max_size=3),
        },
    ),
    VALUE,
)


def _jsonl(records, ascii_only: bool) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=ascii_only) for r in records).encode("utf-8", "surrogatepass")


def _run_import(path) -> None:
    try:
        call_command("import_articles", str(path), "--annotator", "alice", verbosity=0)
    except CommandError as exc:
        assert path.name in str(exc), str(exc)  # the message names the file
    # Whatever was imported keeps the offset rule.
    for annotation in Annotation.all_objects.select_related("article"):
        assert annotation.article.text[annotation.start : annotation.end] == annotation.text


@pytest.mark.django_db
def test_random_bytes_in_any_file_type_are_a_command_error_or_an_import(alice, tmp_path):
    @FUZZ
    @given(data=st.binary(max_size=300), suffix=st.sampled_from([".txt", ".html", ".jsonl"]))
    def check(data, suffix):
        path = tmp_path / f"random{suffix}"
        path.write_bytes(data)
        _run_import(path)

    check()


@pytest.mark.django_db
def test_hostile_jsonl_records_are_a_command_error_or_an_import(alice, tmp_path):
    @FUZZ
    @given(records=st.lists(RECORD, min_size=1, max_size=4), ascii_only=st.booleans())
    def check(records, ascii_only):
        path = tmp_path / "records.jsonl"
        path.write_bytes(_jsonl(records, ascii_only))
        _run_import(path)

    check()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("deep.jsonl", b"[" * 100_000 + b"]" * 100_000),
        ("deepobj.jsonl", b'{"text": ' * 50_000 + b'"x"' + b"}" * 50_000),
        ("nul.jsonl", b'{"text": "Selon\\u0000Reuters"}'),
        ("nul.txt", b"Selon\x00Reuters"),
        ("nul.html", b"<html><body><p>Selon\x00Reuters</p></body></html>"),
        ("surrogate.jsonl", b'{"text": "Selon \\ud800 Reuters"}'),
        ("cesu.txt", b"Selon \xed\xa0\x80 Reuters"),
        ("latin1.txt", "Le café coûte cher".encode("latin-1")),
        ("huge.jsonl", b'{"text": "Selon Reuters", "label": [[0, 123456789012345678901234567890, "claim"]]}'),
        ("float.jsonl", b'{"text": "Selon Reuters", "label": [[0.5, 1e308, "claim"]]}'),
        ("nan.jsonl", b'{"text": "Selon Reuters", "label": [[NaN, Infinity, "claim"]]}'),
        ("bigid.jsonl", b'{"text": "x", "id": 1e999}'),
        ("empty.txt", b""),
        ("bom.jsonl", b"\xef\xbb\xbf" + b'{"text": "Selon Reuters"}'),
    ],
)
def test_known_hostile_files_never_crash_the_command(alice, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    _run_import(path)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["nul.txt", "nul.jsonl"])
def test_a_nul_byte_is_refused_on_every_database(alice, tmp_path, name):
    # PostgreSQL cannot store NUL; SQLite could, but then the corpus could never move.
    path = tmp_path / name
    path.write_bytes(b"Selon\x00Reuters" if name.endswith(".txt") else b'{"text": "Selon\\u0000Reuters"}')
    with pytest.raises(CommandError, match="NUL"):
        call_command("import_articles", str(path), verbosity=0)
    assert not Article.objects.exists()

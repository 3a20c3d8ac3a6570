"""The offset rule holds for every exported span, in every format, on hard texts.

``text[start:end] == span text`` in Unicode code points; the texts below put emoji
(non-BMP, ZWJ sequences, flags, skin tones), combining marks that NFC keeps, Arabic with
harakat, text normalised from CRLF, and line separators before and inside spans.
"""

import json

import pytest

from tests.export.conftest import TEXTS, records, run_export

pytestmark = pytest.mark.django_db


def utf16_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def test_the_fixture_has_spans_whose_offsets_differ_in_utf16(hard_corpus):
    # Otherwise the tests below could pass with UTF-16 offsets as well.
    moved = [(start, utf16_offset(text, start)) for text, tokens in hard_corpus.values() for start, _ in tokens]
    assert any(code_points != units for code_points, units in moved)
    assert "\r" not in TEXTS["crlf"] and TEXTS["crlf"].count("\n") == 4


def test_jsonl_spans_index_their_article_text_in_code_points(hard_corpus, tmp_path):
    exported = records(run_export(tmp_path))
    assert len(exported) == len(TEXTS)
    for record in exported:
        text, tokens = hard_corpus[record["id"]]
        assert record["text"] == text
        assert sorted((a["start"], a["end"]) for a in record["annotations"]) == sorted(tokens)
        for span in record["annotations"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]


def test_doccano_and_spans_keep_the_same_offsets(hard_corpus, tmp_path):
    for record in records(run_export(tmp_path, "--format", "doccano")):
        text, tokens = hard_corpus[record["id"]]
        assert record["text"] == text
        assert sorted((start, end) for start, end, _ in record["label"]) == sorted(tokens)
    for span in records(run_export(tmp_path, "--format", "spans")):
        text, _ = hard_corpus[span["article_id"]]
        assert text[span["start"] : span["end"]] == span["text"]


def test_w3c_selectors_agree_with_the_text(hard_corpus, tmp_path):
    texts = {f"urn:factcheck:article:hard-{name}": text for name, text in TEXTS.items()}
    annotations = records(run_export(tmp_path, "--format", "w3c"))
    assert len(annotations) == sum(len(tokens) for _, tokens in hard_corpus.values())
    for annotation in annotations:
        text = texts[annotation["target"]["source"]]
        quote, position = annotation["target"]["selector"]
        start, end = position["start"], position["end"]
        assert quote["exact"] == text[start:end]
        assert quote["prefix"] == text[max(0, start - 32) : start]
        assert quote["suffix"] == text[end : end + 32]
        # The quote finds the span again on its own, as a W3C client anchors it.
        assert text.count(quote["prefix"] + quote["exact"] + quote["suffix"]) == 1


def test_line_separators_inside_text_never_split_a_record(hard_corpus, tmp_path):
    for fmt in ("jsonl", "doccano", "spans", "w3c"):
        data = run_export(tmp_path, "--format", fmt)
        text = data.decode("utf-8")
        for separator in ("\u2028", "\u2029", "\x85"):
            assert separator not in text, fmt
        lines = text.splitlines()  # splits at U+2028 and friends, unlike split("\n")
        assert [json.loads(line) for line in lines] == records(data), fmt

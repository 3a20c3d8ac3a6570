"""The export loads as is in pandas, and has the shape Hugging Face datasets' JSON loader needs.

``datasets.load_dataset("json")`` reads JSON Lines with pyarrow, which infers one type per
column: every record must have the same keys, and each key (at every depth) one JSON
type, null aside. The shape is checked here directly, for every format, so a failure
names the key; test_datasets.py loads the main exports with ``datasets`` itself.
"""

import io

import pandas as pd
import pytest

from annotations.export import ANNOTATION_KEYS, ARTICLE_KEYS, SPAN_KEYS
from tests.export.conftest import records, run_export

pytestmark = pytest.mark.django_db

JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object"}


def column_types(values: list, path: str, found: dict[str, set]) -> None:
    """Collect, per key path, the JSON types seen (null left out: it fits any column)."""
    for value in values:
        if value is None:
            continue
        found.setdefault(path, set()).add(JSON_TYPES[type(value)])
        if isinstance(value, dict):
            for key, item in value.items():
                column_types([item], f"{path}.{key}", found)
        elif isinstance(value, list):
            column_types(value, f"{path}[]", found)


def key_sets(values: list, path: str, found: dict[str, set]) -> None:
    """Collect, per object path, the distinct key sets (as sorted tuples)."""
    for value in values:
        if isinstance(value, dict):
            found.setdefault(path, set()).add(tuple(value))
            for key, item in value.items():
                key_sets([item], f"{path}.{key}", found)
        elif isinstance(value, list):
            key_sets(value, f"{path}[]", found)


# doccano's own format is left out: its [start, end, "label"] triples mix types by design.
@pytest.mark.parametrize("args", [[], ["--layer", "all", "--metadata"], ["--format", "spans"], ["--format", "w3c"]])
def test_every_record_has_the_same_keys_and_one_type_per_key(corpus, tmp_path, args):
    exported = records(run_export(tmp_path, *args))
    shapes: dict[str, set] = {}
    key_sets(exported, "$", shapes)
    types: dict[str, set] = {}
    column_types(exported, "$", types)
    # W3C bodies and selectors are lists of differently shaped objects by the W3C model's
    # design (TextualBody or SpecificResource; quote or position); pyarrow reads such a
    # list as one struct with every field, absent ones null. Types still never mix.
    allowed_variants = {"$.body[]", "$.target.selector[]"} if "w3c" in args else set()
    assert {path: keys for path, keys in shapes.items() if len(keys) > 1 and path not in allowed_variants} == {}
    assert {path: kinds for path, kinds in types.items() if len(kinds) > 1} == {}


def test_doccano_records_are_doccanos_sequence_labelling_shape(corpus, tmp_path):
    for record in records(run_export(tmp_path, "--format", "doccano")):
        assert list(record) == ["id", "text", "label"]
        assert all(
            isinstance(start, int) and isinstance(end, int) and isinstance(label, str)
            for start, end, label in record["label"]
        )


def test_the_record_keys_are_the_documented_ones(corpus, tmp_path):
    exported = records(run_export(tmp_path, "--layer", "all"))
    assert {tuple(record) for record in exported} == {ARTICLE_KEYS}
    assert {tuple(span) for record in exported for span in record["annotations"]} == {ANNOTATION_KEYS}
    assert {tuple(span) for span in records(run_export(tmp_path, "--format", "spans"))} == {SPAN_KEYS}


def test_pandas_reads_the_jsonl_export(corpus, tmp_path):
    frame = pd.read_json(io.BytesIO(run_export(tmp_path)), lines=True)
    assert list(frame.columns) == list(ARTICLE_KEYS)
    assert list(frame["external_id"]) == ["test-article", "ar-001", "id-001"]
    assert [len(spans) for spans in frame["annotations"]] == [3, 1, 0]
    assert frame.loc[1, "text"][15:45] == frame.loc[1, "annotations"][0]["text"]
    spans = pd.json_normalize(frame["annotations"].explode().dropna().tolist())
    assert list(spans["label"]) == ["attribution", "claim", "claim", "claim"]


def test_pandas_reads_the_spans_export_as_a_flat_table(corpus, tmp_path):
    frame = pd.read_json(io.BytesIO(run_export(tmp_path, "--format", "spans")), lines=True)
    assert list(frame.columns) == list(SPAN_KEYS)
    assert len(frame) == 4
    assert list(frame["language"]) == ["fr", "fr", "fr", "ar"]
    assert list(frame["end"] - frame["start"]) == [13, 24, 37, 30]
    assert frame["sources"].tolist() == [["reuters"], ["reuters", "cnbc"], [], ["reuters"]]
    assert frame.groupby("annotator").size().to_dict() == {"alice": 2, "bob": 2}

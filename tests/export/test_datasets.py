"""The export loads as is with Hugging Face ``datasets`` (its JSON loader, offline)."""

import pytest

from tests.export.conftest import records, run_export

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    # The loader reads local files only; make sure it never tries the hub.
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.mark.parametrize("args", [[], ["--layer", "all"], ["--format", "spans"]])
def test_datasets_loads_the_export_with_every_record_and_span(corpus, tmp_path, args):
    import datasets

    data = run_export(tmp_path, *args)
    expected = records(data)
    path = tmp_path / "export.jsonl"
    loaded = datasets.load_dataset(
        "json", data_files=str(path), split="train", cache_dir=str(tmp_path / "hf-cache"), keep_in_memory=True
    )
    assert loaded.num_rows == len(expected) > 0
    assert loaded.column_names == list(expected[0])
    if "--format" not in args:
        # Spans keep their code-point offsets through pyarrow: text[start:end] is the span.
        for row in loaded:
            for span in row["annotations"]:
                assert row["text"][span["start"] : span["end"]] == span["text"]
        assert sum(len(row["annotations"]) for row in loaded) == sum(len(r["annotations"]) for r in expected)

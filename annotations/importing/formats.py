"""Readers: a file's bytes → records (text, article fields, spans), each with its line number.

Every reader streams: it holds one record at a time, so memory does not grow with the
file. A reader raises ``RecordError`` with the line it was on; the engine names the file.

Formats (``FORMATS``): ``txt`` and ``html`` (one article per file), ``jsonl`` and its alias
``doccano`` (one JSON object per line: doccano, Label Studio tasks, a ``spans`` list or the
workbench's own export records), ``label-studio`` (Label Studio's JSON export: one array
of tasks) and ``csv`` (a header row with a ``text`` column).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import BinaryIO

import orjson

from annotations.importing.html import html_to_text
from annotations.text import MarkupError, is_language_tag, normalize_text

FORMATS = ("auto", "txt", "html", "jsonl", "doccano", "label-studio", "csv")
SUFFIXES = {
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "label-studio",
    ".csv": "csv",
}

# The longest article text accepted, in code points (docs/import.md). A larger one is an
# error for its line: one record must never be able to take the machine's memory.
ARTICLE_TEXT_MAX_CHARS = 2_000_000
# A JSON line or a Label Studio task may spell each character as a 12-byte \ud83d\ude00
# pair; beyond this a line is refused before it is parsed.
RECORD_MAX_BYTES = 16 * 1024 * 1024
# One-article files: the text limit in UTF-8 (4 bytes a code point) plus room for markup.
TXT_MAX_BYTES = 4 * ARTICLE_TEXT_MAX_CHARS
HTML_MAX_BYTES = RECORD_MAX_BYTES

CLAIM_KEYS = ("claim_type", "checkworthy", "verdict", "note", "source_links", "is_gold")
ARTICLE_KEYS = ("external_id", "title", "direction", "url", "publisher", "author", "published_at", "metadata")
CSV_COLUMNS = ("external_id", "title", "language", "url", "published_at", "publisher", "author")
_BOM = codecs.BOM_UTF8


class RecordError(Exception):
    """A bad record; ``line`` is where it starts (``None`` for one-article files)."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(message)


@dataclass(slots=True)
class SpanIn:
    start: object
    end: object
    label: object = None
    text: object = None
    annotator: object = None
    claim: dict = field(default_factory=dict)
    ref: object = None  # the span's "id" in the record, which its relations name


@dataclass
class RecordIn:
    line: int | None
    text: object
    fields: dict  # article fields the record states (title, language, url, ...)
    spans: list[SpanIn] = field(default_factory=list)
    relations: object = None  # our export's "relations": [{"from", "to", "type"}], by span "id"
    escaped: bool = True  # False when the source could not hold \u escapes (NUL/surrogate check skipped)


def detect_format(name: str, head: bytes = b"") -> str | None:
    """The format of a file from its suffix; a ``.json`` holding one object per line is JSONL."""
    kind = SUFFIXES.get(PurePath(name).suffix.lower())
    if kind == "label-studio" and head.lstrip(_BOM + b" \t\r\n")[:1] == b"{":
        return "jsonl"
    return kind


# --- spans of doccano, Label Studio and our own export ------------------------------------


def _spans_from_item(item: object, key: str, index: int) -> list[SpanIn]:
    """One span item of doccano, Label Studio or our export (``key[index]`` of its record);
    a list for multi-label items."""
    if isinstance(item, list | tuple):
        if len(item) != 3:
            raise RecordError(f"{key}[{index}]: a doccano span is [start, end, label], got {item!r}.")
        return [SpanIn(item[0], item[1], item[2])]
    if not isinstance(item, Mapping):
        raise RecordError(f"{key}[{index}]: each span must be an object or a [start, end, label] list.")
    value: Mapping = item["value"] if isinstance(item.get("value"), Mapping) else item  # Label Studio result
    start = value.get("start", value.get("start_offset"))
    end = value.get("end", value.get("end_offset"))
    labels = value.get("labels")  # Label Studio: one span per label
    names = labels if isinstance(labels, list) and labels and "label" not in value else [value.get("label")]
    claim = {key: item[key] for key in CLAIM_KEYS if key in item}
    ref = item.get("id") if item is value else None  # our export's span id (Label Studio's are its own)
    return [
        SpanIn(
            start=start,
            end=end,
            label=name,
            text=value.get("text"),
            annotator=item.get("annotator"),
            claim=claim,
            ref=ref,
        )
        for name in names
    ]


def _record_spans(record: Mapping) -> list[SpanIn]:
    spans: list[SpanIn] = []
    for key in ("annotations", "label", "entities", "spans"):
        items = record.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise RecordError(f"{key} must be a list of spans.")
        for index, item in enumerate(items):
            if key == "annotations" and isinstance(item, Mapping) and isinstance(item.get("result"), list):
                if item.get("was_cancelled") is True:
                    continue  # Label Studio: the annotator skipped the task
                # Label Studio: annotations[].result[].value.{start, end, labels}
                for r_index, result in enumerate(item["result"]):
                    value = result.get("value") if isinstance(result, Mapping) else None
                    if isinstance(value, Mapping) and "start" not in value and "end" not in value:
                        continue  # a choice or rating about the whole text, not a span
                    spans.extend(_spans_from_item(result, f"{key}[{index}].result", r_index))
            else:
                spans.extend(_spans_from_item(item, key, index))
    record_annotator = record.get("annotator")
    if record_annotator is not None:
        for span in spans:
            if span.annotator is None:
                span.annotator = record_annotator
    return spans


def record_from_object(record: object, line: int | None) -> RecordIn:
    """A parsed JSON object (any accepted shape) as a record."""
    if not isinstance(record, dict):
        raise RecordError("each line must be a JSON object.", line)
    text_value = record.get("text")
    data = record.get("data")
    if isinstance(data, Mapping):  # Label Studio task: the article is in data
        if text_value is None:
            text_value = data.get("text")
        record = {**{key: data[key] for key in (*ARTICLE_KEYS, "language") if key in data}, **record}
    fields = {key: record[key] for key in ARTICLE_KEYS if key in record}
    if "language" in record:
        fields["language"] = record["language"]
    if "text_sha256" in record:
        fields["text_sha256"] = record["text_sha256"]
    try:
        spans = _record_spans(record)
    except RecordError as exc:
        raise RecordError(str(exc), line) from None
    return RecordIn(line=line, text=text_value, fields=fields, spans=spans, relations=record.get("relations"))


def _loads(line: str, number: int) -> object:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordError(f"invalid JSON: {exc.msg} (column {exc.colno}).", number) from None
    except RecursionError:
        raise RecordError("invalid JSON: nested too deeply.", number) from None


# --- readers ----------------------------------------------------------------------------------


def _too_long(number: int) -> RecordError:
    return RecordError(
        f"the line is longer than {RECORD_MAX_BYTES // (1024 * 1024)} MiB; an article's text may be at most "
        f"{ARTICLE_TEXT_MAX_CHARS:,} characters.",
        number,
    )


def _decode(raw: bytes, number: int | None) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(f"not UTF-8 text (bad byte at offset {exc.start}).", number) from None


def read_jsonl(stream: BinaryIO) -> Iterator[RecordIn]:
    # Split on \n only, not splitlines(): U+2028 and friends are legal inside JSON strings.
    number = 0
    while True:
        raw = stream.readline(RECORD_MAX_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > RECORD_MAX_BYTES:
            raise _too_long(number)
        if number == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
        if not raw.strip():
            continue
        raw = raw.rstrip(b"\r\n")
        try:
            value = orjson.loads(raw)  # strict JSON, several times faster
        except orjson.JSONDecodeError:
            # Whatever orjson refuses goes through json, which says what is wrong (line and
            # column) or accepts what orjson does not (a lone surrogate's escape, checked later).
            value = _loads(_decode(raw, number), number)  # columns count from the line's start
        record = record_from_object(value, number)
        # Without a \u escape a JSON line cannot hold NUL or a lone surrogate: skip that check.
        record.escaped = b"\\u" in raw
        yield record


def count_jsonl(stream: BinaryIO) -> int:
    count = 0
    for raw in iter(lambda: stream.readline(RECORD_MAX_BYTES + 1), b""):
        if raw.strip(_BOM + b" \t\r\n"):
            count += 1
    return count


def _read_whole(stream: BinaryIO, limit: int) -> str:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise RecordError(f"the file is larger than {limit // (1024 * 1024)} MiB.")
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    return _decode(data, None)


def read_txt(stream: BinaryIO) -> Iterator[RecordIn]:
    # A title taken from the first line is only a default: it fills new articles and never
    # overwrites a stored title (someone may have corrected it in the admin).
    yield RecordIn(line=None, text=normalize_text(_read_whole(stream, TXT_MAX_BYTES)).strip(), fields={}, escaped=True)


def read_html(stream: BinaryIO) -> Iterator[RecordIn]:
    try:
        text, title, lang = html_to_text(_read_whole(stream, HTML_MAX_BYTES))
    except MarkupError as exc:
        raise RecordError(str(exc)) from None
    fields: dict = {"title": title} if title else {}
    if is_language_tag(lang):
        fields["html_lang"] = lang
    yield RecordIn(line=None, text=text, fields=fields, escaped=True)


def _csv_rows(stream: BinaryIO) -> Iterator[tuple[int, dict]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    # The default field limit (128 KiB) is below the article limit; the reader's own
    # limit is what stops an oversized cell.
    csv.field_size_limit(max(csv.field_size_limit(), ARTICLE_TEXT_MAX_CHARS + 1))
    reader = csv.reader(text)
    number = 1
    try:
        header = next(reader, None)
        if header is None:
            return
        columns = [name.strip() for name in header]
        if "text" not in columns:
            raise RecordError(f"the header row has no 'text' column (columns: {', '.join(columns)}).", 1)
        last = reader.line_num
        for row in reader:
            number = last + 1  # a quoted cell may span lines: the record starts after the previous one
            last = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                raise RecordError(f"the row has {len(row)} cells; the header has {len(columns)}.", number)
            yield number, dict(zip(columns, row, strict=True))
    except UnicodeDecodeError as exc:
        raise RecordError(f"not UTF-8 text (bad byte at offset {exc.start} of a block).", number) from None
    except csv.Error as exc:
        raise RecordError(f"not valid CSV: {exc}.", number) from None
    finally:
        text.detach()  # leave the caller's stream open


def read_csv(stream: BinaryIO) -> Iterator[RecordIn]:
    for number, row in _csv_rows(stream):
        fields: dict = {}
        for name in CSV_COLUMNS:
            value = row.get(name, "").strip()
            if value:
                fields[name] = value
        extra = {name: value for name, value in row.items() if name not in (*CSV_COLUMNS, "text") and value}
        if extra:
            fields["metadata"] = extra  # other columns are kept, not lost
        yield RecordIn(line=number, text=row["text"], fields=fields, escaped=True)


def count_csv(stream: BinaryIO) -> int:
    return sum(1 for _ in _csv_rows(stream))


_WHITESPACE = " \t\r\n"


class _JSONArray:
    """The items of a top-level JSON array, parsed one at a time from a stream, with lines."""

    CHUNK = 1 << 20

    def __init__(self, stream: BinaryIO):
        self.decoder = json.JSONDecoder()
        self.reader = codecs.getincrementaldecoder("utf-8-sig")()
        self.stream = stream
        self.buffer = ""
        self.pos = 0
        self.line = 1
        self.eof = False

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(self.CHUNK)
        try:
            text = self.reader.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise RecordError(f"not UTF-8 text (bad byte at offset {exc.start} of a block).", self.line) from None
        if not chunk:
            self.eof = True
        # Drop what was read; keep the line count of what is dropped.
        self.line += self.buffer.count("\n", 0, self.pos)
        self.buffer = self.buffer[self.pos :] + text
        self.pos = 0
        return True

    def _skip_space(self) -> str:
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._more():
                return ""

    def _line_at(self, pos: int) -> int:
        return self.line + self.buffer.count("\n", 0, pos)

    def items(self) -> Iterator[tuple[int, object]]:
        if self._skip_space() != "[":
            raise RecordError("a Label Studio export is a JSON array of tasks ([{...}, ...]).", self._line_at(self.pos))
        self.pos += 1
        first = True
        while True:
            char = self._skip_space()
            if char == "]":
                self.pos += 1
                if self._skip_space():
                    raise RecordError("invalid JSON: extra data after the array.", self._line_at(self.pos))
                return
            if not first:
                if char != ",":
                    raise RecordError("invalid JSON: expected ',' or ']' between tasks.", self._line_at(self.pos))
                self.pos += 1
                self._skip_space()
            first = False
            yield self._item()

    def _item(self) -> tuple[int, object]:
        while True:
            line = self._line_at(self.pos)
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
                if end < len(self.buffer) or self.eof:
                    self.pos = end
                    return line, value
            except json.JSONDecodeError as exc:
                if self.eof:
                    raise RecordError(f"invalid JSON: {exc.msg}.", self._line_at(exc.pos)) from None
            except RecursionError:
                raise RecordError("invalid JSON: nested too deeply.", line) from None
            if len(self.buffer) - self.pos > RECORD_MAX_BYTES:
                raise _too_long(line)
            self._more()


def read_label_studio(stream: BinaryIO) -> Iterator[RecordIn]:
    for line, task in _JSONArray(stream).items():
        yield record_from_object(task, line)


def count_label_studio(stream: BinaryIO) -> int:
    return sum(1 for _ in _JSONArray(stream).items())


READERS = {
    "txt": read_txt,
    "html": read_html,
    "jsonl": read_jsonl,
    "doccano": read_jsonl,
    "label-studio": read_label_studio,
    "csv": read_csv,
}
COUNTERS = {
    "txt": lambda stream: 1,
    "html": lambda stream: 1,
    "jsonl": count_jsonl,
    "doccano": count_jsonl,
    "label-studio": count_label_studio,
    "csv": count_csv,
}

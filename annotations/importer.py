"""Import articles, and optionally their spans, from ``.txt``, ``.html`` and ``.jsonl`` files.

Text is normalised once, here: NFC, and ``\\r\\n``/``\\r`` become ``\\n``. Span offsets in a
record index the text *as given*; they are checked against it with the offset rule, then
moved onto the normalised text. A span whose start or end falls inside a sequence that
normalisation merges (between ``e`` and a combining accent, between ``\\r`` and ``\\n``) is
refused rather than guessed. Every span is written through ``annotation_create``.

A file is imported in one transaction: the first bad record raises ``ImportFileError``
naming the file and line, and nothing from that file is kept.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import cast

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.dateparse import parse_date, parse_datetime

from annotations.errors import in_words
from annotations.models import (
    Annotation,
    Article,
    Label,
    Project,
    Source,
    direction_for_language,
    seed_project_pk,
    text_sha256,
)
from annotations.offsets import check_span
from annotations.services import annotation_create, source_create
from annotations.text import LONE_SURROGATE, MarkupError, holds_nul, is_language_tag, normalize_text, strip_markup

SUFFIXES = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
TITLE_MAX_LENGTH = 500
UNDETERMINED = "und"

# --- language from the script -------------------------------------------------------

_ARABIC_SCRIPT = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_OTHER_RTL_SCRIPTS = ((0x0590, 0x05FF), (0xFB1D, 0xFB4F), (0x0700, 0x074F), (0x0780, 0x07BF), (0x07C0, 0x07FF))
# Letters of Persian, Urdu and other languages written in Arabic script that Arabic itself
# does not use: their presence means "not sure it is Arabic".
_NOT_ARABIC_LETTERS = set("پچژگکیےٹڈڑںھۀ")


def _in(ranges, char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def guess_language(text: str) -> tuple[str, str]:
    """``(language, direction)`` from the script alone.

    Mostly Arabic-script letters → ``ar`` (``und`` if letters only Persian/Urdu use appear);
    anything else → ``und``. Latin script is shared by too many languages to guess from.
    The direction follows the script even when the language is unknown.
    """
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return UNDETERMINED, "ltr"
    arabic = sum(1 for c in letters if _in(_ARABIC_SCRIPT, c))
    if arabic * 2 > len(letters):
        return (UNDETERMINED if _NOT_ARABIC_LETTERS.intersection(letters) else "ar"), "rtl"
    if (arabic + sum(1 for c in letters if _in(_OTHER_RTL_SCRIPTS, c))) * 2 > len(letters):
        return UNDETERMINED, "rtl"
    return UNDETERMINED, "ltr"


# --- HTML to text ---------------------------------------------------------------------

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
# Elements whose content is never visible text (svg also carries its own <title>). Not
# <head>: its end tag is optional, and what it holds is either hidden here or the <title>.
HIDDEN_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "svg", "math"}
_SPACES = re.compile(r"[ \t\n\r\f]+")


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.lang = ""
        self.title: str | None = None
        self.h1: str | None = None
        self._hidden: list[str] = []
        self._title_parts: list[str] | None = None
        self._h1_parts: list[str] | None = None
        self._pre = 0

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            values = dict(attrs)
            self.lang = (values.get("lang") or values.get("xml:lang") or "").strip()
        if tag == "title" and self.title is None and not self._hidden:
            self._title_parts = []
            return
        if tag in HIDDEN_TAGS:
            self._hidden.append(tag)
            return
        if self._hidden:
            return
        if tag == "h1" and self.h1 is None:
            self._h1_parts = []
        if tag == "pre":
            self._pre += 1
        if tag == "br":
            self.chunks.append("\n")
        elif tag in BLOCK_TAGS:
            self.chunks.append("\n\n")

    def handle_startendtag(self, tag, attrs):
        if tag in HIDDEN_TAGS:
            return  # <svg/> and friends: nothing inside, nothing to skip
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "title" and self._title_parts is not None:
            self.title = _SPACES.sub(" ", "".join(self._title_parts)).strip()
            self._title_parts = None
            return
        if self._hidden:
            if tag == self._hidden[-1]:
                self._hidden.pop()
            return
        if tag == "h1" and self._h1_parts is not None:
            self.h1 = _SPACES.sub(" ", "".join(self._h1_parts)).strip()
            self._h1_parts = None
        if tag == "pre" and self._pre:
            self._pre -= 1
        if tag in BLOCK_TAGS:
            self.chunks.append("\n\n")

    def handle_data(self, data):
        if self._title_parts is not None:
            self._title_parts.append(data)
            return
        if self._hidden:
            return
        if self._h1_parts is not None:
            self._h1_parts.append(data)
        self.chunks.append(data if self._pre else _SPACES.sub(" ", data))


def _tidy_lines(text: str) -> str:
    lines = [re.sub(r"[ \t]{2,}", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str) -> tuple[str, str | None, str]:
    """``(text, title, lang)`` of an HTML page: visible text, blocks on their own lines."""
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    try:
        text = _tidy_lines(normalize_text(strip_markup("".join(parser.chunks))))
    except MarkupError as exc:
        raise MarkupError(f"text: the page's text {exc}.") from None
    try:
        title = strip_markup(parser.title or parser.h1 or "").strip() or None
    except MarkupError as exc:
        raise MarkupError(f"title: the page's title {exc}.") from None
    return text, title, parser.lang


# --- records --------------------------------------------------------------------------


class ImportFileError(Exception):
    """A file that was not imported; ``str()`` is ``path:line: message``."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


class _RecordError(Exception):
    pass


@dataclass
class SpanIn:
    start: object
    end: object
    label: object = None
    text: object = None
    annotator: object = None
    claim: dict = field(default_factory=dict)


@dataclass
class RecordIn:
    line: int | None
    text: object
    fields: dict  # article fields the record states (title, language, url, ...)
    spans: list[SpanIn] = field(default_factory=list)


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    spans_created: int = 0
    spans_skipped: int = 0
    sources_created: int = 0

    def __iadd__(self, other: ImportSummary) -> ImportSummary:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    def __str__(self) -> str:
        text = (
            f"articles: {self.created} created, {self.updated} updated, {self.unchanged} unchanged; "
            f"spans: {self.spans_created} created, {self.spans_skipped} already present"
        )
        if self.sources_created:
            text += f"; sources: {self.sources_created} created"
        return text


CLAIM_KEYS = ("claim_type", "checkworthy", "verdict", "note", "source_links", "is_gold")
ARTICLE_KEYS = ("external_id", "title", "direction", "url", "publisher", "author", "published_at", "metadata")


def _spans_from_item(item: object, where: str) -> list[SpanIn]:
    """One span item of doccano, Label Studio or our export; a list for multi-label items."""
    if isinstance(item, list | tuple):
        if len(item) != 3:
            raise _RecordError(f"{where}: a doccano span is [start, end, label], got {item!r}.")
        return [SpanIn(start=item[0], end=item[1], label=item[2])]
    if not isinstance(item, Mapping):
        raise _RecordError(f"{where}: each span must be an object or a [start, end, label] list.")
    value: Mapping = item["value"] if isinstance(item.get("value"), Mapping) else item  # Label Studio result
    start = value.get("start", value.get("start_offset"))
    end = value.get("end", value.get("end_offset"))
    labels = value.get("labels")  # Label Studio: one span per label
    names = labels if isinstance(labels, list) and labels and "label" not in value else [value.get("label")]
    claim = {key: item[key] for key in CLAIM_KEYS if key in item}
    return [
        SpanIn(start=start, end=end, label=name, text=value.get("text"), annotator=item.get("annotator"), claim=claim)
        for name in names
    ]


def _record_spans(record: Mapping) -> list[SpanIn]:
    spans: list[SpanIn] = []
    for key in ("annotations", "label", "entities", "spans"):
        items = record.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise _RecordError(f"{key} must be a list of spans.")
        for index, item in enumerate(items):
            where = f"{key}[{index}]"
            if key == "annotations" and isinstance(item, Mapping) and isinstance(item.get("result"), list):
                # Label Studio: annotations[].result[].value.{start, end, labels}
                for r_index, result in enumerate(item["result"]):
                    value = result.get("value") if isinstance(result, Mapping) else None
                    if isinstance(value, Mapping) and "start" not in value and "end" not in value:
                        continue  # a choice or rating about the whole text, not a span
                    spans.extend(_spans_from_item(result, f"{where}.result[{r_index}]"))
            else:
                spans.extend(_spans_from_item(item, where))
    record_annotator = record.get("annotator")
    if record_annotator is not None:
        for span in spans:
            if span.annotator is None:
                span.annotator = record_annotator
    return spans


def _jsonl_records(text: str) -> Iterator[RecordIn]:
    # split("\n"), not splitlines(): U+2028 and friends are legal inside JSON strings.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            # "\ud800" is valid JSON but not text: no database can store it.
            json.dumps(record, ensure_ascii=False).encode("utf-8")
        except json.JSONDecodeError as exc:
            raise ImportFileError("", number, f"invalid JSON: {exc.msg} (column {exc.colno}).") from None
        except RecursionError:
            raise ImportFileError("", number, "invalid JSON: nested too deeply.") from None
        except UnicodeEncodeError:
            raise ImportFileError("", number, LONE_SURROGATE) from None
        if not isinstance(record, dict):
            raise ImportFileError("", number, "each line must be a JSON object.")
        text_value = record.get("text")
        if text_value is None and isinstance(record.get("data"), Mapping):
            text_value = record["data"].get("text")  # Label Studio task
        fields = {key: record[key] for key in ARTICLE_KEYS if key in record}
        if "language" in record:
            fields["language"] = record["language"]
        if "text_sha256" in record:
            fields["text_sha256"] = record["text_sha256"]
        try:
            spans = _record_spans(record)
        except _RecordError as exc:
            raise ImportFileError("", number, str(exc)) from None
        yield RecordIn(line=number, text=text_value, fields=fields, spans=spans)


def _first_line_title(text: str) -> str:
    for line in text.split("\n"):
        title = _SPACES.sub(" ", line).strip()
        if title:
            if len(title) > TITLE_MAX_LENGTH:
                title = title[: TITLE_MAX_LENGTH - 1].rstrip() + "…"
            return title
    return ""


def _parse_published_at(value: object) -> datetime.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValidationError({"published_at": "published_at must be an ISO 8601 date or date-time."})
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            parsed = datetime.datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError({"published_at": f"published_at {value!r} is not an ISO 8601 date or date-time."})
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


class _OffsetMap:
    """Moves code point offsets from the given text onto its normalised form."""

    def __init__(self, original: str):
        self.original = original
        self.normalized = normalize_text(original)
        self.identity = self.normalized == original
        self._cache: dict[int, int | None] = {}

    def __call__(self, offset: int) -> int | None:
        if self.identity:
            return offset
        if offset not in self._cache:
            head = normalize_text(self.original[:offset])
            # A boundary survives normalisation only if both halves normalise independently.
            boundary = head + normalize_text(self.original[offset:]) == self.normalized
            self._cache[offset] = len(head) if boundary else None
        return self._cache[offset]


class _FileImport:
    def __init__(self, *, project: Project, language: str | None, annotator, label: Label | None):
        self.project = project
        self.language = language
        self.annotator = annotator
        self.label = label
        self.summary = ImportSummary()
        self._seen: dict[str, int | None] = {}
        self._users: dict[str, object] = {}
        self._labels: dict[str, Label | None] = {}

    def add(self, record: RecordIn, default_external_id: str) -> None:
        fields = dict(record.fields)
        external_id = fields.pop("external_id", None)
        if external_id in (None, ""):
            external_id = default_external_id
        if not isinstance(external_id, str | int) or isinstance(external_id, bool):
            raise _RecordError("external_id must be text.")
        external_id = str(external_id)
        if external_id in self._seen:
            where = f" (line {self._seen[external_id]})" if self._seen[external_id] else ""
            raise _RecordError(f"external_id {external_id!r} appears twice in this file{where}.")
        self._seen[external_id] = record.line

        original = record.text
        if not isinstance(original, str):
            raise _RecordError("text: every record needs a text (a string).")
        if holds_nul([original, record.fields]):
            # PostgreSQL refuses NUL in text and JSON; refuse it on SQLite too, so a corpus moves.
            raise _RecordError("the record holds a NUL character (\\u0000), which cannot be stored.")
        expected_sha = fields.pop("text_sha256", None)
        if expected_sha is not None and expected_sha != text_sha256(original):
            raise _RecordError("text_sha256 does not match the record's text.")
        offsets = _OffsetMap(original)
        text = offsets.normalized
        if not text.strip():
            raise _RecordError("text: the text is empty.")

        prepared = [self._prepare_span(span, offsets) for span in record.spans]
        article = self._upsert_article(external_id, text, fields)
        for spec in prepared:
            self._write_span(article, spec)

    # -- article

    def _language(self, fields: dict, html_lang: str | None, text: str) -> tuple[str, str, bool]:
        """``(language, direction, stated)``: the record, --language, the HTML lang, else a guess.

        A guessed language fills a new article but never overwrites a stored one.
        """
        language = fields.pop("language", None)
        if language not in (None, ""):
            if not is_language_tag(language):
                raise _RecordError(f"language: {language!r} is not a BCP 47 language tag (e.g. id, fr, ar).")
            return language, direction_for_language(language), True
        for stated in (self.language, html_lang):
            if stated:
                return stated, direction_for_language(stated), True
        guessed, direction = guess_language(text)
        return guessed, direction, False

    def _upsert_article(self, external_id: str, text: str, fields: dict) -> Article:
        html_lang = fields.pop("html_lang", None)
        language, direction, language_stated = self._language(fields, html_lang, text)

        values: dict[str, object] = {"text": text}
        title = fields.pop("title", None)
        if title not in (None, ""):
            if not isinstance(title, str):
                raise _RecordError("title must be text.")
            values["title"] = _SPACES.sub(" ", normalize_text(title)).strip()
        stated_direction = fields.pop("direction", None)
        if stated_direction not in (None, ""):
            if stated_direction not in Article.Direction.values:
                raise _RecordError("direction must be ltr or rtl.")
            direction = stated_direction
        for name in ("publisher", "author"):
            if fields.get(name) is not None:
                if not isinstance(fields[name], str):
                    raise _RecordError(f"{name} must be text.")
                values[name] = normalize_text(fields[name]).strip()
        if "url" in fields:
            if fields["url"] is not None and not isinstance(fields["url"], str):
                raise _RecordError("url must be text or null.")
            values["url"] = fields["url"] or None
        if "published_at" in fields:
            try:
                values["published_at"] = _parse_published_at(fields["published_at"])
            except ValidationError as exc:
                raise _RecordError(in_words(exc)) from None
        if "metadata" in fields:
            if not isinstance(fields["metadata"], dict):
                raise _RecordError("metadata must be a JSON object.")
            values["metadata"] = fields["metadata"]

        # external_id is unique within a project: the same id elsewhere is another article.
        article = Article.objects.filter(project=self.project, external_id=external_id).first()
        if article is None:
            values.setdefault("title", _first_line_title(text))
            article = Article(
                project=self.project, external_id=external_id, language=language, direction=direction, **values
            )
            self._save(article)
            self.summary.created += 1
            return article

        if language_stated:
            values["language"] = language
            values["direction"] = direction
        elif stated_direction:
            values["direction"] = direction
        changed = {name: value for name, value in values.items() if getattr(article, name) != value}
        if not changed:
            self.summary.unchanged += 1
            return article
        if "text" in changed and Annotation.all_objects.filter(article=article).exists():
            raise _RecordError(
                f"article {external_id!r} already exists with a different text and has annotations; "
                "its text cannot change once annotated (import it under a new external_id)."
            )
        for name, value in changed.items():
            setattr(article, name, value)
        self._save(article)
        self.summary.updated += 1
        return article

    def _save(self, article: Article) -> None:
        article.text_sha256 = text_sha256(article.text)
        try:
            article.full_clean()
        except ValidationError as exc:
            raise _RecordError(in_words(exc)) from None
        article.save()

    # -- spans

    def _prepare_span(self, span: SpanIn, offsets: _OffsetMap) -> dict:
        where = f"span [{span.start!r}, {span.end!r}]"
        if span.text is not None and not isinstance(span.text, str):
            raise _RecordError(f"{where}: text must be a string.")
        try:
            check_span(offsets.original, span.start, span.end, span.text)
        except ValidationError as exc:
            raise _RecordError(f"{where}: {in_words(exc)}") from None
        # check_span accepted the offsets, so they are whole numbers within the text.
        given_start, given_end = cast(int, span.start), cast(int, span.end)
        start, end = offsets(given_start), offsets(given_end)
        if start is None or end is None:
            raise _RecordError(
                f"{where}: {'start' if start is None else 'end'} falls inside a sequence that normalisation "
                "(NFC, \\r\\n → \\n) merges into one; give offsets on character boundaries or normalise "
                "the text first."
            )
        covered = offsets.normalized[start:end]
        if covered != normalize_text(offsets.original[given_start:given_end]):
            raise _RecordError(f"{where}: the span does not survive normalisation (NFC, \\r\\n → \\n).")
        claim = dict(span.claim)
        if "checkworthy" in claim and claim["checkworthy"] is not None and not isinstance(claim["checkworthy"], bool):
            raise _RecordError(f"{where}: checkworthy must be true, false or null.")
        if "is_gold" in claim and not isinstance(claim["is_gold"], bool):
            raise _RecordError(f"{where}: is_gold must be true or false.")
        if claim.get("source_links") is not None:
            claim["source_links"] = self._links(claim["source_links"], where)
        return {
            "where": where,
            "start": start,
            "end": end,
            "text": covered,
            "label": self._label(span.label, where),
            "annotator": self._annotator(span.annotator, where),
            **claim,
        }

    def _label(self, name: object, where: str) -> Label:
        if name in (None, ""):
            if self.label is not None:
                return self.label
            raise _RecordError(f"{where}: label: the span has no label; give one or pass --label LABEL.")
        if not isinstance(name, str):
            raise _RecordError(f"{where}: label must be a label slug.")
        if name not in self._labels:  # one lookup per name and file, not one per span
            labels = Label.objects.filter(project=self.project)  # the project's own vocabulary
            self._labels[name] = (
                labels.filter(slug=name).first()
                or labels.filter(slug__iexact=name).first()
                or labels.filter(name__iexact=name).first()
            )
        label = self._labels[name]
        if label is None:
            known = ", ".join(Label.objects.filter(project=self.project).values_list("slug", flat=True))
            raise _RecordError(f"{where}: label: unknown label {name!r} (known: {known}).")
        return label

    def _annotator(self, name: object, where: str):
        if isinstance(name, str) and name:
            if name not in self._users:
                self._users[name] = get_user_model().objects.filter(username=name).first()
            if self._users[name] is not None:
                return self._users[name]
        if self.annotator is not None:
            return self.annotator
        unknown = f" (user {name!r} does not exist here)" if isinstance(name, str) and name else ""
        raise _RecordError(f"{where}: the record has spans but no annotator{unknown}; pass --annotator USER.")

    def _links(self, links: object, where: str) -> list:
        if not isinstance(links, list):
            raise _RecordError(f"{where}: source_links must be a list.")
        for link in links:
            # Our own export names each source; a registry that lacks it gains it (slug and name).
            if not isinstance(link, Mapping) or not isinstance(link.get("source"), str):
                continue
            slug, name = link["source"], link.get("name")
            if isinstance(name, str) and name.strip() and not Source.objects.filter(slug=slug).exists():
                try:
                    source_create(slug=slug, name=name.strip()[:200])
                except ValidationError as exc:
                    raise _RecordError(f"{where}: source {slug!r}: {in_words(exc)}") from None
                self.summary.sources_created += 1
        return links

    def _write_span(self, article: Article, spec: dict) -> None:
        where = spec.pop("where")
        duplicate = Annotation.all_objects.filter(
            article=article, annotator=spec["annotator"], start=spec["start"], end=spec["end"], label=spec["label"]
        ).exists()
        if duplicate:
            # Also true of a span someone deleted since: re-running an import does not resurrect it.
            self.summary.spans_skipped += 1
            return
        try:
            annotation_create(article=article, **spec)
        except ValidationError as exc:
            raise _RecordError(f"{where}: {in_words(exc)}") from None
        self.summary.spans_created += 1


def _read_text(path: Path, name: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(name, None, f"cannot read the file ({exc.strerror}).") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(name, None, f"not UTF-8 text (bad byte at offset {exc.start}).") from None


def _file_records(path: Path, kind: str, name: str) -> Iterator[RecordIn]:
    content = _read_text(path, name)
    # A title taken from the first line is only a default: it fills new articles and never
    # overwrites a stored title (someone may have corrected it in the admin).
    if kind == "txt":
        yield RecordIn(line=None, text=normalize_text(content).strip(), fields={})
    elif kind == "html":
        try:
            text, title, lang = html_to_text(content)
        except MarkupError as exc:
            raise ImportFileError(name, None, str(exc)) from None
        fields: dict = {"title": title} if title else {}
        if is_language_tag(lang):
            fields["html_lang"] = lang
        yield RecordIn(line=None, text=text, fields=fields)
    else:
        yield from _jsonl_records(content)


def import_file(
    path: str | Path,
    *,
    language: str | None = None,
    annotator=None,
    label: Label | None = None,
    dry_run: bool = False,
    project: Project | None = None,
) -> ImportSummary:
    """Import one file into ``project`` (default ``seed``) in one transaction; raise
    ``ImportFileError`` and keep nothing on a bad record."""
    path = Path(path)
    name = str(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ImportFileError(name, None, f"unsupported file type (use {', '.join(sorted(SUFFIXES))}).")
    if language is not None and not is_language_tag(language):
        raise ImportFileError(name, None, f"--language {language!r} is not a BCP 47 language tag.")
    if project is None:
        project = Project.objects.get(pk=seed_project_pk())
    if label is not None and label.project_id != project.pk:
        raise ImportFileError(name, None, f"--label {label.slug!r} belongs to another project.")
    importer = _FileImport(project=project, language=language, annotator=annotator, label=label)
    line: int | None = None
    try:
        with transaction.atomic():
            for record in _file_records(path, kind, name):
                line = record.line
                default_id = path.stem if line is None else f"{path.stem}-{line}"
                importer.add(record, default_id)
            if dry_run:
                transaction.set_rollback(True)
    except ImportFileError as exc:
        raise ImportFileError(name, exc.line, exc.message) from None
    except _RecordError as exc:
        raise ImportFileError(name, line, str(exc)) from None
    except DatabaseError as exc:
        raise ImportFileError(name, line, f"the database refused the record ({exc}).") from None
    return importer.summary

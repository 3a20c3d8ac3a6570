"""Shared helpers for the import tests: run the command, write JSONL files."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args, **options) -> str:
    out = StringIO()
    call_command("import_articles", *map(str, args), stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def refused(*args, **options) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args, **options)
    return str(caught.value)


def jsonl(path, *records):
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n",
        encoding="utf-8",
    )
    return path

"""`manage.py audit_stored_text` lists what was stored before today's text rules (markup in a
note or title, NUL, bidirectional controls, look-alike sources) and changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.models import Annotation, Article, Source, SourceLink
from tests.factories import make_span

pytestmark = pytest.mark.django_db


def _audit() -> tuple[str, str | None]:
    out = StringIO()
    try:
        call_command("audit_stored_text", stdout=out)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), None


def test_a_clean_database_passes(article, alice, reuters):
    make_span(article, alice, 0, 5, note="a < b & c")
    out, error = _audit()
    assert error is None
    assert "No stored text breaks the rules." in out


def test_it_lists_rows_written_before_the_rules_and_changes_none(article, alice, reuters):
    span = make_span(article, alice, 0, 5, source_links=[{"source": "reuters"}])
    # Written straight to the table, as the old code let them in.
    Annotation.all_objects.filter(pk=span.pk).update(note="<script>alert(1)</script>")
    SourceLink.objects.filter(annotation=span).update(url="https://example.org/\u202egpj.exe")
    Article.objects.filter(pk=article.pk).update(title="Vrai \u202effuts")
    Source.objects.create(slug="reuters-2", name="REUTERS")

    out, error = _audit()

    assert f"annotation {span.pk}: note: holds markup" in out
    assert "url: holds a bidirectional control character" in out
    assert f"article {article.pk}: title: holds a bidirectional control character" in out
    assert "source reuters-2: name or alias reads the same as source reuters's" in out
    assert error is not None and error.startswith("4 stored value(s)")
    assert Annotation.all_objects.get(pk=span.pk).note == "<script>alert(1)</script>"

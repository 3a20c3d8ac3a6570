"""List stored text that today's rules would refuse: written before those rules existed.

Notes and titles that still read as markup, NUL characters, bidirectional controls in names,
titles, notes and URLs, and sources whose names or aliases read the same. Nothing is changed:
fix each row in the admin (an annotated article's text stays as it is; its offsets depend on
it). Exits non-zero when it finds something, so it can gate a deployment.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError

from annotations.models import Annotation, Article, Source, SourceLink
from annotations.text import MarkupError, fold_name, strip_markup
from annotations.validators import has_bidi_control

CHUNK = 2000


def _text_problem(value: str | None, *, markup: bool) -> str | None:
    if not value:
        return None
    if "\x00" in value:
        return "holds a NUL character"
    if has_bidi_control(value):
        return "holds a bidirectional control character"
    if markup:
        try:
            if strip_markup(value) != value:
                return "holds markup or entities that stripping would change"
        except MarkupError as exc:
            return str(exc)
    return None


def stored_text_problems() -> Iterator[str]:
    """One line per problem: ``<kind> <id>: <field>: <what>``."""
    for pk, note in Annotation.all_objects.exclude(note="").values_list("pk", "note").iterator(CHUNK):
        if problem := _text_problem(note, markup=True):
            yield f"annotation {pk}: note: {problem}"
    for pk, title, url in Article.objects.values_list("pk", "title", "url").iterator(CHUNK):
        if problem := _text_problem(title, markup=True):
            yield f"article {pk}: title: {problem}"
        if problem := _text_problem(url, markup=False):
            yield f"article {pk}: url: {problem}"
    for pk, url in SourceLink.objects.exclude(url=None).values_list("pk", "url").iterator(CHUNK):
        if problem := _text_problem(url, markup=False):
            yield f"source link {pk}: url: {problem}"
    seen: dict[str, str] = {}
    for slug, name, aliases, homepage in Source.objects.order_by("pk").values_list(
        "slug", "name", "aliases", "homepage"
    ):
        names = [name, *(alias for alias in (aliases or []) if isinstance(alias, str))]
        for value in names:
            if problem := _text_problem(value, markup=False):
                yield f"source {slug}: name or alias {value!r}: {problem}"
        if problem := _text_problem(homepage, markup=False):
            yield f"source {slug}: homepage: {problem}"
        for key in {fold_name(value) for value in names} - {""}:
            if key in seen:
                yield f"source {slug}: name or alias reads the same as source {seen[key]}'s ({key!r})"
            else:
                seen[key] = slug


class Command(BaseCommand):
    help = "List stored notes, titles, names and URLs that today's text rules would refuse (changes nothing)."

    def handle(self, *args, **options):
        found = 0
        for line in stored_text_problems():
            self.stdout.write(line)
            found += 1
        if found:
            raise CommandError(f"{found} stored value(s) break today's text rules; fix them in the admin.")
        self.stdout.write("No stored text breaks the rules.")

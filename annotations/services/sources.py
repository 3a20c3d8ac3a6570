"""Writes to the source registry: the API and the importer create sources here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from annotations.models import Source

# What a full replacement (PUT) resets when the client leaves it out.
SOURCE_DEFAULTS: Mapping[str, object] = {"kind": Source.Kind.OTHER, "aliases": [], "homepage": ""}
_FIELDS = ("slug", "name", "kind", "aliases", "homepage")
_NO_SLUG = "Could not make a slug from this name; send one (letters, digits, hyphens)."


def source_create(
    *,
    name: str,
    slug: str | None = None,
    kind: str = Source.Kind.OTHER,
    homepage: str | None = "",
    aliases: Sequence[str] = (),
    created_by=None,
) -> Source:
    """A new registry source; without a slug, one is made from the name."""
    values = {"name": name, "kind": kind, "homepage": homepage, "aliases": list(aliases)}
    if slug is not None:
        values["slug"] = slug
    return _save(Source(created_by=created_by), values)


def source_update(*, source: Source, changes: Mapping[str, object]) -> Source:
    """Set the fields named in ``changes`` (a partial update); pass them all to replace."""
    unknown = set(changes) - set(_FIELDS)
    if unknown:
        raise ValidationError({name: f"{name} is not a source field." for name in sorted(unknown)})
    return _save(source, changes)


def _save(source: Source, values: Mapping[str, object]) -> Source:
    for field in ("name", "kind", "aliases"):
        if field in values:
            setattr(source, field, values[field])
    if "homepage" in values:
        source.homepage = values["homepage"] or ""
    if "slug" in values:
        source.slug = values["slug"]
    elif not source.slug:
        source.slug = slugify(source.name)[:80].strip("-")
        if not source.slug:
            raise ValidationError(
                {"slug": "Could not make a slug from this name; send one (letters, digits, hyphens)."}
            )
    if isinstance(source.aliases, list):
        source.aliases = [alias.strip() if isinstance(alias, str) else alias for alias in source.aliases]
    source.full_clean()
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        # Two clients created the same slug at once; the loser hears what full_clean says.
        raise ValidationError({"slug": "A source with this slug already exists."}) from None
    return source

"""Writes to the source registry: the API and the importer create sources here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.text import slugify

from annotations.models import Source

# What a full replacement (PUT) resets when the client leaves it out.
SOURCE_DEFAULTS: Mapping[str, object] = {"kind": Source.Kind.OTHER, "aliases": [], "homepage": ""}
SOURCE_FIELDS = ("slug", "name", "kind", "aliases", "homepage", "confirmed")
_NO_SLUG = "Could not make a slug from this name; send one (letters, digits, hyphens)."


def source_create(
    *,
    name: str,
    slug: str | None = None,
    kind: str | None = None,
    homepage: str | None = "",
    aliases: Sequence[str] = (),
    created_by=None,
    confirmed: bool = False,
) -> Source:
    """A new registry source; without a slug, one is made from the name.

    ``confirmed``: staff vouch for it. Sources that annotators add (and those an import
    names) wait, marked unconfirmed, until staff confirm them.
    """
    values: dict[str, object] = {
        "name": name,
        "kind": kind or Source.Kind.OTHER,
        "homepage": homepage,
        "aliases": list(aliases),
        "confirmed": confirmed,
    }
    if slug is not None:
        values["slug"] = slug
    return _save(Source(created_by=created_by), values)


def source_update(*, source: Source, changes: Mapping[str, object]) -> Source:
    """Set the fields named in ``changes`` (a partial update); pass them all to replace."""
    unknown = set(changes) - set(SOURCE_FIELDS)
    if unknown:
        raise ValidationError({name: f"{name} is not a source field." for name in sorted(unknown)})
    return _save(source, changes)


def _save(source: Source, values: Mapping[str, object]) -> Source:
    for field in ("name", "kind", "aliases", "confirmed"):
        if field in values:
            setattr(source, field, values[field])
    if "homepage" in values:
        source.homepage = values["homepage"] or ""
    no_slug = False
    if "slug" in values:
        source.slug = values["slug"]
    elif not source.slug:
        source.slug = slugify(source.name)[:80].strip("-")
        no_slug = not source.slug
    if isinstance(source.aliases, list):
        source.aliases = [alias.strip() if isinstance(alias, str) else alias for alias in source.aliases]
    try:
        with transaction.atomic():
            _lock_registry()
            # Checked under the lock: two clients adding look-alikes at once are taken in turn.
            # A missing slug is reported with the other fields' errors (a look-alike name first).
            try:
                source.full_clean(exclude=["slug"] if no_slug else None)
            except ValidationError as exc:
                if no_slug:
                    exc.error_dict.setdefault("slug", []).append(ValidationError(_NO_SLUG))
                raise
            if no_slug:
                raise ValidationError({"slug": _NO_SLUG})
            source.save()
    except IntegrityError:
        # Two clients created the same slug at once; the loser hears what full_clean says.
        raise ValidationError({"slug": "A source with this slug already exists."}) from None
    return source


def _lock_registry() -> None:
    """Writers to the registry queue here, so the look-alike check sees every name it must.

    SQLite's writers already queue (BEGIN IMMEDIATE); on PostgreSQL this table lock stops
    other writers of the registry (not its readers) until the transaction ends.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Source._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")

"""Claims out of the workbench: ``format=claims``, ``claimreview`` and ``averitec`` of the export.

The same endpoint and command as the corpus (``GET /api/export/``, ``export_corpus``),
streamed the same way: claims are read in keyset chunks (``id > last``) from one
snapshot, with the same number of queries per chunk whatever it holds (the claims
with project, verdict and creator; their evidence; their appearances with spans,
articles, annotators and claim types; the projects' verdict scales the first time a
project is met). Records are built by ``annotations.claims.records``.

The export's filters choose claims:

- ``project``: the claims of that project; ``claim``: these claim ids;
- ``language``: claims stated in that language or appearing in an article in it;
- ``annotator``, ``label``, ``article``: claims with an appearance by that annotator,
  with that label, in those articles;
- ``since``: claims changed at or after it;
- ``anonymize``: pseudonyms for every username.

Who sees what: the claims of the caller's projects; each claim lists the appearances the
caller may read (an annotator: their own spans; reviewers and managers: everyone's).
``claimreview`` and ``averitec`` hold the claims with a verdict (not ``unchecked``).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import DEFAULT_DB_ALIAS, models

from annotations.claims import records
from annotations.claims.models import Claim, ClaimAppearance, ClaimEvidence
from annotations.export.queries import read_snapshot
from annotations.export.renderers import pseudonym
from annotations.export.stream import encode_record
from annotations.models import Annotation
from annotations.text import escape_line_separators
from annotations.vocabulary import DEFAULT_VERDICT


def claim_selection(options, *, user, using: str = DEFAULT_DB_ALIAS) -> models.QuerySet[Claim]:
    """The claims the options and the caller's projects choose (``user`` None: every claim)."""
    claims = Claim.objects.using(using)
    if user is not None:
        claims = claims.visible_to(user)
    if options.format != "claims":
        claims = claims.exclude(verdict__isnull=True).exclude(verdict__slug=DEFAULT_VERDICT)
    if getattr(options, "project", None):
        claims = claims.filter(project__slug=options.project)
    if getattr(options, "claims", ()):
        claims = claims.filter(pk__in=options.claims)
    if options.since is not None:
        claims = claims.filter(updated_at__gte=options.since)
    appearing = Annotation.objects.using(using).filter(deleted_at__isnull=True)
    narrowed = False
    if options.annotator:
        appearing, narrowed = appearing.filter(annotator__username=options.annotator), True
    if options.label:
        appearing, narrowed = appearing.filter(label__slug=options.label), True
    if options.articles:
        appearing, narrowed = appearing.filter(article_id__in=options.articles), True
    if user is not None and narrowed:
        appearing = appearing.visible_to(user)
    if narrowed:
        claims = claims.filter(pk__in=ClaimAppearance.objects.filter(annotation__in=appearing).values("claim_id"))
    if options.language:
        in_language = ClaimAppearance.objects.filter(
            annotation__deleted_at__isnull=True, annotation__article__language__iexact=options.language
        ).values("claim_id")
        claims = claims.filter(models.Q(language__iexact=options.language) | models.Q(pk__in=in_language))
    return claims


def _chunk(claims: models.QuerySet[Claim], *, user, after: int, limit: int) -> list[Claim]:
    readable = Annotation.objects.filter(deleted_at__isnull=True)
    if user is not None:
        readable = readable.visible_to(user)
    appearances = (
        ClaimAppearance.objects.filter(annotation__in=readable)
        .select_related("annotation__article", "annotation__annotator", "annotation__claim_type")
        .order_by("annotation__article_id", "annotation__start", "annotation__end", "annotation_id")
    )
    return list(
        claims.filter(pk__gt=after)
        .select_related("project", "verdict", "created_by")
        .prefetch_related(
            models.Prefetch("evidence", queryset=ClaimEvidence.objects.select_related("source").order_by("id")),
            models.Prefetch("appearances", queryset=appearances),
        )
        .order_by("pk")[:limit]
    )


def claim_export_chunks(options, *, user, chunk_size: int, using: str = DEFAULT_DB_ALIAS) -> Iterator[bytes]:
    """Yield the claims as UTF-8 JSON Lines, one piece per chunk of ``chunk_size`` claims."""
    names: dict[str, str] = {}

    def name(_user_id: int, username: str) -> str:
        if not options.anonymize:
            return username
        if username not in names:
            names[username] = pseudonym(username)
        return names[username]

    with read_snapshot(using):
        claims = claim_selection(options, user=user, using=using)
        scales: dict[int, records.Scale] = {}
        after = 0
        while True:
            chunk = _chunk(claims, user=user, after=after, limit=chunk_size)
            if not chunk:
                return
            if options.format == "claimreview":
                missing = {c.project_id for c in chunk} - set(scales)
                if missing:
                    scales.update(records.scales_for(missing))
            lines = []
            for claim in chunk:
                if options.format == "claims":
                    record = records.claim_record(claim, annotator_name=name)
                elif options.format == "claimreview":
                    record = records.claimreview(claim, scales.get(claim.project_id) or records.Scale({}, 1, 1))
                else:
                    record = records.averitec(claim)
                lines.append(encode_record(record))
            lines.append(b"")
            yield escape_line_separators(b"\n".join(lines))
            if len(chunk) < chunk_size:
                return
            after = chunk[-1].pk

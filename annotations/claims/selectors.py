"""Reads about claims: the ranked matches for a span."""

from __future__ import annotations

from collections.abc import Hashable
from functools import lru_cache

from annotations.claims.matching import ClaimTexts, Matcher, RegistryEntry
from annotations.claims.models import Claim, ClaimAppearance
from annotations.models import Annotation, Source

MAX_MATCHES = 10


@lru_cache(maxsize=4)
def _matcher(registry: tuple[RegistryEntry, ...]) -> Matcher:
    # One matcher per state of the registry, so the profiles of claims' texts computed
    # for one request serve the next ones; a new alias makes a new matcher.
    return Matcher(registry)


def registry_matcher() -> Matcher:
    rows = Source.objects.order_by("slug").values_list("slug", "name", "aliases")
    return _matcher(tuple(RegistryEntry(slug, name, tuple(aliases or ())) for slug, name, aliases in rows))


def claim_matches(*, annotation: Annotation, limit: int = 5) -> list[dict]:
    """The project's claims most likely to be the one ``annotation`` makes, best first.

    Each claim is compared through its statement and the text of each live appearance,
    in its own language; the span's own claim (if any) is left out. Four queries: the
    span's current claim, the claims, their appearances and the registry.
    """
    project_id = annotation.article.project_id
    own = ClaimAppearance.objects.filter(annotation=annotation).values_list("claim_id", flat=True).first()
    claims = Claim.objects.filter(project_id=project_id).exclude(pk=own).values_list("pk", "statement", "language")
    texts: dict[int, list[tuple[str, str]]] = {pk: [(statement, language)] for pk, statement, language in claims}
    statements: dict[Hashable, tuple[str, str]] = {pk: items[0] for pk, items in texts.items()}
    appearances = ClaimAppearance.objects.filter(
        claim_id__in=list(texts), annotation__deleted_at__isnull=True
    ).values_list("claim_id", "annotation__text", "annotation__article__language")
    for claim_id, text, language in appearances:
        texts[claim_id].append((text, language))
    candidates = [ClaimTexts(pk, tuple(items)) for pk, items in texts.items()]
    matches = registry_matcher().rank(
        annotation.text, annotation.article.language, candidates, limit=min(limit, MAX_MATCHES)
    )
    return [
        {
            "claim": m.claim,
            "statement": statements[m.claim][0],
            "language": statements[m.claim][1],
            "score": m.score,
            "reasons": m.reasons,
        }
        for m in matches
    ]

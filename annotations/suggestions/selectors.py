"""Suggestions for one article as one user sees them: the engine's output, minus what
they dismissed and what they already marked with the same label."""

from __future__ import annotations

from collections import defaultdict

from annotations.models import Annotation, Article, Dismissal, Source
from annotations.suggestions.engine import SourceMatcher, SourceName, Suggestion, suggest


def suggestions_enabled(article: Article) -> bool:
    """The project's ``suggestions`` setting (the annotate page shows none when it is off)."""
    return bool(article.project.suggestions)


def registry_matcher() -> SourceMatcher:
    """The confirmed sources of the registry as the engine reads them (one query).

    Anyone may add a source; until staff confirm it, its names (an alias such as "The")
    could put a link on every page, so suggestions leave it out.
    """
    rows = Source.objects.filter(confirmed=True).order_by("slug").values_list("slug", "name", "aliases")
    return SourceMatcher(
        SourceName(slug, (name, *(alias for alias in aliases or [] if isinstance(alias, str))))
        for slug, name, aliases in rows
    )


def article_suggestions_all(article: Article) -> list[Suggestion]:
    return suggest(article.text, article.language, registry_matcher())


def suggestions_for(*, article: Article, user) -> list[dict]:
    """What ``GET /api/articles/{id}/suggestions/`` returns: four queries, whatever the sizes.

    Nothing for a project whose ``suggestions`` setting is off."""
    if not article.project.suggestions:
        return []
    suggestions = article_suggestions_all(article)
    dismissed = set(Dismissal.objects.filter(article=article, user=user).values_list("suggestion", flat=True))
    marked: dict[str, list[tuple[int, int]]] = defaultdict(list)
    rows = Annotation.objects.filter(article=article, annotator=user, is_gold=False)
    for start, end, label in rows.values_list("start", "end", "label__slug").order_by():
        marked[label].append((start, end))
    kept = [
        s
        for s in suggestions
        if s.id not in dismissed and not any(s.start < end and start < s.end for start, end in marked[s.label])
    ]
    ids = {s.id for s in kept}
    out = []
    for suggestion in kept:
        record = suggestion.as_dict()
        if record["pair"] not in ids:
            # The claim it pairs with was dismissed or is already marked: nothing to point at.
            record["pair"] = None
        out.append(record)
    return out

"""Writes for suggestions: a dismissal. Accepting one is an ordinary annotation (and relation) write."""

from __future__ import annotations

from annotations.models import Article, Dismissal


def suggestion_dismiss(*, user, article: Article, suggestion_id: str) -> Dismissal:
    """Hide one suggestion on one article for ``user``; dismissing again changes nothing."""
    dismissal, _ = Dismissal.objects.get_or_create(article=article, user=user, suggestion=suggestion_id)
    return dismissal

"""Offline suggestions: attribution phrases with their sources and claims, and claim candidates.

``suggest(text, language, sources)`` needs no database; ``annotations.suggestions.selectors``
feeds it an article and the registry.
"""

from annotations.suggestions.engine import (
    ATTRIBUTION,
    CLAIM,
    LANGUAGES,
    SourceMatcher,
    SourceName,
    Suggestion,
    suggest,
    suggestion_id,
)

__all__ = [
    "ATTRIBUTION",
    "CLAIM",
    "LANGUAGES",
    "SourceMatcher",
    "SourceName",
    "Suggestion",
    "suggest",
    "suggestion_id",
]

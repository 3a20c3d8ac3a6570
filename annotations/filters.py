"""Query-string filters of the REST API (django-filter: a bad value answers 400 naming it)."""

from __future__ import annotations

import json

from django import forms
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django_filters import rest_framework as filters

from annotations.models import Annotation, Article, Source
from annotations.projects.selectors import visible_project_or_404

MAX_QUERY_LENGTH = 200
MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        # Past a 64-bit id the databases overflow instead of finding nothing.
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(filters.NumberFilter):
    """An id: ``?article=3``; ``3.5``, ``x`` or ``2**63`` answer 400 instead of being rounded or ignored."""

    field_class = IdField


class ProjectFilter(filters.CharFilter):
    """``?project=<slug>``: a project the caller may see, else 404 (as for any of its URLs)."""

    def __init__(self, field_name: str, **kwargs):
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("help_text", "Project slug, e.g. seed.")
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        project = visible_project_or_404(self.parent.request.user, value)
        return qs.filter(**{self.field_name: project})


class ArticleFilter(filters.FilterSet):
    project = ProjectFilter("project")
    language = filters.CharFilter(
        field_name="language", lookup_expr="iexact", max_length=35, help_text="BCP 47 tag, e.g. id, fr, ar."
    )
    q = filters.CharFilter(
        method="search", max_length=MAX_QUERY_LENGTH, help_text="Words to find in the title or the text."
    )

    class Meta:
        model = Article
        fields = ["project", "language", "q"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(text__icontains=value))


class AnnotationFilter(filters.FilterSet):
    project = ProjectFilter("article__project")
    article = IdFilter(field_name="article_id", help_text="Article id.")
    label = filters.CharFilter(field_name="label__slug", max_length=50, help_text="Label slug, e.g. claim.")
    annotator = filters.CharFilter(field_name="annotator__username", max_length=150, help_text="Username.")
    # Which rows (live or deleted) is decided by AnnotationViewSet.get_queryset, next to
    # who may read them; the filter only validates the value and documents it.
    deleted = filters.ChoiceFilter(
        choices=[("0", "Live annotations (the default)"), ("1", "Deleted annotations you may restore")],
        method="rows_chosen_by_the_view",
        help_text="1: your deleted annotations (staff: everyone's), newest deletion first, each with deleted_at.",
    )

    class Meta:
        model = Annotation
        fields = ["project", "article", "label", "annotator", "deleted"]

    def rows_chosen_by_the_view(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset


def _alias_terms(value: str) -> list[str]:
    """The forms the term can take inside the aliases column cast to text.

    PostgreSQL renders jsonb as UTF-8 text (``["رويترز"]``); SQLite keeps the JSON as
    Django wrote it, with non-ASCII characters escaped (``["\\u0631..."]``). Searching
    for both spellings finds an alias on either database.
    """
    escaped = json.dumps(value)[1:-1]
    return [value] if escaped == value else [value, escaped]


class VocabularyFilter(filters.FilterSet):
    project = ProjectFilter("project")


class SourceFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="search",
        max_length=MAX_QUERY_LENGTH,
        help_text="Part of the name, slug or any alias (رويترز finds Reuters).",
    )
    kind = filters.ChoiceFilter(choices=Source.Kind.choices)

    class Meta:
        model = Source
        fields = ["q", "kind"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        match = Q(name__icontains=value) | Q(slug__icontains=value)
        # JSON punctuation would match the list's own brackets and quotes, not a name.
        if not set(value) & set('[]"\\'):
            for term in _alias_terms(value):
                match |= Q(aliases_text__icontains=term)
        return queryset.annotate(aliases_text=Cast("aliases", output_field=TextField())).filter(match)

"""The Hugging Face dataset card: docs/dataset-card.md filled with the database's figures."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, F, Q
from django.template import Context, Engine
from django.utils import timezone

from annotations.claims import records
from annotations.claims.models import Claim, ClaimAppearance
from annotations.models import SEED_PROJECT, Annotation, Article, Verdict

CARD_TEMPLATE = settings.BASE_DIR / "docs" / "dataset-card.md"


def _size_category(count: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if count < limit:
            return name
    return "n>1M"


def dataset_card(*, project: str | None = None) -> str:
    """The card for everything exported (or one project's), as Markdown with YAML front matter."""
    articles = Article.objects.all()
    spans = Annotation.objects.filter(is_gold=False)
    claims = Claim.objects.all()
    if project is not None:
        articles = articles.filter(project__slug=project)
        spans = spans.filter(article__project__slug=project)
        claims = claims.filter(project__slug=project)
    languages = articles.values("language").annotate(count=Count("pk")).order_by("-count", "language")
    labels = spans.values(slug=F("label__slug")).annotate(count=Count("pk")).order_by("-count", "slug")
    vocabulary = list(Verdict.objects.filter(project__slug=project or SEED_PROJECT))
    scale = records.Scale.of(vocabulary)
    verdicts = [
        {
            "slug": v.slug,
            "alternate_name": v.claimreview_name or v.name,
            "rating": scale.values.get(v.pk),
            "averitec": records.AVERITEC_LABELS.get(v.xfact_label, records.NOT_ENOUGH_EVIDENCE),
            "xfact": v.xfact_label or "—",
        }
        for v in sorted(vocabulary, key=lambda v: (v.order, v.slug))
        if v.slug != records.DEFAULT_VERDICT
    ]
    article_count = articles.count()
    context = {
        "title": f"Fact-check workbench corpus{f' ({project})' if project else ''}",
        "generated": timezone.now().date().isoformat(),
        "languages": [{"code": row["language"], "count": row["count"]} for row in languages],
        "labels": [{"slug": row["slug"], "count": row["count"]} for row in labels if row["slug"]],
        "articles": article_count,
        "size_category": _size_category(article_count),
        "spans": spans.count(),
        "claims": claims.count(),
        "claims_with_verdict": claims.filter(verdict__isnull=False)
        .exclude(Q(verdict__slug=records.DEFAULT_VERDICT))
        .count(),
        "appearances": ClaimAppearance.objects.filter(claim__in=claims, annotation__deleted_at__isnull=True).count(),
        "verdicts": verdicts,
        "best_rating": scale.best,
        "author": settings.CLAIMREVIEW_AUTHOR_NAME,
    }
    # Markdown, not HTML: nothing to escape.
    engine = Engine(autoescape=False)
    return engine.from_string(CARD_TEMPLATE.read_text(encoding="utf-8")).render(Context(context))

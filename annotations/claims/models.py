"""Claims: a claim is checked once and appears in many spans, articles and languages.

A span (``Annotation``) belongs to at most one claim: ``ClaimAppearance.annotation``
is unique in the database, so two writers racing to claim one span cannot both win.
Every change to a claim, its evidence and its appearances is kept by simple_history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from simple_history.models import HistoricalRecords

from annotations.models import (
    Annotation,
    MemberScopedQuerySet,
    Project,
    Role,
    Source,
    SourceReference,
    Verdict,
    member_projects,
    sees_every_project,
)
from annotations.validators import validate_http_url

STATEMENT_MAX_LENGTH = 5_000
EXPLANATION_MAX_LENGTH = 10_000
CLAIMANT_MAX_LENGTH = 200


class ClaimQuerySet(MemberScopedQuerySet):
    def visible_to(self, user) -> ClaimQuerySet:
        """Claims of the projects a user may see: a project's claims are shared by its members."""
        return self.scoped_to(user, lambda: Q(project__in=member_projects(user)), sees_all=sees_every_project)

    def reviewed_by(self, user) -> ClaimQuerySet:
        """Claims whose verdict ``user`` may set: reviewers' and managers' projects (staff: all)."""
        return self.scoped_to(
            user,
            lambda: Q(project__in=member_projects(user, roles=(str(Role.REVIEWER), str(Role.MANAGER)))),
            sees_all=sees_every_project,
        )

    def with_relations(self) -> ClaimQuerySet:
        return self.select_related("project", "verdict", "created_by").prefetch_related(
            models.Prefetch("evidence", queryset=ClaimEvidence.objects.select_related("source").order_by("id")),
            models.Prefetch(
                "appearances",
                queryset=ClaimAppearance.objects.select_related(
                    "annotation__article", "annotation__annotator", "annotation__claim_type"
                ).order_by("annotation__article_id", "annotation__start", "annotation__end", "annotation_id"),
            ),
        )

    def with_appearance_count(self) -> ClaimQuerySet:
        # Deleted spans keep their row (restorable) but are not shown as appearances.
        return self.annotate(
            appearance_count=Count("appearances", filter=Q(appearances__annotation__deleted_at__isnull=True))
        )


class Claim(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in-progress", "In progress"
        CHECKED = "checked", "Checked"
        PUBLISHED = "published", "Published"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="claims")
    statement = models.TextField(max_length=STATEMENT_MAX_LENGTH, help_text="The claim as checked.")
    language = models.CharField(max_length=35, help_text="BCP 47 tag of the statement.")
    claimant = models.CharField(max_length=CLAIMANT_MAX_LENGTH, blank=True)
    claim_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    verdict = models.ForeignKey(Verdict, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    rating_explanation = models.TextField(blank=True, max_length=EXPLANATION_MAX_LENGTH)
    review_url = models.URLField(max_length=2048, null=True, blank=True, validators=[validate_http_url])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    version = models.PositiveIntegerField(default=1)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return self.statement[:80]


class ClaimEvidence(SourceReference):
    """A source the claim is checked against, with the exact report and how it bears on the claim."""

    # Evidence bears on the claim: every relation but "attributed to" (a span's speaker).
    Relation = models.TextChoices(
        "Relation",
        [
            (member.name, (member.value, member.label))
            for member in SourceReference.Relation.__members__.values()
            if member != SourceReference.Relation.ATTRIBUTED
        ],
    )

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claim_evidence")
    relation = models.CharField(max_length=20, choices=Relation.choices, default=Relation.CONTEXT)


class ClaimAppearance(models.Model):
    """A span that makes the claim. One claim per span, in the database."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="appearances")
    annotation = models.OneToOneField(Annotation, on_delete=models.CASCADE, related_name="claim_appearance")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.annotation_id} in claim {self.claim_id}"

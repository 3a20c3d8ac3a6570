"""The workbench's domain: articles, the tag vocabulary, the source registry and spans.

Offsets are Unicode code points into ``Article.text`` (end exclusive), the same
positions Python slicing uses; see ``annotations.offsets`` for the one rule every
writer goes through.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, Q
from simple_history.models import HistoricalRecords

from annotations.text import fold_name
from annotations.validators import BIDI_MESSAGE, has_bidi_control, validate_http_url, validate_no_bidi_controls

RTL_LANGUAGES = {"ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ps", "sd", "ur", "yi"}

MAX_ANNOTATORS_PER_ARTICLE = 50

REVIEWER_GROUP = "reviewer"
ANNOTATOR_GROUP = "annotator"

NOTE_MAX_LENGTH = 10_000
# Fields whose index the history tables of spans and of source references (links, claim
# evidence) leave out (see Annotation.history).
HISTORY_NOT_INDEXED = [
    "article",
    "annotator",
    "label",
    "claim_type",
    "verdict",
    "updated_at",
    "deleted_at",
    "annotation",
    "source",
]
# What an annotator writes on an annotation, in the order the API, the admin and the export list it.
ANNOTATION_CONTENT_FIELDS = ("start", "end", "text", "label", "claim_type", "checkworthy", "verdict", "note")
# Which article a record is and how its text reads: the first keys of an article in the API and the export.
ARTICLE_HEAD_FIELDS = ("id", "project", "external_id", "title", "language", "direction")


def direction_for_language(language: str) -> str:
    primary = (language or "").split("-")[0].lower()
    return "rtl" if primary in RTL_LANGUAGES else "ltr"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_reviewer(user) -> bool:
    """Reviewers and staff read every annotator's work; annotators only their own."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # Cached on the user object: permission checks run on every request.
    if not hasattr(user, "_is_reviewer"):
        user._is_reviewer = user.groups.filter(name=REVIEWER_GROUP).exists()
    return user._is_reviewer


class SlugNaturalKeyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


SEED_PROJECT = "seed"


class Role(models.TextChoices):
    # Labels come from the names ("Annotator", ...); plain values keep the members str for mypy.
    ANNOTATOR = "annotator"
    REVIEWER = "reviewer"
    MANAGER = "manager"


# Higher ranks include what lower ones may do.
ROLE_RANK = {Role.ANNOTATOR: 1, Role.REVIEWER: 2, Role.MANAGER: 3}


def sees_every_project(user) -> bool:
    """Staff, and the reviewer group of the first round (a reviewer in every project)."""
    return is_reviewer(user)


def project_roles(user) -> dict[int, str]:
    """``{project_id: role}`` for every project the user is a member of, in one query,
    cached on the user object (checked several times per request)."""
    if not user.is_authenticated:
        return {}
    if not hasattr(user, "_project_roles"):
        user._project_roles = dict(Membership.objects.filter(user=user).values_list("project_id", "role"))
    return user._project_roles


def forget_project_roles(user) -> None:
    """Drop the cached roles after a membership of ``user`` changed."""
    with contextlib.suppress(AttributeError):
        del user._project_roles


def member_projects(user, *, roles: tuple[str, ...] | None = None) -> models.QuerySet:
    """Ids of the projects ``user`` belongs to (with one of ``roles``), as a subquery:
    ``IN (SELECT ...)`` adds no duplicate rows, unlike a join through the memberships."""
    memberships = Membership.objects.filter(user_id=user.pk)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return memberships.values("project_id")


def in_reviewer_group(user) -> Exists:
    """``is_reviewer`` as SQL, for a filter: one query fewer than asking first, and the
    same answer (staff are handled before, in Python)."""
    return Exists(user.groups.through.objects.filter(user_id=user.pk, group__name=REVIEWER_GROUP))


def project_role(user, project: Project | int) -> str | None:
    """The role that decides what ``user`` may do in ``project``; None for an outsider.

    Staff manage every project; the first round's reviewer group reviews every project
    (a membership can still raise it to manager).
    """
    if not user.is_authenticated:
        return None
    if user.is_staff or user.is_superuser:
        return Role.MANAGER
    project_id = project.pk if isinstance(project, Project) else project
    role = project_roles(user).get(project_id)
    if is_reviewer(user) and (role is None or ROLE_RANK[role] < ROLE_RANK[Role.REVIEWER]):
        return Role.REVIEWER
    return role


def reviews_somewhere(user) -> bool:
    """Whether the user reviews any project: the review pages are theirs (scoped to those projects)."""
    if is_reviewer(user):
        return True
    return any(ROLE_RANK[role] >= ROLE_RANK[Role.REVIEWER] for role in project_roles(user).values())


def has_project_role(user, project: Project | int, role: str) -> bool:
    """Whether ``user`` holds ``role`` or a higher one in ``project``."""
    held = project_role(user, project)
    return held is not None and ROLE_RANK[held] >= ROLE_RANK[role]


def is_staff_user(user) -> bool:
    return bool(user.is_staff or user.is_superuser)


class MemberScopedQuerySet(models.QuerySet):
    """Rows read per user: logged out, none; those who see everything, all; others, ``rule``'s."""

    def scoped_to(self, user, rule: Callable[[], Q], *, sees_all: Callable[[Any], bool] = is_staff_user) -> Self:
        # ``rule`` is called last: logged-out users and staff never pay for the membership subquery.
        if not user.is_authenticated:
            return self.none()
        if sees_all(user):
            return self
        return self.filter(rule())


class ProjectQuerySet(MemberScopedQuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        """The one place that says which projects a user may see (outsiders get 404)."""
        return self.scoped_to(user, lambda: Q(pk__in=member_projects(user)) | in_reviewer_group(user))

    def managed_by(self, user) -> ProjectQuerySet:
        return self.scoped_to(user, lambda: Q(pk__in=member_projects(user, roles=(Role.MANAGER,))))


class ProjectManager(models.Manager.from_queryset(ProjectQuerySet)):  # type: ignore[misc]  # a manager built from the queryset
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Project(models.Model):
    """A campaign: its own articles, vocabulary, members and guidelines."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    guidelines = models.TextField(blank=True, max_length=100_000, help_text="Markdown; shown sanitised.")
    languages = models.JSONField(default=list, blank=True, help_text='BCP 47 tags, e.g. ["fr", "ar"].')
    allow_overlap = models.BooleanField(default=True)
    annotators_per_article = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_ANNOTATORS_PER_ARTICLE)]
    )
    suggestions = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "slug"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.slug,)

    def clean(self) -> None:
        from annotations.validators import validate_languages

        validate_languages(self.languages)
        # A TextField's max_length binds forms only; every writer goes through full_clean.
        too_long = {
            name: f"{name} may be at most {self._meta.get_field(name).max_length:,} characters."
            for name in ("description", "guidelines")
            if len(getattr(self, name) or "") > self._meta.get_field(name).max_length
        }
        if too_long:
            raise ValidationError(too_long)


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ANNOTATOR)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "user_id"]
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_pair")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} in {self.project_id}"


def seed_project_pk() -> int:
    """Where first-round callers that name no project write: the ``seed`` project."""
    return Project.objects.get_or_create(slug=SEED_PROJECT, defaults={"name": "Seed corpus"})[0].pk


class VocabularyManager(models.Manager):
    def get_by_natural_key(self, slug, project_slug=SEED_PROJECT):
        return self.get(slug=slug, project__slug=project_slug)


class VocabularyEntry(models.Model):
    """Shared shape of the editable tag vocabularies (labels, claim types, verdicts),
    each owned by one project; a slug is unique within its project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="%(class)ss", default=seed_project_pk)
    slug = models.SlugField(max_length=50)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # A retired entry stays on the spans that use it but is no longer offered for new ones.
    retired = models.BooleanField(default=False)

    objects = VocabularyManager()

    class Meta:
        abstract = True
        ordering = ["order", "slug"]
        constraints = [models.UniqueConstraint(fields=["project", "slug"], name="%(class)s_slug_unique_in_project")]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.slug, *self.project.natural_key())

    natural_key.dependencies = ["annotations.project"]  # type: ignore[attr-defined]  # read by dumpdata


class Label(VocabularyEntry):
    color = models.CharField(
        max_length=7,
        default="#ffd54f",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a hex colour like #ffd54f.")],
    )
    shortcut = models.CharField(max_length=1, blank=True, help_text="One key that applies this label.")

    class Meta(VocabularyEntry.Meta):
        pass


class ClaimType(VocabularyEntry):
    class Meta(VocabularyEntry.Meta):
        pass


class Verdict(VocabularyEntry):
    claimreview_name = models.CharField(
        max_length=100, blank=True, help_text="ClaimReview reviewRating.alternateName for this verdict."
    )
    xfact_label = models.CharField(max_length=50, blank=True, help_text="The X-Fact label it maps onto.")

    class Meta(VocabularyEntry.Meta):
        pass


class Source(models.Model):
    class Kind(models.TextChoices):
        NEWS_AGENCY = "news-agency", "News agency"
        NEWSPAPER = "newspaper", "Newspaper"
        BROADCASTER = "broadcaster", "Broadcaster"
        COMPANY = "company", "Company"
        GOVERNMENT = "government", "Government"
        RESEARCH = "research", "Research"
        OTHER = "other", "Other"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200, validators=[validate_no_bidi_controls])
    homepage = models.URLField(max_length=2048, blank=True, validators=[validate_http_url])
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Names as written in other languages and scripts, e.g. رويترز."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Anyone signed in may add a source; until staff confirm it, the picker says so, so a
    # look-alike of a known outlet is never taken for the real one.
    confirmed = models.BooleanField(
        default=False, help_text="Checked by staff. Sources added by annotators start unconfirmed."
    )

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.slug,)

    def clean(self) -> None:
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            raise ValidationError({"aliases": "Aliases must be a list of names."})
        if any(has_bidi_control(alias) for alias in self.aliases):
            raise ValidationError({"aliases": f"An alias {BIDI_MESSAGE}"})
        self._refuse_look_alikes()

    def _refuse_look_alikes(self) -> None:
        """No name or alias of this source may fold to a name or alias of another one: a second
        "Reuters" (or a fullwidth one, or Reuters' Arabic alias) would pass for the real one."""
        mine: dict[str, tuple[str, str]] = {}
        for field, values in (("aliases", self.aliases), ("name", [self.name])):
            for value in values:
                if isinstance(value, str) and fold_name(value):
                    mine[fold_name(value)] = (field, value)
        errors: dict[str, list[str]] = {}
        others = Source.objects.exclude(pk=self.pk).order_by("name").values_list("slug", "name", "aliases")
        for slug, name, aliases in others.iterator():
            theirs = [name, *(aliases if isinstance(aliases, list) else [])]
            for taken in theirs:
                if isinstance(taken, str) and fold_name(taken) in mine:
                    field, value = mine.pop(fold_name(taken))
                    errors.setdefault(field, []).append(
                        f"{name} ({slug}) already goes by {taken!r}, and {value!r} reads the same "
                        "(case, width and invisible characters aside): link to that source, or "
                        "choose a name that tells them apart."
                    )
        if errors:
            raise ValidationError(errors)


class ArticleQuerySet(MemberScopedQuerySet):
    def visible_to(self, user) -> ArticleQuerySet:
        """Articles of the projects the user may see (``Project.objects.visible_to``)."""
        return self.scoped_to(user, lambda: Q(project__in=member_projects(user)) | in_reviewer_group(user))

    def reviewable_by(self, user) -> ArticleQuerySet:
        """Articles whose annotators' work the user may review: in the projects where they
        are a reviewer or manager (staff and the reviewer group: everywhere)."""
        return self.scoped_to(
            user,
            lambda: Q(project__in=member_projects(user, roles=(Role.REVIEWER, Role.MANAGER))) | in_reviewer_group(user),
        )


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):  # type: ignore[misc]  # a manager built from the queryset
    def get_by_natural_key(self, external_id, project_slug=SEED_PROJECT):
        return self.get(external_id=external_id, project__slug=project_slug)


class Article(models.Model):
    class Direction(models.TextChoices):
        LTR = "ltr", "Left to right"
        RTL = "rtl", "Right to left"

    # No index of its own: the unique (project, external_id) index begins with it. With both,
    # SQLite (no statistics) chose this one for "project = ? AND external_id IN (…)" and read
    # every article of the project for each batch an import looks up: quadratic.
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="articles", default=seed_project_pk, db_index=False
    )
    external_id = models.CharField(max_length=255)
    title = models.CharField(max_length=500, validators=[validate_no_bidi_controls])
    text = models.TextField(help_text="Plain text; annotation offsets index into it.")
    language = models.CharField(max_length=35, help_text="BCP 47 tag, e.g. id, fr, ar; und when unknown.")
    direction = models.CharField(max_length=3, choices=Direction.choices, blank=True)
    url = models.URLField(max_length=2048, null=True, blank=True, validators=[validate_http_url])
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    text_sha256 = models.CharField(max_length=64, editable=False)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleManager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["language"])]
        constraints = [
            models.UniqueConstraint(fields=["project", "external_id"], name="article_external_id_unique_in_project")
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self):
        return (self.external_id, *self.project.natural_key())

    natural_key.dependencies = ["annotations.project"]  # type: ignore[attr-defined]  # read by dumpdata

    def save(self, *args, **kwargs):
        if not self.direction:
            self.direction = direction_for_language(self.language)
        self.text_sha256 = text_sha256(self.text)
        if not kwargs.get("force_insert"):
            self._check_text_unchanged()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self._check_text_unchanged()

    def _check_text_unchanged(self) -> None:
        # The offset rule depends on the text never moving under existing spans.
        if not self.pk:
            return
        stored = Article.objects.filter(pk=self.pk).values_list("text_sha256", flat=True).first()
        if (
            stored is not None
            and stored != text_sha256(self.text)
            and Annotation.all_objects.filter(article_id=self.pk).exists()
        ):
            raise ValidationError({"text": "The text cannot change once it has annotations."})


class AnnotationQuerySet(MemberScopedQuerySet):
    def visible_to(self, user) -> AnnotationQuerySet:
        """The one place that says whose spans a user may read: in the projects they belong
        to, their own; a project's reviewers and managers, everyone's there; staff and the
        reviewer group, everything."""
        return self.scoped_to(
            user,
            lambda: (
                Q(article__project__in=member_projects(user, roles=(Role.REVIEWER, Role.MANAGER)))
                | Q(annotator=user, article__project__in=member_projects(user))
            ),
            sees_all=sees_every_project,
        )

    def owned_by(self, user) -> AnnotationQuerySet:
        """What a user may change: their own spans in the projects they see (staff: everything)."""
        # In SQL rather than through is_reviewer(): writes stay one query shorter.
        return self.scoped_to(
            user,
            lambda: (
                (
                    Q(article__project__in=member_projects(user))
                    | Exists(user.groups.through.objects.filter(user_id=user.pk, group__name=REVIEWER_GROUP))
                )
                & Q(annotator=user)
            ),
        )

    def own_layer(self, user) -> AnnotationQuerySet:
        """The user's own annotations: not the gold spans they wrote as a reviewer (those are
        the gold layer's, edited on the adjudication page)."""
        return self.filter(annotator=user, is_gold=False)

    def with_relations(self) -> AnnotationQuerySet:
        return self.select_related("annotator", "label", "claim_type", "verdict").prefetch_related(
            models.Prefetch("source_links", queryset=SourceLink.objects.select_related("source").order_by("id"))
        )


class LiveAnnotationManager(models.Manager.from_queryset(AnnotationQuerySet)):  # type: ignore[misc]  # a manager built from the queryset
    """Deleted spans stay in the table (restorable) but are invisible by default."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


AllAnnotationManager = models.Manager.from_queryset(AnnotationQuerySet)


class Annotation(models.Model):
    # An annotated article cannot be deleted: its spans (deleted and gold ones too) would be
    # lost for good, and re-importing its external_id with new text would sidestep the text lock.
    # Looked up through the (article, annotator) index below, which begins with the article.
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="annotations", db_index=False)
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="annotations")
    claim_type = models.ForeignKey(
        ClaimType, null=True, blank=True, on_delete=models.PROTECT, related_name="annotations"
    )
    checkworthy = models.BooleanField(null=True, blank=True)
    verdict = models.ForeignKey(Verdict, null=True, blank=True, on_delete=models.PROTECT, related_name="annotations")
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    # Gold layer: a reviewer's settled version; proposed_by keeps who suggested it.
    is_gold = models.BooleanField(default=False)
    proposed_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="proposed_gold")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    version = models.PositiveIntegerField(default=1)
    # Indexed for deleted spans only (Meta.indexes): nearly every span has none, so a full
    # index costs every write and "deleted_at IS NULL" reads the table anyway (a plan that
    # took that index for a selective one read every span for each chunk of an export).
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = LiveAnnotationManager()
    all_objects = AllAnnotationManager()
    # History is read per record (its id) and by date; the indexes simple_history copies
    # from the live table (article, annotator, vocabulary, timestamps) serve no query and
    # cost every write, seven index entries per span (the bulk import writes 500,000).
    history = HistoricalRecords(no_db_index=HISTORY_NOT_INDEXED)

    class Meta:
        ordering = ["article_id", "start", "end", "id"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="annotation_start_not_negative"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="annotation_not_empty"),
        ]
        indexes = [
            models.Index(fields=["article", "annotator"]),
            # The deleted spans only (newest deletion first): live ones never enter it.
            models.Index(fields=["-deleted_at"], condition=Q(deleted_at__isnull=False), name="annotation_deleted"),
        ]

    def __str__(self) -> str:
        return f"{self.label_id}:{self.start}-{self.end} {self.text[:40]}"

    def clean(self) -> None:
        from annotations.offsets import check_span

        if self.article_id is not None:
            check_span(self.article.text, self.start, self.end, self.text or None)
            # A span's vocabulary is its article's project's.
            project_id = self.article.project_id
            errors = {
                field: f"This {field} belongs to another project than the article."
                for field in ("label", "claim_type", "verdict")
                if getattr(self, f"{field}_id") is not None and getattr(self, field).project_id != project_id
            }
            if errors:
                raise ValidationError(errors)


class SourceReference(models.Model):
    """A source cited with the exact report (``url``) and how it bears (``relation``): a span's
    source link, a claim's evidence. Each kind says what cites the source and which relations
    it may have."""

    url = models.URLField(max_length=2048, null=True, blank=True, validators=[validate_http_url])

    class Relation(models.TextChoices):
        """Every relation a source may have to what cites it."""

        ATTRIBUTED = "attributed", "Attributed to"
        SUPPORTS = "supports", "Supports"
        REFUTES = "refutes", "Refutes"
        CONTEXT = "context", "Context"

    history = HistoricalRecords(inherit=True, no_db_index=HISTORY_NOT_INDEXED)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.relation} {self.source_id}"


class SourceLink(SourceReference):
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="source_links")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="links")
    relation = models.CharField(
        max_length=20, choices=SourceReference.Relation.choices, default=SourceReference.Relation.ATTRIBUTED
    )


class ArticleAnnotatorRecord(models.Model):
    """At most one row per article and annotator; ``str()`` is "<article> <joiner> <annotator>"."""

    joiner = ""

    class Meta:
        abstract = True
        constraints = [models.UniqueConstraint(fields=["article", "annotator"], name="one_%(class)s_per_pair")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.joiner} {self.annotator_id}"


class Assignment(ArticleAnnotatorRecord):
    """Staff hand an article to an annotator; assigned work is listed first."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="assignments")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    joiner = "→"


class Completion(ArticleAnnotatorRecord):
    """An annotator marked an article done."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="completions")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="completions")
    done_at = models.DateTimeField(auto_now_add=True)

    joiner = "done by"


class ReviewDecision(models.Model):
    """A reviewer's decision on one annotator's span during adjudication."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted into gold"
        REJECTED = "rejected", "Rejected"

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="review_decisions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    gold = models.ForeignKey(
        Annotation, null=True, blank=True, on_delete=models.SET_NULL, related_name="accepted_candidates"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["annotation"], name="one_decision_per_annotation")]

    def __str__(self) -> str:
        return f"{self.decision} {self.annotation_id}"


class RelationQuerySet(models.QuerySet):
    def live(self) -> RelationQuerySet:
        """Relations whose two spans are both live: deleting a span hides its relations, restoring shows them."""
        return self.filter(from_annotation__deleted_at__isnull=True, to_annotation__deleted_at__isnull=True)

    def visible_to(self, user) -> RelationQuerySet:
        """A relation is readable by whoever may read its spans (both are in one layer):
        ``Annotation.objects.visible_to`` decides, here as everywhere."""
        if not user.is_authenticated:
            return self.none()
        if is_reviewer(user):
            return self
        return self.filter(from_annotation__in=Annotation.all_objects.visible_to(user).values("pk"))


class Relation(models.Model):
    """A typed link between two spans of one article and one layer.

    ``attribution`` links an attribution span ("Selon Reuters") to the claim span it
    attributes. Both spans belong to the same annotator's layer, or both to gold.
    """

    class Type(models.TextChoices):
        ATTRIBUTION = "attribution", "Attribution"

    from_annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="relations_from")
    to_annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="relations_to")
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.ATTRIBUTION)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RelationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["from_annotation", "to_annotation", "type"], name="one_relation_per_pair"),
            models.CheckConstraint(
                condition=~Q(from_annotation=models.F("to_annotation")), name="relation_links_two_spans"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.from_annotation_id}→{self.to_annotation_id}"


class Dismissal(models.Model):
    """A user hid one suggestion on one article; suggestion ids are stable, so it stays hidden."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="dismissals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dismissals")
    suggestion = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user", "suggestion"], name="one_dismissal_per_suggestion")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} dismissed {self.suggestion} on {self.article_id}"


class ImportJob(models.Model):
    """One uploaded file imported in the background (``annotations.importing.jobs``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The user who owns imported spans.",
    )
    file_name = models.CharField(max_length=255, help_text="The uploaded file's name.")
    stored_file = models.CharField(max_length=255, blank=True, help_text="Where the upload waits for a worker.")
    format = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    spans = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    worker = models.CharField(max_length=255, blank=True, help_text="host:pid of the worker running it.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"


# Claims live in annotations/claims/ (a feature folder); importing them here registers them with the app.
from annotations.claims.models import Claim, ClaimAppearance, ClaimEvidence  # noqa: E402, F401

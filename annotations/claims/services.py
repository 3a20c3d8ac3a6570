"""Writes to claims: the API, the pages and the admin all call these functions.

Who may do what, in one place:

- any member creates a claim from a span of theirs, attaches their own spans to a
  claim of the project and detaches them; reviewers and managers attach and detach any
  span of the project;
- the claim's creator and the project's reviewers and managers edit its statement,
  language, claimant, date and evidence;
- only reviewers and managers (and staff) set the verdict, rating explanation, status
  and review URL, merge two claims, split one, or delete one they did not create.

Each function validates everything before it writes, in one transaction, so a refused
request leaves nothing behind. Updates are optimistic like spans': the caller names
the ``version`` it edited and a stale one raises ``StaleClaim``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence

import bleach
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from annotations.claims.models import (
    CLAIMANT_MAX_LENGTH,
    EXPLANATION_MAX_LENGTH,
    STATEMENT_MAX_LENGTH,
    Claim,
    ClaimAppearance,
    ClaimEvidence,
)
from annotations.models import Annotation, Project, Role, Source, Verdict, has_project_role
from annotations.services.annotations import LinkSpec, http_url_problem
from annotations.validators import validate_http_url

MAX_EVIDENCE = 100
_LANGUAGE = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")  # BCP 47: id, fr, ar, pt-BR
EDIT_FIELDS = ("statement", "language", "claimant", "claim_date")
REVIEW_FIELDS = ("verdict", "rating_explanation", "status", "review_url")


class StaleClaim(Exception):
    """The claim changed since the client read it (HTTP 409)."""

    def __init__(self, current: Claim):
        self.current = current
        super().__init__("This claim was changed by someone else; reload it and apply your edit again.")


# A piece of evidence has the same shape as a span's source link: a source, a URL, a relation.
EvidenceSpec = LinkSpec


# ---------------------------------------------------------------- rules


def is_claim_reviewer(user, project: Project | int) -> bool:
    return has_project_role(user, project, str(Role.REVIEWER))


def may_edit(user, claim: Claim) -> bool:
    return claim.created_by_id == user.pk or is_claim_reviewer(user, claim.project_id)


def _require_reviewer(user, project: Project | int, what: str) -> None:
    if not is_claim_reviewer(user, project):
        raise PermissionDenied(f"Only the project's reviewers and managers {what}.")


def _plain(value, field: str, limit: int, *, required: bool = False) -> str:
    """User text is plain: markup is stripped, never stored or rendered."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: f"{field} must be text."})
    cleaned = bleach.clean(value, tags=set(), attributes={}, strip=True, strip_comments=True)
    cleaned = cleaned.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()
    if required and not cleaned:
        raise ValidationError({field: f"{field} may not be empty."})
    if len(cleaned) > limit:
        raise ValidationError({field: f"{field} may be at most {limit} characters."})
    return cleaned


def _language(value) -> str:
    if not isinstance(value, str) or len(value) > 35 or not _LANGUAGE.match(value):
        raise ValidationError({"language": "language must be a BCP 47 tag such as fr, ar or pt-BR."})
    return value


def _verdict(project_id: int, slug) -> Verdict | None:
    if slug in (None, ""):
        return None
    if isinstance(slug, Verdict):
        slug = slug.slug
    if not isinstance(slug, str):
        raise ValidationError({"verdict": "verdict must be a slug."})
    verdict = Verdict.objects.filter(project_id=project_id, slug=slug).first()
    if verdict is None:
        raise ValidationError({"verdict": f"Unknown verdict {slug!r} in this project."})
    return verdict


def _status(value) -> str:
    if value not in Claim.Status.values:
        raise ValidationError({"status": f"status must be one of {', '.join(Claim.Status.values)}."})
    return value


def _review_url(value) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValidationError({"review_url": "review_url must be text."})
    try:
        validate_http_url(value)
    except ValidationError as exc:
        raise ValidationError({"review_url": exc.messages}) from None
    return value


def _claim_date(value) -> datetime.date | None:
    if value in (None, "") or isinstance(value, datetime.date):
        return value or None
    raise ValidationError({"claim_date": "claim_date must be a date (YYYY-MM-DD)."})


def resolve_evidence(items: Iterable[Mapping] | None) -> list[EvidenceSpec]:
    """``[{"source": slug, "url": ..., "relation": ...}]`` as validated specs, every problem named."""
    items = list(items or [])
    if len(items) > MAX_EVIDENCE:
        raise ValidationError({"evidence": f"At most {MAX_EVIDENCE} evidence links."})
    slugs = {i.get("source") for i in items if isinstance(i, Mapping) and isinstance(i.get("source"), str)}
    registry = Source.objects.in_bulk(slugs, field_name="slug") if slugs else {}
    specs, errors = [], []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            errors.append(f"evidence[{index}]: each item must be an object with a source.")
            continue
        source = item.get("source")
        resolved = source if isinstance(source, Source) else registry.get(source) if isinstance(source, str) else None
        if resolved is None:
            errors.append(f"evidence[{index}].source: Unknown source {source!r}.")
        url = item.get("url") or None
        url_problem = http_url_problem(url)
        if url_problem is not None:
            errors.append(f"evidence[{index}].url: {url_problem}")
        relation = str(item.get("relation") or ClaimEvidence.Relation.CONTEXT)
        if relation not in ClaimEvidence.Relation.values:
            errors.append(f"evidence[{index}].relation: relation must be one of supports, refutes, context.")
        if resolved is not None and not errors:
            specs.append(EvidenceSpec(resolved, url, relation))
    if errors:
        raise ValidationError({"evidence": errors})
    return specs


def _span(user, annotation: Annotation | int, project_id: int) -> Annotation:
    """A live span of ``project_id`` that ``user`` may attach: their own, or any for reviewers."""
    pk = annotation.pk if isinstance(annotation, Annotation) else annotation
    if isinstance(pk, bool) or not isinstance(pk, int):
        raise ValidationError({"annotation": "annotation must be a span id."})
    rows = Annotation.objects.select_related("article")
    span = (rows.visible_to(user) if is_claim_reviewer(user, project_id) else rows.owned_by(user)).filter(pk=pk).first()
    if span is None:
        raise ValidationError({"annotation": f"No span {pk} among those you may attach."})
    if span.article.project_id != project_id:
        raise ValidationError({"annotation": "This span is in another project than the claim."})
    return span


def _attach(claim: Claim, span: Annotation, user) -> ClaimAppearance:
    taken = ClaimAppearance.objects.filter(annotation=span).values_list("claim_id", flat=True).first()
    if taken is not None:
        raise ValidationError({"annotation": f"This span already belongs to claim {taken}; a span makes one claim."})
    try:
        with transaction.atomic():  # a savepoint: a racing writer's row makes this one fail cleanly
            return ClaimAppearance.objects.create(claim=claim, annotation=span, added_by=user)
    except IntegrityError:
        raise ValidationError({"annotation": "This span already belongs to a claim; a span makes one claim."}) from None


def _lock(claim: Claim | int) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim.pk if isinstance(claim, Claim) else claim)


def _check_version(current: Claim, expected_version: int | None) -> None:
    if expected_version is not None and current.version != expected_version:
        raise StaleClaim(current)


def _replace_evidence(claim: Claim, specs: Sequence[EvidenceSpec]) -> None:
    for row in claim.evidence.all():
        row.delete()  # one by one: history records each
    for spec in specs:
        ClaimEvidence.objects.create(claim=claim, source=spec.source, url=spec.url, relation=spec.relation)


# ---------------------------------------------------------------- writes


@transaction.atomic
def claim_create(
    *,
    user,
    annotation: Annotation | int | None = None,
    project: Project | None = None,
    statement: str | None = None,
    language: str | None = None,
    claimant: str = "",
    claim_date: datetime.date | None = None,
    evidence: Iterable[Mapping] | None = None,
    verdict: str | None = None,
    rating_explanation: str = "",
    status: str | None = None,
    review_url: str | None = None,
) -> Claim:
    """A claim, made from ``annotation`` (a span of the user's) or, for reviewers, from a statement alone."""
    span = None
    if annotation is not None:
        if isinstance(annotation, Annotation):
            project_id = annotation.article.project_id
        else:
            project_id = Annotation.objects.filter(pk=annotation).values_list("article__project_id", flat=True).first()
        if project is not None and project_id is not None and project.pk != project_id:
            raise ValidationError({"annotation": "This span is in another project than the claim."})
        span = _span(user, annotation, project.pk if project is not None else project_id or 0)
        project = span.article.project
    elif project is None:
        raise ValidationError({"annotation": "Make a claim from a span (annotation), or name its project."})
    else:
        _require_reviewer(user, project, "make a claim that no span of theirs makes")
        if statement is None:
            raise ValidationError({"statement": "A claim made without a span needs its statement."})
    reviewing = any(value not in (None, "") for value in (verdict, rating_explanation, status, review_url))
    if reviewing:
        _require_reviewer(user, project, "set a claim's verdict, explanation, status and review URL")
    claim = Claim(
        project=project,
        statement=_plain(
            statement if statement is not None or span is None else span.text,
            "statement",
            STATEMENT_MAX_LENGTH,
            required=True,
        ),
        language=_language(language if language is not None else span.article.language if span else "und"),
        claimant=_plain(claimant, "claimant", CLAIMANT_MAX_LENGTH),
        claim_date=_claim_date(claim_date),
        verdict=_verdict(project.pk, verdict),
        rating_explanation=_plain(rating_explanation, "rating_explanation", EXPLANATION_MAX_LENGTH),
        status=_status(status) if status else Claim.Status.OPEN,
        review_url=_review_url(review_url),
        created_by=user,
    )
    specs = resolve_evidence(evidence)
    claim.save()
    if span is not None:
        _attach(claim, span, user)
    _replace_evidence(claim, specs)
    return claim


@transaction.atomic
def claim_update(
    *,
    user,
    claim: Claim,
    expected_version: int | None,
    changes: Mapping,
    evidence: Iterable[Mapping] | None = None,
) -> Claim:
    """Apply ``changes`` (statement, language, claimant, claim_date; verdict, rating_explanation,
    status, review_url for reviewers) and, when given, replace the evidence; bump the version."""
    current = _lock(claim)
    _check_version(current, expected_version)
    unknown = set(changes) - set(EDIT_FIELDS) - set(REVIEW_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    if not may_edit(user, current):
        raise PermissionDenied("Only the claim's creator and the project's reviewers and managers edit it.")
    if set(changes) & set(REVIEW_FIELDS):
        _require_reviewer(user, current.project_id, "set a claim's verdict, explanation, status and review URL")
    if "statement" in changes:
        current.statement = _plain(changes["statement"], "statement", STATEMENT_MAX_LENGTH, required=True)
    if "language" in changes:
        current.language = _language(changes["language"])
    if "claimant" in changes:
        current.claimant = _plain(changes["claimant"], "claimant", CLAIMANT_MAX_LENGTH)
    if "claim_date" in changes:
        current.claim_date = _claim_date(changes["claim_date"])
    if "verdict" in changes:
        current.verdict = _verdict(current.project_id, changes["verdict"])
    if "rating_explanation" in changes:
        current.rating_explanation = _plain(changes["rating_explanation"], "rating_explanation", EXPLANATION_MAX_LENGTH)
    if "status" in changes:
        current.status = _status(changes["status"])
    if "review_url" in changes:
        current.review_url = _review_url(changes["review_url"])
    specs = resolve_evidence(evidence) if evidence is not None else None
    current.version += 1  # the row is locked
    current.save()
    if specs is not None:
        _replace_evidence(current, specs)
    return current


@transaction.atomic
def claim_delete(*, user, claim: Claim, expected_version: int | None = None) -> None:
    """Delete a claim; its spans stay, free to make another claim."""
    current = _lock(claim)
    _check_version(current, expected_version)
    if current.created_by_id != user.pk:
        _require_reviewer(user, current.project_id, "delete a claim someone else made")
    for appearance in current.appearances.all():
        appearance.delete()  # one by one: history records each
    current.delete()


@transaction.atomic
def claim_attach(*, user, claim: Claim, annotation: Annotation | int) -> ClaimAppearance:
    """Add a span to the claims's appearances (a span makes one claim)."""
    current = _lock(claim)
    return _attach(current, _span(user, annotation, current.project_id), user)


@transaction.atomic
def claim_detach(*, user, claim: Claim, annotation: Annotation | int) -> None:
    current = _lock(claim)
    pk = annotation.pk if isinstance(annotation, Annotation) else annotation
    appearance = ClaimAppearance.objects.select_related("annotation").filter(claim=current, annotation_id=pk).first()
    if appearance is None:
        raise ValidationError({"annotation": f"Span {pk} is not an appearance of this claim."})
    if appearance.annotation.annotator_id != user.pk:
        _require_reviewer(user, current.project_id, "remove someone else's span from a claim")
    appearance.delete()


@transaction.atomic
def claim_merge(*, user, claim: Claim, other: Claim | int, expected_version: int | None = None) -> Claim:
    """Fold ``other`` into ``claim``: its appearances and evidence move, empty fields are filled from it,
    then ``other`` is deleted (its last state stays in the history)."""
    current = _lock(claim)
    _check_version(current, expected_version)
    _require_reviewer(user, current.project_id, "merge claims")
    other_pk = other.pk if isinstance(other, Claim) else other
    if isinstance(other_pk, bool) or not isinstance(other_pk, int):
        raise ValidationError({"other": "other must be a claim id."})
    absorbed = Claim.objects.select_for_update().filter(pk=other_pk, project_id=current.project_id).first()
    if absorbed is None or absorbed.pk == current.pk:
        raise ValidationError({"other": "Name another claim of the same project."})
    for appearance in absorbed.appearances.all():
        appearance.claim = current
        appearance.save()
    known = {(e.source_id, e.url, e.relation) for e in current.evidence.all()}
    for item in absorbed.evidence.all():
        if (item.source_id, item.url, item.relation) in known:
            item.delete()  # the same link is already there
        else:
            item.claim = current
            item.save()
    for field in ("claimant", "claim_date", "verdict", "rating_explanation", "review_url"):
        if getattr(current, field) in (None, "") and getattr(absorbed, field) not in (None, ""):
            setattr(current, field, getattr(absorbed, field))
    current.version += 1
    current._change_reason = f"merged claim {absorbed.pk} into this one"
    current.save()
    absorbed._change_reason = f"merged into claim {current.pk}"
    absorbed.delete()
    return current


@transaction.atomic
def claim_split(
    *,
    user,
    claim: Claim,
    annotations: Sequence[int],
    statement: str | None = None,
    expected_version: int | None = None,
) -> Claim:
    """Move some appearances to a new claim (same project); the evidence stays. Returns the new claim."""
    current = _lock(claim)
    _check_version(current, expected_version)
    _require_reviewer(user, current.project_id, "split claims")
    if not isinstance(annotations, (list, tuple)) or not annotations:
        raise ValidationError({"annotations": "Name the spans (annotation ids) that make the new claim."})
    moving = list(current.appearances.select_related("annotation__article").filter(annotation_id__in=annotations))
    missing = sorted(set(annotations) - {a.annotation_id for a in moving})
    if missing:
        raise ValidationError({"annotations": f"Not appearances of this claim: {', '.join(map(str, missing))}."})
    if len(moving) == current.appearances.count():
        raise ValidationError({"annotations": "Leave at least one appearance on the claim being split."})
    first = min(moving, key=lambda a: (a.annotation.article_id, a.annotation.start)).annotation
    new = Claim.objects.create(
        project_id=current.project_id,
        statement=_plain(
            statement if statement is not None else first.text, "statement", STATEMENT_MAX_LENGTH, required=True
        ),
        language=first.article.language,
        created_by=user,
    )
    for appearance in moving:
        appearance.claim = new
        appearance.save()
    current.version += 1
    current._change_reason = f"split {len(moving)} appearance(s) into claim {new.pk}"
    current.save()
    return new

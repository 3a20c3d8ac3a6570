"""Several annotators: assignment, progress and adjudication into the gold layer.

Writes here follow the services style: keyword-only arguments, validation first, one
transaction. Every gold span is written by ``annotations.services.annotation_write``
(so the offset rule applies) with ``is_gold=True`` and the reviewer as its annotator;
``proposed_by`` keeps the annotators whose spans were accepted into it.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Unpack

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.template.response import TemplateResponse

from annotations.counts import Counts
from annotations.models import (
    ANNOTATOR_GROUP,
    Annotation,
    Article,
    Assignment,
    Completion,
    Project,
    ReviewDecision,
    Role,
    has_project_role,
    is_reviewer,
)
from annotations.review.agreement import Span, cluster_spans
from annotations.services import SpanInput, annotation_create, annotation_write, relations_into_gold, span_fields
from annotations.vocabulary import LABELS_WITHOUT_CLAIM_FIELDS

User = get_user_model()

NOT_STARTED = "not-started"
IN_PROGRESS = "in-progress"
DONE = "done"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE)


def require_reviewer(user, *, project_id: int | None = None) -> None:
    """Reviewers of the project (its reviewers and managers, the reviewer group, staff); without
    a project, the reviewer group and staff."""
    allowed = is_reviewer(user) if project_id is None else has_project_role(user, project_id, Role.REVIEWER)
    if not allowed:
        raise PermissionDenied("Only reviewers and staff may do this.")


# --- Assignment ---------------------------------------------------------------------


@dataclass
class AssignmentResult:
    created: list[Assignment]
    load: dict[str, int]  # username → assignments after the run, for the pool given


def resolve_annotators(usernames: Sequence[str]) -> list:
    """Active users by username, in the order given; unknown or inactive names raise one error."""
    names = list(dict.fromkeys(n.strip() for n in usernames if n.strip()))
    if not names:
        raise ValidationError({"annotators": "Name at least one annotator."})
    users = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    missing = [n for n in names if n not in users]
    if missing:
        raise ValidationError({"annotators": f"Unknown or inactive user(s): {', '.join(missing)}."})
    return [users[n] for n in names]


@transaction.atomic
def assign_articles(
    *, articles: Iterable[Article], annotators: Sequence, per_article: int | None = None, assigned_by=None
):
    """Give every article ``per_article`` distinct annotators, least-loaded first; without
    ``per_article``, each article gets its project's ``annotators_per_article``.

    Existing assignments count (so running twice adds nothing) both toward an article's
    ``per_article`` and toward each annotator's load. Ties go to the username that sorts
    first, so the same input always gives the same assignment.
    """
    annotators = list(annotators)
    articles = sorted(articles, key=lambda a: a.pk)
    if per_article is not None and (
        not isinstance(per_article, int) or isinstance(per_article, bool) or per_article < 1
    ):
        raise ValidationError({"per_article": "per_article must be a whole number of at least 1."})
    wanted = (
        dict.fromkeys((a.pk for a in articles), per_article)
        if per_article is not None
        else {a.pk: n for a, n in zip(articles, _project_counts(articles), strict=True)}
    )
    most = max(wanted.values(), default=0)
    if most > len(annotators):
        raise ValidationError(
            {
                "per_article": f"per_article is {most} but only {len(annotators)} annotator(s) were given: "
                "each article needs distinct annotators."
            }
        )
    by_id = {user.pk: user for user in annotators}
    load = Counter(
        dict(
            Assignment.objects.filter(annotator__in=annotators)
            .values_list("annotator_id")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    current: dict[int, set[int]] = defaultdict(set)
    for article_id, user_id in Assignment.objects.filter(article__in=articles).values_list(
        "article_id", "annotator_id"
    ):
        current[article_id].add(user_id)
    new = []
    for article in articles:
        have = current[article.pk]
        needed = wanted[article.pk] - len(have)
        if needed <= 0:
            continue
        pool = sorted((u for u in annotators if u.pk not in have), key=lambda u: (load[u.pk], u.username))
        for user in pool[:needed]:
            new.append(Assignment(article=article, annotator=user, assigned_by=assigned_by))
            load[user.pk] += 1
    created = Assignment.objects.bulk_create(new)
    return AssignmentResult(created=created, load={by_id[pk].username: load[pk] for pk in by_id})


def _project_counts(articles: Sequence[Article]) -> list[int]:
    """Each article's project's ``annotators_per_article``, in one query."""
    counts = dict(
        Project.objects.filter(pk__in={a.project_id for a in articles}).values_list("pk", "annotators_per_article")
    )
    return [counts[a.project_id] for a in articles]


class AssignForm(forms.Form):
    per_article = forms.IntegerField(min_value=1, initial=2, label="Annotators per article")
    annotators = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, label="Choose among"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = User.objects.filter(is_active=True).order_by("username")
        self.fields["annotators"].queryset = active
        self.fields["annotators"].initial = list(
            active.filter(groups__name=ANNOTATOR_GROUP).values_list("pk", flat=True)
        )

    def clean(self):
        data = super().clean()
        people, n = data.get("annotators"), data.get("per_article")
        if people is not None and n is not None and n > len(people):
            raise ValidationError(
                f"{n} annotators per article but only {len(people)} chosen: each article needs distinct annotators."
            )
        return data


@admin.action(description="Assign to annotators…", permissions=["change"])
def assign_to_annotators(modeladmin, request, queryset):
    """Admin action on Article: an intermediate page, then ``assign_articles`` on the selection."""
    form = AssignForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        result = assign_articles(
            articles=queryset,
            annotators=list(form.cleaned_data["annotators"]),
            per_article=form.cleaned_data["per_article"],
            assigned_by=request.user,
        )
        loads = ", ".join(f"{name}: {count}" for name, count in result.load.items())
        modeladmin.message_user(
            request, f"Created {len(result.created)} assignment(s). Articles per annotator: {loads}."
        )
        return None
    return TemplateResponse(
        request,
        "review/assign_action.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": "Assign articles to annotators",
            "form": form,
            "articles": queryset,
            "opts": modeladmin.model._meta,
            "action_name": "assign_to_annotators",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )


# --- Progress -----------------------------------------------------------------------


@dataclass
class Tally(Counts):
    """How many (article, annotator) pairs are in each state, and the spans behind them."""

    not_started: int = 0
    in_progress: int = 0
    done: int = 0
    spans: int = 0

    @property
    def total(self) -> int:
        return self.not_started + self.in_progress + self.done

    def add(self, status: str, spans: int) -> None:
        self.count(status.replace("-", "_"))
        self.spans += spans


@dataclass
class AnnotatorProgress(Tally):
    username: str = ""


@dataclass
class ArticleProgress(Tally):
    id: int = 0
    title: str = ""
    language: str = ""
    direction: str = "ltr"
    annotators: list[tuple[str, str, int]] = field(default_factory=list)  # (username, status, spans)


def progress(*, language: str | None = None) -> tuple[list[AnnotatorProgress], list[ArticleProgress]]:
    """Who has which article and how far they got: four queries whatever the corpus size.

    An (article, annotator) pair is *done* when a Completion exists, *in progress* when the
    annotator has live non-gold spans on it, else *not started* (assigned, nothing yet).
    """
    articles = Article.objects.order_by("id")
    assignments = Assignment.objects.all()
    completions = Completion.objects.all()
    spans = Annotation.objects.filter(is_gold=False)
    if language:
        articles = articles.filter(language=language)
        assignments = assignments.filter(article__language=language)
        completions = completions.filter(article__language=language)
        spans = spans.filter(article__language=language)
    pairs: set[tuple[int, str]] = set(assignments.values_list("article_id", "annotator__username"))
    finished = set(completions.values_list("article_id", "annotator__username"))
    counts = {
        (row["article_id"], row["annotator__username"]): row["n"]
        for row in spans.values("article_id", "annotator__username").annotate(n=Count("id")).order_by()
    }
    pairs |= finished | set(counts)
    rows = {
        a.id: ArticleProgress(id=a.id, title=a.title, language=a.language, direction=a.direction)
        for a in articles.only("id", "title", "language", "direction")
    }
    people: dict[str, AnnotatorProgress] = {}
    for article_id, name in sorted(pairs):
        if article_id not in rows:
            continue
        n = counts.get((article_id, name), 0)
        status = DONE if (article_id, name) in finished else IN_PROGRESS if n else NOT_STARTED
        rows[article_id].annotators.append((name, status, n))
        rows[article_id].add(status, n)
        people.setdefault(name, AnnotatorProgress(username=name)).add(status, n)
    return sorted(people.values(), key=lambda p: p.username), list(rows.values())


# --- Adjudication -------------------------------------------------------------------


def _links_of(annotation: Annotation) -> list[dict]:
    return [
        {"source": link.source, "url": link.url, "relation": link.relation} for link in annotation.source_links.all()
    ]


def _same_span(annotation: Annotation, *, is_gold: bool):
    """Live spans of the gold or the annotators' layer with this span's boundaries and label."""
    return Annotation.objects.filter(
        article_id=annotation.article_id,
        is_gold=is_gold,
        start=annotation.start,
        end=annotation.end,
        label_id=annotation.label_id,
    )


def _lock_article(article_id: int) -> None:
    # Serialises adjudication of one article so two reviewers accepting the same span
    # at once still create a single gold span.
    Article.objects.select_for_update().filter(pk=article_id).values_list("pk", flat=True).first()


def _candidate(annotation_id: int) -> Annotation:
    annotation = Annotation.objects.select_related("article").filter(pk=annotation_id).first()
    if annotation is None:
        raise Annotation.DoesNotExist(f"No live annotation {annotation_id}.")
    if annotation.is_gold:
        raise ValidationError({"annotation": "This span is already in the gold layer; edit it directly."})
    return annotation


@transaction.atomic
def gold_accept(*, reviewer, annotation_id: int) -> Annotation:
    """Copy an annotator's span into the gold layer (once) and record the decision.

    The gold span takes the candidate's boundaries, label, claim fields, note and source
    links. Every live non-gold span with the same boundaries and label is a proposer of it
    and gets an *accepted* decision. Accepting again returns the same gold span.
    """
    annotation = _candidate(annotation_id)
    require_reviewer(reviewer, project_id=annotation.article.project_id)
    _lock_article(annotation.article_id)
    earlier = (
        ReviewDecision.objects.filter(
            annotation=annotation, decision=ReviewDecision.Decision.ACCEPTED, gold__deleted_at__isnull=True
        )
        .select_related("gold")
        .first()
    )
    gold = earlier.gold if earlier is not None else None
    if gold is None:
        gold = _same_span(annotation, is_gold=True).first()
    if gold is None:
        gold = annotation_create(
            article=annotation.article,
            annotator=reviewer,
            start=annotation.start,
            end=annotation.end,
            text=annotation.text,
            label=annotation.label,
            claim_type=annotation.claim_type,
            checkworthy=annotation.checkworthy,
            verdict=annotation.verdict,
            note=annotation.note,
            source_links=_links_of(annotation),
            is_gold=True,
        )
    candidates = list(_same_span(annotation, is_gold=False).select_related("annotator"))
    for candidate in candidates:
        ReviewDecision.objects.update_or_create(
            annotation=candidate,
            defaults={"reviewer": reviewer, "decision": ReviewDecision.Decision.ACCEPTED, "gold": gold},
        )
    gold.proposed_by.add(*{c.annotator for c in candidates})
    for candidate in candidates:
        # An attribution and its claim, both accepted: their relation is kept in gold.
        relations_into_gold(reviewer=reviewer, candidate=candidate, gold=gold)
    return gold


@transaction.atomic
def gold_reject(*, reviewer, annotation_id: int) -> ReviewDecision:
    """Record that an annotator's span stays out of the gold layer.

    If the span had been accepted, its annotator no longer counts as a proposer of that
    gold span (unless another of their accepted spans proposed it); the gold span itself
    stays, since it is the reviewer's to edit or delete.
    """
    annotation = _candidate(annotation_id)
    require_reviewer(reviewer, project_id=annotation.article.project_id)
    _lock_article(annotation.article_id)
    previous = ReviewDecision.objects.filter(annotation=annotation).first()
    decision, _ = ReviewDecision.objects.update_or_create(
        annotation=annotation,
        defaults={"reviewer": reviewer, "decision": ReviewDecision.Decision.REJECTED, "gold": None},
    )
    if previous is not None and previous.gold_id is not None:
        still = ReviewDecision.objects.filter(
            gold_id=previous.gold_id,
            decision=ReviewDecision.Decision.ACCEPTED,
            annotation__annotator_id=annotation.annotator_id,
        ).exists()
        if not still:
            previous.gold.proposed_by.remove(annotation.annotator_id)
    return decision


@transaction.atomic
def gold_add(
    *,
    reviewer,
    article: Article,
    start: int,
    end: int,
    **span: Unpack[SpanInput],
) -> tuple[Annotation, bool]:
    """A reviewer's own gold span; the same boundaries and label again return the existing one.

    Returns ``(gold, created)``.
    """
    require_reviewer(reviewer, project_id=article.project_id)
    # Every field is checked as for a new span, also when the span exists already: a bad
    # verdict or link is refused, never silently dropped.
    fields = span_fields(article=article, start=start, end=end, **span)
    _lock_article(article.pk)
    existing = Annotation.objects.filter(
        article=article, is_gold=True, start=start, end=end, label=fields.label
    ).first()
    if existing is not None:
        return existing, False
    gold = annotation_write(article=article, annotator=reviewer, start=start, end=end, fields=fields, is_gold=True)
    return gold, True


# --- What the adjudication page shows -----------------------------------------------


def _span_json(annotation: Annotation, decision: ReviewDecision | None = None) -> dict:
    return {
        "id": annotation.id,
        "annotator": annotation.annotator.username,
        "start": annotation.start,
        "end": annotation.end,
        "text": annotation.text,
        "label": annotation.label.slug,
        "claim_type": annotation.claim_type.slug if annotation.claim_type else None,
        "checkworthy": annotation.checkworthy,
        "verdict": annotation.verdict.slug if annotation.verdict else None,
        "note": annotation.note,
        "source_links": [
            {"source": link.source.slug, "name": link.source.name, "url": link.url, "relation": link.relation}
            for link in annotation.source_links.all()
        ],
        "version": annotation.version,
        "decision": decision.decision if decision else None,
        "gold": decision.gold_id if decision else None,
    }


# The fields a fact-check turns on, compared between the annotators of one row. Labels that
# carry no claim fields (attributions) are compared on their sources alone.
DISAGREEMENT_FIELDS = ("claim_type", "checkworthy", "verdict", "sources")


def field_disagreements(cells: Mapping[str, dict]) -> list[dict]:
    """The fields on which a row's annotators gave different values, each with whose value is
    which: ``[{"field": "verdict", "values": {"alice": "mostly-true", "bob": "unchecked"}}]``.
    Sources compare as sets of registry slugs (order and relation aside)."""
    if len(cells) < 2:
        return []
    label = next(iter(cells.values()))["label"]
    fields = ("sources",) if label in LABELS_WITHOUT_CLAIM_FIELDS else DISAGREEMENT_FIELDS
    found = []
    for name in fields:
        values = {
            who: sorted({link["source"] for link in span["source_links"]}) if name == "sources" else span[name]
            for who, span in sorted(cells.items())
        }
        if len({json.dumps(value) for value in values.values()}) > 1:
            found.append({"field": name, "values": values})
    return found


def adjudication_state(article: Article, *, viewer=None) -> dict:
    """Everything the adjudication page needs for one article, as JSON-ready data.

    Rows are the agreement units (overlapping spans with the same label, at most one per
    annotator, see ``agreement.cluster_spans``); a row agrees when every annotator of the
    article has a span in it with the very same boundaries and label. Gold spans join the
    row they overlap most. With a ``viewer``, only what ``visible_to`` lets them read is shown.
    """
    readable = Annotation.objects.all() if viewer is None else Annotation.objects.visible_to(viewer)
    live = list(readable.filter(article=article).with_relations().order_by("start", "end", "id"))
    work = [a for a in live if not a.is_gold]
    golds = [a for a in live if a.is_gold]
    decisions = {d.annotation_id: d for d in ReviewDecision.objects.filter(annotation__in=work)}
    gold_proposers: dict[int, list[str]] = defaultdict(list)
    for gold_id, name in Annotation.proposed_by.through.objects.filter(annotation__in=golds).values_list(
        "annotation_id", "user__username"
    ):
        gold_proposers[gold_id].append(name)
    assigned = set(Assignment.objects.filter(article=article).values_list("annotator__username", flat=True))
    annotators = sorted({a.annotator.username for a in work} | assigned)

    by_id = {a.id: a for a in work}
    exact_people: dict[tuple, set[str]] = defaultdict(set)
    for a in work:
        exact_people[(a.start, a.end, a.label_id)].add(a.annotator.username)
    plain = [Span(id=a.id, article=a.article_id, annotator=a.annotator.username, start=a.start, end=a.end,
                  label=a.label.slug) for a in work]  # fmt: skip
    rows = []
    for cluster in cluster_spans(plain):
        members = [by_id[s.id] for s in cluster]
        keys = {(m.start, m.end, m.label_id) for m in members}
        agree = len(keys) == 1 and len(members) == len(annotators) and len(annotators) > 1
        cells: dict[str, dict] = {}
        for m in members:
            entry = _span_json(m, decisions.get(m.id))
            key = (m.start, m.end, m.label_id)
            entry["exact_by"] = sorted(exact_people[key])
            entry["agreed"] = len(annotators) > 1 and exact_people[key] >= set(annotators)
            cells[m.annotator.username] = entry
        rows.append(
            {
                "label": members[0].label.slug,
                "start": min(m.start for m in members),
                "end": max(m.end for m in members),
                "agree": agree,
                "field_disagreements": field_disagreements(cells),
                "gold_only": False,
                "cells": cells,
                "gold": [],
            }
        )
    orphans = []
    for gold in golds:
        entry = _span_json(gold)
        entry["proposed_by"] = sorted(gold_proposers.get(gold.id, []))
        best, best_overlap = None, 0
        for row in rows:
            if row["label"] != gold.label.slug:
                continue
            shared = max(
                (min(gold.end, c["end"]) - max(gold.start, c["start"]) for c in row["cells"].values()), default=0
            )
            if shared > best_overlap:
                best, best_overlap = row, shared
        if best is None:
            orphans.append(
                {"label": gold.label.slug, "start": gold.start, "end": gold.end, "agree": False,
                 "field_disagreements": [], "gold_only": True, "cells": {}, "gold": [entry]}
            )  # fmt: skip
        else:
            best["gold"].append(entry)
    rows = sorted(rows + orphans, key=lambda r: (r["start"], r["end"], r["label"]))
    return {
        "article": {
            "id": article.id,
            "title": article.title,
            "language": article.language,
            "direction": article.direction,
            "text": article.text,
        },
        "annotators": annotators,
        "rows": rows,
        "summary": {
            "spans": len(work),
            "gold": len(golds),
            "decided": len(decisions),
            "disagreements": sum(1 for r in rows if not r["gold_only"] and not r["agree"]),
            "field_disagreements": sum(1 for r in rows if r["field_disagreements"]),
        },
    }

"""The admin: staff manage the corpus, the vocabulary, the source registry and every span.

Spans are added, edited, deleted and restored through ``annotations.services``, as from the
API: the same checks (the form asks them first, so a refusal shows on its field), one version
bump per write, soft delete (a deleted span stays listed, filterable and restorable). Article
text is normalised like an import and locked once annotated.
"""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from annotations import services
from annotations.errors import in_words
from annotations.importing import FORMATS as IMPORT_FORMATS
from annotations.importing import detect_format
from annotations.importing.jobs import import_job_create
from annotations.models import (
    ANNOTATION_CONTENT_FIELDS,
    Annotation,
    Article,
    Assignment,
    ClaimType,
    Completion,
    ImportJob,
    Label,
    Membership,
    Project,
    ReviewDecision,
    Source,
    SourceLink,
    Verdict,
)
from annotations.projects import services as project_services
from annotations.review.workflow import assign_to_annotators
from annotations.services.sources import SOURCE_FIELDS
from annotations.text import normalize_text

admin.site.site_header = "Fact-check workbench"
admin.site.site_title = "Fact-check workbench admin"


# Django 6 turns scheme-less URLs into https://; say so now (and silence the warning).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class StorableJSONField(forms.JSONField):
    """JSON both databases can store and the form can show again: not nested past the
    parser's limit (a RecursionError would be a 500), no lone surrogates, no NUL
    (PostgreSQL's jsonb refuses \\u0000)."""

    def to_python(self, value):
        try:
            data = super().to_python(value)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError:
            raise ValidationError("This JSON is nested too deeply.", code="invalid") from None
        except UnicodeEncodeError:
            raise ValidationError("This JSON holds a lone surrogate (\\ud800-\\udfff).", code="invalid") from None
        # Drop escaped backslashes first, so a literal "\\u0000" typed as text is not taken for NUL.
        if "\\u0000" in json.dumps(data).replace("\\\\", ""):
            raise ValidationError("This JSON holds a NUL character (\\u0000).", code="invalid")
        return data

    def bound_data(self, data, initial):
        # Shown again after an error: what was typed, not a re-encoding that cannot be sent.
        try:
            value = super().bound_data(data, initial)
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except (RecursionError, UnicodeEncodeError):
            return forms.fields.InvalidJSONInput(data)
        return value


JSON_FIELDS = {models.JSONField: {"form_class": StorableJSONField}}


def _excerpt(text: str, length: int = 60) -> str:
    return Truncator(" ".join(text.split())).chars(length)


# --- articles -------------------------------------------------------------------------


class AnnotationInline(admin.TabularInline):
    """The article's live spans, read-only: edit a span on its own page (the link)."""

    model = Annotation
    fields = ("start", "end", "span_text", "label", "annotator", "verdict", "is_gold")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("start", "end", "id")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("label", "annotator", "verdict")

    @admin.display(description="text")
    def span_text(self, obj: Annotation) -> str:
        return _excerpt(obj.text, 120)


class ArticleAdminForm(forms.ModelForm):
    url = forms.URLField(
        required=False, max_length=2048, assume_scheme="https", empty_value=None, widget=AdminURLFieldWidget
    )

    class Meta:
        model = Article
        fields = (
            "project",
            "external_id",
            "title",
            "language",
            "direction",
            "text",
            "url",
            "publisher",
            "author",
            "published_at",
            "metadata",
        )

    def clean_text(self) -> str:
        # Browsers post textarea content with \r\n: store it the way an import would.
        return normalize_text(self.cleaned_data.get("text") or "")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    formfield_overrides = JSON_FIELDS
    list_display = ("title", "external_id", "language", "direction", "publisher", "published_at", "span_count")
    list_filter = ("project", "language", "direction", "publisher")
    search_fields = ("title", "external_id", "text")
    readonly_fields = ("text_sha256", "created_at", "updated_at")
    inlines = [AnnotationInline]
    actions = [assign_to_annotators]
    fieldsets = (
        (None, {"fields": ("project", "external_id", "title", "language", "direction", "text")}),
        ("Provenance", {"fields": ("url", "publisher", "author", "published_at", "metadata")}),
        ("Record", {"fields": ("text_sha256", "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        live = Q(annotations__deleted_at__isnull=True)
        return super().get_queryset(request).annotate(span_count=Count("annotations", filter=live))

    @admin.display(description="spans", ordering="span_count")
    def span_count(self, obj: Article) -> int:
        return obj.span_count

    def get_deleted_objects(self, objs, request):
        """Annotated articles are protected (``on_delete=PROTECT``): say why, once per article,
        instead of listing every span."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            ids = [obj.pk for obj in objs]
            annotated = (
                Article.objects.filter(pk__in=ids)
                .annotate(
                    spans=Count("annotations"),
                    deleted=Count("annotations", filter=Q(annotations__deleted_at__isnull=False)),
                    gold=Count("annotations", filter=Q(annotations__is_gold=True)),
                )
                .filter(spans__gt=0)
                .order_by("id")
            )
            protected = [
                f"“{article.title}” ({article.external_id}) has {article.spans} span(s), {article.deleted} of them "
                f"deleted and {article.gold} gold: an annotated article cannot be deleted, because its spans and "
                "their history would be lost and its text is locked."
                for article in annotated
            ]
        return deleted, counts, perms_needed, protected

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Offsets index the text: once a span exists (even a deleted, restorable one) it is fixed.
        if obj is not None and Annotation.all_objects.filter(article=obj).exists():
            fields.append("text")
        return fields


# --- vocabulary -----------------------------------------------------------------------


class VocabularyAdmin(admin.ModelAdmin):
    list_display: tuple[str, ...] = ("name", "slug", "order")
    list_filter = ("project", "retired")
    search_fields = ("slug", "name")
    prepopulated_fields = {"slug": ("name",)}


# --- projects -------------------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    # Members are added, re-roled and removed through the services (the settings page,
    # the API, add_member), which keep a manager; here they are listed.
    readonly_fields = ("user", "role", "created_at")
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("slug", "name")
    inlines = [MembershipInline]
    formfield_overrides = JSON_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return ("slug", "created_at", "updated_at") if obj is not None else ("created_at", "updated_at")

    def save_model(self, request, obj: Project, form, change: bool) -> None:
        # One door per write: the same services as the settings page and the API.
        fields = {
            name: form.cleaned_data[name] for name in project_services.PROJECT_FIELDS if name in form.cleaned_data
        }
        if change:
            project_services.project_update(project=obj, changes=fields)
        else:
            created = project_services.project_create(slug=form.cleaned_data["slug"], creator=request.user, **fields)
            obj.pk = created.pk


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("project", "user", "role", "created_at")
    list_filter = ("project", "role")
    search_fields = ("user__username", "project__slug")
    autocomplete_fields = ("user",)

    def get_readonly_fields(self, request, obj=None):
        # A membership is one user in one project: change its role, or remove it.
        return ("project", "user", "created_at") if obj is not None else ("created_at",)

    def delete_queryset(self, request, queryset) -> None:
        for membership in queryset.select_related("project", "user"):
            self.delete_model(request, membership)

    def save_model(self, request, obj: Membership, form, change: bool) -> None:
        try:
            membership, _ = project_services.membership_set(project=obj.project, user=obj.user, role=obj.role)
        except project_services.LastManager as exc:
            self.message_user(request, str(exc), level="error")
            return
        obj.pk = membership.pk

    def delete_model(self, request, obj: Membership) -> None:
        try:
            project_services.membership_remove(project=obj.project, user=obj.user)
        except project_services.LastManager as exc:
            self.message_user(request, str(exc), level="error")


@admin.register(Label)
class LabelAdmin(VocabularyAdmin):
    list_display = ("name", "slug", "color", "shortcut", "order")


@admin.register(ClaimType)
class ClaimTypeAdmin(VocabularyAdmin):
    pass


@admin.register(Verdict)
class VerdictAdmin(VocabularyAdmin):
    list_display = ("name", "slug", "claimreview_name", "xfact_label", "order")


# --- sources --------------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "homepage", "alias_list", "confirmed", "created_by")
    list_filter = ("confirmed", "kind")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_by", "created_at")
    formfield_overrides = {**URL_FIELDS, **JSON_FIELDS}
    actions = ["confirm_sources"]

    def get_changeform_initial_data(self, request):
        # Staff vouch for the sources they add here; annotators' sources arrive unconfirmed.
        return {"confirmed": True, **super().get_changeform_initial_data(request)}

    @admin.action(description="Confirm selected sources (checked: not look-alikes of known outlets)")
    def confirm_sources(self, request, queryset):
        pending = list(queryset.filter(confirmed=False))
        for source in pending:
            services.source_update(source=source, changes={"confirmed": True})
        count = len(pending)
        self.message_user(request, f"{count} source{'' if count == 1 else 's'} confirmed.", messages.SUCCESS)

    @admin.display(description="aliases")
    def alias_list(self, obj: Source) -> str:
        return ", ".join(str(alias) for alias in obj.aliases) if isinstance(obj.aliases, list) else ""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip().casefold()
        if term:
            # Aliases are matched in Python: SQLite stores JSON with \u escapes, so a database
            # LIKE would never find رويترز there. The registry is small.
            ids = [
                pk
                for pk, aliases in queryset.values_list("pk", "aliases")
                if isinstance(aliases, list) and any(term in str(alias).casefold() for alias in aliases)
            ]
            if ids:
                results = results | queryset.filter(pk__in=ids)
        return results, may_have_duplicates

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        # The form already checked the values; the service checks again under the registry lock.
        services.source_update(source=obj, changes={name: getattr(obj, name) for name in SOURCE_FIELDS})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Someone may add a look-alike (or the slug) between the form's check and the save,
        # which the service refuses under the registry lock; nothing is saved then. Asked
        # again, the form sees it and shows why beside its fields, with what was typed kept.
        for _ in range(2):
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except ValidationError as exc:
                refused = exc
        self.message_user(request, f"Not saved: {in_words(refused)}", messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())


# --- annotations ----------------------------------------------------------------------


class SourceLinkInline(admin.TabularInline):
    model = SourceLink
    fields = ("source", "url", "relation")
    autocomplete_fields = ("source",)
    formfield_overrides = URL_FIELDS
    extra = 0


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return (("no", "No"), ("yes", "Yes"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's refusal on the form: each message on its field, the rest above the form."""
    errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    for field, problems in errors.items():
        form.add_error(field if field in form.fields else None, problems)


class AnnotationAdminForm(forms.ModelForm):
    """Checks a span with the services' own rules before the admin saves it through them:
    ``span_fields`` for a new span (``annotation_create`` then writes it), ``annotation_apply``
    for an edit (``annotation_update`` then writes it), so a refusal shows on its field."""

    # Optional here: left empty (or left as it was while the offsets move) it is taken from
    # the article; given, it must match the article at [start:end] exactly.
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The article's text at [start:end] (Unicode code points, end exclusive). "
        "Leave empty to fill it from the offsets.",
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Annotation
        fields = (
            "article",
            "annotator",
            *ANNOTATION_CONTENT_FIELDS,
            "is_gold",
            "proposed_by",
        )

    # What the admin may change on a stored span: its content and its layer (not its article).
    EDITABLE = (*ANNOTATION_CONTENT_FIELDS, "annotator", "is_gold")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.span: services.SpanInput | None = None  # a new span, as annotation_create takes it
        self.changes: dict | None = None  # an edit, as annotation_update takes it
        if self.instance.pk:
            # The stored version, not the instance's: a history revert edits an old copy.
            current = Annotation.all_objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            self.fields["expected_version"].initial = current if current is not None else self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            try:
                # Locked until annotation_update bumps the version (same transaction).
                services.annotation_lock_version(
                    annotation_id=self.instance.pk, expected_version=cleaned.get("expected_version")
                )
            except services.StaleVersion as exc:
                raise ValidationError(
                    "Someone changed this annotation since you opened it (it is now version %(current)s); "
                    "reload the page and apply your edit again.",
                    params={"current": exc.version},
                ) from None
        if self.errors:
            return cleaned  # the field errors already say what is wrong
        try:
            checked = self._check_edit(cleaned) if self.instance.pk else self._check_new(cleaned)
        except ValidationError as exc:
            add_service_errors(self, exc)
            return cleaned
        # What will be stored, so the model's own validation sees it.
        cleaned.update(text=checked.text, note=checked.note, verdict=checked.verdict)
        return cleaned

    def _check_new(self, cleaned) -> services.SpanFields:
        self.span = {
            "label": cleaned["label"],
            "text": cleaned.get("text") or None,
            "claim_type": cleaned.get("claim_type"),
            "checkworthy": cleaned.get("checkworthy"),
            "verdict": cleaned.get("verdict"),
            "note": cleaned.get("note"),
        }
        article, start, end = cleaned["article"], cleaned["start"], cleaned["end"]
        fields = services.span_fields(article=article, start=start, end=end, **self.span)
        services.check_no_overlap(
            article=article,
            annotator_id=cleaned["annotator"].pk,
            is_gold=bool(cleaned.get("is_gold")),
            start=start,
            end=end,
        )
        return fields

    def _check_edit(self, cleaned) -> Annotation:
        stored = services.annotation_stored(self.instance.pk)
        if stored.deleted_at is not None:
            raise ValidationError(str(services.AnnotationGone()))
        changes = {
            name: cleaned[name] for name in self.EDITABLE if name in cleaned and cleaned[name] != getattr(stored, name)
        }
        if not changes.get("text"):
            changes.pop("text", None)  # left empty: taken from the offsets
        services.annotation_apply(stored, changes)  # a copy: annotation_update applies them to the locked row
        self.changes = changes
        return stored


@admin.register(Annotation)
class AnnotationAdmin(SimpleHistoryAdmin):
    form = AnnotationAdminForm
    list_display = ("id", "article_title", "annotator", "label", "excerpt", "verdict", "updated_at", "deleted")
    list_filter = (
        "label",
        "annotator",
        "verdict",
        "is_gold",
        ("article__language", admin.AllValuesFieldListFilter),
        DeletedFilter,
    )
    search_fields = ("text", "note")
    list_select_related = ("article", "annotator", "label", "verdict")
    autocomplete_fields = ("article", "annotator", "proposed_by")
    readonly_fields = ("version", "created_at", "updated_at", "deleted_at")
    inlines = [SourceLinkInline]
    actions = ["restore_annotations"]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert is a write like any other: one transaction, so the version check holds.
        with transaction.atomic(using=router.db_for_write(Annotation)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_queryset(self, request):
        # Deleted spans stay visible here (filter "deleted") so they can be restored.
        queryset = Annotation.all_objects.all()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.deleted_at is not None:
            return False  # restore it first (action on the list)
        return super().has_change_permission(request, obj)

    @admin.display(description="article", ordering="article__title")
    def article_title(self, obj: Annotation) -> str:
        return _excerpt(obj.article.title, 50)

    @admin.display(description="text", ordering="text")
    def excerpt(self, obj: Annotation) -> str:
        return _excerpt(obj.text)

    @admin.display(description="deleted", boolean=True, ordering="deleted_at")
    def deleted(self, obj: Annotation) -> bool:
        return obj.deleted_at is not None

    def get_readonly_fields(self, request, obj=None):
        # A span stays on its article, as in the API: its offsets index that text.
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "article") if obj is not None else fields

    def save_model(self, request, obj, form, change):
        # One door for span writes: the services the API and the pages use, with the values
        # the form checked (the row is locked by the form's clean, same transaction).
        if change:
            saved = services.annotation_update(
                annotation=obj, expected_version=form.cleaned_data.get("expected_version"), changes=form.changes
            )
        else:
            cleaned = form.cleaned_data
            saved = services.annotation_create(
                article=cleaned["article"],
                annotator=cleaned["annotator"],
                start=cleaned["start"],
                end=cleaned["end"],
                is_gold=bool(cleaned.get("is_gold")),
                **form.span,
            )
        # The admin goes on with ``obj`` (related rows, its messages, the redirect): make it the saved row.
        for field in Annotation._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding, obj._state.db = False, saved._state.db

    def delete_model(self, request, obj):
        services.annotation_delete(annotation=obj)

    def delete_queryset(self, request, queryset):
        for annotation in queryset:
            services.annotation_delete(annotation=annotation)

    @admin.action(description="Restore selected deleted annotations", permissions=["change"])
    def restore_annotations(self, request, queryset):
        restored = 0
        for annotation in queryset.filter(deleted_at__isnull=False):
            services.annotation_restore(annotation=annotation)
            restored += 1
        self.message_user(request, f"Restored {restored} annotation(s).", messages.SUCCESS)


# --- work tracking --------------------------------------------------------------------


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("article", "annotator", "assigned_by", "created_at")
    list_filter = ("annotator",)
    search_fields = ("article__title", "article__external_id", "annotator__username")
    autocomplete_fields = ("article", "annotator", "assigned_by")
    list_select_related = ("article", "annotator", "assigned_by")

    def save_model(self, request, obj, form, change):
        if not change and obj.assigned_by_id is None:
            obj.assigned_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Completion)
class CompletionAdmin(admin.ModelAdmin):
    list_display = ("article", "annotator", "done_at")
    list_filter = ("annotator",)
    search_fields = ("article__title", "article__external_id", "annotator__username")
    autocomplete_fields = ("article", "annotator")
    list_select_related = ("article", "annotator")


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin):
    list_display = ("annotation", "reviewer", "decision", "gold", "decided_at")
    list_filter = ("decision", "reviewer")
    search_fields = ("annotation__text", "reviewer__username")
    autocomplete_fields = ("annotation", "reviewer", "gold")
    list_select_related = ("annotation", "reviewer", "gold")


class ImportJobAddForm(forms.ModelForm):
    """Upload a file to import: the same job, worker and engine as the upload page."""

    upload = forms.FileField(label="File", help_text="docs/import.md lists the formats and limits.")
    format = forms.ChoiceField(choices=[(name, name) for name in IMPORT_FORMATS], initial="auto")

    class Meta:
        model = ImportJob
        fields = ["project", "format", "annotator"]

    def clean(self):
        data = super().clean()
        upload, chosen = data.get("upload"), data.get("format")
        if upload is not None and upload.size > settings.IMPORT_UPLOAD_MAX_BYTES:
            self.add_error("upload", f"The file is larger than {settings.IMPORT_UPLOAD_MAX_BYTES:,} bytes.")
        elif upload is not None and chosen == "auto":
            detected = detect_format(upload.name, upload.read(64))
            upload.seek(0)
            if detected is None:
                self.add_error("format", f"Cannot tell the format of {upload.name!r} from its name; choose one.")
            data["format"] = detected
        return data


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["file_name", "project", "status", "processed", "total", "created", "spans", "created_at"]
    list_filter = ["status", "project"]
    search_fields = ["file_name"]
    list_select_related = ["project"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ImportJobAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [f.name for f in ImportJob._meta.fields]

    def save_model(self, request, obj, form, change):
        if change:
            return
        job = import_job_create(
            project=form.cleaned_data["project"],
            user=request.user,
            upload=form.cleaned_data["upload"],
            format=form.cleaned_data["format"],
            annotator=form.cleaned_data.get("annotator"),
        )
        obj.pk, obj._state.adding = job.pk, False  # the admin's messages and redirect name this job

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)


# Claims register their own (read-only) admin.
from annotations.claims import admin as claims_admin  # noqa: E402, F401

"""REST serializers: input serializers check types only, services check meaning.

Input serializers (``*InputSerializer``) turn a JSON body into plain Python values
and refuse what is not the right *type* (a string where a number belongs, an unknown
key). Whether an offset fits the text, a slug names a label or a URL is http(s) is
decided by ``annotations.services`` and the model validators, the one home of each
rule. Output serializers are read-only and render what the API returns.

Keys a client sends that the server sets itself (``id``, ``annotator``, timestamps,
``is_gold``, a link's ``name``) are ignored, so a representation read with GET can be
sent back with PUT as is; any other unknown key is refused with 400 naming it, so a
typo (``"claimtype"``) never silently drops what the client meant to write.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.validators import validate_slug
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from annotations.models import (
    ANNOTATION_CONTENT_FIELDS,
    ARTICLE_HEAD_FIELDS,
    MAX_ANNOTATORS_PER_ARTICLE,
    Annotation,
    Article,
    ClaimType,
    Label,
    Membership,
    Project,
    Role,
    Source,
    SourceLink,
    Verdict,
    project_role,
)
from annotations.projects.services import PROJECT_FIELDS
from annotations.services import NOTE_MAX_LENGTH
from annotations.validators import MAX_LANGUAGES, MAX_URL_LENGTH

# Largest value a database id or version column holds (64-bit signed integer).
MAX_DB_INT = 2**63 - 1
MAX_SOURCE_LINKS = 100
MAX_ALIASES = 50


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer, nothing else: ``"5"``, ``5.0`` and ``true`` are client bugs, not 5."""

    default_error_messages = {"invalid": "A whole number is required (a JSON integer)."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return data


class StrictBooleanField(serializers.BooleanField):
    """``true``, ``false`` (or ``null`` where allowed); not "yes", 1 or "true"."""

    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictCharField(serializers.CharField):
    """A JSON string: numbers are not silently turned into text."""

    default_error_messages = {"invalid": "Must be a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def http_url_field(*, help_text: str) -> StrictCharField:
    """An optional http(s) URL as JSON text, capped at ``MAX_URL_LENGTH`` with a message that says so."""
    return StrictCharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=MAX_URL_LENGTH,
        error_messages={"max_length": f"URLs may be at most {MAX_URL_LENGTH} characters."},
        help_text=help_text,
    )


def version_field(*, help_text: str | None = None) -> StrictIntegerField:
    """The optional ``version`` a client edited (optimistic concurrency): a positive database integer."""
    return StrictIntegerField(required=False, min_value=1, max_value=MAX_DB_INT, help_text=help_text)


class StrictSerializer(serializers.Serializer):
    """Refuses unknown keys; ignores the server-set keys named in ``ignored_fields``."""

    ignored_fields: frozenset[str] = frozenset()

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = [key for key in data if key not in self.fields and key not in self.ignored_fields]
            if unknown:
                raise serializers.ValidationError(
                    {str(key)[:100]: ["Unknown field; see the API documentation for the fields."] for key in unknown}
                )
        return super().to_internal_value(data)


# ---------------------------------------------------------------- projects


class ProjectSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="Your role here: annotator, reviewer or manager.")

    class Meta:
        model = Project
        fields = ["slug", *PROJECT_FIELDS, "role", "created_at", "updated_at"]
        read_only_fields = fields

    def get_role(self, project: Project) -> str | None:
        request = self.context.get("request")
        return project_role(request.user, project) if request is not None else None


class ProjectInputSerializer(StrictSerializer):
    """A project as sent by a client; ``Project.full_clean`` has the last word."""

    ignored_fields = frozenset({"role", "created_at", "updated_at"})

    slug = StrictCharField(max_length=50, validators=[validate_slug], help_text="Permanent: URLs use it.")
    name = StrictCharField(max_length=200)
    description = StrictCharField(required=False, allow_blank=True, max_length=5000, trim_whitespace=False)
    guidelines = StrictCharField(
        required=False, allow_blank=True, max_length=100_000, trim_whitespace=False, help_text="Markdown."
    )
    languages = serializers.ListField(
        child=StrictCharField(max_length=35), required=False, max_length=MAX_LANGUAGES, help_text="BCP 47 tags."
    )
    allow_overlap = StrictBooleanField(required=False)
    annotators_per_article = StrictIntegerField(required=False, min_value=1, max_value=MAX_ANNOTATORS_PER_ARTICLE)
    suggestions = StrictBooleanField(required=False)


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["username", "role", "created_at"]
        read_only_fields = fields


class MemberInputSerializer(StrictSerializer):
    ignored_fields = frozenset({"created_at"})

    username = StrictCharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)


# ---------------------------------------------------------------- vocabulary


class VocabularyEntrySerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)


class LabelSerializer(VocabularyEntrySerializer):
    class Meta:
        model = Label
        fields = ["id", "project", "slug", "name", "color", "shortcut", "description", "order", "retired"]
        read_only_fields = fields


class ClaimTypeSerializer(VocabularyEntrySerializer):
    class Meta:
        model = ClaimType
        fields = ["id", "project", "slug", "name", "description", "order", "retired"]
        read_only_fields = fields


class VerdictSerializer(VocabularyEntrySerializer):
    class Meta:
        model = Verdict
        fields = [
            "id",
            "project",
            "slug",
            "name",
            "description",
            "order",
            "claimreview_name",
            "xfact_label",
            "retired",
        ]
        read_only_fields = fields


class VocabularyInputSerializer(StrictSerializer):
    """An entry as a manager sends it; ``project`` (a slug) only when creating."""

    ignored_fields = frozenset({"id"})

    project = StrictCharField(max_length=50, help_text="Slug of the project whose vocabulary this is.")
    slug = StrictCharField(max_length=50, validators=[validate_slug])
    name = StrictCharField(max_length=100)
    description = StrictCharField(required=False, allow_blank=True, max_length=5000, trim_whitespace=False)
    order = StrictIntegerField(required=False, min_value=0, max_value=32767)
    retired = StrictBooleanField(required=False)


class LabelInputSerializer(VocabularyInputSerializer):
    color = StrictCharField(required=False, max_length=7, help_text="Hex colour, e.g. #ffd54f.")
    shortcut = StrictCharField(required=False, allow_blank=True, max_length=1, help_text="One key.")


class ClaimTypeInputSerializer(VocabularyInputSerializer):
    pass


class VerdictInputSerializer(VocabularyInputSerializer):
    claimreview_name = StrictCharField(required=False, allow_blank=True, max_length=100)
    xfact_label = StrictCharField(required=False, allow_blank=True, max_length=50)


# ---------------------------------------------------------------- articles


class ArticleListSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Article
        fields = [*ARTICLE_HEAD_FIELDS, "publisher", "author", "published_at", "url", "text_sha256"]
        read_only_fields = fields


class ArticleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = [*ArticleListSerializer.Meta.fields, "text", "metadata", "created_at", "updated_at"]
        read_only_fields = fields


# ---------------------------------------------------------------- sources


class SourceSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Source
        fields = ["id", "slug", "name", "homepage", "kind", "aliases", "created_by", "created_at", "confirmed"]
        read_only_fields = fields


class SourceInputSerializer(StrictSerializer):
    """Registry entry as sent by a client; ``Source.full_clean`` has the last word."""

    ignored_fields = frozenset({"id", "created_by", "created_at"})

    slug = StrictCharField(
        max_length=80,
        required=False,
        validators=[validate_slug],
        help_text="Letters, digits, hyphens and underscores; made from the name when absent.",
    )
    name = StrictCharField(max_length=200)
    homepage = http_url_field(help_text="http:// or https:// only.")
    kind = serializers.ChoiceField(choices=Source.Kind.choices, required=False)
    aliases = serializers.ListField(
        child=StrictCharField(max_length=200),
        required=False,
        max_length=MAX_ALIASES,
        help_text="Names as written in other languages and scripts, e.g. رويترز.",
    )
    confirmed = StrictBooleanField(
        required=False,
        help_text="Staff only: the source is checked. Sources annotators add start unconfirmed.",
    )


# ---------------------------------------------------------------- annotations


class SourceLinkSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="source.name", read_only=True)

    class Meta:
        model = SourceLink
        fields = ["source", "name", "url", "relation"]
        read_only_fields = fields


class AnnotationSerializer(serializers.ModelSerializer):
    """What the API returns for a span (``Annotation.objects.with_relations()`` rows)."""

    annotator = serializers.CharField(source="annotator.username", read_only=True)
    label = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    claim_type = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    verdict = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    source_links = SourceLinkSerializer(many=True, read_only=True)

    class Meta:
        model = Annotation
        fields = [
            "id",
            "article",
            "annotator",
            *ANNOTATION_CONTENT_FIELDS,
            "source_links",
            "created_at",
            "updated_at",
            "version",
            "is_gold",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="AnnotationListItem")
class AnnotationListSerializer(AnnotationSerializer):
    """Items of ``GET /api/annotations/``: a deleted one (``?deleted=1``) adds ``deleted_at``;
    a live one is exactly ``AnnotationSerializer``'s record, without the key."""

    # Output only, like every field here; declared writable because drf-spectacular marks
    # each read-only field required, and this one is present on deleted annotations only.
    deleted_at = serializers.DateTimeField(
        required=False, help_text="When the annotation was deleted; only on deleted ones (?deleted=1)."
    )

    class Meta(AnnotationSerializer.Meta):
        fields = [*AnnotationSerializer.Meta.fields, "deleted_at"]
        read_only_fields = AnnotationSerializer.Meta.fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if data["deleted_at"] is None:
            del data["deleted_at"]
        return data


class SourceLinkInputSerializer(StrictSerializer):
    ignored_fields = frozenset({"name"})

    source = StrictCharField(max_length=80, help_text="Slug of a registry source, e.g. reuters.")
    url = http_url_field(help_text="The exact report (http:// or https:// only).")
    relation = serializers.ChoiceField(choices=SourceLink.Relation.choices, required=False)


class AnnotationInputSerializer(StrictSerializer):
    """A span as written by a client (POST, PUT and, with ``partial=True``, PATCH)."""

    ignored_fields = frozenset({"id", "annotator", "created_at", "updated_at", "is_gold"})

    article = StrictIntegerField(min_value=1, max_value=MAX_DB_INT)
    start = StrictIntegerField(help_text="Unicode code point offset into the article text.")
    end = StrictIntegerField(help_text="Code point offset, exclusive: text == article.text[start:end].")
    text = StrictCharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Optional; when sent it must equal article.text[start:end].",
    )
    label = StrictCharField(max_length=50, help_text="Label slug, e.g. claim.")
    claim_type = StrictCharField(max_length=50, required=False, allow_null=True, allow_blank=True)
    checkworthy = StrictBooleanField(required=False, allow_null=True)
    verdict = StrictCharField(
        max_length=50, required=False, allow_null=True, allow_blank=True, help_text="Default: unchecked."
    )
    note = StrictCharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        trim_whitespace=False,
        help_text=f"Plain text (markup is stripped), at most {NOTE_MAX_LENGTH} characters.",
    )
    source_links = SourceLinkInputSerializer(many=True, required=False, max_length=MAX_SOURCE_LINKS)
    version = version_field(
        help_text="The version you edited (PATCH/PUT/DELETE): a stale one answers 409 and changes nothing."
    )

    def validate_article(self, value: int) -> Article:
        # Only articles of the caller's projects: another project's article is unknown here.
        request = self.context.get("request")
        articles = Article.objects.visible_to(request.user) if request is not None else Article.objects.none()
        article = articles.filter(pk=value).first()
        if article is None:
            raise serializers.ValidationError(f"Unknown article {value}.")
        return article


# ---------------------------------------------------------------- suggestions (documentation only)


class SuggestionSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Stable id (a hash of label, start and end); dismiss it by this id.")
    start = serializers.IntegerField(help_text="Code point offset, like every span's.")
    end = serializers.IntegerField()
    text = serializers.CharField()
    label = serializers.ChoiceField(choices=["attribution", "claim"])
    sources = serializers.ListField(child=serializers.CharField(), help_text="Registry slugs named in it.")
    score = serializers.FloatField(help_text="0 to 1; higher is more likely worth accepting.")
    reason = serializers.CharField(help_text="Why it was suggested, for people.")
    pair = serializers.CharField(allow_null=True, help_text="An attribution's claim suggestion id, else null.")


class SuggestionListSerializer(serializers.Serializer):
    suggestions = SuggestionSerializer(many=True)

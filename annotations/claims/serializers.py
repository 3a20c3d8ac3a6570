"""Claims over REST: input serializers check types, ``annotations.claims.services`` checks meaning."""

from __future__ import annotations

from rest_framework import serializers

from annotations.claims.models import CLAIMANT_MAX_LENGTH, EXPLANATION_MAX_LENGTH, STATEMENT_MAX_LENGTH, Claim
from annotations.claims.models import ClaimEvidence as Evidence
from annotations.claims.services import MAX_EVIDENCE
from annotations.serializers import (
    MAX_DB_INT,
    SourceLinkInputSerializer,
    SourceLinkSerializer,
    StrictCharField,
    StrictIntegerField,
    StrictSerializer,
    http_url_field,
    version_field,
)


# A claim's evidence reads like a span's source link: source slug, its name, URL, relation.
class EvidenceSerializer(SourceLinkSerializer):
    class Meta(SourceLinkSerializer.Meta):
        model = Evidence


class ClaimSerializer(serializers.ModelSerializer):
    """A claim as the API returns it (``Claim.objects.with_relations()`` rows)."""

    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    verdict = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    appearances = serializers.SerializerMethodField(help_text="Ids of the spans (annotations) that make this claim.")

    class Meta:
        model = Claim
        fields = [
            "id",
            "project",
            "statement",
            "language",
            "claimant",
            "claim_date",
            "status",
            "verdict",
            "rating_explanation",
            "review_url",
            "evidence",
            "appearances",
            "created_by",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_appearances(self, claim: Claim) -> list[int]:
        # Deleted spans keep their appearance row (a restore brings them back) but are not listed.
        return [a.annotation_id for a in claim.appearances.all() if a.annotation.deleted_at is None]


# Written like a span's source link (same source slug and URL rules); only the relations differ.
class EvidenceInputSerializer(SourceLinkInputSerializer):
    url = http_url_field(help_text="The report (http:// or https:// only).")
    relation = serializers.ChoiceField(choices=Evidence.Relation.choices, required=False)


class ClaimInputSerializer(StrictSerializer):
    """A claim as written by a client (POST; PATCH with ``partial=True``)."""

    ignored_fields = frozenset({"id", "created_by", "created_at", "updated_at", "appearances"})

    project = StrictCharField(max_length=50, required=False, help_text="Project slug (when no annotation is sent).")
    annotation = StrictIntegerField(
        required=False, min_value=1, max_value=MAX_DB_INT, help_text="POST: the span the claim is made from."
    )
    statement = StrictCharField(max_length=STATEMENT_MAX_LENGTH, required=False, allow_blank=True)
    language = StrictCharField(max_length=35, required=False)
    claimant = StrictCharField(max_length=CLAIMANT_MAX_LENGTH, required=False, allow_blank=True)
    claim_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Claim.Status.choices, required=False)
    verdict = StrictCharField(max_length=50, required=False, allow_null=True, allow_blank=True)
    rating_explanation = StrictCharField(
        max_length=EXPLANATION_MAX_LENGTH, required=False, allow_blank=True, trim_whitespace=False
    )
    review_url = http_url_field(help_text="The published fact-check (http:// or https:// only).")
    evidence = EvidenceInputSerializer(many=True, required=False, max_length=MAX_EVIDENCE)
    version = version_field(
        help_text="PATCH/DELETE: the version you edited; a stale one answers 409 and changes nothing."
    )


class VersionInputSerializer(StrictSerializer):
    version = version_field()


class AppearanceInputSerializer(StrictSerializer):
    annotation = StrictIntegerField(min_value=1, max_value=MAX_DB_INT, help_text="The span's id.")


class MergeInputSerializer(StrictSerializer):
    other = StrictIntegerField(min_value=1, max_value=MAX_DB_INT, help_text="The claim folded into this one.")
    version = version_field()


class SplitInputSerializer(StrictSerializer):
    annotations = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=MAX_DB_INT), min_length=1, max_length=1000
    )
    statement = StrictCharField(max_length=STATEMENT_MAX_LENGTH, required=False)
    version = version_field()


class MatchSerializer(serializers.Serializer):
    claim = serializers.IntegerField(help_text="The claim's id.")
    statement = serializers.CharField()
    language = serializers.CharField()
    score = serializers.FloatField(help_text="In [0, 1]; higher is likelier.")
    reasons = serializers.ListField(child=serializers.CharField(), help_text='e.g. "same amount: 12 billion USD".')


class MatchesSerializer(serializers.Serializer):
    matches = MatchSerializer(many=True)

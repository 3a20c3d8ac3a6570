"""Claims in the admin: read-only, with their history. Claims change through the API and
the claim pages, which go through ``annotations.claims.services`` (one door per write)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from annotations.admin import URL_FIELDS
from annotations.claims.models import Claim, ClaimAppearance, ClaimEvidence


class ReadOnlyInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class EvidenceInline(ReadOnlyInline):
    model = ClaimEvidence
    fields = ["source", "url", "relation"]
    readonly_fields = fields


class AppearanceInline(ReadOnlyInline):
    model = ClaimAppearance
    fields = ["annotation", "added_by", "added_at"]
    readonly_fields = fields


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["id", "statement", "project", "language", "status", "verdict", "updated_at"]
    list_filter = ["project", "status", "language"]
    search_fields = ["statement", "claimant"]
    list_select_related = ["project", "verdict"]
    inlines = [AppearanceInline, EvidenceInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from decisions.models import (
    CoachGrant,
    CoachInvitation,
    Criterion,
    Decision,
    LogEntry,
    Offer,
    Rating,
)
from offerdesk.admin import ReadOnlyAdmin


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("name", "kind", "weight", "floor", "target")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    fields = ("company", "role", "currency", "status", "response_deadline")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("title", "owner", "status", "base_currency", "updated_at")
    list_filter = ("status",)
    search_fields = ("title", "owner__username")
    raw_id_fields = ("owner", "chosen_offer")
    inlines = [CriterionInline, OfferInline]


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("offer", "criterion", "value", "note")
    raw_id_fields = ("offer", "criterion")


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "decision", "author", "kind", "summary")
    list_filter = ("kind",)
    raw_id_fields = ("decision", "author")


@admin.register(CoachGrant)
class CoachGrantAdmin(ReadOnlyAdmin):
    list_display = ("client", "coach", "hide_compensation", "granted_at", "revoked_at")
    raw_id_fields = ("client", "coach")


@admin.register(CoachInvitation)
class CoachInvitationAdmin(ReadOnlyAdmin):
    list_display = ("client", "email", "created_at", "expires_at", "accepted_at", "revoked_at")
    raw_id_fields = ("client", "accepted_by")
    exclude = ("token_hash",)

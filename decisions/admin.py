from __future__ import annotations

from django.contrib import admin

from decisions.models import Criterion, Decision, LogEntry, Offer, Rating


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    fields = ("company", "role", "currency", "base_salary", "status", "response_deadline")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "status", "base_currency", "updated_at")
    list_filter = ("status",)
    search_fields = ("title", "owner__username")
    raw_id_fields = ("owner", "chosen_offer")
    inlines = [CriterionInline, OfferInline]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("offer", "criterion", "score", "amount", "note")
    raw_id_fields = ("offer", "criterion")


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "decision", "author", "kind", "summary")
    list_filter = ("kind",)
    raw_id_fields = ("decision", "author")

    # The log is the decision's history: readable here, never rewritten.
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from offerdesk.accounts.models import User


@admin.register(User)
class OfferdeskUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "Profile",
            {"fields": ("full_name", "postal_address", "phone", "signature", "paper_size")},
        ),
    )
    list_display = ("username", "email", "full_name", "is_staff", "date_joined")
    search_fields = ("username", "email", "full_name")

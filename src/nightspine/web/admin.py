from __future__ import annotations

from django.contrib import admin

from nightspine.web.models import Account, AuditEvent, Share


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "role", "display_name")
    list_filter = ("role",)


@admin.register(Share)
class ShareAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("profile", "clinician", "created_at", "revoked_at")
    exclude = ("code_hash",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("profile", "actor_name", "action", "at")

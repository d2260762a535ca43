from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from nightspine.errors import InvalidInputError
from nightspine.web import security_events, services
from nightspine.web.models import Account, AuditEvent, ClinicianCheck, Share


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "role", "display_name", "verified")
    list_filter = ("role",)
    actions = ("verify_clinicians", "unverify_clinicians")

    @admin.display(boolean=True, description="verified clinician")
    def verified(self, obj: Account) -> bool | None:
        if obj.role != Account.CLINICIAN:
            return None
        return services.is_verified_clinician(obj.user)

    @admin.action(description="Verify the selected clinicians (registration checked)")
    def verify_clinicians(self, request: HttpRequest, queryset: QuerySet[Account]) -> None:
        done = 0
        for account in queryset.select_related("user"):
            try:
                services.verify_clinician(account.user, by=str(request.user.get_username()))
            except InvalidInputError:
                continue  # a person's account: nothing to verify
            security_events.record("clinician_verified", user_id=account.user.pk)
            done += 1
        self.message_user(request, f"{done} clinician(s) verified.", messages.SUCCESS)

    @admin.action(description="Mark the selected clinicians unverified")
    def unverify_clinicians(self, request: HttpRequest, queryset: QuerySet[Account]) -> None:
        for account in queryset.select_related("user"):
            services.unverify_clinician(account.user)
            security_events.record("clinician_unverified", user_id=account.user.pk)
        self.message_user(request, "Marked unverified.", messages.SUCCESS)


@admin.register(ClinicianCheck)
class ClinicianCheckAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "verified_at", "verified_by", "note")


@admin.register(Share)
class ShareAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("profile", "clinician", "created_at", "revoked_at")
    exclude = ("code_hash",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("profile", "actor_name", "action", "at")

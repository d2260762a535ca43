from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "nightspine.web"
    label = "web"
    verbose_name = "nightspine web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from nightspine.web import allauth_glue, sessions

        sessions.connect()
        allauth_glue.connect()

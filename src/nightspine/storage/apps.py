"""The Django app that holds nightspine's tables (label ``nightspine``)."""

from __future__ import annotations

from django.apps import AppConfig


class StorageConfig(AppConfig):
    name = "nightspine.storage"
    label = "nightspine"
    verbose_name = "nightspine"
    default_auto_field = "django.db.models.BigAutoField"

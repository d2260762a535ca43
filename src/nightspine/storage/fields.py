"""A model field that keeps any JSON value encrypted at rest (one Fernet token per cell).

The column holds text: a Fernet token of the value's JSON. Rows written before encryption hold
the plain value (a number, ``true``/``1``, a JSON list, text); they are read as they are and
encrypted the next time the row is saved or by ``nightspine keys re-encrypt``, so nothing is
lost. The database cannot compare or sort these values, so queries filter on plain columns
(profile, date, status) and leave the rest to Python (see ``docs/security.md``).
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from nightspine.storage import crypto


class EncryptedJSONField(models.TextField):  # type: ignore[type-arg]
    """A JSON value (number, bool, text, list or object) stored as a Fernet token.

    ``legacy`` says how to read a plain value left from before encryption: ``"json"`` (lists,
    objects, numbers), ``"text"`` (free text kept as is) or ``"bool"`` (0/1, true/false).
    """

    description = "a JSON value encrypted at rest"

    def __init__(self, *args: Any, legacy: str = "json", **kwargs: Any) -> None:
        self.legacy = legacy
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.legacy != "json":
            kwargs["legacy"] = self.legacy
        return name, path, args, kwargs

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return crypto.encrypt(plain).decode("ascii")

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return self.to_python(value)

    def to_python(self, value: Any) -> Any:
        if value is None or not isinstance(value, (str, bytes, memoryview)):
            return value
        text = bytes(value).decode("utf-8") if not isinstance(value, str) else value
        if crypto.is_token(text):
            return json.loads(crypto.decrypt(text.encode("ascii")))
        return self._legacy(text)

    def _legacy(self, text: str) -> Any:
        if self.legacy == "text":
            return text
        if self.legacy == "bool":
            return text.strip().lower() in ("1", "true", "t")
        try:
            return json.loads(text)
        except ValueError:
            return text

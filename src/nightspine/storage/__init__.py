"""Storage: Django's ORM, used standalone by the command line and by the web app.

Call :func:`setup` once before using :mod:`nightspine.storage.repository` outside the web app::

    from nightspine.storage import setup
    from nightspine.storage import repository as repo

    setup()                       # or setup("postgresql://user:pass@host:5432/nightspine")
    profile = repo.get_or_create_default_profile()
    entries = repo.list_entries(profile)

The core packages never import this package; it converts between its rows and the core's
pydantic models (:class:`nightspine.diary.entry.DiaryEntry`, assessment results).
"""

from __future__ import annotations

from nightspine.storage.database import (
    database_config,
    default_database,
    run_migrations,
    setup,
)

__all__ = ["database_config", "default_database", "run_migrations", "setup"]

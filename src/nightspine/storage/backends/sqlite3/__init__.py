"""SQLite with writers taking turns (:mod:`.base`)."""

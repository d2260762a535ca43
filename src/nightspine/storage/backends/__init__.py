"""Django database back-ends of the storage layer (see ``sqlite3``)."""

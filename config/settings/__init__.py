"""Settings modules: ``base`` (shared), ``dev`` (embedded SQLite, demo), ``test`` and ``production``."""

"""Start Django for a workspace folder: settings, secret key, database.

Nothing here imports Django at module level, so the command line can load
this module cheaply and report a missing extra in one line.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ris3.errors import InputError, OptionalDependencyError

SQLITE_NAME = "workspace.sqlite3"
SECRET_KEY_NAME = "secret_key"


def database_settings(folder: Path, url: str | None) -> dict[str, Any]:
    """Django ``DATABASES['default']`` for a workspace folder or a PostgreSQL URL.

    Examples
    --------
    >>> database_settings(Path("/tmp/ws"), None)["ENGINE"]
    'django.db.backends.sqlite3'
    >>> s = database_settings(Path("/tmp/ws"), "postgresql://u:p%40ss@db:5433/s3")
    >>> s["NAME"], s["USER"], s["PASSWORD"], s["HOST"], s["PORT"]
    ('s3', 'u', 'p@ss', 'db', '5433')
    """
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(folder / SQLITE_NAME),
            "OPTIONS": {
                # WAL lets readers work while one writer commits; IMMEDIATE takes
                # the write lock at BEGIN so concurrent writers queue instead of failing
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            "TEST": {"NAME": str(folder / ("test_" + SQLITE_NAME))},
        }
    parsed = urlparse(url)
    if parsed.scheme not in ("postgresql", "postgres"):
        raise InputError(
            f"--database-url must start with postgresql:// (got {parsed.scheme or 'no scheme'}://)"
        )
    name = parsed.path.lstrip("/")
    if not name:
        raise InputError(
            "--database-url names no database: use postgresql://user:pw@host:port/name"
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(name),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def make_secret_key(folder: Path) -> Path:
    """Create the instance's secret key in ``folder`` (readable by the owner only)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_KEY_NAME
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path


def read_secret_key(folder: Path) -> str:
    """Return the secret key kept beside the database; raise an error if the folder has none."""
    path = folder / SECRET_KEY_NAME
    if not path.is_file():
        raise InputError(
            f"no workspace in {folder} (no {SECRET_KEY_NAME} file): "
            f"run `ris3 workspace init --db {folder}` first"
        )
    return path.read_text().strip()


def setup(folder: Path, database_url: str | None = None, *, debug: bool = False) -> None:
    """Point Django at a workspace folder (and database) and start it.

    ``database_url`` defaults to the ``RIS3_DATABASE_URL`` environment
    variable; without either, the database is SQLite inside ``folder``.
    """
    try:
        import django
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise OptionalDependencyError(
            "the workspace needs the [workspace] extra: pip install 'ris3[workspace]'"
        ) from exc
    os.environ["RIS3_WORKSPACE_DIR"] = str(Path(folder).resolve())
    (Path(folder) / "static").mkdir(parents=True, exist_ok=True)
    if database_url:
        os.environ["RIS3_DATABASE_URL"] = database_url
    if debug:
        os.environ["RIS3_WORKSPACE_DEBUG"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ris3.workspace.settings")
    django.setup()


def uses_sqlite() -> bool:
    """Whether the configured database is SQLite (after :func:`setup`)."""
    from django.conf import settings

    return bool(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"))

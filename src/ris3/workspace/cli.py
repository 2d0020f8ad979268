"""``ris3 workspace``: create, fill, serve, back up and check a strategy workspace.

Loaded by the ``ris3`` command; Django is imported only when a command runs.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import typer

from ris3.errors import InputError

workspace_app = typer.Typer(
    name="workspace",
    help="The multi-user strategy workspace (needs the [workspace] extra).",
    no_args_is_help=True,
)

DB_HELP = "Workspace folder: the SQLite database and the instance's secret key live here."
URL_HELP = "PostgreSQL database URL (postgresql://user:pw@host:port/name); default SQLite in --db."


def _start(db: Path, database_url: str | None, *, must_exist: bool = True) -> None:
    from ris3.workspace import runtime

    if must_exist and not (db / runtime.SECRET_KEY_NAME).is_file():
        raise InputError(f"--db {db} is not a workspace folder: run `ris3 workspace init` first")
    if not must_exist:
        runtime.make_secret_key(db)
    runtime.setup(db, database_url)
    from django.db import OperationalError, connection

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        first = next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), "unknown error")
        where = "--database-url" if database_url else f"--db {db}"
        raise InputError(f"cannot open the database ({where}): {first}") from None


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _user(email: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=email).first()
    if user is None:
        raise InputError(f"--user {email}: no such user in this workspace")
    return user


DbOpt = typer.Option(..., "--db", help=DB_HELP, file_okay=False)
UrlOpt = typer.Option(None, "--database-url", envvar="RIS3_DATABASE_URL", help=URL_HELP)


@workspace_app.command("init")
def init(
    db: Path = DbOpt,
    admin: str = typer.Option(..., "--admin", help="E-mail of the administrator (sees all)."),
    database_url: str | None = UrlOpt,
) -> None:
    """Create a workspace: secret key, database tables and the administrator.

    The password comes from RIS3_ADMIN_PASSWORD, or a prompt.
    """
    from ris3.workspace import runtime

    if (
        (db / runtime.SECRET_KEY_NAME).exists()
        and not database_url
        and (db / runtime.SQLITE_NAME).exists()
    ):
        raise InputError(f"--db {db} holds a workspace already")
    password = os.environ.get("RIS3_ADMIN_PASSWORD") or typer.prompt(
        f"Password for {admin}", hide_input=True, confirmation_prompt=True
    )
    _start(db, database_url, must_exist=False)
    _migrate()
    from ris3.workspace import identity

    identity.create_user(admin, password, superuser=True)
    typer.echo(f"workspace ready in {db.resolve()}; administrator {admin}")


@workspace_app.command("demo")
def demo(db: Path = DbOpt, database_url: str | None = UrlOpt) -> None:
    """Add the AT33 Tirol demo strategy: real profile evidence, illustrative people and events.

    Demo users ROLE@example.org for each role; their password comes from
    RIS3_DEMO_PASSWORD (or is generated and printed).
    """
    password = os.environ.get("RIS3_DEMO_PASSWORD")
    _start(db, database_url, must_exist=False)
    _migrate()
    from ris3.workspace.demo import build_demo

    generated = not password
    password = password or secrets.token_urlsafe(12)
    strategy = build_demo(password)
    typer.echo(f"demo strategy {strategy.pk} ({strategy.region_code}) added to {db.resolve()}")
    typer.echo(
        "users: owner, facilitator, evaluator, stakeholder, observer, applicant @example.org"
    )
    if generated:
        typer.echo(f"demo password (RIS3_DEMO_PASSWORD was not set): {password}")


@workspace_app.command("serve")
def serve(
    db: Path = DbOpt,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    threads: int = typer.Option(8, "--threads", min=1, help="Worker threads."),
    database_url: str | None = UrlOpt,
) -> None:
    """Serve the workspace with the waitress WSGI server (static files included)."""
    hosts = os.environ.get("RIS3_WORKSPACE_ALLOWED_HOSTS", "127.0.0.1,localhost")
    if host not in ("0.0.0.0", "::"):
        os.environ["RIS3_WORKSPACE_ALLOWED_HOSTS"] = f"{hosts},{host}"
    _start(db, database_url)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    _migrate()
    import waitress

    from ris3.workspace.wsgi import application

    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    typer.echo(f"ris3 workspace at http://{shown}:{port}/ (Ctrl+C stops it)", err=False)
    waitress.serve(application, host=host, port=port, threads=threads, ident="ris3")


ROLES = ("owner", "facilitator", "evaluator", "stakeholder", "observer", "applicant")


@workspace_app.command("user")
def user(
    db: Path = DbOpt,
    email: str = typer.Option(..., "--email", help="E-mail of the user (their login name)."),
    strategy: int | None = typer.Option(None, "--strategy", help="Strategy id to add them to."),
    role: str | None = typer.Option(None, "--role", help="Role in --strategy: " + ", ".join(ROLES)),
    database_url: str | None = UrlOpt,
) -> None:
    """Create a user (password from RIS3_USER_PASSWORD or a prompt) and give a role.

    For a user that exists already, only the role in --strategy is set.
    """
    if (strategy is None) != (role is None):
        raise InputError("--strategy and --role go together")
    if role is not None and role not in ROLES:
        raise InputError(f"--role must be one of {', '.join(ROLES)}; got {role!r}")
    _start(db, database_url)
    from ris3.workspace import identity, services
    from ris3.workspace.models import Strategy

    target = None
    if strategy is not None:
        target = Strategy.objects.filter(pk=strategy).first()
        if target is None:
            raise InputError(f"--strategy {strategy}: no such strategy in this workspace")
    from django.contrib.auth import get_user_model

    account = get_user_model().objects.filter(username=email).first()
    if account is None:
        password = os.environ.get("RIS3_USER_PASSWORD") or typer.prompt(
            f"Password for {email}", hide_input=True, confirmation_prompt=True
        )
        account = identity.create_user(email, password)
        typer.echo(f"user {email} created")
    if target is not None and role is not None:
        services.add_member(None, target, account, role)
        typer.echo(f"{email} is {role} of strategy {target.pk} ({target.region_code})")


@workspace_app.command("token")
def token(
    db: Path = DbOpt,
    user: str = typer.Option(..., "--user", help="E-mail of the user the token acts for."),
    database_url: str | None = UrlOpt,
) -> None:
    """Print a new API token for a user (the token alone on the last line)."""
    _start(db, database_url)
    from ris3.workspace import identity

    value = identity.issue_token(_user(user))
    typer.echo(f"API token for {user}; send it as 'Authorization: Bearer TOKEN'. Shown once:")
    typer.echo(value)


@workspace_app.command("export")
def export(
    db: Path = DbOpt,
    out: Path = typer.Option(..., "--out", help="Archive to write (.zip)."),
    database_url: str | None = UrlOpt,
) -> None:
    """Write everything to a versioned zip archive (JSON per entity plus manifest.json)."""
    if out.suffix.lower() != ".zip":
        raise InputError(f"--out must end in .zip, got {out.name}")
    _start(db, database_url)
    from ris3.workspace.archive import export_archive

    manifest = export_archive(out)
    n = sum(f["records"] for f in manifest["files"].values())
    typer.echo(
        f"{n} records in {len(manifest['files'])} files and "
        f"{len(manifest['stored_files'])} stored files written to {out}"
    )


@workspace_app.command("import")
def import_(
    db: Path = DbOpt,
    archive: Path = typer.Option(..., "--archive", help="Archive made by `ris3 workspace export`."),
    database_url: str | None = UrlOpt,
) -> None:
    """Restore an archive into a new database (refuses a non-empty one)."""
    from ris3.workspace import runtime

    if not archive.is_file():
        raise InputError(f"--archive {archive} does not exist")
    if not database_url and (db / runtime.SQLITE_NAME).exists():
        raise InputError(f"--db {db} holds a database already: import restores into a new one")
    from ris3.workspace.archive import ENTITIES, import_archive, verify_archive

    verify_archive(archive)  # before anything is created: a bad archive leaves no trace
    _start(db, database_url, must_exist=False)
    _migrate()
    counts = import_archive(archive)
    records = sum(counts.pop(name) for name, _ in ENTITIES)
    typer.echo(
        f"{records} records and {sum(counts.values())} stored files restored into {db.resolve()}"
    )


@workspace_app.command("check")
def check(db: Path = DbOpt, database_url: str | None = UrlOpt) -> None:
    """Run Django's deployment checks, check the database's integrity and the stored files.

    Each stored file (proposal attachment) that is missing, differs in size
    or hash from its record, or has no record is reported on a line of its own.
    """
    _start(db, database_url)
    from ris3.workspace.checks import StoredFilesMismatch, run_checks

    try:
        lines = run_checks()
    except StoredFilesMismatch as exc:
        for line in exc.passed + exc.problems:
            typer.echo(line)
        raise
    for line in lines:
        typer.echo(line)


@workspace_app.command("document")
def document(
    db: Path = DbOpt,
    strategy: int = typer.Option(..., "--strategy", help="Strategy id."),
    out: Path = typer.Option(..., "-o", "--out", help="File to write: .html, .pdf or .xlsx."),
    database_url: str | None = UrlOpt,
) -> None:
    """Export the strategy document (HTML report, PDF or XLSX workbook of every table)."""
    if out.suffix.lower() not in (".html", ".pdf", ".xlsx"):
        raise InputError(f"-o must end in .html, .pdf or .xlsx; got {out.name}")
    _start(db, database_url)
    from ris3.workspace.document.sections import export_strategy
    from ris3.workspace.models import Strategy

    target = Strategy.objects.filter(pk=strategy).first()
    if target is None:
        raise InputError(f"--strategy {strategy}: no such strategy in this workspace")
    export_strategy(target, out)
    typer.echo(f"strategy document of {target.region_code} written to {out}")


def register(app: typer.Typer) -> None:
    """Add the ``workspace`` group to the ``ris3`` command."""
    app.add_typer(workspace_app, name="workspace")

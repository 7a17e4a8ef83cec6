"""The practice admin's command line. Each command prints its result alone on the last line of
standard output, writes errors to standard error, and exits non-zero on failure."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from server import admin, db
from server.settings import Settings


class Failure(Exception):
    pass


def _engine(settings: Settings):
    settings.prepare_data_dir()
    engine = db.make_engine(settings.url)
    db.migrate(engine)
    return engine


def cmd_migrate(settings, args) -> str:
    settings.prepare_data_dir()
    ran = db.migrate(db.make_engine(settings.url))
    return f"migrated: {', '.join(map(str, ran))}" if ran else "up to date"


def _password() -> str:
    password = sys.stdin.readline().rstrip("\n")
    if len(password) < admin.MIN_PASSWORD:
        raise Failure(f"the password (read from standard input) must be at least {admin.MIN_PASSWORD} characters")
    return password


def cmd_create_specialist(settings, args) -> str:
    return admin.create_specialist(_engine(settings), args.email, args.name, _password(), is_admin=args.admin,
                                   actor=ACTOR)


def cmd_set_password(settings, args) -> str:
    """A new password (on standard input); every session of that specialist ends."""
    return admin.set_password(_engine(settings), args.email, _password(), ACTOR)


def cmd_deactivate(settings, args) -> str:
    admin.set_active(_engine(settings), args.email, args.reactivate, ACTOR)
    return "reactivated" if args.reactivate else "deactivated"


def cmd_backup(settings, args) -> str:
    from server import backup
    try:
        return str(backup.backup(settings, Path(args.into)))
    except backup.BackupError as exc:
        raise Failure(str(exc)) from None


def cmd_restore(settings, args) -> str:
    from server import backup
    try:
        backup.restore(settings, _engine(settings), Path(getattr(args, "from")))
    except backup.BackupError as exc:
        raise Failure(str(exc)) from None
    return "restored: every phone pulls from 0 on its next sync; everyone signs in again"


def cmd_add_family(settings, args) -> str:
    return admin.add_family(_engine(settings), args.name, args.specialist)


def cmd_pairing_code(settings, args) -> str:
    return admin.create_pairing_code(_engine(settings), args.family, args.member, ACTOR)


def cmd_export_family(settings, args) -> str:
    return json.dumps(admin.export_family(_engine(settings), args.family, ACTOR), ensure_ascii=False)


ACTOR = "admin (command line)"


def cmd_serve(settings, args) -> str:
    reason = settings.insecure_reason()
    if reason:
        raise Failure(reason)
    import uvicorn
    from server.app import create_app
    app = create_app(settings)  # its lifespan purges expired notices at start and every six hours
    print(f"Regroup specialist server on {settings.base_url} (database: "
          f"{'PostgreSQL' if settings.is_postgres else settings.url.removeprefix('sqlite:///')})", flush=True)
    logging.basicConfig(level=logging.INFO, format="%(message)s")  # regroup.access: one JSON line per request
    uvicorn.run(app, host=settings.host, port=settings.port, ssl_certfile=settings.tls_cert,
                ssl_keyfile=settings.tls_key, proxy_headers=False, log_level="info", access_log=False)
    return "stopped"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the schema up to date (Alembic upgrade to head)")
    p = sub.add_parser("create-specialist", help="add a specialist (password on standard input)")
    p.add_argument("--email", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--admin", action="store_true", help="a practice admin: adds and deactivates specialists")
    p = sub.add_parser("set-password", help="a new password (on standard input); their sessions end")
    p.add_argument("--email", required=True)
    p = sub.add_parser("deactivate", help="the specialist can no longer sign in; their families stay")
    p.add_argument("--email", required=True)
    p.add_argument("--reactivate", action="store_true")
    p = sub.add_parser("backup", help="a consistent copy of the database, while the server runs")
    p.add_argument("--into", required=True, help="a folder")
    p = sub.add_parser("restore", help="replace the database with a backup (stop the server first)")
    p.add_argument("--from", required=True, help="a file written by backup")
    p = sub.add_parser("add-family", help="add a family and assign it to a specialist")
    p.add_argument("--name", required=True)
    p.add_argument("--specialist", required=True, help="the specialist's email")
    p = sub.add_parser("pairing-code", help="a fresh pairing code")
    p.add_argument("--family", required=True)
    p.add_argument("--member")
    p = sub.add_parser("export-family", help="the family's shared data as JSON")
    p.add_argument("--family", required=True)
    sub.add_parser("serve", help="run the server")
    args = parser.parse_args(argv)
    handlers = {"migrate": cmd_migrate, "create-specialist": cmd_create_specialist, "set-password": cmd_set_password,
                "deactivate": cmd_deactivate, "backup": cmd_backup, "restore": cmd_restore, "add-family": cmd_add_family,
                "pairing-code": cmd_pairing_code, "export-family": cmd_export_family, "serve": cmd_serve}
    try:
        print(handlers[args.command](Settings.from_env(), args))
    except (Failure, admin.Invalid, admin.NotFound) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a clear line, not a traceback, for scripts
        print(f"error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

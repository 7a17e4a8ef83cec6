"""Server configuration from the environment (README, "The specialist server")."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8700
    data_dir: Path = Path(".regroup-server")
    database_url: str | None = None
    public_url: str | None = None
    redis_url: str | None = None
    retention_days: int = 180
    trusted_proxies: tuple = ()
    tls_cert: str | None = None
    tls_key: str | None = None
    secret_key: str | None = None
    # Push and pull per device: up to 120 requests in any 60 s are always served (SYNC.md).
    device_limit: str = "300/minute"
    pair_failures: int = 5
    pair_window_s: int = 15 * 60
    session_idle_minutes: int = 30
    sign_in_concurrency: int = 2  # argon2 checks at once (64 MiB each); more wait, then get 429
    sign_in_wait_s: float = 2.0
    allow_insecure: bool = False
    require_2fa: bool = False  # admins must set up a second factor before anything else
    timezone: str = "UTC"  # the practice's IANA time zone: the dashboard shows times in it
    serve_app: bool = False  # REGROUP_SERVE_APP=1: the family's web app (dist/web) at /app/
    app_dir: Path = Path(__file__).resolve().parent.parent / "dist" / "web"  # REGROUP_APP_DIR

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Settings":
        e = os.environ if env is None else env
        proxies = tuple(ipaddress.ip_network(p.strip(), strict=False)
                        for p in e.get("REGROUP_TRUSTED_PROXIES", "").split(",") if p.strip())
        return cls(
            host=e.get("REGROUP_SERVER_HOST", "127.0.0.1"),
            port=int(e.get("REGROUP_SERVER_PORT", "8700")),
            data_dir=Path(e.get("REGROUP_SERVER_DATA_DIR", ".regroup-server")),
            database_url=e.get("REGROUP_DATABASE_URL") or None,
            public_url=e.get("REGROUP_PUBLIC_URL") or None,
            redis_url=e.get("REGROUP_REDIS_URL") or None,
            retention_days=int(e.get("REGROUP_RETENTION_DAYS", "180")),
            trusted_proxies=proxies,
            tls_cert=e.get("REGROUP_TLS_CERT") or None,
            tls_key=e.get("REGROUP_TLS_KEY") or None,
            secret_key=e.get("REGROUP_SECRET_KEY") or None,
            session_idle_minutes=int(e.get("REGROUP_SESSION_IDLE_MINUTES", "30")),
            allow_insecure=e.get("REGROUP_ALLOW_INSECURE") == "1",
            require_2fa=e.get("REGROUP_REQUIRE_2FA") == "1",
            timezone=e.get("REGROUP_TIMEZONE") or "UTC",
            serve_app=e.get("REGROUP_SERVE_APP") == "1",
            app_dir=Path(e["REGROUP_APP_DIR"]) if e.get("REGROUP_APP_DIR") else cls.app_dir,
        )

    @property
    def url(self) -> str:
        """The database URL: REGROUP_DATABASE_URL, else server.db in the data folder."""
        if self.database_url:
            url = self.database_url
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url[len("postgresql://"):]
            return url
        return f"sqlite:///{(self.data_dir / 'server.db').resolve()}"

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith("postgresql")

    @property
    def base_url(self) -> str:
        scheme = "https" if self.tls_cert else "http"
        return self.public_url or f"{scheme}://{self.host}:{self.port}"

    def prepare_data_dir(self) -> None:
        """The data folder owner-only (0700) and the SQLite files 0600, from the very first start."""
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.data_dir, 0o700)
        if self.is_postgres:
            return
        database = self.data_dir / "server.db"
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))  # SQLite gives its -wal and -shm the same mode
        for path in self.data_dir.glob("server.db*"):
            os.chmod(path, 0o600)

    def insecure_reason(self) -> str | None:
        """Why serving like this would send passwords and cookies in the clear, or None."""
        if self.allow_insecure or self.tls_cert or self.trusted_proxies or is_loopback(self.host) \
                or (self.public_url or "").startswith("https://"):
            return None
        return (f"refusing to serve plain HTTP on {self.host}, which is not a loopback address: sign-in cookies "
                "need HTTPS and pairing QR codes need a reachable address. Either set REGROUP_TLS_CERT and "
                "REGROUP_TLS_KEY, or put a TLS proxy in front and set REGROUP_TRUSTED_PROXIES (and "
                "REGROUP_PUBLIC_URL=https://...), or listen on 127.0.0.1. For a lab without TLS only, set "
                "REGROUP_ALLOW_INSECURE=1.")

    def resolved_secret(self) -> str:
        """REGROUP_SECRET_KEY, else one kept in the data folder (good for a single process only)."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret.key"
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
        return path.read_text().strip()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

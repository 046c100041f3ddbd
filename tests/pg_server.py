"""A private PostgreSQL + PostGIS server for the tests: initdb into a temporary folder, trust
authentication, unix socket in that folder and a free loopback TCP port; always stopped afterwards.

As root (CI) the server runs as the ``postgres`` user (``runuser``), which owns the folder.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def pg_bin() -> Path | None:
    """Folder of initdb/pg_ctl: Debian's /usr/lib/postgresql/*/bin (newest), else the PATH."""
    for d in sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True
    ):
        if Path(d, "initdb").exists() and Path(d, "pg_ctl").exists():
            return Path(d)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def has_postgis(bindir: Path) -> bool:
    share = (
        subprocess.run([str(bindir / "pg_config"), "--sharedir"], capture_output=True, text=True)
        if (bindir / "pg_config").exists()
        else None
    )
    roots = [share.stdout.strip()] if share and share.returncode == 0 else []
    roots += glob.glob(f"/usr/share/postgresql/{bindir.parent.name}")
    return any(glob.glob(f"{r}/extension/postgis.control") for r in roots)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """Start with :meth:`start`, stop with :meth:`stop` (also on failure: use it in a fixture's
    finally)."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="landplan-pg-"))
        self.port = free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.started = False

    def _run(self, *cmd, check=True):
        # run from the server's folder: the postgres user may not enter the caller's working
        # directory
        proc = subprocess.run(
            self.as_user + [str(c) for c in cmd],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=self.dir,
        )
        if check and proc.returncode != 0:
            raise RuntimeError(
                f"{' '.join(map(str, cmd))} failed: {proc.stdout}\n{proc.stderr}\n{self.log()}"
            )
        return proc

    def log(self) -> str:
        p = self.dir / "server.log"
        return p.read_text(errors="replace")[-3000:] if p.exists() else ""

    def start(self) -> PgServer:
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")
        os.chmod(self.dir, 0o700)
        data = self.dir / "data"
        self._run(
            self.bindir / "initdb",
            "-D",
            data,
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        opts = (
            f"-k {self.dir} -p {self.port} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=40 -c shared_buffers=64MB"
        )
        self._run(
            self.bindir / "pg_ctl",
            "-D",
            data,
            "-l",
            self.dir / "server.log",
            "-o",
            opts,
            "-w",
            "-t",
            "60",
            "start",
        )
        self.started = True
        return self

    def stop(self) -> None:
        try:
            if self.started:
                self._run(
                    self.bindir / "pg_ctl",
                    "-D",
                    self.dir / "data",
                    "-m",
                    "fast",
                    "-w",
                    "stop",
                    check=False,
                )
        finally:
            self.started = False
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def create_db(self, name: str) -> str:
        """A new database with PostGIS; returns its URL."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=name, autocommit=True
        ) as conn:
            conn.execute("CREATE EXTENSION postgis")
        return self.url(name)

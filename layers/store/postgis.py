"""The team plan store: scenarios in a PostGIS database (see :mod:`layers.store`)."""

from __future__ import annotations

import json
from datetime import UTC

import geopandas as gpd
import pandas as pd

from geo.crs import WGS84
from geo.io.sql import connection, shown_url

from .base import _META_COLUMNS, _SRID, FEATURES, SCENARIOS, Store
from .entries import PROGRESS, PROGRESS_COLUMNS, check_corrections, empty_entries, entries_frame

#: the ledger's table and the triggers that keep it append-only (created once, under the store's
#: lock, with the other tables or on the first use of a store made before the ledger)
_PROGRESS_DDL = (
    f"""CREATE TABLE {PROGRESS} (
        id bigserial PRIMARY KEY, target_id text NOT NULL, value double precision NOT NULL,
        unit text NOT NULL, as_of date NOT NULL, source text NOT NULL, entered_by text NOT NULL,
        entered_at timestamptz NOT NULL, note text,
        corrects bigint UNIQUE REFERENCES {PROGRESS} (id))""",
    f"CREATE INDEX {PROGRESS}_target ON {PROGRESS} (target_id)",
    f"""CREATE OR REPLACE FUNCTION {PROGRESS}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{PROGRESS} is append-only: a correction is a new entry'; END $$""",
    f"""CREATE TRIGGER {PROGRESS}_append_only BEFORE UPDATE OR DELETE ON {PROGRESS}
        FOR EACH ROW EXECUTE FUNCTION {PROGRESS}_append_only()""",
    f"""CREATE TRIGGER {PROGRESS}_no_truncate BEFORE TRUNCATE ON {PROGRESS}
        FOR EACH STATEMENT EXECUTE FUNCTION {PROGRESS}_append_only()""",
)


class PostgisStore(Store):
    """A team's store: its tables in a PostGIS database (created on first use).

    A save takes a transaction-scoped advisory lock on its name, numbers the version, inserts the
    version row and COPYs the features (GeoPandas ``to_postgis``) before one COMMIT.

    Parameters
    ----------
    url : str
        ``postgresql://user@host:port/db``.
    """

    def __init__(self, url: str):
        self.url = url
        self.where = shown_url(url)
        self._ready = False

    def _exists(self) -> bool:
        from sqlalchemy import text

        with connection(self.url) as conn:
            return conn.execute(
                text("SELECT to_regclass(:t) IS NOT NULL AND to_regclass(:f) IS NOT NULL"),
                {"t": SCENARIOS, "f": FEATURES},
            ).scalar()

    def _ensure(self) -> None:
        """Create the two tables if they are not there, under a lock.

        Two first saves at once are safe.
        """
        if self._ready:
            return
        from sqlalchemy import text

        with connection(self.url, transaction=True) as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('landplan plan store'))"))
            conn.execute(
                text(f"""
                CREATE TABLE IF NOT EXISTS {SCENARIOS} (
                    id bigserial PRIMARY KEY, name text NOT NULL, version integer NOT NULL,
                    saved_at timestamptz NOT NULL, saved_by text, note text,
                    upload_role text NOT NULL,
                    official boolean NOT NULL, parts json NOT NULL, UNIQUE (name, version))""")
            )
            conn.execute(
                text(f"""
                CREATE TABLE IF NOT EXISTS {FEATURES} (
                    fid bigserial PRIMARY KEY,
                    scenario_id bigint NOT NULL REFERENCES {SCENARIOS} (id) ON DELETE CASCADE,
                    part text NOT NULL, attrs json NOT NULL, geom geometry(Geometry, {_SRID}))""")
            )
            conn.execute(
                text(f"CREATE INDEX IF NOT EXISTS {FEATURES}_scenario ON {FEATURES} (scenario_id)")
            )
            if not conn.execute(
                text("SELECT to_regclass(:t) IS NOT NULL"), {"t": PROGRESS}
            ).scalar():
                for statement in _PROGRESS_DDL:
                    conn.execute(text(statement))
        self._ready = True

    def _save(self, meta: dict, rows: pd.DataFrame) -> int:
        from sqlalchemy import text

        self._ensure()
        with connection(self.url, transaction=True) as conn:
            conn.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": meta["name"]}
            )
            version = conn.execute(
                text(f"SELECT coalesce(max(version), 0) + 1 FROM {SCENARIOS} WHERE name = :name"),
                {"name": meta["name"]},
            ).scalar()
            sid = conn.execute(
                text(
                    f"INSERT INTO {SCENARIOS} (name, version, saved_at, saved_by, note, "
                    "upload_role, official, parts) "
                    "VALUES (:name, :version, :saved_at, :saved_by, :note, :upload_role, "
                    ":official, :parts) RETURNING id"
                ),
                {**meta, "version": version},
            ).scalar()
            if len(rows):
                feats = gpd.GeoDataFrame(
                    {
                        "scenario_id": sid,
                        "part": rows["part"].to_numpy(),
                        "attrs": rows["attrs"].to_numpy(),
                    },
                    geometry=gpd.GeoSeries(list(rows["geometry"]), crs=WGS84).values,
                )
                feats = feats.rename_geometry("geom")
                feats.to_postgis(FEATURES, conn, if_exists="append", index=False)
        return int(version)

    def _meta(self, name: str | None) -> pd.DataFrame:
        from sqlalchemy import text

        if not self._ready and not self._exists():  # reading creates nothing: an empty store
            return pd.DataFrame(columns=_META_COLUMNS)
        q = f"SELECT {', '.join(_META_COLUMNS)} FROM {SCENARIOS}"
        with connection(self.url) as conn:
            res = conn.execute(
                text(
                    q
                    + (
                        " WHERE name = :name ORDER BY version"
                        if name is not None
                        else " ORDER BY id"
                    )
                ),
                {"name": name} if name is not None else {},
            )
            df = pd.DataFrame(res.all(), columns=_META_COLUMNS)
        df["saved_at"] = [  # to the millisecond, as ledger entries are (what a save read)
            v.astimezone(UTC).isoformat(timespec="milliseconds")
            if hasattr(v, "astimezone")
            else str(v)
            for v in df["saved_at"]
        ]
        df["parts"] = [json.dumps(p) if not isinstance(p, str) else p for p in df["parts"]]
        return df

    def _append_entries(self, rows: pd.DataFrame) -> list[int]:
        from sqlalchemy import text

        self._ensure()
        cols = PROGRESS_COLUMNS[1:]
        insert = text(
            f"INSERT INTO {PROGRESS} ({', '.join(cols)}) "
            f"VALUES ({', '.join(':' + c for c in cols)}) RETURNING id"
        )
        records = [
            {
                c: (None if pd.isna(v) else (v.item() if hasattr(v, "item") else v))
                for c, v in r.items()
            }
            for r in rows[cols].to_dict(orient="records")
        ]
        with connection(self.url, transaction=True) as conn:
            named = [int(i) for i in rows["corrects"].dropna()]
            if named:  # corrections one at a time: a second correction of an entry sees the first
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": PROGRESS})
            found = {
                r[0]: (r[1], r[2])
                for r in conn.execute(
                    text(
                        f"SELECT p.id, p.target_id, c.id FROM {PROGRESS} p "
                        f"LEFT JOIN {PROGRESS} c ON c.corrects = p.id WHERE p.id = ANY(:ids)"
                    ),
                    {"ids": named},
                )
            }
            check_corrections(rows, found)
            ids = [int(conn.execute(insert, rec).scalar()) for rec in records]
        return ids

    def _entries(self, target_id: str | None) -> pd.DataFrame:
        from sqlalchemy import text

        if not self._ready and not self._has_progress():  # reading creates nothing
            return empty_entries()
        with connection(self.url) as conn:
            res = conn.execute(
                text(
                    f"SELECT {', '.join(PROGRESS_COLUMNS)} FROM {PROGRESS}"
                    + (" WHERE target_id = :t" if target_id is not None else "")
                    + " ORDER BY id"
                ),
                {"t": target_id} if target_id is not None else {},
            )
            rows = [
                (
                    *r[:4],
                    r[4].isoformat(),
                    *r[5:7],
                    r[7].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.")
                    + f"{r[7].microsecond // 1000:03d}Z",
                    *r[8:],
                )
                for r in res.all()
            ]
        return entries_frame(rows)

    def _has_progress(self) -> bool:
        from sqlalchemy import text

        with connection(self.url) as conn:
            return conn.execute(
                text("SELECT to_regclass(:t) IS NOT NULL"), {"t": PROGRESS}
            ).scalar()

    def _features(self, scenario_id: int, parts: list[str]) -> pd.DataFrame:
        from sqlalchemy import text

        with connection(self.url) as conn:
            gdf = gpd.read_postgis(
                text(
                    f"SELECT part, attrs, geom FROM {FEATURES} WHERE scenario_id = :sid "
                    "AND part = ANY(:parts) ORDER BY fid"
                ),
                conn,
                geom_col="geom",
                params={"sid": int(scenario_id), "parts": list(parts)},
            )
        return pd.DataFrame(
            {
                "part": gdf["part"].to_numpy(),
                "attrs": gdf["attrs"].to_numpy(),
                "geometry": gdf.geometry.values,
            }
        )

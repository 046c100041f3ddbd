"""The embedded plan store: scenarios in one GeoPackage file (see :mod:`layers.store`)."""

from __future__ import annotations

import os
import sqlite3
import struct
import uuid
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import WGS84
from geo.errors import LandplanError

from .base import _META_COLUMNS, _SRID, FEATURES, PARTS, SCENARIOS, Store
from .entries import PROGRESS, PROGRESS_COLUMNS, check_corrections, empty_entries, entries_frame

_APPEND_ONLY = "landplan_progress is append-only: a correction is a new entry"
#: the ledger's table, its append-only triggers and its GeoPackage registration (run in a
#: transaction; each statement does nothing when already done)
_PROGRESS_DDL = (
    f"""CREATE TABLE IF NOT EXISTS {PROGRESS} (
        id INTEGER PRIMARY KEY AUTOINCREMENT, target_id TEXT NOT NULL, value DOUBLE NOT NULL,
        unit TEXT NOT NULL, as_of DATE NOT NULL, source TEXT NOT NULL, entered_by TEXT NOT NULL,
        entered_at DATETIME NOT NULL, note TEXT,
        corrects INTEGER UNIQUE REFERENCES {PROGRESS} (id))""",
    f"CREATE INDEX IF NOT EXISTS {PROGRESS}_target ON {PROGRESS} (target_id)",
    f"""CREATE TRIGGER IF NOT EXISTS {PROGRESS}_no_update BEFORE UPDATE ON {PROGRESS}
        BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {PROGRESS}_no_delete BEFORE DELETE ON {PROGRESS}
        BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END""",
    f"""INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description)
        VALUES ('{PROGRESS}', 'attributes', '{PROGRESS}',
                'landplan progress ledger: one row per entry, never changed')""",
)


class GeoPackageStore(Store):
    """The embedded store: one GeoPackage file.

    It opens in QGIS: the features are layer ``landplan_scenario_features``.

    Saves run in one SQLite transaction (``BEGIN IMMEDIATE``: one writer at a time, others wait).

    Parameters
    ----------
    path : pathlib.Path
        The GeoPackage (created on the first save).
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.where = str(self.path)

    def _connect(self) -> sqlite3.Connection:
        if not self.path.exists():
            self._create()
        try:
            return sqlite3.connect(self.path, timeout=120, isolation_level=None)
        except sqlite3.Error as exc:  # a folder, a file that cannot be opened
            raise self._not_a_store(exc) from None

    def _create(self) -> None:
        """Create the GeoPackage beside its final name, then link it in place.

        Two first saves at once are safe.
        """
        import pyogrio

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LandplanError(
                f"无法创建方案库所在文件夹 {self.path.parent}。",
                f"Cannot create the folder of the plan store {self.path.parent}.",
            ) from exc
        tmp = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}.tmp.gpkg")
        try:
            empty = gpd.GeoDataFrame(
                {
                    "scenario_id": pd.Series([], dtype="int64"),
                    "part": pd.Series([], dtype=object),
                    "attrs": pd.Series([], dtype=object),
                },
                geometry=gpd.GeoSeries([], crs=WGS84),
            )
            pyogrio.write_dataframe(
                empty,
                tmp,
                layer=FEATURES,
                driver="GPKG",
                geometry_type="Unknown",
                layer_options={"SPATIAL_INDEX": "NO", "FID": "fid"},
            )
            con = sqlite3.connect(tmp, isolation_level=None)
            try:
                con.executescript(f"""
                    BEGIN;
                    CREATE TABLE {SCENARIOS} (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        saved_at TEXT NOT NULL, saved_by TEXT, note TEXT, upload_role TEXT NOT NULL,
                        official INTEGER NOT NULL, parts TEXT NOT NULL, UNIQUE (name, version));
                    INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
                        VALUES ('{SCENARIOS}', 'attributes', '{SCENARIOS}',
                                'landplan scenarios: one row per version');
                    CREATE INDEX {FEATURES}_scenario ON {FEATURES} (scenario_id);
                    {";".join(_PROGRESS_DDL)};
                    COMMIT;""")
            finally:
                con.close()
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                pass  # another process created it first: use theirs
        finally:
            tmp.unlink(missing_ok=True)

    def _geometry_column(self, con) -> str:
        return con.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (FEATURES,)
        ).fetchone()[0]

    def _save(self, meta: dict, rows: pd.DataFrame) -> int:
        con = self._connect()
        try:
            gcol = self._geometry_column(con)
            blobs = _gpkg_geometries(np.asarray(rows["geometry"], dtype=object))
            con.execute("BEGIN IMMEDIATE")
            try:
                version = con.execute(
                    f"SELECT coalesce(max(version), 0) + 1 FROM {SCENARIOS} WHERE name = ?",
                    (meta["name"],),
                ).fetchone()[0]
                sid = con.execute(
                    f"INSERT INTO {SCENARIOS} (name, version, saved_at, saved_by, note, "
                    "upload_role, official, parts)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        meta["name"],
                        version,
                        meta["saved_at"],
                        meta["saved_by"],
                        meta["note"],
                        meta["upload_role"],
                        int(meta["official"]),
                        meta["parts"],
                    ),
                ).lastrowid
                con.executemany(
                    f'INSERT INTO {FEATURES} (scenario_id, part, attrs, "{gcol}") VALUES (?, ?, ?, '
                    "?)",
                    zip([sid] * len(rows), rows["part"].tolist(), rows["attrs"].tolist(), blobs),
                )
                con.execute(
                    "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                    f"WHERE table_name IN ('{SCENARIOS}', '{FEATURES}')"
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            raise LandplanError(
                f"方案库 {self.where} 写入失败（{exc}），未保存任何内容。",
                f"The plan store {self.where} could not be written ({exc}); nothing was saved.",
            ) from None
        finally:
            con.close()
        return int(version)

    def _meta(self, name: str | None) -> pd.DataFrame:
        if not self.path.exists():
            return pd.DataFrame(columns=_META_COLUMNS)
        con = self._connect()
        try:
            q = f"SELECT {', '.join(_META_COLUMNS)} FROM {SCENARIOS}"
            rows = con.execute(
                q + (" WHERE name = ? ORDER BY version" if name is not None else " ORDER BY id"),
                (name,) if name is not None else (),
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise LandplanError(
                f"{self.where} 不是 landplan 方案库（{exc}）。",
                f"{self.where} is not a landplan plan store ({exc}).",
            ) from None
        finally:
            con.close()
        df = pd.DataFrame(rows, columns=_META_COLUMNS)
        df["official"] = df["official"].astype(bool)
        return df

    def _not_a_store(self, exc: Exception | None = None) -> LandplanError:
        why = f"（{exc}）" if exc else ""
        return LandplanError(
            f"{self.where} 不是 landplan 方案库{why}。",
            f"{self.where} is not a landplan plan store{f' ({exc})' if exc else ''}.",
        )

    def _has_table(self, con, table: str) -> bool:
        return bool(con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone())

    def _append_entries(self, rows: pd.DataFrame) -> list[int]:
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                if not self._has_table(con, SCENARIOS):
                    raise self._not_a_store()
                for statement in _PROGRESS_DDL:  # a store made before the ledger gets its table
                    con.execute(statement)
                named = [int(i) for i in rows["corrects"].dropna()]
                found = {
                    r[0]: (r[1], r[2])
                    for r in con.execute(
                        f"SELECT p.id, p.target_id, c.id FROM {PROGRESS} p "
                        f"LEFT JOIN {PROGRESS} c ON c.corrects = p.id "
                        f"WHERE p.id IN ({', '.join('?' * len(named))})",
                        named,
                    )
                }
                check_corrections(rows, found)
                cols = PROGRESS_COLUMNS[1:]
                insert = (
                    f"INSERT INTO {PROGRESS} ({', '.join(cols)}) "
                    f"VALUES ({', '.join('?' * len(cols))})"
                )
                ids = [
                    con.execute(
                        insert,
                        [
                            None if pd.isna(v) else (v.item() if hasattr(v, "item") else v)
                            for v in (getattr(r, c) for c in cols)
                        ],
                    ).lastrowid
                    for r in rows.itertuples(index=False)
                ]
                con.execute(
                    "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                    f"WHERE table_name = '{PROGRESS}'"
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            raise LandplanError(
                f"方案库 {self.where} 写入失败（{exc}），未保存任何内容。",
                f"The plan store {self.where} could not be written ({exc}); nothing was saved.",
            ) from None
        finally:
            con.close()
        return ids

    def _entries(self, target_id: str | None) -> pd.DataFrame:
        if not self.path.exists():
            return empty_entries()
        con = self._connect()
        try:
            if not self._has_table(con, PROGRESS):
                return empty_entries()
            rows = con.execute(
                f"SELECT {', '.join(PROGRESS_COLUMNS)} FROM {PROGRESS}"
                + (" WHERE target_id = ?" if target_id is not None else "")
                + " ORDER BY id",
                (target_id,) if target_id is not None else (),
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._not_a_store(exc) from None
        finally:
            con.close()
        return entries_frame(rows)

    def _features(self, scenario_id: int, parts: list[str]) -> pd.DataFrame:
        import pyogrio

        assert set(parts) <= set(PARTS)  # fixed words, never user text
        where = (
            f"scenario_id = {int(scenario_id)} AND part IN ({', '.join(repr(p) for p in parts)})"
        )
        gdf = pyogrio.read_dataframe(
            self.path, layer=FEATURES, where=where, columns=["part", "attrs"], fid_as_index=True
        )
        gdf = gdf.sort_index()
        return pd.DataFrame(
            {
                "part": gdf["part"].to_numpy(),
                "attrs": gdf["attrs"].to_numpy(),
                "geometry": gdf.geometry.values,
            }
        )


def _gpkg_geometries(geoms: np.ndarray) -> list:
    """GeoPackage binary geometries.

    Header: magic, version 0, little-endian, no envelope, SRS id; then ISO WKB.
    """
    wkb = shapely.to_wkb(geoms, flavor="iso", byte_order=1)
    empty = shapely.is_empty(geoms)
    out = []
    for w, e in zip(wkb, empty):
        if w is None:
            out.append(None)
        else:
            out.append(struct.pack("<2sBBi", b"GP", 0, 0x01 | (0x10 if e else 0), _SRID) + w)
    return out

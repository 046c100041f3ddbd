"""The plan store: named, versioned scenarios with their layers, in a GeoPackage or PostGIS.

A scenario is what counts in a what-if: the uploaded park layer and its role (beside / instead of
the 20 parks, official outlines or not), proposed parks, optionally a parcel layer, plus who saved
it, when, and a note. Saving under a name that exists adds a version; earlier versions stay.

Two tables, the same in both stores (user-given names are values in them, never SQL identifiers):

- ``landplan_scenarios``: one row per saved version (id, name, version, saved_at, saved_by, note,
  upload_role, official, parts: feature count per part);
- ``landplan_scenario_features``: the features (scenario_id, part
  ``upload``/``proposed``/``parcels``,
  attrs: the feature's attributes as a JSON object, geom in EPSG:4326).

A save writes the version row and all its features in one transaction: a save that fails leaves
nothing, and two saves at once both land (with versions n and n+1).
"""

from __future__ import annotations

import getpass
import io
import json
import os
import sqlite3
import struct
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import WGS84
from geo.errors import LandplanError
from geo.io.sql import connection, is_db_url, shown_url

from .scenario import ROLES, layers_in_effect

#: environment variable naming the store (a GeoPackage path or a postgresql:// URL)
STORE_ENV = "LANDPLAN_STORE"
SCENARIOS = "landplan_scenarios"
FEATURES = "landplan_scenario_features"
#: the layers a scenario holds
PARTS = ("upload", "proposed", "parcels")
_SRID = 4326


@dataclass
class Scenario:
    """One saved version of a named scenario, with its layers (EPSG:4326, None when absent).

    Parameters
    ----------
    name : str
        The scenario's name.
    version : int
        Its version (1, 2, ... in the order saved).
    saved_at, saved_by, note : str
        When (ISO 8601, UTC) and by whom it was saved, and the note given.
    role : {'beside', 'instead'}
        The upload's role (:func:`layers.scenario.layers_in_effect`).
    official : bool
        The upload holds official outlines.
    upload, proposed, parcels : geopandas.GeoDataFrame or None
        The layers saved.
    parts : dict of str to int
        Features saved per layer.
    """

    name: str
    version: int = 0
    saved_at: str = ""
    saved_by: str = ""
    note: str = ""
    role: str = "beside"
    official: bool = False
    upload: gpd.GeoDataFrame | None = None
    proposed: gpd.GeoDataFrame | None = None
    parcels: gpd.GeoDataFrame | None = None
    parts: dict = field(default_factory=dict)

    def supply_layers(self) -> dict[str, gpd.GeoDataFrame] | None:
        """The layers in effect, as the page and the reports use them.

        See :func:`layers.scenario.layers_in_effect`.

        Returns
        -------
        dict of str to geopandas.GeoDataFrame or None
        """
        return layers_in_effect(self.upload, self.role, self.official, self.proposed)

    def info(self) -> dict:
        """The scenario's record without its layers.

        name, version, saved_at, saved_by, note, role, official, parts.

        Returns
        -------
        dict
        """
        return {
            "name": self.name,
            "version": self.version,
            "saved_at": self.saved_at,
            "saved_by": self.saved_by,
            "note": self.note,
            "role": self.role,
            "official": self.official,
            "parts": dict(self.parts),
        }


def default_store() -> str:
    """``$LANDPLAN_STORE``, or the embedded GeoPackage ``~/.landplan/plans.gpkg``.

    Returns
    -------
    str
    """
    return os.environ.get(STORE_ENV) or str(Path.home() / ".landplan" / "plans.gpkg")


def open_store(spec: str | os.PathLike | None = None) -> Store:
    """The store at ``spec``: a postgresql:// URL or a GeoPackage path.

    Default: :func:`default_store`.

    Parameters
    ----------
    spec : str or os.PathLike, optional
        A ``postgresql://`` URL or a GeoPackage path.

    Returns
    -------
    Store
        :class:`PostgisStore` or :class:`GeoPackageStore` (nothing is opened until used).
    """
    spec = str(spec) if spec else default_store()
    return PostgisStore(spec) if is_db_url(spec) else GeoPackageStore(Path(spec).expanduser())


def _features(sc_parts: dict[str, gpd.GeoDataFrame | None]) -> tuple[pd.DataFrame, dict[str, int]]:
    """The feature rows of a save: part, attrs (JSON), geometry (EPSG:4326); the count per part."""
    frames, counts = [], {}
    for part in PARTS:
        gdf = sc_parts.get(part)
        if gdf is None:
            continue
        if gdf.crs is None:
            raise LandplanError(
                f"{part} 图层没有坐标系，保存前请指定（--crs）。",
                f"The {part} layer has no coordinate system; give it one (--crs) before saving.",
            )
        g = gdf.to_crs(WGS84)
        table = pd.DataFrame(g.drop(columns=g.geometry.name)).reset_index(drop=True)
        # one JSON object per feature (JSON lines: newlines inside values are escaped, so a line is
        # a row)
        lines = (
            table.to_json(
                orient="records", lines=True, force_ascii=False, date_format="iso"
            ).splitlines()
            if len(g)
            else []
        )
        frames.append(pd.DataFrame({"part": part, "attrs": lines, "geometry": g.geometry.values}))
        counts[part] = len(g)
    if not frames:
        return pd.DataFrame({"part": [], "attrs": [], "geometry": []}), counts
    return pd.concat(frames, ignore_index=True), counts


def _layer(rows: pd.DataFrame, part: str) -> gpd.GeoDataFrame:
    sel = rows[rows["part"] == part]
    if len(sel) and isinstance(
        sel["attrs"].iloc[0], str
    ):  # JSON text: parse all rows at once, values as written
        attrs = pd.read_json(
            io.StringIO("\n".join(sel["attrs"])), lines=True, orient="records", dtype=False
        )
    else:  # already parsed (psycopg reads a json column into dicts)
        attrs = pd.DataFrame(list(sel["attrs"]))
    return gpd.GeoDataFrame(attrs, geometry=list(sel["geometry"]), crs=WGS84)


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise LandplanError("方案需要一个名称。", "A scenario needs a name.")
    return name


class Store:
    """Common behaviour; :class:`GeoPackageStore` and :class:`PostgisStore` read and write."""

    where: str

    def save(
        self,
        name: str,
        upload: gpd.GeoDataFrame | None = None,
        role: str = "beside",
        official: bool = False,
        proposed: gpd.GeoDataFrame | None = None,
        parcels: gpd.GeoDataFrame | None = None,
        note: str = "",
        by: str | None = None,
    ) -> Scenario:
        """Save a new version of scenario ``name`` (1 for a new name).

        Returns it with its version and time.

        Parameters
        ----------
        name : str
            The scenario's name.
        upload : geopandas.GeoDataFrame, optional
            The uploaded park layer.
        role : {'beside', 'instead'}, default 'beside'
            Beside or instead of the 20 parks.
        official : bool, default False
            The upload holds official outlines.
        proposed : geopandas.GeoDataFrame, optional
            Proposed parks (drawn or from a file).
        parcels : geopandas.GeoDataFrame, optional
            A parcel layer kept with the scenario.
        note : str, default ''
            Free text.
        by : str, optional
            Who saves (default: the operating-system user).

        Returns
        -------
        Scenario

        Raises
        ------
        LandplanError
            A name that cannot be stored, an unknown ``role``, a store that cannot be written.
        """
        _check_name(name)
        if role not in ROLES:
            raise LandplanError(
                f"未知用法 {role!r}；可用 beside（并列）或 instead（替代20大园区）。",
                f"Unknown role {role!r}; use beside or instead.",
            )
        rows, counts = _features({"upload": upload, "proposed": proposed, "parcels": parcels})
        meta = {
            "name": name,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "saved_by": by or _os_user(),
            "note": note or "",
            "upload_role": role,
            "official": bool(official),
            "parts": json.dumps(counts),
        }
        version = self._save(meta, rows)
        return Scenario(
            name=name,
            version=version,
            saved_at=meta["saved_at"],
            saved_by=meta["saved_by"],
            note=meta["note"],
            role=role,
            official=bool(official),
            upload=upload,
            proposed=proposed,
            parcels=parcels,
            parts=counts,
        )

    def versions(self, name: str | None = None) -> pd.DataFrame:
        """Every saved version (of ``name``, or all).

        Columns: name, version, saved_at, saved_by, note, role, official, parts.

        Parameters
        ----------
        name : str, optional
            Only this scenario's versions.

        Returns
        -------
        pandas.DataFrame
        """
        df = self._meta(name)
        return df.drop(columns="id")

    def list(self) -> pd.DataFrame:
        """One row per scenario: name, versions, latest, and saved_at, saved_by, note of the latest.

        Returns
        -------
        pandas.DataFrame
        """
        df = self._meta(None)
        cols = ["name", "versions", "latest", "saved_at", "saved_by", "note"]
        if df.empty:
            return pd.DataFrame(columns=cols)
        latest = (
            df.sort_values(["name", "version"])
            .groupby("name", sort=False)
            .tail(1)
            .set_index("name")
        )
        counts = df.groupby("name")["version"].count()
        out = latest.assign(versions=counts, latest=latest["version"]).reset_index()
        return out.sort_values("saved_at", ascending=False, kind="stable")[cols].reset_index(
            drop=True
        )

    def open(self, name: str, version: int | None = None, parts=PARTS) -> Scenario:
        """A saved scenario with its layers (the latest version unless ``version``).

        Parameters
        ----------
        name : str
            The scenario's name.
        version : int, optional
            The version (default: the latest).
        parts : sequence of str, default PARTS
            The layers to read (e.g. ``("upload", "proposed")`` for figures that do not use the
            parcels, ``()`` for the record only); the others are None.

        Returns
        -------
        Scenario

        Raises
        ------
        LandplanError
            No such scenario or version, or a store that cannot be read.
        """
        _check_name(name)
        parts_wanted = [p for p in PARTS if p in parts]
        df = self._meta(name)
        if df.empty:
            raise LandplanError(
                f"{self.where} 中没有方案 {name!r}。",
                f"There is no scenario {name!r} in {self.where}.",
            )
        row = df.iloc[-1] if version is None else df[df["version"] == int(version)].squeeze(axis=0)
        if isinstance(row, pd.DataFrame):  # no such version
            have = ", ".join(map(str, df["version"]))
            raise LandplanError(
                f"方案 {name!r} 没有第 {version} 版；现有版本：{have}。",
                f"Scenario {name!r} has no version {version}; it has {have}.",
            )
        parts = json.loads(row["parts"]) if isinstance(row["parts"], str) else dict(row["parts"])
        to_read = [p for p in parts_wanted if p in parts]
        rows = self._features(int(row["id"]), to_read) if to_read else None
        layers_ = {p: (_layer(rows, p) if p in to_read else None) for p in PARTS}
        return Scenario(
            name=row["name"],
            version=int(row["version"]),
            saved_at=str(row["saved_at"]),
            saved_by=row["saved_by"],
            note=row["note"],
            role=row["upload_role"],
            official=bool(row["official"]),
            parts=parts,
            **layers_,
        )

    # implemented by the stores
    def _save(self, meta: dict, rows: pd.DataFrame) -> int:
        raise NotImplementedError

    def _meta(self, name: str | None) -> pd.DataFrame:
        raise NotImplementedError

    def _features(self, scenario_id: int, parts: list[str]) -> pd.DataFrame:
        raise NotImplementedError


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment
        return "unknown"


_META_COLUMNS = [
    "id",
    "name",
    "version",
    "saved_at",
    "saved_by",
    "note",
    "upload_role",
    "official",
    "parts",
]


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
        con = sqlite3.connect(self.path, timeout=120, isolation_level=None)
        return con

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


class PostgisStore(Store):
    """A team's store: two tables in a PostGIS database (created on first use).

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
        df["saved_at"] = [
            v.astimezone(UTC).isoformat(timespec="seconds") if hasattr(v, "astimezone") else str(v)
            for v in df["saved_at"]
        ]
        df["parts"] = [json.dumps(p) if not isinstance(p, str) else p for p in df["parts"]]
        return df

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

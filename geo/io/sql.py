"""Layers in a PostGIS database: read and write tables, say plainly when the server is not there.

Generic (nothing here knows of any city): a database is named by a URL such as
``postgresql://user@host:5432/db`` or ``postgresql:///db?host=/run/postgresql``; tables are read
and written with GeoPandas' ``read_postgis``/``to_postgis`` over SQLAlchemy and psycopg 3.
Table names given by users are quoted by SQLAlchemy, values go as bind parameters.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from functools import lru_cache

import geopandas as gpd

from ..errors import LandplanError
from ..urls import SCHEMES, is_db_url  # noqa: F401 - where the readers look for them


#: URL schemes taken for a PostgreSQL/PostGIS database
def _sqlalchemy_url(url: str):
    from sqlalchemy.engine import make_url

    try:
        u = make_url(url)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the user's URL
        raise LandplanError(
            "数据库地址格式不正确，应为 postgresql://用户@主机:端口/数据库。",
            "The database address is not a valid URL; write it as "
            "postgresql://user@host:port/database.",
        ) from exc
    return u.set(drivername="postgresql+psycopg")


def shown_url(url: str) -> str:
    """The URL as it may be shown to a user: the password, if any, masked.

    Parameters
    ----------
    url : str

    Returns
    -------
    str
    """
    try:
        return (
            _sqlalchemy_url(url).set(drivername="postgresql").render_as_string(hide_password=True)
        )
    except LandplanError:
        return "the given database address"


@lru_cache(maxsize=16)
def engine(url: str):
    """A SQLAlchemy engine (psycopg 3) for ``url``, one per URL in this process.

    Parameters
    ----------
    url : str
        ``postgresql://user@host:port/db``.

    Returns
    -------
    sqlalchemy.engine.Engine

    Raises
    ------
    LandplanError
        When the URL is not valid.
    """
    from sqlalchemy import create_engine

    return create_engine(
        _sqlalchemy_url(url),
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10, "application_name": "landplan"},
    )


def db_error(exc: Exception, url: str) -> LandplanError:
    """One sentence, in both languages, for a database failure: no traceback, no password.

    Parameters
    ----------
    exc : Exception
        The driver's error.
    url : str
        The database's URL.

    Returns
    -------
    LandplanError
    """
    where = shown_url(url)
    text = str(getattr(exc, "orig", None) or exc).lower()
    if (
        "password" in text
        or "authentication" in text
        or "role" in text
        and "does not exist" in text
    ):
        return LandplanError(
            f"数据库 {where} 拒绝登录，请检查用户名和密码（或 PGPASSWORD / ~/.pgpass）。",
            f"The database at {where} refused the login; check the user name and password "
            "(or PGPASSWORD / ~/.pgpass).",
        )
    if "database" in text and "does not exist" in text:
        return LandplanError(
            f"服务器上没有 {where} 所指的数据库。",
            f"The database named in {where} does not exist on that server.",
        )
    if (
        "terminat" in text
        or "server closed the connection" in text
        or "connection" in text
        and "lost" in text
    ):
        return LandplanError(
            f"与数据库 {where} 的连接在操作中断开，未保存任何内容，请重试。",
            f"The connection to the database at {where} was cut during the operation; "
            "nothing was saved, try again.",
        )
    if (
        "postgis" in text
        or 'type "geometry" does not exist' in text
        or "st_" in text
        and "does not exist" in text
    ):
        return LandplanError(
            f"数据库 {where} 未启用 PostGIS，请先执行 CREATE EXTENSION postgis。",
            f"The database at {where} has no PostGIS; run CREATE EXTENSION postgis in it first.",
        )
    from sqlalchemy.exc import InterfaceError, OperationalError

    if isinstance(exc, (OperationalError, InterfaceError)) or not hasattr(exc, "orig"):
        return LandplanError(
            f"无法连接数据库 {where}：服务器是否在运行，地址是否正确？",
            f"Could not reach the database at {where}: is the server running and the address "
            "right?",
        )
    said = (
        str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
    )
    return LandplanError(
        f"数据库 {where} 拒绝了该操作（{said}），未作任何更改。",
        f"The database at {where} refused the operation ({said}); nothing was changed.",
    )


@contextmanager
def connection(url: str, transaction: bool = False):
    """A connection (in one transaction when ``transaction``); failures become LandplanError.

    Parameters
    ----------
    url : str
        ``postgresql://user@host:port/db``.
    transaction : bool, default False
        Commit at the end (rolled back on error).

    Yields
    ------
    sqlalchemy.engine.Connection

    Raises
    ------
    LandplanError
        When the server does not answer or refuses.
    """
    from sqlalchemy.exc import DBAPIError

    try:
        eng = engine(url)
        with eng.begin() if transaction else eng.connect() as conn:
            yield conn
    except DBAPIError as exc:
        raise db_error(exc, url) from None


def list_tables(url: str) -> list[str]:
    """Names (schema.table, or table in ``public``) of the tables with a geometry column.

    Parameters
    ----------
    url : str
        ``postgresql://user@host:port/db``.

    Returns
    -------
    list of str

    Raises
    ------
    LandplanError
        When the server does not answer or refuses.
    """
    from sqlalchemy import text

    with connection(url) as conn:
        rows = conn.execute(
            text("SELECT f_table_schema, f_table_name FROM geometry_columns ORDER BY 1, 2")
        ).all()
    return [t if s == "public" else f"{s}.{t}" for s, t in rows]


def _split_table(table: str) -> tuple[str | None, str]:
    schema, dot, name = table.partition(".")
    return (schema, name) if dot else (None, table)


def read_table(
    url: str,
    table: str | None,
    columns: list[str] | None = None,
    mask: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """A PostGIS table as a GeoDataFrame (its own CRS).

    Parameters
    ----------
    url : str
        ``postgresql://user@host:port/db``.
    table : str or None
        ``name`` or ``schema.name``; None gives an error listing the tables.
    columns : list of str, optional
        Attribute columns to read (``[]``: geometry only).
    mask : geopandas.GeoDataFrame, optional
        Read only the rows meeting these features' extent.

    Returns
    -------
    geopandas.GeoDataFrame
        As stored; :func:`geo.io.read_layer` repairs and checks it, as it does a file.

    Raises
    ------
    LandplanError
        No table, an unknown table, a server that does not answer.
    """
    from sqlalchemy import column, func, select, table as sql_table, text

    if not table:
        raise LandplanError(
            f"请用 --layer 指定要读取的表；含几何的表：{', '.join(list_tables(url)) or '无'}。",
            f"Name the table to read with --layer; tables with geometry there: "
            f"{', '.join(list_tables(url)) or 'none'}.",
        )
    schema, name = _split_table(table)
    with connection(url) as conn:
        found = conn.execute(
            text(
                "SELECT f_geometry_column, srid FROM geometry_columns WHERE f_table_name = :t "
                "AND f_table_schema = coalesce(:s, current_schema())"
            ),
            {"t": name, "s": schema},
        ).first()
        if found is None:
            tables = ", ".join(list_tables(url)) or "none"
            raise LandplanError(
                f"{shown_url(url)} 中没有含几何的表 {table!r}；含几何的表：{tables}。",
                f"There is no table {table!r} with geometry in {shown_url(url)}; "
                f"tables with geometry: {tables}.",
            )
        gcol, srid = found
        names = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = :t "
                    "AND table_schema = coalesce(:s, current_schema()) ORDER BY ordinal_position"
                ),
                {"t": name, "s": schema},
            )
        ]
        keep = [c for c in names if c != gcol and (columns is None or c in columns)]
        t = sql_table(name, *[column(c) for c in keep + [gcol]], schema=schema)
        query = select(*[t.c[c] for c in keep], t.c[gcol])
        if mask is not None and len(mask):
            box = (
                mask.to_crs(srid).total_bounds
                if srid and mask.crs is not None
                else mask.total_bounds
            )
            query = query.where(
                t.c[gcol].op("&&")(func.ST_MakeEnvelope(*map(float, box), int(srid or 0)))
            )
        gdf = gpd.read_postgis(query, conn, geom_col=gcol)
    gdf.attrs["report"] = []
    return gdf


def _plain_columns(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """List and dict values as JSON text (a table column holds one value per row)."""
    out = gdf.copy()
    for col in out.columns:
        if (
            col != out.geometry.name
            and out[col].dtype == object
            and out[col].map(lambda v: isinstance(v, (list, tuple, dict))).any()
        ):
            out[col] = out[col].map(
                lambda v: (
                    json.dumps(list(v) if isinstance(v, tuple) else v, ensure_ascii=False)
                    if isinstance(v, (list, tuple, dict))
                    else v
                )
            )
    return out


def write_table(
    gdf: gpd.GeoDataFrame, url: str, table: str | None, if_exists: str = "replace"
) -> list[str]:
    """Write a GeoDataFrame to a PostGIS table (``replace`` by default), in one transaction.

    List values become JSON text; the geometry column is ``geometry`` with the layer's SRID.
    Returns notes (Chinese, then English) on what was changed to fit.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, with a CRS.
    url : str
        ``postgresql://user@host:port/db``.
    table : str or None
        ``name`` or ``schema.name``.
    if_exists : {'replace', 'append', 'fail'}, default 'replace'
        What to do when the table exists.

    Returns
    -------
    list of str
        Bilingual notes.

    Raises
    ------
    LandplanError
        No table name, no CRS, a server that does not answer.
    """
    from ..errors import bilingual

    if not table:
        raise LandplanError(
            "请用 --layer 指定要写入的表名。", "Name the table to write with --layer."
        )
    if gdf.crs is None:
        raise LandplanError(
            "图层没有坐标系，写入数据库需要坐标系。",
            "The layer has no coordinate system; a database table needs one.",
        )
    schema, name = _split_table(table)
    out = _plain_columns(gdf)
    notes = [
        bilingual(
            f"字段 {c} 中的列表值已写为 JSON 文本。",
            f"List values in {c!r} were written as JSON text.",
        )
        for c in out.columns
        if c != out.geometry.name and not out[c].equals(gdf[c])
    ]
    out = out.rename_geometry("geometry") if out.geometry.name != "geometry" else out
    with connection(url, transaction=True) as conn:
        out.to_postgis(name, conn, schema=schema, if_exists=if_exists, index=False)
    return notes

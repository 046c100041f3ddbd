import os
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from .pg_server import PgServer, has_postgis, pg_bin

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _own_plan_store(tmp_path_factory):
    """The tests' plan store: a fresh GeoPackage, never the user's ~/.landplan/plans.gpkg (whose
    progress ledger the targets would show); a test that needs another sets LANDPLAN_STORE."""
    old = os.environ.get("LANDPLAN_STORE")
    os.environ["LANDPLAN_STORE"] = str(tmp_path_factory.mktemp("store") / "plans.gpkg")
    yield
    if old is None:
        os.environ.pop("LANDPLAN_STORE", None)
    else:
        os.environ["LANDPLAN_STORE"] = old


def seeds_dir() -> Path | None:
    """The policy documents: $LANDPLAN_SEEDS, or ../shared/seeds beside the checkout."""
    for cand in (os.environ.get("LANDPLAN_SEEDS"), ROOT.parent / "shared" / "seeds"):
        if cand and Path(cand).is_dir():
            return Path(cand)
    return None


@pytest.fixture(scope="session")
def seeds():
    d = seeds_dir()
    if d is None:
        pytest.skip(
            "policy documents not found: set LANDPLAN_SEEDS or put shared/seeds beside the checkout"
        )
    return d


X0, Y0 = 500_000.0, 2_500_000.0  # EPSG:4547, in Shenzhen: shapes with answers known by construction


def box(x0, y0, x1, y1):
    """A box given in metres from (X0, Y0), in EPSG:4547."""
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


@pytest.fixture
def zones():
    """Two 1 km x 1 km zones side by side ('west', 'east'), EPSG:4547."""
    return gpd.GeoDataFrame(
        {"zid": ["west", "east"]},
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
        crs=4547,
    )


# --- a private PostgreSQL + PostGIS server (tests/pg_server.py), one for the session


@pytest.fixture(scope="session")
def pg():
    bindir = pg_bin()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server binaries not found (Debian: apt-get install postgresql postgis)"
        )
    if not has_postgis(bindir):
        pytest.skip(
            "PostGIS not installed for the PostgreSQL server found (Debian: apt-get install "
            "postgis)"
        )
    server = PgServer(bindir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


_dbs = iter(range(1000))


@pytest.fixture
def db(pg):
    """A fresh database with PostGIS."""
    return pg.create_db(f"t{next(_dbs)}")


@pytest.fixture(params=["gpkg", "postgis"])
def store_url(request, tmp_path):
    if request.param == "gpkg":
        return str(tmp_path / "plans.gpkg")
    return request.getfixturevalue("db")

"""The commands that need no geometry answer without pandas or geopandas, with the same text as
before."""

import io
import json
import os
import pickle
import subprocess
import sys

import pytest

from landplan.cli import output
from landplan.cli.commands.clusters import CLUSTER_COLUMNS
from layers import catalog as catalog_table, clusters as clusters_table
from layers.catalog_tables import catalog_rows, cluster_rows

_PROBE = (
    "import sys\nfrom landplan.cli import main\n"
    "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    "print(sorted(m for m in ('pandas', 'geopandas', 'shapely', 'pyproj', 'pyogrio', 'yaml') if m "
    "in sys.modules),"
    " file=sys.stderr)"
)


def _run(argv, cache):
    env = {**os.environ, "LANDPLAN_CACHE": str(cache)}
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, timeout=300, env=env
    )
    assert proc.returncode == 0 and proc.stdout, proc.stderr
    return proc.stdout, json.loads(proc.stderr.strip().splitlines()[-1].replace("'", '"'))


@pytest.mark.parametrize("fmt", output.FORMATS)
def test_listings_written_without_pandas_read_as_pandas_wrote_them(fmt):
    """`landplan layers` and `clusters` write rows as dicts; the text is the DataFrame's, in every
    format."""
    for rows, df, cols in (
        (catalog_rows(), catalog_table(), None),
        (cluster_rows(), clusters_table()[CLUSTER_COLUMNS], CLUSTER_COLUMNS),
    ):
        fast, slow = io.StringIO(), io.StringIO()
        output.write_rows(rows, fmt, cols, out=fast)
        output.write(df, fmt, out=slow)
        assert fast.getvalue() == slow.getvalue()


def test_table_without_pandas_aligns_wide_characters_counts_and_blanks():
    import pandas as pd

    rows = [
        {
            "id": "a",
            "name_zh": "龙岗区",
            "features": 3,
            "share": 0.5,
            "flag": True,
            "parts": ["南山", "宝安"],
        },
        {
            "id": "long_id",
            "name_zh": "“坪山”",
            "features": 12,
            "share": None,
            "flag": False,
            "parts": [],
        },
    ]
    for fmt in output.FORMATS:
        fast, slow = io.StringIO(), io.StringIO()
        output.write_rows(rows, fmt, out=fast)
        output.write(pd.DataFrame(rows), fmt, out=slow)
        assert fast.getvalue() == slow.getvalue(), fmt


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["layers"], ["clusters", "--format", "json"], ["layers", "--format", "csv"]],
)
def test_listings_load_no_pandas(argv, tmp_path):
    """Nothing but the standard library and the parsed catalog (kept in the cache after the first
    run)."""
    _run(argv, tmp_path)
    out, modules = _run(argv, tmp_path)
    assert modules == [], modules


def test_targets_answer_kept_between_runs_is_the_computed_one(tmp_path):
    """`landplan targets` measures outlines once; the next run writes the same bytes without loading
    geopandas,
    and a kept answer whose inputs changed is not used."""
    computed, modules = _run(["targets", "--unit", "ha", "--district", "龙岗"], tmp_path / "cache")
    assert "geopandas" in modules
    again, modules = _run(["targets", "--unit", "ha", "--district", "龙岗"], tmp_path / "cache")
    assert again == computed and "龙岗" in computed
    assert "pandas" not in modules and "geopandas" not in modules
    uncached = subprocess.run(
        [sys.executable, "-c", _PROBE, "targets", "--unit", "ha", "--district", "龙岗"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "LANDPLAN_CACHE": "off"},
    )
    assert uncached.stdout == computed
    # a kept answer is used only under its key: change the key (as a changed shapefile would), the
    # answer is measured
    (kept,) = (tmp_path / "cache" / "answers").glob("*.json")
    data = json.loads(kept.read_text(encoding="utf-8"))
    kept.write_text(
        json.dumps({**data, "stdout": "stale\n", "key": data["key"] + "x"}), encoding="utf-8"
    )
    measured, modules = _run(["targets", "--unit", "ha", "--district", "龙岗"], tmp_path / "cache")
    assert measured == computed and "geopandas" in modules


def test_targets_with_a_users_parks_are_not_kept(tmp_path):
    from ..cli_helpers import landplan_exe

    env = {**os.environ, "LANDPLAN_CACHE": str(tmp_path / "cache")}
    proc = subprocess.run(
        [landplan_exe(), "targets", "--parks", "sz20_parks", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "cache" / "answers").exists()


def test_parsed_catalog_kept_as_parsed_and_nothing_else_taken_from_the_cache(tmp_path, monkeypatch):
    import yaml

    monkeypatch.setenv("LANDPLAN_CACHE", str(tmp_path))
    import importlib

    catmod = importlib.import_module("layers.catalog_files")
    read = catmod.read_catalog_file
    read.cache_clear()
    try:
        first = read("targets.yaml")
        with open(catmod.CATALOG_DIR / "targets.yaml", encoding="utf-8") as fh:
            assert first == yaml.safe_load(fh)
        read.cache_clear()
        assert read("targets.yaml") == first  # from the kept copy
        # a kept file naming anything but builtins and dates is refused: the YAML is parsed again
        (kept,) = (tmp_path / "catalog").glob("*targets.yaml.pickle")
        key, _ = pickle.loads(kept.read_bytes())
        kept.write_bytes(pickle.dumps((key, subprocess.Popen)))
        read.cache_clear()
        assert read("targets.yaml") == first
    finally:
        read.cache_clear()

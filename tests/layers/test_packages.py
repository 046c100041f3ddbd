"""geo and layers import their public names on first use (geo.lazy), one implementation for both."""

import subprocess
import sys

_PROBE = """
import sys, types
import geo.errors, layers
cheap = sorted(m for m in ('pandas', 'geopandas', 'shapely', 'pyproj') if m in sys.modules)
import geo.areas, layers.loading, layers.catalog_tables, layers.supply, layers.units
import geo
from geo import LandplanError, area
from layers import LAYER_IDS, load
try:
    geo.no_such_name
    missing = 'no error'
except AttributeError as exc:
    missing = str(exc)
functions = (geo.area, layers.load, layers.catalog, layers.targets, area, load)
print(cheap)
print([isinstance(f, types.FunctionType) for f in functions])
module = isinstance(layers.units, types.ModuleType)
print(module, LandplanError is geo.errors.LandplanError, 'districts' in LAYER_IDS)
print(missing)
listed = geo.__all__ == sorted(geo.__all__) and 'area' in geo.__all__
print(listed and 'resolve_layer' in layers.__all__)
"""


def test_packages_import_names_on_first_use_and_no_name_means_two_things():
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    cheap, functions, others, missing, listed = proc.stdout.splitlines()
    assert cheap == "[]"  # importing geo.errors and layers loads no geometry library
    assert functions == "[True, True, True, True, True, True]"  # functions, once modules are in
    assert others == "True True True"
    assert missing == "module 'geo' has no attribute 'no_such_name'"
    assert listed == "True"


def test_no_public_name_is_also_a_submodule():
    """``import layers.supply as S; S.target_supply`` works, and ``layers.load`` is one thing."""
    from pathlib import Path

    import geo
    import layers

    for package in (geo, layers):
        folder = Path(package.__file__).parent
        modules = {p.stem for p in folder.glob("*.py")} | {
            p.name for p in folder.iterdir() if (p / "__init__.py").exists()
        }
        assert not modules & set(package.__all__), package.__name__

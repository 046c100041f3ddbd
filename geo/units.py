"""Area units planners use. 1 亩 = 10000/15 m² (mainland), 1 公顷 = 15 亩, 1 km² = 1500 亩."""
from __future__ import annotations

from .errors import LandplanError

#: square metres per unit
M2_PER_UNIT = {
    "m2": 1.0,
    "ha": 1e4,
    "km2": 1e6,
    "mu": 1e4 / 15.0,
    "wan_m2": 1e4,  # 万m², used for floor space
}
_ALIASES = {
    "m²": "m2", "sqm": "m2", "平方米": "m2",
    "hectare": "ha", "hectares": "ha", "公顷": "ha",
    "km²": "km2", "sqkm": "km2", "平方公里": "km2",
    "亩": "mu",
    "万m2": "wan_m2", "万m²": "wan_m2", "万平方米": "wan_m2", "wanm2": "wan_m2",
}
UNIT_LABELS = {
    "m2": ("平方米", "m²"),
    "ha": ("公顷", "ha"),
    "km2": ("平方公里", "km²"),
    "mu": ("亩", "mu"),
    "wan_m2": ("万平方米", "10,000 m²"),
}


def normalize_unit(unit: str) -> str:
    """Canonical unit key ('m2', 'ha', 'km2', 'mu', 'wan_m2') for any accepted spelling."""
    key = str(unit).strip()
    key = _ALIASES.get(key, _ALIASES.get(key.lower(), key.lower()))
    if key not in M2_PER_UNIT:
        raise LandplanError(
            f"Unknown unit {unit!r}; use one of km2, ha (公顷), mu (亩), m2, 万m2.",
            f"未知单位 {unit!r}；可用 km2、ha（公顷）、mu（亩）、m2、万m2。")
    return key


def convert_area(value, from_unit: str = "m2", to_unit: str = "km2"):
    """Convert an area (scalar, array or Series) between units."""
    return value * M2_PER_UNIT[normalize_unit(from_unit)] / M2_PER_UNIT[normalize_unit(to_unit)]


def unit_label(unit: str, lang: str = "zh") -> str:
    """Label of a unit in Chinese ('zh') or English ('en')."""
    zh, en = UNIT_LABELS[normalize_unit(unit)]
    return zh if lang == "zh" else en

"""Area units planners use: the one table of them.

1 亩 = 10000/15 m² (mainland), 1 公顷 = 15 亩, 1 km² = 1500 亩.

To add a unit, add one :class:`Unit` row to ``UNITS``: the command's ``--unit`` choices, the page's
unit switch (``offered``), the reports and every table header read it from here.
"""

from __future__ import annotations

from typing import NamedTuple

from .errors import LandplanError


class Unit(NamedTuple):
    """One unit: id, m² per unit, label (headers) and word (sentences) in Chinese and English."""

    id: str
    m2: float | None  #: square metres per unit; None for a count (not an area)
    label_zh: str
    label_en: str
    word_en: str  #: the English word in sentences and help ('hectares'); Chinese uses the label
    decimals: int  #: decimals shown (workbooks keep full precision behind the format)
    offered: bool = False  #: offered to planners: the page's unit switch and the reports
    aliases: tuple = ()


#: every unit, in the order they are offered; 'count' is a target's unit, not an area
UNITS = (
    Unit("km2", 1e6, "平方公里", "km²", "square kilometres", 2, True, ("km²", "sqkm", "平方公里")),
    Unit("ha", 1e4, "公顷", "ha", "hectares", 1, True, ("hectare", "hectares", "公顷")),
    Unit("mu", 1e4 / 15.0, "亩", "mu", "mu", 0, True, ("亩",)),
    Unit("m2", 1.0, "平方米", "m²", "square metres", 0, False, ("m²", "sqm", "平方米")),
    Unit(
        "wan_m2",
        1e4,
        "万平方米",
        "10,000 m²",
        "10,000 square metres",
        2,
        False,  # 万m², used for floor space
        ("万m2", "万m²", "万平方米", "wanm2"),
    ),
    Unit("count", None, "个", "count", "", 0),
)
_BY_ID = {u.id: u for u in UNITS}
#: square metres per unit (area units only)
M2_PER_UNIT = {u.id: u.m2 for u in UNITS if u.m2 is not None}
#: the area units the command accepts, and those offered on the page and in the reports
AREA_UNITS = tuple(M2_PER_UNIT)
OFFERED_UNITS = tuple(u.id for u in UNITS if u.offered)
_ALIASES = {a: u.id for u in UNITS for a in u.aliases}
UNIT_LABELS = {u.id: (u.label_zh, u.label_en) for u in UNITS if u.m2 is not None}


def _key(unit) -> str:
    key = str(unit).strip()
    return _ALIASES.get(key, _ALIASES.get(key.lower(), key.lower()))


def normalize_unit(unit: str) -> str:
    """Canonical unit key ('m2', 'ha', 'km2', 'mu', 'wan_m2') for any accepted spelling.

    Parameters
    ----------
    unit : str
        E.g. 'km²', '平方公里', 'hectare', '亩'.

    Returns
    -------
    str

    Raises
    ------
    LandplanError
        An unknown unit.
    """
    key = _key(unit)
    if key not in M2_PER_UNIT:
        raise LandplanError(
            f"未知单位 {unit!r}；可用 km2、ha（公顷）、mu（亩）、m2、万m2。",
            f"Unknown unit {unit!r}; use one of km2, ha (公顷), mu (亩), m2, 万m2.",
        )
    return key


def is_area_unit(unit) -> bool:
    """True for an accepted spelling of an area unit (not for a count, None or an unknown word).

    Parameters
    ----------
    unit : object

    Returns
    -------
    bool
    """
    return isinstance(unit, str) and _key(unit) in M2_PER_UNIT


def convert_area(value, from_unit: str = "m2", to_unit: str = "km2"):
    """Convert an area (scalar, array or Series) between units.

    Parameters
    ----------
    value : float, numpy.ndarray or pandas.Series
        Area(s).
    from_unit, to_unit : str
        Units (any spelling :func:`normalize_unit` accepts).

    Returns
    -------
    Same type as ``value``.

    Raises
    ------
    LandplanError
        An unknown unit.
    """
    return value * M2_PER_UNIT[normalize_unit(from_unit)] / M2_PER_UNIT[normalize_unit(to_unit)]


def unit_label(unit: str, lang: str = "zh") -> str:
    """Label of a unit in Chinese or English: 平方公里 / km²; 'count' reads 个 / count.

    Parameters
    ----------
    unit : str
        An area unit or 'count'.
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    str

    Raises
    ------
    LandplanError
        An unknown unit.
    """
    u = _BY_ID.get(_key(unit))
    if u is None:
        normalize_unit(unit)  # raises the bilingual sentence
    return u.label_zh if lang == "zh" else u.label_en


def unit_text(unit, lang: str = "zh") -> str:
    """A unit as a planner reads it, for any value of a ``unit`` column (unknown ones as they are).

    Parameters
    ----------
    unit : object
        A ``unit`` column's value.
    lang : {'zh', 'en'}, default 'zh'

    Returns
    -------
    str
    """
    u = _BY_ID.get(_key(unit)) if isinstance(unit, str) else None
    if u is None:
        return "" if unit is None else str(unit)
    return u.label_zh if lang == "zh" else u.label_en


def unit_decimals(unit, default: int = 2) -> int:
    """Decimals a unit's figures are shown with.

    Parameters
    ----------
    unit : object
        A unit id.
    default : int, default 2
        Decimals of an unknown unit.

    Returns
    -------
    int
    """
    u = _BY_ID.get(_key(unit)) if isinstance(unit, str) else None
    return u.decimals if u is not None else default


def unit_help(units=AREA_UNITS) -> str:
    """'km2 (平方公里), ha (公顷), ...': the units for a command's help.

    Parameters
    ----------
    units : sequence of str
        Unit ids.

    Returns
    -------
    str
    """
    return ", ".join(f"{_BY_ID[u].id} ({_BY_ID[u].label_zh}, {_BY_ID[u].word_en})" for u in units)


def parse_area(text) -> float:
    """An area written with its unit ('1km2', '100 ha', '1500亩', '2e5m2') in m².

    Parameters
    ----------
    text : str or number
        A number followed by a unit :func:`normalize_unit` accepts; a number alone is refused
        (1 could be a km² or a m²).

    Returns
    -------
    float
        Square metres.

    Raises
    ------
    LandplanError
        No unit, an unknown unit, or an area that is negative or not a number.
    """
    import re

    m = re.fullmatch(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(\S.*?)?\s*", str(text))
    unit = m.group(2) if m else None
    if m is None or unit is None or not is_area_unit(unit) or float(m.group(1)) < 0:
        raise LandplanError(
            f"面积 {text!r} 须为不小于 0 的数字加单位，如 1km2、100ha、1500mu、2e5m2。",
            f"An area must be a number of 0 or more with its unit, e.g. 1km2, 100ha, 1500mu or "
            f"2e5m2, not {text!r}.",
        )
    return convert_area(float(m.group(1)), unit, "m2")

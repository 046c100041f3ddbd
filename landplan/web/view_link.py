"""A link to a view: the page's language, unit, focus district, cluster, tab, opened scenario and
presenting view kept in the address (``st.query_params``), so a link sent before a meeting opens
the same view, e.g. ``?lang=en&district=pingshan&unit=mu``.

A link is read once, on a session's first run, into the page's state before its widgets are
drawn (:func:`apply_link`; the scenario after sign-in, :func:`open_linked_scenario`); from then
on the widgets lead and the address follows them (:func:`write_address`). A value the page does
not know is left out and said in a line (:func:`ignored_lines`), never an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping

from geo.errors import LandplanError
from geo.units import OFFERED_UNITS, normalize_unit
from layers.names import scope_id

from ..present.text import LANGUAGES, text
from .plan_tabs import TABS

#: the view of a page opened without a link (left out of the address)
DEFAULTS = {"lang": "zh", "unit": "km2", "tab": TABS[0]}
_LINKED, _IGNORED, _SCENARIO = "_link_view", "_link_ignored", "_link_scenario"
_YES, _NO = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _key(value: str) -> str:
    return re.sub(r"\s+", "", str(value)).lower()


def _lang(value: str) -> str | None:
    v = _key(value)
    return {"中文": "zh", "english": "en", "chinese": "zh"}.get(v, v if v in LANGUAGES else None)


def _unit(value: str) -> str | None:
    try:
        unit = normalize_unit(value)
    except LandplanError:
        return None
    return unit if unit in OFFERED_UNITS else None


def _district(value: str) -> str | None:
    try:
        return scope_id(value)  # 'city' for the whole city
    except LandplanError:
        return None


def _cluster(value: str) -> str | None:
    import layers

    v = _key(value)
    for row in layers.clusters().itertuples():
        if v in (_key(row.cluster_id), _key(row.name_zh), _key(row.name_en)):
            return row.cluster_id
    return None


def _tab(value: str) -> str | None:
    v = _key(value)
    for lang in LANGUAGES:
        words = text(lang)
        labels = {**words["page"], "compare": words["scenarios"]["compare"]}
        for name in TABS:
            if v in (name, _key(labels.get(name, ""))):
                return name
    return None


def _present(value: str) -> bool | None:
    v = _key(value)
    return True if v in _YES else False if v in _NO else None


def _version(value: str) -> int | None:
    v = _key(value).lstrip("v")
    return int(v) if v.isdigit() and int(v) > 0 else None


_READ = {
    "lang": _lang,
    "unit": _unit,
    "district": _district,
    "cluster": _cluster,
    "tab": _tab,
    "scenario": lambda v: v.strip() or None,
    "version": _version,
    "present": _present,
}


def read_link(params: Mapping[str, str]) -> tuple[dict, list[tuple[str, str]]]:
    """The view a link's parameters ask for, and the (name, value) pairs the page does not know.

    A district is accepted by id, Chinese or English name (全市 / city: the whole city, as
    ``None``), a cluster by id or name, a tab by name or label, a unit by any spelling of an
    offered one; a version only with a scenario.
    """
    view, ignored = {}, []
    for key, value in params.items():
        read = _READ.get(key)
        got = read(str(value)) if read else None
        if got is None:
            ignored.append((key, str(value)))
        else:
            view[key] = None if key == "district" and got == "city" else got
    if "version" in view and "scenario" not in view:
        ignored.append(("version", str(params["version"])))
        del view["version"]
    return view, ignored


def apply_link(state: MutableMapping, params: Mapping[str, str]) -> None:
    """On a session's first run, the link's view into the page's state, before the widgets are
    drawn: the language (``lang``), unit, focus, cluster, presenting view and open tab (by its
    label in the link's language); the scenario waits for sign-in (:func:`open_linked_scenario`).
    Later runs leave the state to the widgets."""
    if _LINKED in state:
        return
    state[_LINKED] = None
    view, ignored = read_link(params)
    state[_IGNORED] = ignored
    lang = view.get("lang", DEFAULTS["lang"])
    for key, kept in (("lang", "lang"), ("unit", "unit"), ("district", "focus")):
        if key in view:
            state[kept] = view[key]
    for key, kept in (("cluster", "cluster"), ("present", "presenting")):
        if key in view:
            state[kept] = view[key]
    if "tab" in view:
        words = text(lang)
        labels = {**words["page"], "compare": words["scenarios"]["compare"]}
        state["tables"] = labels[view["tab"]]
    if "scenario" in view:
        state[_SCENARIO] = (view["scenario"], view.get("version"))


def open_linked_scenario(state: MutableMapping, open_into) -> None:
    """The scenario a link names, opened with ``open_into(state, name, version)``
    (:func:`landplan.web.scenario_page.open_into`, for a visitor admitted to the store); one the
    store does not hold is said and left out."""
    name, version = state.pop(_SCENARIO, (None, None))
    if name is None:
        return
    try:
        open_into(state, name, version)
    except LandplanError:
        state[_IGNORED] = [*state.get(_IGNORED, []), ("scenario", name)] + (
            [("version", str(version))] if version else []
        )


def view_address(
    lang: str,
    unit: str,
    district: str | None,
    cluster: str | None,
    tab: str,
    scenario: tuple[str, int] | None,
    presenting: bool,
) -> dict[str, str]:
    """The address's parameters for a view: only what differs from a page opened without a
    link; ids, not names (a link works in either language)."""
    out = {"lang": lang, "unit": unit, "district": district, "cluster": cluster, "tab": tab}
    out = {k: v for k, v in out.items() if v is not None and v != DEFAULTS.get(k)}
    if scenario is not None:
        out["scenario"], out["version"] = scenario[0], str(int(scenario[1]))
    if presenting:
        out["present"] = "1"
    return out


def write_address(state: MutableMapping, params: MutableMapping, address: dict[str, str]) -> None:
    """The address set to ``address`` (:func:`view_address`): the page's parameters written or
    removed, parameters it does not know removed (they were said); the first address written
    is the linked view."""
    for key in [k for k in params.keys() if k not in address]:
        del params[key]
    for key, value in address.items():
        if params.get(key) != value:
            params[key] = value
    if state.get(_LINKED) is None:
        state[_LINKED] = dict(address)


def ignored_lines(state: Mapping, address: dict[str, str], lang: str) -> list[str]:
    """What the link asked for that the page does not know, one line each in ``lang``, while the
    page shows the linked view (they go once the planner changes it)."""
    if state.get(_LINKED) not in (None, address):
        return []
    line = text(lang)["page"]["link_ignored"]
    return [line.format(key=_plain(k), value=_plain(v)) for k, v in state.get(_IGNORED, [])]


def _plain(value: str, most: int = 60) -> str:
    """A link's text as plain words in a Markdown line: cut to ``most`` characters, Markdown's
    marks escaped (a link cannot add a picture or a link to the page)."""
    value = value if len(value) <= most else value[: most - 1] + "…"
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", value)

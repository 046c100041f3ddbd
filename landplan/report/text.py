"""The words of the meeting's papers: a plan's tables in the report's unit and language, numbers as
printed, names for ids, the precision notes and the sources.

Both writers (:mod:`.workbook`, :mod:`.atlas`) take a :class:`ReportData`: one computed plan
(:func:`layers.plan.compute_plan`) with its tables converted once to the report's unit. Nothing
here measures or decides: the figures and the sentences about precision are the plan's
(:mod:`landplan.present.plan_text`); the words are ``report`` in
``landplan/present/text/{zh,en}.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from geo.units import (
    convert_area,
    unit_decimals,
    unit_label,
    unit_text,
)
from layers.catalog_tables import LAYER_IDS
from layers.names import cluster_name, district_name, feature_layer, feature_name, layer_label
from layers.phases import phase_of, phase_words
from layers.units import in_unit

from ..present.text import text
from ..present.words import word

#: the workbook's sheets, in order (their titles: ``report.sheets`` in the language files)
SHEETS = ("summary", "districts", "parks", "clusters", "overlaps", "gaps", "sources")


@dataclass
class ReportData:
    """One plan in the report's unit and language: its tables converted once, its notes and
    sources."""

    plan: object  #: the :class:`layers.plan.Plan` (its focus is the report's scope)
    lang: str
    unit: str
    date: str
    coverage: pd.DataFrame = None
    phases: pd.DataFrame = None
    targets: pd.DataFrame = None
    clusters: pd.DataFrame = None
    overlaps: pd.DataFrame = None
    parks: pd.DataFrame = None
    gaps: pd.DataFrame = None
    notes: list = field(default_factory=list)
    sources: pd.DataFrame | None = None
    _names: dict | None = field(default=None, repr=False)

    @property
    def w(self) -> dict:
        """The report's words in its language."""
        return text(self.lang)["report"]

    @property
    def district(self) -> str | None:
        """The district in focus (None: the city)."""
        return self.plan.focus

    @property
    def districts(self):
        return self.plan.districts

    @property
    def layers(self) -> dict:
        return self.plan.layers

    @property
    def version(self) -> str:
        return self.plan.version

    def district_targets(self, did: str) -> pd.DataFrame:
        """The targets of one district, from the same plan focused there."""
        if did == self.district:
            return self.targets
        return in_unit(self.plan.focused(did).targets, self.unit)

    def district_clusters(self, did: str) -> pd.DataFrame:
        """The cluster x place pairs of one district, from the same plan focused there."""
        if did == self.district:
            return self.clusters
        return self.plan.focused(did).cluster_gaps

    def scope_name(self) -> str:
        if self.district is None:
            return self.w["city"]
        return district_name(self.district, self.lang)

    def unit_text(self) -> str:
        return unit_label(self.unit, self.lang)

    def head(self, words: str, unit: str | None = None) -> str:
        """A header, with the area unit when ``unit`` is given: '面积（平方公里）'."""
        if unit is None:
            return words
        return self.w["with_unit"].format(head=words, unit=unit_label(unit, self.lang))

    def name(self, lid, fid, zh=None, en=None, n: int | None = None) -> str:
        """A feature's name: the catalog's, or an upload's own (Chinese when it has no English)."""
        if lid in LAYER_IDS and feature_layer(str(fid)) is not None:
            return feature_name(str(fid), self.lang)
        own = [v for v in ((en, zh) if self.lang != "zh" else (zh, en)) if isinstance(v, str) and v]
        if own:
            return own[0]
        return self.w["unnamed_upload"].format(n=n) if n is not None else self.w["unnamed"]

    def feature(self, lid, fid, zh=None, en=None) -> str:
        """A park's or zone's name by layer and id, the same on every sheet and page (an upload's
        unnamed features are numbered in the order the parks table lists them)."""
        if self._names is None:
            self._names, count = {}, {}
            for r in self.parks.drop_duplicates(["layer_id", "feature_id"]).itertuples():
                if feature_layer(str(r.feature_id)) is None:  # a user's: numbered in its layer
                    count[r.layer_id] = count.get(r.layer_id, 0) + 1
                n = count.get(r.layer_id, 0)
                key = (r.layer_id, str(r.feature_id))
                self._names[key] = self.name(r.layer_id, r.feature_id, r.name_zh, r.name_en, n)
        return self._names.get((lid, str(fid))) or self.name(lid, fid, zh, en)

    def any_feature(self, fid) -> str:
        """A park's or zone's name by its id alone (the layer it is first found in)."""
        self.feature(None, None)  # the names, once
        for (_, f), name in self._names.items():
            if f == str(fid):
                return name
        return feature_name(str(fid), self.lang)

    def layer(self, lid: str) -> str:
        return layer_label(str(lid), self.lang)

    def dname(self, did) -> str:
        """A district's name; the city (a city target's scope) in words."""
        if str(did) in ("city", "shenzhen"):
            return str(word("city", self.lang))
        return district_name(did, self.lang)

    def dnames(self, dids) -> str:
        if isinstance(dids, str):
            dids = [x for x in dids.split(";") if x]
        return self.w["list_sep"].join(self.dname(x) for x in (dids or []))

    def phase(self, value) -> str:
        """A park's phase in words (启动区/拓展区/储备区; 未注明阶段 when none is stated)."""
        return phase_words(phase_of(value), self.lang)

    def kind(self, value) -> str:
        if not isinstance(value, str) or not value:
            return ""
        return self.w["kinds"].get(value, value)

    def precision(self, value) -> str:
        """A feature's precision in words (官方边界, 示意边界, 拟建（情景）…)."""
        return self.w["precisions"].get(str(value), str(word(str(value), self.lang)))

    def clusters_words(self, ids) -> str:
        ids = list(ids) if isinstance(ids, (list, tuple, np.ndarray)) else []
        return self.w["list_sep"].join(cluster_name(c, self.lang) for c in ids)

    def pick(self, zh, en):
        """The Chinese or the English of a pair of columns (Chinese when there is no English)."""
        if self.lang == "zh":
            return zh if isinstance(zh, str) else ""
        return en if isinstance(en, str) and en else (zh if isinstance(zh, str) else "")


def _phases_in(phases: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The plan's covered area per phase (one column per phase, m²) in ``unit``."""
    out = phases.copy()
    for c in out.columns:
        if c != "zone_id":
            out[c] = convert_area(out[c].to_numpy(dtype=float), "m2", unit)
    return out


def _num(v, unit: str | None = None, decimals: int | None = None) -> str:
    """A figure as the reports print it ('1,234.57', a count whole); '—' when there is none."""
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return "—"
    dec = unit_decimals(unit) if decimals is None else decimals
    v = float(v)
    if abs(v) < 0.5 * 10**-dec:
        v = 0.0  # no '-0.00'
    return f"{v:,.{dec}f}"


def _value(v, unit: str | None = None, decimals: int | None = None):
    """A figure for a workbook cell: the number, None when there is none, never a negative zero
    at the decimals it is shown with (the unit's)."""
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return None
    v = float(v)
    dec = unit_decimals(unit) if decimals is None else decimals
    return 0.0 if abs(v) < 0.5 * 10**-dec else v


def _area_fmt(unit: str) -> str:
    dec = unit_decimals(unit)
    return "#,##0" + ("." + "0" * dec if dec else "")


def _met(d: ReportData, status) -> str:
    from layers.supply import MET_LABELS

    pair = MET_LABELS.get(str(status), MET_LABELS["not_measurable"])
    return pair[0 if d.lang == "zh" else 1]


def _basis(d: ReportData, basis) -> str:
    from landplan.present.words import basis_text

    return basis_text({"basis": basis}, d.lang)


def _year(d: ReportData, t) -> str:
    from landplan.present.words import _year_text

    return _year_text({"year": t.year, "year_inferred": t.year_inferred}, d.lang)


def _target_words(d: ReportData, t) -> str:
    """'≥ 60 平方公里', '3–5 个' in the report's language."""
    return d.pick(t.target_text_zh, t.target_text_en)


def _unit_words(d: ReportData, unit) -> str:
    return unit_text(unit, d.lang) if unit != "count" or d.lang == "zh" else ""


def _source(d: ReportData, source) -> str:
    from landplan.present.words import source_text

    return source_text(source, d.lang)


def catalog_text(d: ReportData, lid: str, fid, key: str) -> str:
    """A catalog record's text field in the report's language: ``<key>_zh`` in Chinese, ``<key>``
    (English) otherwise, the seed documents cited by title ('' when there is none)."""
    if lid not in LAYER_IDS:
        return ""
    rec = _records(lid).get(str(fid).removesuffix("_corridor"), {})
    value = rec.get(f"{key}_zh") if d.lang == "zh" else rec.get(key)
    if not isinstance(value, str) or not value:
        return ""
    return _seed_refs(value, d.lang) if d.lang != "zh" else value


@cache
def _records(layer: str) -> dict:
    """A catalog layer's records by id."""
    from layers.catalog_files import layer_spec

    id_key = "district_id" if layer == "districts" else "feature_id"
    return {f[id_key]: f for f in layer_spec(layer)["features"]}


def _seed_refs(text_: str, lang: str) -> str:
    """'002 L642' in a catalog note as the document's title and line."""
    import re

    from layers.catalog_files import read_catalog_file
    from layers.catalog_tables import document_title

    files = {str(x["file"])[:3]: x["file"] for x in read_catalog_file("documents.yaml")}

    def title(m):
        f = files.get(m.group(1))
        if f is None:
            return m.group(0)
        line = m.group(2)
        named = document_title(f, int(line) if line else 1, lang)
        return f"{named}, line {line}" if line else named

    text_ = text_.replace(" (also_source)", "")  # the catalog's key: the source is listed
    return re.sub(r"\b(00\d)(?: L(\d+))?\b", title, text_)

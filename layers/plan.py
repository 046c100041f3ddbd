"""One plan, one set of numbers: everything a view shows, computed once from the scenario in effect.

:func:`compute_plan` takes the scenario in effect (the catalog, an upload and its role, official
outlines or a proposal, proposed parks, parcels: a :class:`layers.store.Scenario`, saved or not)
and a focus (the city or one district) and returns a :class:`Plan`. The map page's tabs and
downloads, the meeting workbook and atlas, ``landplan targets/coverage/overlaps/gaps/parcels`` and
``landplan scenario diff/report`` all render a plan; none decides again what counts.

Figures are in m² (counts and floor space in their own units); a view converts them once
(:func:`layers.units.in_unit`) and words them in its language. Each table is computed on first use
and kept: the city's tables are computed once and a focused plan filters them, so changing the
focus measures nothing again.
"""

from __future__ import annotations

from functools import cached_property

import geopandas as gpd
import pandas as pd

from .catalog_tables import FEATURE_LAYERS
from .loading import feature_ids, is_polygonal, load
from .overlaps import Total, classify_overlaps, double_counted_area
from .parcel_totals import PARCEL_COUNTS
from .scenario import PARK_KIND, PARK_LAYER, layers_in_effect

#: the layers whose overlaps a meeting reads (the innovation zones are points and sub-areas)
OVERLAP_LAYERS = ("sz20_parks", "longgang_parks", "pingshan_zones")


def compute_plan(
    scenario=None,
    focus: str | None = None,
    parcel_counts=PARCEL_COUNTS,
    parcel_statuses=None,
    phase_col: str | None = None,
    progress=None,
) -> Plan:
    """The plan for a scenario and a focus.

    Parameters
    ----------
    scenario : layers.store.Scenario, optional
        What counts: its upload (and ``role``, ``official``), proposed parks and parcels (saved
        or not); None: the catalog as it stands.
    focus : str, optional
        A district (id, Chinese or English name); None or 'city': the whole city.
    parcel_counts : sequence of str, default PARCEL_COUNTS
        Land-use codes of the scenario's parcels that count toward the targets parcels measure.
    parcel_statuses : sequence of str, optional
        Only parcels of these supply statuses count.
    phase_col : str, optional
        The parks' column holding their phase (启动区/拓展区/储备区); by default a column with
        a usual name or values that read as phases (:func:`layers.phases.phase_column`).
    progress : pandas.DataFrame, optional
        The progress ledger as of the meeting: its latest entries
        (:func:`layers.ledger.latest_entries`) or every entry in force
        (:func:`layers.ledger.in_force`, which also gives the figures over time). The targets get
        the latest reported figure, and ``met`` is decided on it where no measurement decides
        (:func:`layers.ledger.join_reported`).

    Returns
    -------
    Plan

    Raises
    ------
    LandplanError
        An unknown district or upload role, or an upload that cannot count (see
        :func:`layers.scenario.layers_in_effect`).
    """
    city = Plan(scenario, parcel_counts, parcel_statuses, phase_col, progress)
    _ = city.supply_layers  # an upload that cannot count is refused now, not in the first view
    return city.focused(focus)


class Plan:
    """Everything the views show, for one scenario and one focus (figures in m²).

    Build it with :func:`compute_plan`. ``plan.city`` is the same plan for the whole city (the map
    shades every district); ``plan.focused(d)`` the same scenario focused on district ``d``.
    """

    def __init__(
        self,
        scenario=None,
        parcel_counts=PARCEL_COUNTS,
        parcel_statuses=None,
        phase_col=None,
        progress=None,
    ):
        self.scenario = scenario
        self.parcel_counts = tuple(parcel_counts or ())
        self.parcel_statuses = tuple(parcel_statuses) if parcel_statuses else None
        self.phase_col = phase_col
        self.progress = progress
        self.focus: str | None = None
        self.city: Plan = self
        self._focused: dict[str, Plan] = {}

    def focused(self, district: str | None) -> Plan:
        """This scenario's plan for ``district`` (id or name; None or 'city': the whole city)."""
        from .names import scope_id

        city = self.city
        did = scope_id(district) if district else "city"
        if did == "city":
            return city
        if did not in city._focused:
            plan = Plan.__new__(Plan)
            plan.__dict__.update(
                scenario=city.scenario,
                parcel_counts=city.parcel_counts,
                parcel_statuses=city.parcel_statuses,
                phase_col=city.phase_col,
                progress=city.progress,
                focus=did,
                city=city,
                _focused={},
            )
            city._focused[did] = plan
        return city._focused[did]

    # --- what counts -----------------------------------------------------------------------

    @cached_property
    def supply_layers(self) -> dict[str, gpd.GeoDataFrame] | None:
        """The layers that replace or join the catalog's (:func:`layers_in_effect`)."""
        if self is not self.city:
            return self.city.supply_layers
        s = self.scenario
        if s is None:
            return None
        return layers_in_effect(s.upload, s.role, s.official, s.proposed)

    @cached_property
    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Every park and zone layer in effect by id (EPSG:4326): the catalog's, the parks as
        replaced or joined by proposed parks, and an upload shown beside them (``upload``)."""
        if self is not self.city:
            return self.city.layers
        out = {lid: load(lid) for lid in FEATURE_LAYERS}
        out.update(self.supply_layers or {})
        return out

    @cached_property
    def parks(self) -> gpd.GeoDataFrame:
        """The parks whose coverage of the districts is shown: the 20 parks, or what replaced
        them (an upload, proposed parks added)."""
        return self.layers[PARK_LAYER]

    @cached_property
    def layer_roles(self) -> pd.DataFrame:
        """One row per layer in effect: layer_id, role (:data:`layers.scenario.LAYER_ROLES`),
        features, outlined (with an area), the number of features of each precision
        (``precision_<value>``)."""
        if self is not self.city:
            return self.city.layer_roles
        from .scenario import layer_roles

        return layer_roles(self.scenario, self.layers)

    def precisions(self, layer_id: str = PARK_LAYER, outlined: bool = True) -> dict[str, int]:
        """How many features of a layer in effect have each precision (by default only those
        with an area outline): the facts every sentence about precision is written from."""
        gdf = self.layers.get(layer_id)
        if gdf is None:
            return {}
        if outlined:
            gdf = gdf[is_polygonal(gdf)]
        prec = gdf["precision"] if "precision" in gdf.columns else pd.Series("user", gdf.index)
        return {str(k): int(v) for k, v in prec.value_counts().items()}

    # --- districts and coverage ------------------------------------------------------------

    @cached_property
    def districts(self) -> gpd.GeoDataFrame:
        """The districts in focus (all of them for the city)."""
        d = load("districts")
        return d if self.focus is None else d[d["district_id"] == self.focus]

    def _in_focus(self, table: pd.DataFrame, column: str = "zone_id") -> pd.DataFrame:
        if self.focus is None:
            return table
        out = table[table[column] == self.focus].reset_index(drop=True)
        out.attrs = dict(table.attrs)
        return out

    @cached_property
    def coverage(self) -> pd.DataFrame:
        """Per district in focus: outline area, published land area, area covered by the parks in
        effect (their union), uncovered, %, count (:func:`layers.summary.district_coverage`)."""
        if self is not self.city:
            return self._in_focus(self.city.coverage)
        from .summary import district_coverage

        return district_coverage(PARK_LAYER, layer=self.parks)

    @cached_property
    def upload_coverage(self) -> pd.DataFrame | None:
        """The coverage of the districts by an upload shown beside the parks (None without)."""
        if self is not self.city:
            up = self.city.upload_coverage
            return None if up is None else self._in_focus(up)
        if "upload" not in self.layers:
            return None
        from .summary import district_coverage

        return district_coverage(layer=self.layers["upload"])

    @cached_property
    def park_phases(self) -> pd.Series:
        """Each park's phase in effect: 'start', 'expansion', 'reserve' (启动区/拓展区/储备区) or
        'unstated' (:func:`layers.phases.park_phases`), index as :attr:`parks`'."""
        if self is not self.city:
            return self.city.park_phases
        from .phases import park_phases

        return park_phases(self.parks, self.phase_col)

    @cached_property
    def phases(self) -> pd.DataFrame:
        """Covered area per district in focus and park phase: zone_id and one column per phase
        the parks have ('start', 'expansion', 'reserve', 'unstated'), in m²; each phase's parks
        counted once (their union), as the coverage is."""
        if self is not self.city:
            return self._in_focus(self.city.phases)
        from .phases import phase_coverage

        return phase_coverage(self.coverage, self.parks, self.park_phases)

    @cached_property
    def phase_supply(self) -> pd.DataFrame:
        """Per target the parks count toward and per phase: supplied and indicative extent (m²)
        and basis, measured as :attr:`targets` is, on that phase's parks alone; empty when the
        parks state no phase."""
        if self is not self.city:
            t = self.city.phase_supply
            return t[t["target_id"].isin(set(self.targets["target_id"]))].reset_index(drop=True)
        from .phases import phase_supply

        return phase_supply(self.parks, self.park_phases, self.supply_layers)

    # --- targets ----------------------------------------------------------------------------

    @cached_property
    def measured_targets(self) -> pd.DataFrame:
        """Every target against what the outlines and parcels in effect give toward it
        (:func:`layers.supply.target_supply`, the parcels' figures for the targets they
        measure), without the progress ledger; the city's."""
        if self is not self.city:
            return self.city.measured_targets
        from .supply import target_supply
        from .target_groups import target_districts_in_effect

        ts = target_supply(supply_layers=self.supply_layers)
        parcels = self.parcels
        if parcels is not None and self.parcel_counts:
            from .parcel_totals import with_parcel_supply

            ts = with_parcel_supply(ts, parcels, self.parcel_counts, self.parcel_statuses)
        if "district_ids" not in ts.columns:
            ts["district_ids"] = target_districts_in_effect(ts, self.layers)
        return ts

    @cached_property
    def targets(self) -> pd.DataFrame:
        """Every target in focus against what counts toward it: supplied, shortfall, met, basis,
        indicative extent (:attr:`measured_targets`) and the progress ledger's latest figures
        beside them (:func:`layers.ledger.join_reported`). In focus: the district's own targets
        and those of parks and sites that lie in it."""
        if self is not self.city:
            t = self.city.targets
            keep = [self.focus in (d or ()) for d in t["district_ids"]]
            out = t[keep].reset_index(drop=True)
            out.attrs = dict(t.attrs)
            return out
        ts = self.measured_targets
        if self.progress is not None:
            from .ledger import join_reported, latest_in_force

            ts = join_reported(ts, latest_in_force(self.progress))
        return ts

    def with_progress(self, progress) -> Plan:
        """The same scenario's city plan with another progress ledger (``progress`` as
        :func:`compute_plan` takes it): what the outlines and parcels measure is this plan's
        (measured once, shared); the targets and gaps are made anew."""
        base = self.city
        base = getattr(base, "_base", base)
        plan = _LedgerPlan(
            base.scenario, base.parcel_counts, base.parcel_statuses, base.phase_col, progress
        )
        plan._base = base
        return plan

    @cached_property
    def totals(self) -> list[Total]:
        """The totals features are summed in: each land-area target's counting features (an
        overlap between two of them is a double count)."""
        if self is not self.city:
            return self.city.totals
        from .catalog_tables import targets
        from .supply import counting_features

        out = []
        for t in targets().itertuples():
            if t.metric != "land_area":
                continue
            feats = counting_features(t, self.layers)
            if feats is None or not len(feats):
                continue
            lid = t.counts_toward
            fid = feature_ids(feats)
            out.append(Total(f"target:{t.target_id}", frozenset(f"{lid}:{f}" for f in fid)))
        return out

    # --- overlaps, parks, gaps ----------------------------------------------------------------

    @cached_property
    def overlaps(self) -> gpd.GeoDataFrame:
        """Every physical overlap in focus, once, as a double count, nesting or the same place in
        two layers (:func:`layers.overlaps.classify_overlaps`); ``attrs['double_counted']`` (m²)."""
        if self is not self.city:
            from .summary import overlaps_in_district

            out = overlaps_in_district(self.city.overlaps, self.focus)
        else:
            frames = {
                lid: g for lid, g in self.layers.items() if lid in OVERLAP_LAYERS + ("upload",)
            }
            out = classify_overlaps(frames, self.totals)
        out.attrs["double_counted"] = double_counted_area(out)
        return out

    @property
    def double_counted(self) -> float:
        """Land counted more than once toward a total, in focus (m²): the double counts' union."""
        return float(self.overlaps.attrs["double_counted"])

    @cached_property
    def park_pieces(self) -> pd.DataFrame:
        """One row per park or zone and district in focus it lies in: its part's area, its whole
        drawn area, the area a document states (:func:`layers.meeting.park_pieces`)."""
        if self is not self.city:
            return self._in_focus(self.city.park_pieces, "district_id")
        from .meeting import park_pieces

        return park_pieces(self.layers, load("districts"))

    @cached_property
    def parks_total(self) -> float:
        """The land under any park or zone in focus, each place counted once (the union of the
        outlines, however many layers record it or overlap there), in m²."""
        from .summary import land_under

        return land_under(self.layers.values(), self.districts)

    @property
    def parks_count(self) -> int:
        """The parks in effect with an outline in focus (a park in two districts counted once)."""
        p = self.park_pieces
        return int(p[(p["layer_id"] == PARK_LAYER) & p["area"].notna()]["feature_id"].nunique())

    @cached_property
    def cluster_gaps(self) -> pd.DataFrame:
        """Cluster x place pairs the Opinion names, with the parks and zones carrying each; the
        pairs in focus (:func:`layers.gaps.cluster_gaps`)."""
        if self is not self.city:
            t = self.city.cluster_gaps
            keep = [self.focus in d for d in t["district_ids"]]
            return t[keep].reset_index(drop=True)
        from .gaps import cluster_gaps

        return cluster_gaps(extra=self.supply_layers)

    @cached_property
    def missing_outlines(self) -> pd.DataFrame:
        """Catalog records in focus without a public outline."""
        if self is not self.city:
            t = self.city.missing_outlines
            keep = [self.focus in (d if isinstance(d, list) else []) for d in t["district_ids"]]
            return t[keep].reset_index(drop=True)
        from .gaps import missing_outlines

        return missing_outlines()

    @cached_property
    def gaps(self) -> pd.DataFrame:
        """All gaps in focus in one table: targets not met, cluster gaps, records without an
        outline (:func:`layers.gaps.gaps_from`)."""
        from .gap_table import gaps_from

        return gaps_from(self.targets, self.cluster_gaps, self.missing_outlines)

    # --- parcels ------------------------------------------------------------------------------

    @property
    def parcels(self) -> gpd.GeoDataFrame | None:
        """The scenario's parcels (None without)."""
        s = self.scenario
        return None if s is None else getattr(s, "parcels", None)

    @cached_property
    def parcel_accounting(self) -> pd.DataFrame | None:
        """The parcels' area by land-use code and supply status in each park in effect and each
        district (None without parcels); rows of the districts in focus and the parks there."""
        if self is not self.city:
            t = self.city.parcel_accounting
            if t is None:
                return None
            parks_here = set(self.park_pieces["feature_id"])
            keep = (t["zone_layer"] == "districts") & (t["zone_id"] == self.focus) | (
                t["zone_layer"] != "districts"
            ) & t["zone_id"].isin(parks_here)
            return t[keep.to_numpy()].reset_index(drop=True)
        if self.parcels is None:
            return None
        from .parcel_totals import parcel_accounting

        parks = self.parks.assign(layer_id=PARK_LAYER)
        parks.attrs["layer_id"] = PARK_LAYER
        return parcel_accounting(self.parcels, by=[parks, "districts"])

    @cached_property
    def blocks(self) -> gpd.GeoDataFrame | None:
        """The parcels' contiguous industrial blocks (连片产业空间) of the codes that count in this
        plan (``parcel_counts``, those the targets' supply counts) with ``landplan blocks``' other
        defaults, placed in the parks in effect and the districts (None without parcels;
        :func:`layers.plan_blocks.plan_blocks`); in focus, those reaching the district."""
        from .plan_blocks import blocks_in, plan_blocks

        if self is not self.city:
            found = self.city.blocks
            return None if found is None else blocks_in(found, self.focus)
        if self.parcels is None:
            return None
        return plan_blocks(self.parcels, self.parks, self.parcel_counts or PARCEL_COUNTS)

    @cached_property
    def version(self) -> str:
        """The package version and a hash of the catalog and shipped outlines."""
        from .meeting import data_version

        return data_version()


#: the tables the progress ledger changes (a plan with another ledger shares all others)
_REPORTED = frozenset({"targets", "gaps"})


class _LedgerPlan(Plan):
    """A city plan reading another progress ledger (:meth:`Plan.with_progress`): its targets and
    gaps are its own, every other table is its base plan's."""


for _name, _table in list(vars(Plan).items()):
    if isinstance(_table, cached_property) and _name not in _REPORTED:
        setattr(
            _LedgerPlan,
            _name,
            property(lambda self, n=_name: getattr(self._base, n), doc=_table.__doc__),
        )


__all__ = ["PARCEL_COUNTS", "PARK_KIND", "Plan", "compute_plan"]

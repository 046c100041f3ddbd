"""The page's 进度台账 / Progress tab: the targets in focus with their latest reported figure, each
target's entries and their chart, a new entry and the import of a filled template (editors), the
template to download.

The ledger is the command line's (:mod:`layers.ledger`, the plan store: ``$LANDPLAN_STORE`` or
``~/.landplan/plans.gpkg``). Only editors enter figures (:func:`landplan.web.auth.require_editor`,
checked in :func:`enter_figure` and :func:`import_template` themselves), under their signed-in
identity when sign-in is configured. An import is checked row by row as ``landplan progress
import`` checks it: all rows or none. The words are ``ledger`` → ``page`` in
``landplan/present/text``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pandas as pd

import layers
from geo.errors import LandplanError
from geo.units import unit_label
from layers.ledger import add_entry, entry_unit, history, latest_in_force, unit_family
from layers.store import open_store
from layers.target_groups import target_clusters
from layers.units import in_unit

from ..chart_data import ledger_series
from ..ledger import (
    figure,
    filled_rows,
    history_table,
    import_rows,
    ledger_table,
    template_rows,
    template_xlsx,
)
from ..present.plan_text import target_name
from ..present.text import text
from .auth import Visitor, require_editor, shown_identity
from .charts import ledger_chart
from .tables import html_table
from .widgets import kept_choice, message

#: the units an area figure may be entered in (a count is a count)
AREA_UNITS = ("km2", "ha", "mu", "wan_m2", "m2")
_FLASH = "ledger_flash"  # session key: what the last save said (shown after the page reruns)
_UPLOADS = "ledger_uploads"  # session key: how many imports were made (a new uploader after each)


@dataclass
class PageLedger:
    """The progress ledger as the page read it: the store, a key that changes with every entry,
    every entry in force (None: nothing entered) and why it could not be read (or None)."""

    where: str = ""
    key: tuple | None = None
    progress: pd.DataFrame | None = None
    error: LandplanError | None = None

    @property
    def plan_args(self) -> tuple:
        """What :func:`landplan.web.page_data.page_plan` takes of the ledger: its key, its
        entries."""
        return self.key, self.progress


def read_ledger(spec=None) -> PageLedger:
    """The ledger of the page's store (``spec``: a store path or URL, default the command line's);
    a store that cannot be read is said, and the plan is then shown without the ledger."""
    from .page_data import ledger_state

    try:
        store = open_store(spec)
        key, progress = ledger_state(store)
    except LandplanError as exc:
        return PageLedger(error=exc)
    return PageLedger(store.where, key, progress)


def enter_figure(
    visitor: Visitor,
    target_id: str,
    value,
    as_of,
    source: str,
    unit: str | None = None,
    note: str = "",
    by: str = "",
    corrects: int | None = None,
    spec=None,
) -> pd.Series:
    """Enter one figure for ``visitor``: refused unless they may edit; entered by their signed-in
    identity (``by``, typed, counts only without sign-in; empty: the login name). Checked as
    ``landplan progress set`` checks it; returns the entry as stored."""
    require_editor(visitor)
    if visitor.signed:
        by = visitor.identity
    return add_entry(
        open_store(spec),
        target_id,
        value,
        as_of,
        source,
        by=(by or "").strip() or None,
        note=note or "",
        corrects=corrects,
        unit=unit,
    )


def import_template(visitor: Visitor, data: bytes, name: str, spec=None) -> pd.DataFrame:
    """Import a filled template (its bytes and file name) for ``visitor``: refused unless they may
    edit; every row checked, all entered in one transaction or none (the bad rows named by
    number, as ``landplan progress import`` names them). With sign-in every row is entered by the
    signed-in identity (a name in the template goes into the note)."""
    require_editor(visitor)
    rows = filled_rows(io.BytesIO(data), name)
    return import_rows(
        open_store(spec), rows, signed_by=visitor.identity if visitor.signed else None
    )


def targets_in_view(targets: pd.DataFrame, cluster: str | None = None) -> pd.DataFrame:
    """The targets of the plan in focus, those of one cluster's action plan when one is chosen."""
    if not cluster or not len(targets):
        return targets
    keep = [cluster in cs for cs in target_clusters(targets)]
    return targets[keep].reset_index(drop=True)


def _ids(entries: pd.DataFrame) -> str:
    return ", ".join(str(int(i)) for i in entries["id"])


def ledger_tab(st, lang: str, unit: str, plan, visitor: Visitor, cluster, ledger: PageLedger):
    """The tab: the targets in focus (and of the chosen cluster) with their latest figure, the
    template, one target's entries and chart, and for editors a new entry and the import."""
    tx = text(lang)["ledger"]["page"]
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.success(flash)
    if ledger.error is not None:
        st.error(tx["store_error"].format(err=message(ledger.error, lang)))
        return
    st.caption(tx["caption"].format(where=ledger.where))
    shown = targets_in_view(plan.targets, cluster)
    if cluster:
        name = layers.clusters().set_index("cluster_id").loc[cluster, f"name_{lang}"]
        where = plan_where(plan, lang)
        if not len(shown):
            st.info(tx["no_cluster_targets"].format(where=where))
            return
        st.caption(tx["cluster_only"].format(cluster=name, n=len(shown)))
    if not len(shown):
        st.info(tx["no_targets"])
        return
    catalog = layers.targets().set_index("target_id").loc[shown["target_id"]].reset_index()
    progress = ledger.progress
    latest = latest_in_force(progress) if progress is not None else pd.DataFrame()
    st.html(html_table(ledger_table(latest, catalog, lang, every=True), "ledger"))
    st.download_button(
        tx["template"].format(n=len(catalog)),
        lambda: template_xlsx(template_rows(catalog, latest if len(latest) else None)),
        "台账模板.xlsx" if lang == "zh" else "ledger_template.xlsx",
        help=tx["template_help"],
        key="dl_ledger_template",
    )
    names = {r["target_id"]: target_name(r, lang) for r in shown.to_dict("records")}
    tid = kept_choice(
        st.selectbox, tx["pick"], list(names), "ledger_target", lang, format_func=names.get
    )
    row = in_unit(shown, unit).set_index("target_id").loc[tid]
    _history(st, lang, tid, row.to_dict() | {"target_id": tid})
    if not visitor.may_edit:
        st.caption(tx["viewer"])
        return
    _entry_form(st, lang, visitor, tid, catalog.set_index("target_id").loc[tid], ledger.where)
    _import_box(st, lang, visitor, ledger.where)


def plan_where(plan, lang: str) -> str:
    """'全市' or the district in focus, as the tab says where."""
    from ..present.words import district_label

    return text(lang)["charts"]["city"] if plan.focus is None else district_label(plan.focus, lang)


def _history(st, lang: str, tid: str, row: dict) -> None:
    """One target's entries (corrected ones too) and their chart."""
    tx = text(lang)["ledger"]["page"]
    st.markdown(f"**{tx['history']}**")
    try:
        hist = history(open_store(), tid)
    except LandplanError as exc:
        st.error(message(exc, lang))
        return
    if hist.empty:
        st.info(tx["no_history"])
        return
    st.html(html_table(history_table(hist, lang), "ledger_history"))
    st.altair_chart(ledger_chart(ledger_series(hist, row, lang), lang), width="stretch")
    st.caption(tx["chart"])


def _units(target_unit) -> list[str]:
    """The units a target's figure may be entered in, its own first."""
    own = entry_unit(target_unit) or str(target_unit)
    if unit_family(own) != "area":
        return [own]
    return [own] + [u for u in AREA_UNITS if u != own]


def _entry_form(st, lang: str, visitor: Visitor, tid: str, target, where: str) -> None:
    """A new entry for the chosen target: value, unit, as of, source, note, who (without
    sign-in), the entry it corrects."""
    tx = text(lang)["ledger"]["page"]
    units = _units(target["unit"])
    count = units == ["count"]
    open_entries = _correctable(tid)
    with st.form("ledger_entry", clear_on_submit=True):
        st.markdown(f"**{tx['add']}**")
        cols = st.columns([2, 1, 1])
        value = cols[0].number_input(
            tx["value"],
            min_value=0 if count else 0.0,
            value=None,
            step=1 if count else 0.01,
            format="%d" if count else "%.2f",
            key="ledger_value",
        )
        unit = cols[1].selectbox(
            tx["unit"], units, format_func=lambda u: unit_label(u, lang), key="ledger_unit"
        )
        as_of = cols[2].date_input(
            tx["as_of"], value=date.today(), max_value=date.today(), key="ledger_as_of"
        )
        source = st.text_input(tx["source"], key="ledger_source")
        note = st.text_input(tx["note"], key="ledger_note")
        by = ""
        if visitor.signed:
            st.caption(tx["entered_as"].format(who=shown_identity(visitor)))
        else:
            by = st.text_input(tx["by"], key="ledger_by")
        corrects = st.selectbox(  # 0: no correction (entries are numbered from 1)
            tx["corrects"],
            [0, *open_entries],
            format_func=lambda i: open_entries.get(i, tx["corrects_none"]),
            key="ledger_corrects",
        )
        if st.form_submit_button(tx["submit"]):
            try:
                e = enter_figure(
                    visitor, tid, value, as_of, source, unit, note, by, corrects or None
                )
            except LandplanError as exc:
                st.error(message(exc, lang))
                return
            st.session_state[_FLASH] = tx["saved"].format(
                where=where, ids=int(e["id"]), who=e["entered_by"]
            )
            st.rerun()


def _correctable(tid: str) -> dict[int, str]:
    """The target's entries in force (a correction names one), in words."""
    try:
        hist = history(open_store(), tid)
    except LandplanError:
        return {}
    hist = hist[hist["in_force"]]
    return {
        int(r["id"]): f"#{int(r['id'])} · {figure(r['value'], r['unit'])} · {r['as_of']}"
        for r in hist.to_dict("records")
    }


def _import_box(st, lang: str, visitor: Visitor, where: str) -> None:
    """The import of a filled template: every row checked, all entered or none."""
    tx = text(lang)["ledger"]["page"]
    n = st.session_state.get(_UPLOADS, 0)  # a fresh uploader after each import
    # what it takes, in place of the page's uploader line (landplan.web.widgets.uploader_words)
    st.html(
        "<style>[class*=st-key-ledger_import_file] [data-testid=stFileUploaderDropzoneInstructions]"
        f' span::before {{content: "{tx["import_types"]}";}}</style>'
    )
    file = st.file_uploader(
        tx["import"], type=["xlsx"], help=tx["import_help"], key=f"ledger_import_file_{n}"
    )
    if visitor.signed:
        st.caption(tx["signed_by"].format(who=shown_identity(visitor)))
    if file is None or not st.button(tx["import_btn"], key="ledger_import_btn"):
        return
    try:
        saved = import_template(visitor, file.getvalue(), file.name)
    except LandplanError as exc:
        st.error(message(exc, lang))
        return
    st.session_state[_UPLOADS] = n + 1
    st.session_state[_FLASH] = tx["imported"].format(n=len(saved), where=where, ids=_ids(saved))
    st.rerun()

"""The catalog says what the documents say: every quote is in the cited lines, every figure in its
quote."""

import re

import pytest

import layers
from layers.catalog_files import CATALOG_DIR, read_catalog_file


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _cited_entries(obj, path="$"):
    if isinstance(obj, dict):
        if obj.get("quote") and isinstance(obj.get("source"), dict) and "doc" in obj["source"]:
            yield path, obj
        for k, v in obj.items():
            yield from _cited_entries(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _cited_entries(v, f"{path}[{i}]")


def _catalog_files():
    return sorted(str(p.relative_to(CATALOG_DIR)) for p in CATALOG_DIR.rglob("*.yaml"))


def _lines(seeds, doc, lines, slack=2):
    text = (seeds / doc).read_text(encoding="utf-8", errors="replace").splitlines()
    a, _, b = str(lines).partition("-")
    return _norm("".join(text[max(0, int(a) - 1 - slack) : int(b or a) + slack]))


@pytest.mark.parametrize("name", _catalog_files())
def test_every_quote_is_in_its_cited_lines(seeds, name):
    data = read_catalog_file(name)
    entries = list(_cited_entries(data))
    missing = [
        f"{path}: {e['quote'][:50]!r} not in {e['source']['doc']} L{e['source']['lines']}"
        for path, e in entries
        if _norm(e["quote"]) not in _lines(seeds, e["source"]["doc"], e["source"]["lines"])
    ]
    assert not missing, "\n".join(missing)


def _number_in(value, quote) -> bool:
    nums = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", _norm(quote))]
    return any(abs(n - float(value)) < 1e-9 for n in nums)


def test_every_target_value_is_stated_in_its_quote(seeds):
    t = layers.targets()
    # a target from public reporting (no seed line to quote) carries the report's title and date
    # instead
    t = t[t["source_ref"] != ""]
    bad = [r.target_id for r in t.itertuples() if not _number_in(r.value, r.quote)]
    assert not bad, f"targets whose value is not in their quote: {bad}"


def test_every_stated_area_is_in_its_quote():
    bad = []
    for lid in ("sz20_parks", "longgang_parks", "pingshan_zones", "innovation_zones"):
        g = layers.load(lid)
        for r in g[g["stated_km2"].notna()].itertuples():
            if r.quote and not _number_in(r.stated_km2, r.quote):
                bad.append(r.feature_id)
    assert not bad


def test_opinion_districts_are_in_the_opinion_quote():
    c = layers.clusters()
    for r in c.itertuples():
        for place in r.opinion_districts:
            assert place in r.opinion_quote, (r.cluster_id, place)


def test_layout_extractor_reproduces_the_shipped_layouts(seeds, monkeypatch):
    import sys

    monkeypatch.setenv("LANDPLAN_SEEDS", str(seeds))
    monkeypatch.syspath_prepend(str(CATALOG_DIR.parents[1] / "scripts" / "catalog_tools"))
    sys.modules.pop("extract_layouts", None)
    sys.modules.pop("seedtext", None)
    import extract_layouts

    drafted = {r["cluster_id"]: r for r in extract_layouts.extract()}
    shipped = {r["cluster_id"]: r for r in read_catalog_file("layouts/layouts_extracted.yaml")}
    assert drafted.keys() == shipped.keys()
    for cid, rec in shipped.items():
        assert drafted[cid]["layout"] == rec["layout"], cid
    fashion = {(e["place_zh"], e["quote"]) for e in drafted["modern_fashion"]["layout"]}
    assert {
        ("南山", "南山区（前海）打造工业设计和科技时尚集聚地"),
        ("前海", "南山区（前海）打造工业设计和科技时尚集聚地"),
        ("宝安", "宝安区（前海）建设创新创意基地和会展服务集聚区"),
        ("前海", "宝安区（前海）建设创新创意基地和会展服务集聚区"),
    } <= fashion


def test_future_industries_carrying_areas_are_quoted_at_their_lines(seeds):
    # 000 L7275 六、空间布局 ... L7277-7283 "…作为未来产业“6+5”核心承载区"
    c = layers.clusters().set_index("cluster_id")
    future = c[c.kind == "future"]
    raw = {r["cluster_id"]: r for r in read_catalog_file("layouts/future_industries.yaml")}
    assert set(raw) == set(future.index)
    heading = _lines(seeds, "000_486d7e6b52a526cb.txt", "7275", slack=0)
    assert heading.startswith("六、空间布局")
    for rec in raw.values():
        assert len(rec["carriers"]) == 11
        for a in rec["carriers"]:
            assert a["source"]["doc"] == "000_486d7e6b52a526cb.txt"
            assert 7275 <= int(str(a["source"]["lines"]).split("-")[0]) <= 7283
            assert _norm(a["quote"]) in _lines(
                seeds, a["source"]["doc"], a["source"]["lines"], slack=0
            )
        sentence = _lines(seeds, "000_486d7e6b52a526cb.txt", "7277-7283", slack=0)
        assert "“6+5”核心承载区" in sentence and _norm(rec["layout"][0]["quote"]) in sentence


def _seed_records(name):
    return [r for r in read_catalog_file(name) if "doc" in (r.get("source") or {})]


@pytest.mark.parametrize("name", ["targets.yaml", "context_figures.yaml"])
def test_every_figure_cites_the_lines_its_entry_spans(seeds, name):
    """The quote lies in the cited lines themselves, and a site's or park's entry is cited from the
    line that names it (002's 坂田金园 entry starts at L663, its figures are on L665)."""
    wrong = []
    for r in _seed_records(name):
        src = r["source"]
        cited = _lines(seeds, src["doc"], src["lines"], slack=0)
        if _norm(r["quote"]) not in cited:
            wrong.append(f"{r.get('target_id') or r['figure_id']}: quote not in L{src['lines']}")
        if r["scope"] in ("park", "site") and _norm(r["scope_name_zh"]) not in cited:
            wrong.append(f"{r.get('target_id') or r['figure_id']}: place not in L{src['lines']}")
    assert not wrong, "\n".join(wrong)
    if name == "targets.yaml":
        bantian = {
            r["target_id"]: r["source"]["lines"]
            for r in _seed_records(name)
            if "bantian" in r["scope_id"]
        }
        assert set(bantian.values()) == {"663-665"}, bantian


def test_the_renewal_units_of_column_4_8_are_recorded_as_the_plan_words_them(seeds):
    """002 专栏4-8 items 7-11 (L671-679): each 重点更新单元 with its area, demolition scope and
    floor space, the document's comparator (约 or none) and unit, no year; context figures, not
    targets."""
    text = (seeds / "002_22f36ed06e318fad.txt").read_text(encoding="utf-8").splitlines()
    items = {}
    for i in range(670, 680):  # lines 671-679
        m = re.match(r"(\d+)、\*\*(.+?)\*\*：", text[i])
        if m and int(m.group(1)) >= 7:
            items[m.group(2)] = i + 1
    assert len(items) == 5, items
    figures = layers.context_figures()
    units = figures[figures["kind"] == "renewal_unit"]
    assert set(units["subject_zh"]) == set(items)
    assert not set(units["subject_zh"]) & set(layers.targets()["place_zh"])
    for r in units.itertuples():
        line = _lines(seeds, "002_22f36ed06e318fad.txt", str(items[r.subject_zh]), slack=0)
        assert r.source_ref == f"002_22f36ed06e318fad.txt L{items[r.subject_zh]}"
        q = _norm(r.quote)
        assert q in line and _number_in(r.value, q) and r.unit == "万m2" and r.year is None
        assert r.comparator == ("~" if "约" in q else "="), r.figure_id
        assert r.metric == ("floor_area" if "建面" in q else "land_area"), r.figure_id
    per_unit = units.groupby("subject_zh")["quote"].apply(lambda s: sorted(_norm(q)[:4] for q in s))
    assert per_unit["五和枢纽片区重点更新单元"] == ["拟拆除范", "现状总建", "面积约2"]
    assert all(len(v) == 3 for v in per_unit)


def test_the_release_is_section_six_three_not_the_three_zones(seeds):
    """004's 4.5 km² release (L538) is in 六、保障措施（三）保障空间供给, not in 四 三区一带
    (L311-320): its record and its basis note say so and name the sites as the document does."""
    text = (seeds / "004_179bac3d1c0e59ac.txt").read_text(encoding="utf-8").splitlines()
    heads = [(i + 1, t) for i, t in enumerate(text[:538]) if t.startswith("#")]
    chapter = next(
        t for _, t in reversed(heads) if re.match(r"#+\s*\**[一二三四五六七八九十]、", t)
    )
    assert "六、保障措施" in chapter and "（三）保障空间供给" in heads[-1][1]
    t = layers.targets().set_index("target_id")
    assert "六（三）" in t.loc["pingshan_release_total", "note"]
    assert "五(三)" not in t.loc["pingshan_release_total", "note"]
    from layers.supply import target_supply

    note = (
        target_supply(district="pingshan")
        .set_index("target_id")
        .loc["pingshan_release_total", ["basis_note_zh", "basis_note"]]
    )
    assert "三区一带" not in note["basis_note_zh"] and "three zones" not in note["basis_note"]
    assert "连片产业空间" in note["basis_note_zh"] and "碧岭北" in note["basis_note_zh"]


def test_names_write_整备_as_the_plan_does_and_quotes_keep_the_entry(seeds):
    """专栏4-8 writes 整備 (the traditional form) in its entries, the plan's text 整备 (L644): the
    names shown say 整备, the quotes keep the entries' character."""
    line644 = _lines(seeds, "002_22f36ed06e318fad.txt", "644", slack=0)
    assert "大面积产业空间整备" in line644
    t = layers.targets()
    assert not t["name_zh"].str.contains("整備").any()
    assert t["name_zh"].str.contains("大面积产业空间整备规模").sum() == 6
    assert t["quote"].dropna().str.contains("整備").sum() == 6

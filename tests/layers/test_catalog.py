"""The catalog's shape: counts, ids, fields, sources, and the districts' areas against published
figures."""

import geopandas as gpd
import pytest
import shapely

import layers
from geo.areas import area
from geo.errors import LandplanError
from layers.catalog_files import layer_spec

DISTRICT_IDS = [
    "luohu",
    "futian",
    "nanshan",
    "yantian",
    "baoan",
    "longgang",
    "longhua",
    "pingshan",
    "guangming",
    "dapeng",
    "shenshan",
]


def test_clusters_are_the_20_plus_8():
    c = layers.clusters()
    assert (c["kind"] == "strategic_emerging").sum() == 20
    assert (c["kind"] == "future").sum() == 8
    assert c["cluster_id"].is_unique and c["cluster_id"].str.fullmatch(r"[a-z0-9_]+").all()
    assert (
        c["source"]
        .str.startswith(
            "《深圳市人民政府关于发展壮大战略性新兴产业集群和培育发展未来产业的意见》第 "
        )
        .all()
    )
    assert c["source_ref"].str.startswith("000_486d7e6b52a526cb.txt L").all()
    # empty lists where the Opinion names no district: the marine cluster and all future industries
    assert c.set_index("cluster_id").loc["marine", "opinion_districts"] == []
    assert all(v == [] for v in c[c.kind == "future"]["opinion_districts"])
    named = {p for v in c["opinion_districts"] for p in v}
    assert {"前海", "深汕", "大鹏"} <= named


def test_every_cluster_reference_in_the_layers_exists():
    ids = set(layers.clusters()["cluster_id"])
    for lid in ("sz20_parks", "longgang_parks", "pingshan_zones", "innovation_zones"):
        for v in layers.load(lid)["lead_clusters"]:
            assert set(v) <= ids, (lid, v)


def test_districts_layer_fields_and_ids():
    d = layers.load("districts")
    assert list(d["district_id"]) == DISTRICT_IDS
    assert d.crs.to_epsg() == 4326
    for col in (
        "adcode",
        "name_zh",
        "name_en",
        "official_land_km2",
        "official_land_source",
        "precision",
        "source",
    ):
        assert col in d.columns
    assert set(d[d.adcode.isna()]["district_id"]) == {"dapeng", "shenshan"}
    assert set(d[d.precision == "indicative"]["district_id"]) == {"dapeng", "shenshan"}
    assert d.loc[d.precision == "indicative", "cut_method"].notna().all()
    assert d.geometry.is_valid.all()


def test_district_areas_match_published_land_areas_or_explain_why():
    d = layers.load("districts")
    tol = layer_spec("districts")["area_tolerance"]
    d["km2"] = area(d, "km2")
    for r in d.itertuples():
        rel = abs(r.km2 - r.official_land_km2) / r.official_land_km2
        if r.district_id == "shenshan":
            assert "by construction" in r.cut_method  # its cut is solved to the published area
            continue
        assert rel <= tol or isinstance(r.area_note, str), (
            f"{r.district_id}: {r.km2:.2f} vs {r.official_land_km2}"
        )
    # the city total stays close to the published 1997.47 km² (AMap includes some sea and reclaimed
    # land)
    city = d[d.district_id != "shenshan"]["km2"].sum()
    assert 1997.47 < city < 1997.47 * 1.12


def test_districts_do_not_overlap():
    d = layers.load("districts").to_crs(4547)
    union = shapely.union_all(d.geometry.values)
    assert union.area == pytest.approx(d.area.sum(), rel=1e-6)


def test_dapeng_and_longgang_are_the_two_parts_of_440307():
    d = layers.load("districts").set_index("district_id")
    km2 = area(gpd.GeoDataFrame(geometry=d.geometry, crs=d.crs), "km2")
    assert km2["dapeng"] > 250 and km2["longgang"] > 350
    assert d.geometry["dapeng"].centroid.x > d.geometry["longgang"].centroid.x


def test_sz20_parks_are_20_records_with_counts_by_district():
    p = layers.load("sz20_parks")
    assert len(p) == 20 and p["feature_id"].is_unique
    first = p["district_ids"].map(lambda v: v[0])
    counts = first.value_counts().to_dict()
    assert counts == {
        "baoan": 4,
        "guangming": 4,
        "longgang": 3,
        "longhua": 3,
        "pingshan": 3,
        "shenshan": 2,
        "yantian": 1,
    }
    assert "tier" in p.columns
    unknown = p[p["name_zh"].isna()]
    assert unknown.geometry.isna().all() and (unknown["precision"] == "none").all()
    assert unknown["note"].str.contains("not public").all()
    drawn = p[p.geometry.notna()]
    assert (drawn["precision"] == "indicative").all() and drawn["drawn_method"].notna().all()


def test_every_feature_carries_precision_source_and_stated_area_field():
    for lid in ("sz20_parks", "longgang_parks", "pingshan_zones", "innovation_zones"):
        g = layers.load(lid)
        assert g["feature_id"].is_unique
        assert set(g["precision"]) <= {"official", "indicative", "none"}
        assert g["source"].str.len().gt(0).all(), lid
        assert "stated_km2" in g.columns


def test_pingshan_three_zones_belt_nodes_and_release_sites():
    g = layers.load("pingshan_zones", belt_width_m=800)
    kinds = g["kind"].value_counts().to_dict()
    assert kinds == {"zone": 3, "belt": 1, "belt_corridor": 1, "node": 7, "release_site": 3}
    rel = g[g.kind == "release_site"].set_index("name_zh")
    assert rel["stated_km2"].to_dict() == {"碧岭北": 1.0, "龙田北": 1.4, "高新南": 2.1}
    assert rel["stated_km2"].sum() == pytest.approx(4.5)
    assert g[g.kind == "belt"].geom_type.iloc[0] == "LineString"
    corridor = g[g.kind == "belt_corridor"]
    line_m = g[g.kind == "belt"].to_crs(4547).length.iloc[0]
    assert area(corridor, "m2").iloc[0] == pytest.approx(
        line_m * 800, rel=0.02
    )  # width is a parameter


def test_longgang_three_parks_and_eight_areas():
    g = layers.load("longgang_parks")
    assert (g.kind == "park").sum() == 3 and (g.kind == "cluster_area").sum() == 8
    east = g.set_index("feature_id").loc["lg_park_east"]
    assert "biomedicine" in east["lead_clusters"] and "new_energy" in east["lead_clusters"]


def test_innovation_zones_eleven_and_four_platforms():
    g = layers.load("innovation_zones")
    assert (g.kind == "innovation_zone").sum() == 11
    assert (g.kind == "platform").sum() == 4
    subs = g[g.kind == "sub_area"]
    assert len(subs) > 0 and subs["parent_id"].isin(g["feature_id"]).all()


def test_targets_have_all_columns_and_the_named_values():
    t = layers.targets().set_index("target_id")
    for col in (
        "scope",
        "scope_id",
        "metric",
        "comparator",
        "value",
        "unit",
        "year",
        "counts_toward",
        "source",
    ):
        assert col in t.columns
    assert t.loc["longgang_block_line_industrial_land", ["comparator", "value"]].tolist() == [
        ">=",
        35.8,
    ]
    assert t.loc["pingshan_release_total", "value"] == 4.5
    assert t.loc["city_software_new_space", ["value", "unit"]].tolist() == [300, "万m2"]


def test_unknown_layer_id_lists_the_ids():
    with pytest.raises(LandplanError, match="sz20_parks"):
        layers.load("parks_of_atlantis")


def test_action_plan_layouts_cite_places_and_roles():
    c = layers.clusters().set_index("cluster_id")
    lay = layers.cluster_layouts()
    valid = set(DISTRICT_IDS) | {"qianhai"}
    assert set(lay["district_id"]) <= valid
    assert lay["source"].str.match(r"《深圳市培育(发展)?.+行动计划（2022-2025年）》第 \d").all()
    assert lay["source_ref"].str.startswith("000_486d7e6b52a526cb.txt L").all()
    with_layout = {cid for cid in c.index if c.loc[cid, "layout"]}
    # every strategic cluster but network & communications has a layout naming districts
    assert set(c[c.kind == "strategic_emerging"].index) - with_layout == {"network_communication"}
    # an Opinion district usually reappears in the plan's layout (spot check with a known plan)
    semi = {e["district_id"] for e in c.loc["semiconductor_ic", "layout"]}
    assert {"nanshan", "futian", "baoan", "longhua", "longgang", "pingshan"} <= semi


def test_qianhai_in_parentheses_keeps_the_district_and_qianhai():
    # 000 L2977 "南山区（前海）打造…", L2981 "宝安区（前海）建设…": both the district and 前海 are
    # named
    lay = layers.cluster_layouts()
    fashion = lay[lay.cluster_id == "modern_fashion"]
    for district_id, zh in (
        ("nanshan", "南山区（前海）打造工业设计和科技时尚集聚地"),
        ("baoan", "宝安区（前海）建设创新创意基地和会展服务集聚区"),
    ):
        places = set(fashion[fashion["quote"] == zh]["district_id"])
        assert places == {district_id, "qianhai"}, (zh, places)
    assert (
        not lay["quote"].str.match(r"^[^（(]*[）)]").any()
    )  # no clause cut after an opening parenthesis


def test_cluster_ids_and_english_names():
    c = layers.clusters().set_index("cluster_id")
    # 安全节能环保: 节能 is energy saving (not emergency)
    assert c.loc["safety_energy_saving_environmental", "name_zh"] == "安全节能环保产业集群"
    assert "energy-saving" in c.loc["safety_energy_saving_environmental", "name_en"]
    assert c.loc["marine", "name_en"] == "Marine industry cluster"
    assert not c["name_en"].str.contains(r"industries industry").any()
    from layers.catalog_files import CATALOG_DIR

    root = CATALOG_DIR.parents[1]
    files = [
        p
        for d in ("layers", "landplan", "scripts", "tests", "geo")
        for p in (root / d).rglob("*")
        if p.suffix in (".py", ".yaml") and p.name != "test_catalog.py"
    ] + [root / "README.md", *(root / "docs").glob("*.md")]
    old = "safety_" + "emergency_environmental"
    assert not [
        str(p)
        for p in files
        if p.is_file() and old in p.read_text(encoding="utf-8", errors="replace")
    ]


SIX_PLUS_FIVE = [
    "光明科学城",
    "河套深港科技创新合作区",
    "前海深港现代服务业合作区",
    "西丽湖国际科教城",
    "东部滨海国际生物谷",
    "红岭新兴金融产业带",
    "深圳国家高新区南山园区",
    "深圳国家高新区坪山园区",
    "深圳国家高新区宝安园区",
    "深圳国家高新区龙岗园区",
    "深圳国家高新区龙华园区",
]


def test_future_industries_have_the_six_plus_five_carrying_areas():
    c = layers.clusters().set_index("cluster_id")
    future = c[c.kind == "future"]
    assert len(future) == 8
    for cid, r in future.iterrows():
        names = [a["name_zh"] for a in r["carriers"]]
        assert names == SIX_PLUS_FIVE, cid
        assert [a["group"] for a in r["carriers"]] == ["6"] * 6 + ["5"] * 5
        assert all(a["source"] and a["quote"] for a in r["carriers"])
        assert {e["district_id"] for e in r["layout"]} == {
            "guangming",
            "qianhai",
            "nanshan",
            "pingshan",
            "baoan",
            "longgang",
            "longhua",
        }
        assert "6+5" in r["layout_note"] and "all eight" in r["layout_note"]
    # a carrier names the catalog feature only where the catalog has one of that name
    feats = layers.load("innovation_zones").set_index("feature_id")["name_zh"]
    for a in future.iloc[0]["carriers"]:
        if a.get("feature_id"):
            assert feats[a["feature_id"]] == a["name_zh"]


FAR_NORTH_BAOAN = {"sz20_yanluo", "sz20_xinqiao_east", "iz_yanluo_lixi", "iz_xinqiao_east"}


def test_a_qianhai_cluster_is_not_carried_by_parks_elsewhere_in_baoan():
    from layers.gaps import cluster_gaps

    g = cluster_gaps()
    qh = g[g["place_zh"] == "前海"].set_index("cluster_id")
    assert set(qh.index) == {"modern_fashion", "smart_robot", "laser_additive_manufacturing"}
    assert not any(FAR_NORTH_BAOAN & set(v) for v in qh["carried_by"])
    # 激光与增材制造: 新桥东片区 and 燕罗-李西片区 lead it in 宝安, but neither lies in 前海
    assert qh.loc["laser_additive_manufacturing", "gap"]
    assert not g[(g.cluster_id == "laser_additive_manufacturing") & (g.place_zh == "宝安")][
        "gap"
    ].iloc[0]
    # 智能机器人: 西乡铁仔山片区, which 001 L185 places in 前海 (依托前海扩区后的…西乡铁仔山片区)
    assert qh.loc["smart_robot", "carried_by"] == ["iz_xixiang_tiezaishan"]
    assert "《深圳市科技创新“十四五”规划》第 185 行" in qh.loc["smart_robot", "carrier_basis"]
    assert qh.loc["modern_fashion", "gap"]
    # 前海 still belongs to 南山 and 宝安 for the district views
    assert all(v == ["nanshan", "baoan"] for v in qh["district_ids"])


def test_qianhai_carriers_by_name_parent_and_official_outline():
    from layers.gaps import cluster_gaps, feature_places

    def layer(rows, crs=4326):
        cols = [
            "feature_id",
            "name_zh",
            "district_ids",
            "lead_clusters",
            "parent_id",
            "precision",
            "geometry",
        ]
        return gpd.GeoDataFrame([dict(zip(cols, r)) for r in rows], geometry="geometry", crs=crs)

    north = shapely.Point(113.87, 22.78)  # 燕罗, far-north 宝安
    user = layer(
        [
            ("u_yanluo", "燕罗（测试）", ["baoan"], ["modern_fashion"], None, "indicative", north),
            (
                "u_qh",
                "前海某园（测试）",
                ["nanshan"],
                ["laser_additive_manufacturing"],
                None,
                "indicative",
                None,
            ),
            (
                "u_qh_sub",
                "某片区（测试）",
                ["baoan"],
                ["modern_fashion"],
                "u_qh",
                "indicative",
                None,
            ),
        ]
    )
    g = cluster_gaps(extra={"user": user}).set_index(["cluster_id", "place_zh"])
    assert (
        "u_yanluo" in g.loc[("modern_fashion", "宝安"), "carried_by"]
    )  # it carries 宝安, not 前海
    assert g.loc[("modern_fashion", "前海"), "carried_by"] == [
        "u_qh_sub"
    ]  # part of a feature named for 前海
    assert g.loc[("laser_additive_manufacturing", "前海"), "carried_by"] == [
        "u_qh"
    ]  # named for 前海
    # an official outline of 前海 decides by location; an indicative disc or a point would not
    box = shapely.box(113.87, 22.50, 113.92, 22.56)
    for prec, inside in (("official", True), ("indicative", False)):
        outline = layer(
            [
                (
                    "u_qh_outline",
                    "前海合作区（测试边界）",
                    ["nanshan", "baoan"],
                    [],
                    None,
                    prec,
                    box,
                ),
                (
                    "u_in",
                    "甲（测试）",
                    ["baoan"],
                    ["laser_additive_manufacturing"],
                    None,
                    "indicative",
                    shapely.Point(113.90, 22.53),
                ),
                (
                    "u_out",
                    "乙（测试）",
                    ["baoan"],
                    ["laser_additive_manufacturing"],
                    None,
                    "indicative",
                    north,
                ),
            ]
        )
        places = feature_places({"user": outline})
        assert ("前海" in places[("user", "u_in")]) is inside
        assert "前海" not in places[("user", "u_out")]
        gg = cluster_gaps(extra={"user": outline}).set_index(["cluster_id", "place_zh"])
        assert gg.loc[("laser_additive_manufacturing", "前海"), "carried_by"] == (
            ["u_in"] if inside else []
        )


def _catalog_yaml_files():
    from layers.catalog_files import CATALOG_DIR

    return sorted(CATALOG_DIR.rglob("*.yaml"))


@pytest.mark.parametrize("path", _catalog_yaml_files(), ids=lambda p: p.name)
def test_no_record_cites_the_field_guide(path):
    # GUIDE.md is the developers' guide, not a publication a planner can check: cite the publication
    # itself
    text = path.read_text(encoding="utf-8")
    assert "guide.md" not in text.lower(), f"{path.name} cites GUIDE.md"


def _sz20_raw():
    return {f["feature_id"]: f for f in layer_spec("sz20_parks")["features"]}


def _is_publication(src) -> bool:
    """A seed line, or a public report with its title and date."""
    if not isinstance(src, dict):
        return False
    if "doc" in src:
        return bool(src.get("lines"))
    return bool(src.get("report")) and bool(src.get("date")) and "guide" not in str(src).lower()


def test_no_named_park_without_a_publication():
    raw = _sz20_raw()
    p = layers.load("sz20_parks")
    named = p[p["name_zh"].notna()]
    for fid in named["feature_id"]:
        src = raw[fid]["source"]
        assert _is_publication(src), fid
        if "doc" in src:  # named by a seed: the name is in the quote
            assert raw[fid]["name_zh"] in raw[fid]["quote"], fid
        else:  # named by a report: the report's title names the publication
            assert "《" in src["report"] and "》" in src["report"], fid
    # the four 宝安 names come from the 规划和自然资源局's announcement of the 空间保障指引 (2022)
    baoan = {
        r.name_zh: raw[r.feature_id]["source"]
        for r in named.itertuples()
        if r.district_ids == ["baoan"]
    }
    assert set(baoan) == {"燕罗", "石岩", "新桥东", "福海—沙井"}
    assert all("空间保障指引" in s["report"] and s["date"] == "2022" for s in baoan.values())
    # names no publication gives are gone, with their locations and figures; the records and counts
    # stay
    text = " ".join(
        str(v) for col in ("name_zh", "name_en", "location_zh", "feature_id") for v in p[col]
    )
    for gone in (
        "九龙山",
        "Jiulongshan",
        "东部滨海",
        "East Coast",
        "坝光",
        "jiulongshan",
        "east_coast",
    ):
        assert gone not in text, gone
    unnamed = p[p["name_zh"].isna()]
    assert unnamed["district_ids"].map(tuple).value_counts().to_dict() == {
        ("guangming",): 4,
        ("longhua",): 3,
        ("shenshan",): 2,
        ("yantian", "dapeng"): 1,
    }
    assert all(_is_publication(raw[fid]["source"]) for fid in unnamed["feature_id"])
    spec = str(layer_spec("sz20_parks"))
    assert not any(x in spec for x in ("九龙山", "东部滨海", "坝光", "8.06"))


def test_seed_parks_taken_for_the_city_20_say_it_is_an_inference():
    raw = _sz20_raw()
    p = layers.load("sz20_parks").set_index("feature_id")
    assert "inference" in p.columns
    seed_backed = [fid for fid, f in raw.items() if "doc" in f["source"]]
    assert sorted(seed_backed) == sorted(
        [
            "sz20_longgang_west",
            "sz20_longgang_central",
            "sz20_longgang_east",
            "sz20_jinsha_bihu",
            "sz20_gaoxin_north",
            "sz20_gaoxin_south",
        ]
    )
    for fid in seed_backed:
        why = p.loc[fid, "inference"]
        assert isinstance(why, str) and why.startswith("Inference"), fid
        district = "龙岗" if "longgang" in fid else "坪山"
        assert f"reported count for {district} is 3" in why and (
            "002 L642" in why or "004 L316" in why
        ), fid
    # parks named by a publication are not inferences
    assert p.drop(index=seed_backed)["inference"].isna().all()

"""Draft the action plans' spatial layouts (layers/catalog/layouts/) from seed 000.

For each cluster's action plan: find its spatial-layout part (the 空间布局/产业布局/区域布局
chapter, or the layout project where the plan has no such chapter), split it into clauses,
and record each district (or 前海/深汕) a clause names together with that clause as its role,
and the named parks/bases. Output is a draft that is reviewed by hand; every quote is checked
against its lines by tests/layers/test_catalog_against_documents.py.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from seedtext import lines_of, locate, norm  # noqa: E402

DOC = "000_486d7e6b52a526cb.txt"
ROOT = Path(__file__).resolve().parents[2]
# plan start lines (approximate, from the field guide) in the order of the Opinion
PLANS = [
    ("network_communication", 416),
    ("semiconductor_ic", 734),
    ("uhd_video_display", 1041),
    ("smart_terminal", 1347),
    ("smart_sensor", 1694),
    ("software_it_services", 1994),
    ("digital_creative", 2318),
    ("modern_fashion", 2790),
    ("industrial_mother_machine", 3253),
    ("smart_robot", 3531),
    ("laser_additive_manufacturing", 3817),
    ("precision_instruments", 4109),
    ("new_energy", 4349),
    ("safety_energy_saving_environmental", 4737),
    ("smart_connected_vehicle", 5082),
    ("new_materials", 5357),
    ("high_end_medical_devices", 5657),
    ("biomedicine", 6041),
    ("big_health", 6361),
    ("marine", 6667),
    (None, 7060),
]
PLACES = {
    "福田": "futian",
    "罗湖": "luohu",
    "南山": "nanshan",
    "盐田": "yantian",
    "宝安": "baoan",
    "龙岗": "longgang",
    "龙华": "longhua",
    "坪山": "pingshan",
    "光明": "guangming",
    "大鹏": "dapeng",
    "深汕": "shenshan",
    "前海": "qianhai",
}
PLACE_RE = re.compile(r"(福田|罗湖|南山|盐田|宝安|龙岗|龙华|坪山|光明|大鹏|深汕|前海)")
ROLES = [
    ("研发", "R&D"),
    ("设计", "design"),
    ("中试", "pilot production"),
    ("制造", "manufacturing"),
    ("生产", "production"),
    ("封测", "packaging and testing"),
    ("总部", "headquarters"),
    ("核心", "core zone"),
    ("集聚", "agglomeration"),
    ("示范", "demonstration"),
    ("应用", "applications"),
    ("服务", "services"),
    ("孵化", "incubation"),
    ("检测", "testing"),
    ("会展", "exhibitions"),
    ("创新", "innovation"),
    ("园", "park"),
    ("基地", "base"),
]
HEAD_RE = re.compile(r"^\s*[一二三四五六七八九十]+、")
# keep carriers that look like named places, not functional roles ("设计企业集聚区")
NAMED_RE = re.compile(
    r"福田|罗湖|南山|盐田|宝安|龙岗|龙华|坪山|光明|大鹏|深汕|前海|国家|深港|科学城|加速器|梧桐|小镇"
    r"|走廊|国际"
)
GENERIC_STARTS = ("创建", "成为", "围绕", "覆盖", "我市", "应用示范", "链条", "国际一流")
LAYOUT_HEAD_RE = re.compile(
    r"^\s*[一二三四五六七八九十]+、\s*(空间布局|产业布局|区域布局|优化.*布局)"
)
FALLBACK_KEYS = ("空间布局", "产业布局", "区域布局", "布局合理", "跨区协同")
# clauses end at 。； and at an opening parenthesis (the duty notes "（…按职责分工负责）"), except a
# parenthesised place that qualifies the district before it: "南山区（前海）打造…" (000 L2977),
# "宝安区（前海）建设…" (L2981) name both the district and 前海.
CLAUSE_SPLIT_RE = re.compile(r"[。；]|[（(](?!前海[）)])")
CARRIER_RE = re.compile(
    r"([\u4e00-\u9fa5A-Za-z0-9“”\-—]{2,16}?(?:产业园区|产业园|科技园|工业园|园区|基地|科学城|集聚区"
    r"|示范区|先导区|先行区|产业带|走廊|新城))"
)


def _layout_range(lines, a, b):
    for i in range(a, b):
        if LAYOUT_HEAD_RE.match(lines[i - 1]):
            j = i + 1
            while j < b and not HEAD_RE.match(lines[j - 1]):
                j += 1
            return i, j - 1
    best, best_score = None, 1
    for i in range(a, b):
        if any(k in lines[i - 1] for k in FALLBACK_KEYS):
            j = i + 1
            while j < min(i + 12, b) and not HEAD_RE.match(lines[j - 1]):
                j += 1
            text = "".join(
                c for c in re.split(r"[。；]", norm("".join(lines[i - 1 : j]))) if not _is_duty(c)
            )
            score = len(set(PLACE_RE.findall(text)))
            if score > best_score:
                best, best_score = (i, j - 1), score
    return best


def _is_duty(clause: str) -> bool:
    """The '(responsible units ... 区政府按职责分工负责)' notes name districts but no layout."""
    return "区政府" in clause or "按职责分工负责" in clause


def _role_en(text):
    return ", ".join(dict.fromkeys(en for zh, en in ROLES if zh in text)) or None


def extract():
    lines = lines_of(DOC)
    out = []
    for k, (cid, start) in enumerate(PLANS[:-1]):
        end = PLANS[k + 1][1] - 1
        rng = _layout_range(lines, start, end)
        rec = {
            "cluster_id": cid,
            "plan_lines": f"{start}-{end}",
            "layout_lines": None,
            "layout": [],
            "carriers": [],
            "note": "Drafted by scripts/catalog_tools/extract_layouts.py from the plan's layout "
            "part; "
            "role_zh is the clause that names the place.",
        }
        if rng is None:
            rec["note"] = "No spatial-layout part found in this plan."
            out.append(rec)
            continue
        a, b = rng
        rec["layout_lines"] = f"{a}-{b}"
        text = norm("".join(lines[a - 1 : b]))
        seen = set()
        for clause in CLAUSE_SPLIT_RE.split(text):
            if _is_duty(clause) or len(clause) < 6:
                continue
            places = []
            for m in PLACE_RE.finditer(clause):
                name = m.group(1)
                if name not in places:
                    places.append(name)
            if not places:
                continue
            quote = clause[:160]
            try:
                src = {"doc": DOC, "lines": locate(DOC, quote, a, b)}
            except ValueError:
                continue
            for name in places:
                if (name, quote) in seen:
                    continue
                seen.add((name, quote))
                rec["layout"].append(
                    {
                        "place_zh": name,
                        "district_id": PLACES[name],
                        "role_zh": quote,
                        "role_en": _role_en(quote),
                        "quote": quote,
                        "source": src,
                    }
                )
            for m in CARRIER_RE.finditer(clause):
                cname = re.sub(
                    r"^.*?(建设|打造|定位为|推进|依托|培育|形成|围绕|区以)", "", m.group(1)
                )
                cname = re.sub(r"^(在|以|和|及|与|一批|一个|若干)+", "", cname)
                if (
                    len(cname) < 4
                    or cname in {c["name_zh"] for c in rec["carriers"]}
                    or not NAMED_RE.search(cname)
                    or cname.startswith(GENERIC_STARTS)
                ):
                    continue
                d = next((PLACES[mm.group(1)] for mm in PLACE_RE.finditer(cname)), None)
                rec["carriers"].append(
                    {
                        "name_zh": cname,
                        "name_en": None,
                        "kind": "park",
                        "district_id": d,
                        "quote": cname,
                        "source": src,
                    }
                )
        out.append(rec)
    return out


if __name__ == "__main__":
    data = extract()
    dest = ROOT / "layers" / "catalog" / "layouts" / "layouts_extracted.yaml"
    header = (
        "# Spatial layouts of the 2022-2025 cluster action plans (seed 000), drafted by\n"
        "# scripts/catalog_tools/extract_layouts.py; every quote is re-checked against its lines "
        "by the tests.\n"
    )
    dest.write_text(
        header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200),
        encoding="utf-8",
    )
    for r in data:
        print(
            r["cluster_id"],
            r["layout_lines"],
            len(r["layout"]),
            "places",
            len(r["carriers"]),
            "carriers",
            sorted({e["place_zh"] for e in r["layout"]}),
        )

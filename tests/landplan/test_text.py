"""The page's words: one file per language, the same keys and placeholders in both, used by the page
and tables."""

import re

import pandas as pd

from landplan.present.labels import labelled
from landplan.present.text import LANGUAGES, text


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        out.update(_flat(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}": v})
    return out


def test_both_languages_have_the_same_keys_and_placeholders():
    zh, en = (_flat(text(lang)) for lang in LANGUAGES)
    assert set(zh) == set(en), set(zh) ^ set(en)
    for key in zh:
        assert sorted(re.findall(r"\{(\w+)", zh[key])) == sorted(re.findall(r"\{(\w+)", en[key])), (
            key
        )
    assert all(v.strip() for v in zh.values() if isinstance(v, str) and not v.startswith(" ")), (
        "an empty text"
    )


def test_chinese_first_and_english_everywhere():
    zh, en = text("zh"), text("en")
    assert (
        zh["page"]["title"] == "深圳产业用地与园区规划"
        and en["page"]["title"] == "Shenzhen industrial land and parks"
    )
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for key, value in _flat(
        en
    ).items():  # proper names (天地图, 高德) and the bilingual language label aside
        if not key.startswith(("basemaps.", "language_label")):
            assert not cjk.search(value), (key, value)
    for section in ("page", "parcels", "columns", "uploader"):
        assert (
            sum(bool(cjk.search(v)) for v in _flat(zh[section]).values()) >= len(zh[section]) * 0.8
        ), section
    assert text("fr") == en  # any other language reads English


def test_table_headers_come_from_the_language_files():
    df = pd.DataFrame({"zone_area": [1.0], "feature_count": [2], "unit": ["mu"], "own": ["x"]})
    assert list(labelled(df, "zh", "mu").columns) == [
        "边界面积（亩）",
        "园区/片区数",
        "单位",
        "own",
    ]
    assert list(labelled(df, "en", "ha").columns) == [
        "Outline area (ha)",
        "Parks/zones",
        "Unit",
        "own",
    ]
    assert labelled(df, "zh")["单位"].iloc[0] == "亩"

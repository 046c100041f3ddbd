"""Every refusal a user gets is Chinese first: ``LandplanError(zh, en)``, the order of
``bilingual(zh, en)``.

The errors are raised through the public API (geo and layers) as a user's call meets them, and the
Chinese and the English sentence are checked to be where the order says.
"""

import pickle
import re

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from geo.areas import area, require_polygons
from geo.crs import parse_crs
from geo.errors import (
    CRSError,
    GeometryTypeError,
    LandplanError,
    bilingual,
    in_language,
    split_bilingual,
)
from geo.io import ReadError, read_layer, write_layer
from geo.units import normalize_unit
from layers.names import district_id

_HAN = re.compile(r"[\u4e00-\u9fff]")
_WORDS = re.compile(r"[A-Za-z]{3,}")


def _points():
    return gpd.GeoDataFrame({"id": [1]}, geometry=[Point(114.05, 22.55)], crs="EPSG:4326")


CASES = {
    "unknown unit": (
        lambda tmp: normalize_unit("furlong"),
        LandplanError,
        "未知单位",
        "Unknown unit",
    ),
    "unknown crs": (
        lambda tmp: parse_crs("no such system"),
        CRSError,
        "坐标系",
        "coordinate system",
    ),
    "points for an area": (
        lambda tmp: require_polygons(_points()),
        GeometryTypeError,
        "面图层",
        "needs polygons",
    ),
    "area without crs": (
        lambda tmp: area(gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1)])),
        CRSError,
        "没有坐标系",
        "no coordinate system",
    ),
    "missing file": (
        lambda tmp: read_layer(tmp / "nowhere.shp"),
        ReadError,
        "不存在",
        "does not exist",
    ),
    "not a zip": (
        lambda tmp: read_layer(_write(tmp / "parks.zip", b"not a zip")),
        ReadError,
        "压缩包",
        "not a valid zip",
    ),
    "unwritable format": (
        lambda tmp: write_layer(_points(), tmp / "out.txt"),
        LandplanError,
        "无法写出",
        "Cannot write",
    ),
    "unknown district": (
        lambda tmp: district_id("Atlantis"),
        LandplanError,
        "Atlantis",
        "Atlantis",
    ),
}


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_refusals_put_the_chinese_sentence_first(case, tmp_path):
    call, kind, zh_words, en_words = CASES[case]
    with pytest.raises(kind) as info:
        call(tmp_path)
    zh, en = split_bilingual(info.value)
    assert zh and _HAN.search(zh) and zh_words in zh, f"no Chinese sentence in message_zh: {zh!r}"
    assert _WORDS.search(en) and en_words in en, f"no English sentence in str(error): {en!r}"
    assert len(_HAN.findall(zh)) > len(
        _HAN.findall(en)
    )  # not swapped: the Chinese one is the Chinese one
    assert in_language(info.value, "zh") == f"{zh}\n{en}"
    assert in_language(info.value, "en") == en


def test_error_arguments_are_in_the_order_of_bilingual():
    err = LandplanError("图层没有坐标系。", "The layer has no coordinate system.")
    assert (
        err.message_zh == "图层没有坐标系。" and str(err) == "The layer has no coordinate system."
    )
    assert in_language(err) == bilingual("图层没有坐标系。", "The layer has no coordinate system.")
    again = pickle.loads(
        pickle.dumps(CRSError("坐标系未知。", "Unknown coordinate system."))
    )  # e.g. from a worker
    assert type(again) is CRSError and split_bilingual(again) == (
        "坐标系未知。",
        "Unknown coordinate system.",
    )

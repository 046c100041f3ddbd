"""Run each file of the real-world corpus through the command and the page's upload; classify it.

For each case of tests/data/realworld/SOURCES.yaml, four paths:

- ``area``      ``landplan area FILE`` (in-process, stderr captured)
- ``area_by``   ``landplan area FILE --by districts``
- ``coverage``  ``landplan coverage FILE --by districts``
- ``upload``    the page: ``read_upload`` (Shapefiles zipped with their sidecars), the district
  coverage
                table and the map (every drawn coordinate must be longitude/latitude)

Each path comes out as one of:

- ``read``      exit 0, nothing but notes said
- ``warning``   exit 0 with ``warning:`` or ``repaired:`` lines (the page: warnings or repairs in
  the report)
- ``refused``   exit 2 with exactly one sentence, Chinese then English (the page: a LandplanError)
- ``unclear``   refused, but not with one bilingual sentence
- ``wrong``     a silent wrong result: coverage above 100 % or negative uncovered area, coverage 0 %
  in every
                zone with nothing said, or a map layer drawn outside longitude/latitude
- ``crash``     a traceback (any other exception), an exit code other than 0 or 2
- ``hang``      no answer within the time limit

A file's class is its worst path (crash > hang > wrong > unclear > refused > warning > read).

    python scripts/classify_realworld.py            # table of every file, then the counts
    python scripts/classify_realworld.py --json     # the same as JSON
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import signal
import sys
import traceback
import warnings
import zipfile
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "realworld"
ORDER = ["crash", "hang", "wrong", "unclear", "refused", "warning", "read"]
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH = re.compile(r"\b[A-Za-z]{3,}\b.*\b[A-Za-z]{3,}\b")  # at least two English words


def cases(corpus: Path = CORPUS) -> list[dict]:
    return yaml.safe_load((corpus / "SOURCES.yaml").read_text(encoding="utf-8"))["cases"]


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _limit(seconds: int):
    def _raise(*_):
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def run_cli(argv: list[str], seconds: int = 120) -> tuple[int | str, str, str]:
    """(exit code, or 'crash'/'hang'; stdout; stderr) of ``landplan ARGV`` run in this process."""
    from landplan.cli import main

    out, err = io.StringIO(), io.StringIO()
    try:
        with (
            _limit(seconds),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            warnings.catch_warnings(),
        ):
            code = main(argv)
    except _Timeout:
        return "hang", out.getvalue(), err.getvalue()
    except SystemExit as exc:  # argparse
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    except Exception:  # noqa: BLE001 - what is being measured
        return "crash", out.getvalue(), err.getvalue() + traceback.format_exc()
    return code, out.getvalue(), err.getvalue()


def _clear_refusal(stderr: str) -> bool:
    """The refusal (the last message) is one sentence in Chinese, then in English; report lines may
    come first."""
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    if (
        len(lines) < 2
        or len(lines) % 2
        or "Traceback" in stderr
        or not all(ln.startswith("landplan: ") for ln in lines)
    ):
        return False
    zh, en = lines[-2].removeprefix("landplan: "), lines[-1].removeprefix("landplan: ")
    return ":" not in zh.split(" ")[0] and bool(_HAN.search(zh)) and bool(_ENGLISH.search(en))


def _cli_class(code, out: str, err: str, coverage: bool = False) -> str:
    if code in ("crash", "hang"):
        return code
    if code == 2:
        return "refused" if _clear_refusal(err) else "unclear"
    if code != 0 or "Traceback" in err:
        return "crash"
    said = [ln for ln in err.splitlines() if ln.startswith("landplan: ")]
    if coverage:
        rows = json.loads(out)
        if any(r["covered_pct"] > 100 + 1e-9 or r["uncovered_area"] < 0 for r in rows):
            return "wrong"
        if rows and all(r["covered_pct"] == 0 for r in rows) and not said:
            return "wrong"  # 0 % everywhere, nothing said
    kinds = {ln.split(":")[1].strip() for ln in said}
    return "warning" if kinds & {"warning", "repaired"} else "read"


def upload_bytes(case: dict, corpus: Path = CORPUS) -> tuple[str, bytes]:
    """What a planner would upload: the file itself; a source of several files (a Shapefile, a
    MapInfo TAB or MIF/MID: :data:`geo.io.formats.FORMATS`) zipped with them, a .gdb folder
    zipped."""
    from geo.io.formats import format_of

    path = corpus / case["file"]
    if path.is_dir():
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for p in sorted(path.rglob("*")):
                if p.is_file():
                    zf.write(p, Path(path.name) / p.relative_to(path))
        return path.name + ".zip", buf.getvalue()
    fmt = format_of(path)
    if fmt is not None and fmt.zipped:  # a Shapefile, MapInfo TAB or MIF/MID: zipped with its files
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for ext in [path.suffix] + list(case.get("with", [])):
                zf.write(path.with_suffix(ext), path.stem + ext)
        return path.stem + ".zip", buf.getvalue()
    return path.name, path.read_bytes()


def run_upload(case: dict, corpus: Path = CORPUS, seconds: int = 120) -> tuple[str, str]:
    """(class, detail) of the page's path: read_upload, the district coverage table, the map."""
    from geo.errors import LandplanError
    from landplan.web.uploads import read_upload

    name, data = upload_bytes(case, corpus)
    opts = case.get("options") or {}
    try:
        with _limit(seconds), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                gdf = read_upload(name, data, crs=opts.get("crs"), layer=opts.get("layer"))
            except LandplanError as exc:
                ok = bool(exc.message_zh and _HAN.search(exc.message_zh)) and bool(
                    _ENGLISH.search(str(exc))
                )
                return ("refused" if ok else "unclear"), str(exc)[:200]
            said = bool(gdf.attrs.get("warnings") or gdf.attrs.get("repairs"))
            from layers.loading import polygon_features
            from layers.summary import district_coverage

            # as the page: its polygons are measured, what else it holds is said
            measured = polygon_features(gdf)
            said = said or len(measured.attrs.get("warnings", [])) > len(
                gdf.attrs.get("warnings", [])
            )
            try:  # the page shows a LandplanError here and carries on
                cov = district_coverage(layer=measured) if len(measured) else None
            except LandplanError:
                cov, said = None, True
            if cov is not None:
                if (cov["covered_pct"] > 100 + 1e-9).any() or (cov["uncovered_area"] < 0).any():
                    return "wrong", "coverage above 100 % or negative uncovered area"
            bad = _drawn_outside_lonlat(gdf) or _left_off_the_map(gdf)
            if bad:
                return "wrong", bad
            return ("warning" if said else "read"), f"{len(gdf)} features"
    except _Timeout:
        return "hang", ""
    except Exception as exc:  # noqa: BLE001
        return "crash", f"{type(exc).__name__}: {str(exc)[:200]}"


def _drawn_outside_lonlat(gdf) -> str | None:
    """A description of the problem when the page's map would draw the layer outside
    longitude/latitude."""
    import numpy as np
    import shapely

    try:
        from landplan.web.mapping import display_layer
    except ImportError:  # before issue 13 the page drew the layer as read

        def display_layer(g):
            return g

    shown = display_layer(gdf)
    xy = shapely.get_coordinates(shown.geometry.values)
    # longitudes past 180 are outlines across the antimeridian, drawn as they are (as QGIS does)
    if len(xy) and not (np.abs(xy[:, 0]).max() <= 360 and np.abs(xy[:, 1]).max() <= 90 + 1e-6):
        return f"drawn at x={xy[0, 0]:.1f}, y={xy[0, 1]:.1f}: not longitude/latitude"
    return None


def _left_off_the_map(gdf) -> str | None:
    """A description of the problem when the page's map leaves out a feature that has a geometry
    (a multi-line GPS track, a geometry collection ...)."""
    import shapely

    from landplan.web.mapping import catalog_map

    present = int((~(shapely.is_missing(gdf.geometry.values) | gdf.geometry.is_empty)).sum())
    m = catalog_map({"upload": gdf}, basemap="none")
    drawn = sum(
        len(c.data.get("features", []))
        for c in m._children.values()
        if type(c).__name__ == "GeoJson"
    )
    if drawn < present:
        return f"{present - drawn} of {present} features with a geometry not drawn on the map"
    return None


def classify(case: dict, corpus: Path = CORPUS) -> dict:
    path = str(corpus / case["file"])
    opts = [a for k, v in (case.get("options") or {}).items() for a in (f"--{k}", str(v))]
    area = run_cli(["area", path, *opts, "--format", "json"])
    area_by = run_cli(["area", path, "--by", "districts", *opts, "--format", "json"])
    cov = run_cli(["coverage", path, "--by", "districts", *opts, "--format", "json"])
    res = {
        "file": case["file"],
        "area": _cli_class(*area),
        "area_by": _cli_class(*area_by),
        "coverage": _cli_class(*cov, coverage=True),
    }
    res["upload"], res["upload_detail"] = run_upload(case, corpus)
    res["area_stderr"], res["coverage_stderr"] = area[2][-600:], cov[2][-600:]
    res["class"] = min(
        (res["area"], res["area_by"], res["coverage"], res["upload"]), key=ORDER.index
    )
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--corpus", default=str(CORPUS))
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    results = [classify(c, corpus) for c in cases(corpus)]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    for r in results:
        print(
            f"{r['class']:8} area={r['area']:8} area_by={r['area_by']:8} "
            f"coverage={r['coverage']:8} "
            f"upload={r['upload']:8} {r['file']}"
        )
    print(f"\n{len(results)} files")
    for what in ("class", "area", "area_by", "coverage", "upload"):
        counts = Counter(r[what] for r in results)
        print(f"{what:9}", ", ".join(f"{k} {counts[k]}" for k in ORDER if counts[k]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

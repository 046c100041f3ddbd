"""Write SYNTHETIC parcels (Voronoi cells over Shenzhen, not real data) to a GeoPackage.

    python scripts/make_synthetic_parcels.py --n 200000 --seed 1 --out synthetic_parcels.gpkg
    python scripts/make_synthetic_parcels.py --n 5000 --landuse M1=0.5,M0=0.2,W1=0.3 --status
    已供应=0.7,储备=0.3

The layer is named 'synthetic_parcels' and every row has synthetic=True and a note saying so.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _shares(text):
    if not text:
        return None
    out = {}
    for part in text.split(","):
        k, _, v = part.partition("=")
        out[k.strip()] = float(v)
    return out


def main(argv=None) -> int:
    from geo.errors import LandplanError
    from layers.synthetic import LANDUSE_SHARES, STATUS_SHARES, write_synthetic_parcels

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, required=True, help="number of parcels")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True, help="GeoPackage to write")
    ap.add_argument("--districts", help="comma-separated district ids (default: all but shenshan)")
    ap.add_argument("--landuse", help=f"code=share,... (default {LANDUSE_SHARES})")
    ap.add_argument("--status", help=f"status=share,... (default {STATUS_SHARES})")
    args = ap.parse_args(argv)
    try:
        gdf = write_synthetic_parcels(
            args.out,
            args.n,
            args.seed,
            districts=args.districts.split(",") if args.districts else None,
            landuse_shares=_shares(args.landuse),
            status_shares=_shares(args.status),
        )
    except (LandplanError, ValueError) as exc:
        print(f"make_synthetic_parcels: {exc}", file=sys.stderr)
        return 2
    print(
        f"wrote {len(gdf)} SYNTHETIC parcels (not real data) to {args.out}, layer "
        "synthetic_parcels",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Helpers to cite the seed documents exactly: locate a quote's lines, normalise whitespace.

Used when curating layers/catalog/*.yaml; the tests re-check every quote against its lines.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: the policy documents: $LANDPLAN_SEEDS, or shared/seeds beside the checkout (as in the tests)
SEEDS = Path(
    os.environ.get("LANDPLAN_SEEDS") or Path(__file__).resolve().parents[3] / "shared" / "seeds"
)


def norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def lines_of(doc: str) -> list[str]:
    return (SEEDS / doc).read_text(encoding="utf-8", errors="replace").splitlines()


def locate(doc: str, quote: str, start: int = 1, end: int | None = None) -> str:
    """'a-b' (1-based) of the lines holding ``quote`` (whitespace ignored), searching from
    ``start``."""
    lines = lines_of(doc)
    end = min(end or len(lines), len(lines))
    offsets, text = [], ""
    for i in range(start - 1, end):
        offsets.append(len(text))
        text += norm(lines[i])
    q = norm(quote)
    pos = text.find(q)
    if pos < 0:
        raise ValueError(f"quote not found in {doc} L{start}-{end}: {quote[:40]}")
    import bisect

    a = bisect.bisect_right(offsets, pos) - 1 + start
    b = bisect.bisect_right(offsets, pos + len(q) - 1) - 1 + start
    return f"{a}-{b}" if b > a else f"{a}"

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def seeds_dir() -> Path | None:
    """The policy documents: $LANDPLAN_SEEDS, or ../shared/seeds beside the checkout."""
    for cand in (os.environ.get("LANDPLAN_SEEDS"), ROOT.parent / "shared" / "seeds"):
        if cand and Path(cand).is_dir():
            return Path(cand)
    return None


@pytest.fixture(scope="session")
def seeds():
    d = seeds_dir()
    if d is None:
        pytest.skip("policy documents not found: set LANDPLAN_SEEDS or put shared/seeds beside the checkout")
    return d

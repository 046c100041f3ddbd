"""Answers of commands that depend only on the shipped layers, kept between runs.

``landplan targets`` (and ``gaps``) without a user's layers measure the catalog's outlines: the
answer is the same until the shipped shapefiles, the catalog, landplan's code or the geometry
libraries change. It is kept in :func:`layers.catalog_files.cache_dir` keyed on all of them (path,
size and modification time of every file) and written again, byte for byte, without loading
geopandas. ``LANDPLAN_CACHE=off`` turns this off.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sys
from pathlib import Path


def _inputs() -> list[Path]:
    """Every file the answer is made from: what the shipped figures are made from
    (:func:`layers.kept.shipped_inputs`) and landplan's code, which writes them."""
    import landplan
    from layers.kept import shipped_inputs

    return shipped_inputs() + sorted(Path(landplan.__file__).parent.rglob("*.py"))


def kept_answer(args, produce) -> None:
    """Write what ``produce()`` writes to stdout and stderr: from the cache when its inputs are
    unchanged,
    else by running it (and keeping what it wrote when it succeeded)."""
    from layers.catalog_files import cache_dir, file_key

    folder = cache_dir()
    if folder is None:
        produce()
        return
    argv = json.dumps(
        {k: v for k, v in sorted(vars(args).items()) if k not in ("run", "quiet")},
        sort_keys=True,
        default=str,
    )
    # one kept answer per command line and checkout (installs side by side do not overwrite each
    # other's)
    where = f"{argv}\n{Path(__file__).resolve().parent}"
    path = (
        folder / "answers" / (hashlib.blake2b(where.encode(), digest_size=12).hexdigest() + ".json")
    )
    try:
        key = f"{sys.version}\n{argv}\n{file_key(_inputs())}"
    except OSError:  # a file vanished while listing: answer without the cache
        produce()
        return
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept["key"] == key:
            sys.stdout.write(kept["stdout"])
            sys.stderr.write(kept["stderr"])
            return
    except (OSError, ValueError, KeyError, TypeError):
        pass
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            produce()
    finally:  # what was written reaches the user also when the command fails
        sys.stdout.write(out.getvalue())
        sys.stderr.write(err.getvalue())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(
            json.dumps(
                {"key": key, "stdout": out.getvalue(), "stderr": err.getvalue()}, ensure_ascii=False
            ),
            encoding="utf-8",
        )
        os.replace(tmp, path)
    except OSError:  # a read-only home: no cache, same answer
        pass

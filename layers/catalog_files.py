"""Reading the catalog's YAML files (layers/catalog/), with a kept copy of each parsed file.

The parsed copies are kept in :func:`cache_dir`, keyed on the files' size and modification time;
:func:`keep` and :func:`read_kept` keep anything else made from the shipped files the same way
(:mod:`layers.kept`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import cache
from pathlib import Path

from .settings import cache_dir

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"


def file_key(paths) -> str:
    """A key for the state of some files (path, size, modification time).

    A cache built from the files is valid while the key is the same.

    Parameters
    ----------
    paths : iterable of pathlib.Path
        The files.

    Returns
    -------
    str
    """
    h = hashlib.blake2b(digest_size=16)
    for p in paths:
        st = os.stat(p)
        h.update(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


class _CatalogUnpickler(pickle.Unpickler):
    """Parsed YAML (and what :mod:`layers.kept` keeps) holds builtins and dates only: nothing else
    is taken from a cache file."""

    def find_class(self, module, name):
        if module == "datetime" and name in ("date", "datetime"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a catalog value")


@cache
def read_catalog_file(name: str):
    """Parsed YAML of one catalog file (cached: treat as read-only).

    Cached in memory, and in :func:`cache_dir` keyed on the file's size and modification time:
    libyaml parses the catalog in ~0.2 s, the parsed copy loads in ~5 ms.

    Parameters
    ----------
    name : str
        File name under the catalog folder (e.g. 'targets.yaml').

    Returns
    -------
    dict or list
        The parsed YAML.
    """
    path = CATALOG_DIR / name
    key = file_key([path])
    folder = cache_dir()
    # one copy per checkout (installs side by side do not overwrite each other's)
    where = hashlib.blake2b(str(CATALOG_DIR).encode(), digest_size=6).hexdigest()
    kept = folder / "catalog" / f"{where}-{name.replace('/', '__')}.pickle" if folder else None
    if kept is not None:
        data = read_kept(kept, key)
        if data is not None:
            return data
    import yaml

    with open(path, encoding="utf-8") as fh:
        data = yaml.load(
            fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        )  # libyaml's safe loader
    if kept is not None:
        keep(kept, key, data)
    return data


def read_kept(path: Path, key: str):
    """What :func:`keep` wrote to ``path`` under ``key``; None when it is missing, was kept under
    another key, or holds anything but builtins and dates.

    Parameters
    ----------
    path : pathlib.Path
        A file in :func:`cache_dir`.
    key : str
        The key of the inputs the data is made from (e.g. :func:`file_key`).

    Returns
    -------
    object or None
    """
    try:
        with open(path, "rb") as fh:
            stored_key, data = _CatalogUnpickler(fh).load()
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    return data if stored_key == key else None


def keep(path: Path, key: str, data) -> None:
    """Keep ``data`` (builtins and dates) in ``path`` under ``key``, for :func:`read_kept`.

    Written beside, then renamed: a concurrent reader sees the old copy or the new one. Nothing is
    kept when the folder cannot be written (a read-only home: the same answers, made again).

    Parameters
    ----------
    path : pathlib.Path
        A file in :func:`cache_dir`.
    key : str
        The key of the inputs the data is made from.
    data : object
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump((key, data), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass


def layer_spec(layer_id: str) -> dict:
    """The catalog file of a layer (header and features).

    Parameters
    ----------
    layer_id : str
        A catalog layer id (:data:`LAYER_IDS`).

    Returns
    -------
    dict
    """
    if layer_id == "districts":
        return read_catalog_file("districts.yaml")
    return read_catalog_file(f"features/{layer_id}.yaml")

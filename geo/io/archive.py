"""Folders and zip archives: extracted safely, the one layer inside found.

Unsafe paths and zip bombs are refused.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .formats import SOURCE_SUFFIXES
from .report import Report, _fail

_TABLES = (".csv", ".xlsx", ".xls")

MAX_ZIP_UNCOMPRESSED = 1024**3  # refuse archives that expand beyond 1 GiB

MAX_ZIP_RATIO = 200  # ... or hold a member (above 10 MiB) compressed more than 200:1 (a zip bomb)

MAX_ZIP_MEMBERS = 10_000


def _member_name(info: zipfile.ZipInfo, report) -> str:
    """The member's name; without the UTF-8 flag (Windows zip tools) it is decoded as GB18030."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437")
        for enc in ("utf-8", "gb18030"):
            try:
                name = raw.decode(enc)
                if enc != "utf-8" and "GB18030" not in " ".join(report):
                    report.repair(
                        "压缩包内的文件名按 GB18030 解码（由中文 Windows 压缩工具写入）。",
                        "File names inside the zip were decoded as GB18030 (written by a Chinese "
                        "Windows "
                        "zip tool).",
                    )
                break
            except UnicodeDecodeError:
                continue
    return name.replace("\\", "/")


@contextmanager
def _extracted(zip_path: Path, report=None):
    """Extract a zip safely into a private temporary folder, removed afterwards.

    Refused: unsafe member paths (``../``, absolute, drive letters), more than MAX_ZIP_MEMBERS
    members, more than MAX_ZIP_UNCOMPRESSED bytes once expanded, and members compressed more
    than MAX_ZIP_RATIO:1 (zip bombs). Members are written one by one under names checked to stay
    inside the folder, counting the bytes really written.
    """
    report = Report() if report is None else report
    name = zip_path.name
    if zip_path.stat().st_size == 0:
        _fail(
            f"{name} 是空文件（0 字节）。",
            f"{name} is empty (0 bytes); the upload or copy did not complete.",
        )
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError, ValueError):
        _fail(
            f"{name} 不是有效的 zip 压缩包（可能下载失败），请重新压缩。",
            f"{name} is not a valid zip archive (it may be a failed download). Zip the .shp, .shx, "
            ".dbf, .prj "
            "(and .cpg) files again.",
        )
    with zf, tempfile.TemporaryDirectory(prefix="landplan-") as tmp:
        root = Path(tmp).resolve()
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            _fail(
                f"压缩包内文件过多（{len(infos)} 个），已拒绝。",
                f"{name} holds {len(infos)} files (at most {MAX_ZIP_MEMBERS}); it was refused.",
            )
        total = 0
        plan = []
        for info in infos:
            member = _member_name(info, report)
            parts = PurePosixPath(member).parts
            if (
                member.startswith("/")
                or ".." in parts
                or (parts and ":" in parts[0])
                or "\0" in member
            ):
                _fail(
                    f"压缩包含有不安全的路径（{member!r}），已拒绝。",
                    f"{name} contains an unsafe path ({member!r}); it was not extracted.",
                )
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > MAX_ZIP_UNCOMPRESSED or (
                info.file_size > 10 * 1024**2 and ratio > MAX_ZIP_RATIO
            ):
                _fail(
                    "压缩包解压后过大（疑似压缩炸弹），已拒绝。",
                    f"{name} expands to more than it should ({info.file_size / 1024**2:.0f} MiB "
                    "from "
                    f"{info.compress_size / 1024:.0f} KiB, {ratio:.0f}:1); it looks like a zip "
                    "bomb and was refused.",
                )
            if info.is_dir() or not parts or parts[0] == "__MACOSX":
                continue
            target = root.joinpath(*parts).resolve()
            if root not in target.parents:
                _fail(
                    f"压缩包含有不安全的路径（{member!r}），已拒绝。",
                    f"{name} contains an unsafe path ({member!r}); it was not extracted.",
                )
            plan.append((info, target))
        written = 0
        for info, target in plan:
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, open(target, "xb") as dst:
                    while chunk := src.read(1024 * 1024):
                        written += len(chunk)
                        if written > MAX_ZIP_UNCOMPRESSED:
                            _fail(
                                "压缩包解压后过大，已拒绝。",
                                f"{name} expands beyond {MAX_ZIP_UNCOMPRESSED // 1024**3} GiB; it "
                                "was refused.",
                            )
                        dst.write(chunk)
            except FileExistsError:
                _fail(
                    f"压缩包内有重复文件（{target.name}）。",
                    f"{name} holds the same file twice ({target.name}); zip the layer again.",
                )
            except (
                zipfile.BadZipFile,
                zipfile.LargeZipFile,
                NotImplementedError,
                OSError,
                EOFError,
            ) as exc:
                _fail(
                    f"{name} 已损坏或压缩方式不受支持，请重新压缩。",
                    f"{name} is damaged or uses an unsupported compression ({exc}); zip the files "
                    "again.",
                )
        yield root


def zip_sources(folder: Path) -> dict[str, Path]:
    """The layer sources in an extracted zip or a folder, by name (:data:`formats.SOURCE_SUFFIXES`).

    A File Geodatabase is a folder (.gdb) of many files: the folder is the source. Tables (CSV,
    XLSX) beside geodata are attribute exports, not sources. A name is the file's stem, or its path
    in the zip when two share a stem.
    """
    found = [
        p
        for p in sorted(folder.rglob("*"))
        if p.suffix.lower() in SOURCE_SUFFIXES
        and p.suffix.lower() not in _TABLES
        and not p.name.startswith("._")
        and "__MACOSX" not in p.parts
        and p.is_dir() == (p.suffix.lower() == ".gdb")
        and not any(q.lower().endswith(".gdb") for q in p.relative_to(folder).parts[:-1])
    ]
    stems = [p.name[: -len(p.suffix)] for p in found]
    return {
        (s if stems.count(s) == 1 else str(p.relative_to(folder).with_suffix(""))): p
        for s, p in zip(stems, found)
    }


def _find_one(folder: Path, shown: str | None = None, layer: str | None = None):
    """(the source, the layer left to choose inside it) of a zip or folder.

    Of several sources (a zip of several Shapefiles), ``layer`` names the one to read.
    """
    shown = shown or folder.name
    sources = zip_sources(folder)
    if not sources:
        _fail(
            "未找到 .shp 或其他地理数据文件。",
            f"No Shapefile (.shp) or other geodata was found in {shown}. "
            "Include the .shp, .shx, .dbf and .prj files.",
        )
    if len(sources) == 1:
        return next(iter(sources.values())), layer
    names = list(sources)
    if layer is None:
        listed = ", ".join(names[:10]) + (" …" if len(names) > 10 else "")
        _fail(
            f"{shown} 含多个图层（{listed}），请用 --layer 选择其一。",
            f"{shown} holds several layers ({listed}); choose one with --layer.",
        )
    if layer not in sources:
        _fail(
            f"{shown} 中没有图层 {layer!r}；其图层为 {', '.join(names)}。",
            f"{shown} has no layer {layer!r}; its layers are {', '.join(names)}.",
        )
    return sources[layer], None


@contextmanager
def _plain_path(path: Path):
    """The path, or a copy under a plain name when GDAL would misread it or write beside it.

    GDAL reads '!' as marking a member of an archive, and writes a .gfs schema file beside a GML
    it reads (the user's folder stays as it was).
    """
    if "!" not in str(path.resolve()) and path.suffix.lower() != ".gml":
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="landplan-") as tmp:
        copy = Path(tmp) / "layer"
        base = path.name[: -len(path.suffix)] if path.suffix else path.name
        if path.is_dir():
            shutil.copytree(path, copy.with_suffix(path.suffix))
        else:
            for sib in path.parent.iterdir():  # a Shapefile's sidecars go with it
                if (
                    sib.is_file()
                    and sib.name[: len(base) + 1] == base + "."
                    and "." not in sib.name[len(base) + 1 :]
                ):
                    shutil.copyfile(sib, copy.with_suffix(sib.suffix))
            if not copy.with_suffix(path.suffix).exists():
                shutil.copyfile(path, copy.with_suffix(path.suffix))
        yield copy.with_suffix(path.suffix)

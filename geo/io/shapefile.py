"""Shapefiles: sidecar files, a .shp cut short, the attribute encoding, cut text mended."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .encoding import (
    ANSI_LDID,
    _dbf_text_values,
    _dbf_without_cut_chars,
    _decode_count_cut,
    _has_non_ascii,
    ansi_code_page,
    cpg_encoding,
    dbf_text_encoding,
    header_code_page,
    language_driver,
)
from .report import _fail


def _sidecar(shp: Path, ext: str) -> Path | None:
    """The file beside a Shapefile with the same name and another extension (either case), or None.

    The name is the .shp's without its last suffix only: ``地块v1.2.shp`` goes with
    ``地块v1.2.dbf``.
    """
    base = shp.name[: -len(shp.suffix)] if shp.suffix else shp.name
    return next(
        (p for p in (shp.with_name(base + ext), shp.with_name(base + ext.upper())) if p.exists()),
        None,
    )


def _check_shp_length(path: Path) -> None:
    """Refuse a .shp shorter than its header says (cut short by a copy or download)."""
    with open(path, "rb") as f:
        head = f.read(100)
    size = path.stat().st_size
    declared = int.from_bytes(head[24:28], "big") * 2 if len(head) >= 28 else -1
    if len(head) < 100 or int.from_bytes(head[0:4], "big") != 9994:
        _fail(
            f"{path.name} 不是有效的 Shapefile（文件头错误）。",
            f"{path.name} is not a valid Shapefile (bad header); copy the file again.",
        )
    if size < declared:
        _fail(
            f"{path.name} 不完整（应为 {declared} 字节，实为 {size} 字节），请重新复制。",
            f"{path.name} is truncated: its header says {declared} bytes but it has {size}; "
            "features would be lost. "
            "Copy or download the file again.",
        )


def _shapefile_encoding(path: Path, encoding, report) -> tuple[str | None, bytes | None]:
    """(attribute encoding, mended .dbf or None) of a Shapefile, each choice reported.

    Refuses a Shapefile without its .shx or .dbf, or cut short. ``encoding`` (the caller's) wins;
    else the .cpg is honoured unless the text contradicts it; else the encoding is detected. The
    mended .dbf has text values whose last character was cut at the field width blanked out.
    """
    missing = [ext for ext in (".shx", ".dbf") if _sidecar(path, ext) is None]
    if missing:
        _fail(
            f"{path.name} 缺少 {'、'.join(missing)} 文件；"
            "Shapefile 需要 .shp、.shx、.dbf（及 .prj）一起提供。",
            f"{path.name} has no {' or '.join(missing)} file beside it; a Shapefile needs .shp, "
            ".shx and .dbf "
            "(and .prj) together: copy or zip them all.",
        )
    _check_shp_length(path)
    cpg = _sidecar(path, ".cpg")
    dbf = _sidecar(path, ".dbf")
    guessed, cut = dbf_text_encoding(dbf)
    if encoding:
        report.note(
            f"属性文本已按要求以 {encoding} 编码读取。",
            f"Attribute text read as {encoding} as asked.",
        )
    elif cpg is not None:
        said_text = cpg.read_text(errors="replace").strip()
        encoding = cpg_encoding(said_text)
        if said_text and encoding is None:
            encoding = guessed
            report.warn(
                f".cpg 声明的编码 {said_text[:40]!r} 无法识别，属性文本按 {guessed.upper()} "
                "读取（自动识别）。"
                "可用 --encoding 指定。",
                f"The .cpg names an encoding landplan does not know ({said_text[:40]!r}); the "
                "attribute text "
                f"was read as {guessed.upper()} (detected). Use --encoding to override.",
            )
        elif said_text and encoding.replace("-", "") != said_text.lower().replace("-", ""):
            report.note(
                f".cpg 中的代码页 {said_text} 即 {encoding.upper()} 编码。",
                f"The .cpg code page {said_text} is the {encoding.upper()} encoding.",
            )
        said = (encoding or "").lower().replace("-", "").replace("_", "")
        if said in ("utf8",) and guessed != "utf-8":
            report.repair(
                f".cpg 声明编码为 {said_text}，但文本不是有效的 UTF-8，已改按 {guessed.upper()} "
                "读取。",
                f"The .cpg says {said_text} but the text is not valid UTF-8; read as "
                f"{guessed.upper()} "
                "instead.",
            )
            encoding = guessed
        elif said not in ("utf8", "") and guessed == "utf-8" and _has_non_ascii(dbf):
            report.repair(
                f".cpg 声明编码为 {said_text}，但文本是有效的 UTF-8，已改按 UTF-8 读取。",
                f"The .cpg says {said_text} but the text is valid UTF-8; read as UTF-8 instead.",
            )
            encoding = "utf-8"
    elif _has_non_ascii(dbf):
        encoding = _header_or_detected(dbf, guessed, report)
    else:
        encoding = guessed
    fixed_dbf = None
    if cut and (encoding or "").lower().replace("-", "") == guessed.replace("-", ""):
        fixed_dbf = _dbf_without_cut_chars(dbf.read_bytes(), guessed)
        report.repair(
            f"{cut} 个文本值的末尾字符被截断了一半（字段宽度限制，如 254 字节），"
            "已去掉残缺的末尾字符。",
            f"{cut} text value(s) end in a character cut in half (a field width limit, e.g. 254 "
            "bytes); "
            "the broken last character was dropped.",
        )
    return encoding, fixed_dbf


def _header_or_detected(dbf: Path, guessed: str, report) -> str:
    """The encoding of a .dbf without .cpg: the code page its header names (language driver), the
    writing machine's when it says "ANSI" (0x57), else detected; each choice said."""
    ldid = language_driver(dbf)
    named = header_code_page(dbf)
    if guessed == "utf-8" and (named or ldid == ANSI_LDID):
        report.repair(
            f"缺少 .cpg 文件；.dbf 文件头声明代码页 0x{ldid:02X}，但文本是有效的 UTF-8，"
            "已按 UTF-8 读取。",
            f"No .cpg file; the .dbf header names code page 0x{ldid:02X}, but the text is valid "
            "UTF-8: read as UTF-8.",
        )
        return "utf-8"
    if named and _decode_count_cut(_text_of(dbf), named) is not None:
        report.note(
            f"缺少 .cpg 文件：按 .dbf 文件头声明的代码页（语言驱动 0x{ldid:02X}）以 "
            f"{named.upper()} 读取属性文本。可用 --encoding 指定。",
            f"No .cpg file: attribute text read as {named.upper()}, the code page the .dbf "
            f"header names (language driver 0x{ldid:02X}). Use --encoding to override.",
        )
        return named
    if ldid == ANSI_LDID:
        ansi = ansi_code_page(dbf)
        what = (
            ("中文（GB18030，兼容 GBK）", "Chinese (GB18030, GBK-compatible)")
            if ansi == "gb18030"
            else ("西欧文字（" + ansi.upper() + "）", f"Western European ({ansi.upper()})")
        )
        report.repair(
            "缺少 .cpg 文件：.dbf 文件头的代码页为 ANSI（0x57，即写入文件的电脑的系统代码页），"
            f"文本识别为{what[0]}。可用 --encoding 指定。",
            'No .cpg file: the .dbf header says "ANSI" (0x57: the code page of the machine that '
            f"wrote it); the text was recognised as {what[1]}. Use --encoding to override.",
        )
        return ansi
    if guessed != "utf-8":
        report.repair(
            f"缺少 .cpg 文件：属性文本编码识别为 {guessed.upper()}（兼容 GBK）。可用 "
            "--encoding 指定。",
            f"No .cpg file: attribute text detected as {guessed.upper()} (GBK-compatible). "
            "Use --encoding to override.",
        )
    return guessed


def _text_of(dbf: Path) -> list[bytes]:
    try:
        return _dbf_text_values(dbf.read_bytes())
    except (IndexError, ValueError):
        return []


@contextmanager
def _mended_copy(path: Path, dbf: bytes):
    """A copy of the Shapefile with ``dbf`` as its .dbf, in a private temporary folder.

    The folder is removed afterwards.
    """
    with tempfile.TemporaryDirectory(prefix="landplan-") as tmp:
        copy = Path(tmp) / "layer.shp"
        for ext in (".shp", ".shx", ".prj"):
            src = path if ext == ".shp" else _sidecar(path, ext)
            if src is not None:
                shutil.copyfile(src, copy.with_suffix(ext))
        copy.with_suffix(".dbf").write_bytes(dbf)
        yield copy

"""The text encoding of a Shapefile's attributes: what its .cpg says, what its .dbf holds."""

from __future__ import annotations

import codecs
from pathlib import Path

#: .cpg code-page numbers as ArcGIS writes them (Windows code pages), and the Python codec of each
_CODE_PAGES = {
    "936": "gbk",
    "54936": "gb18030",
    "950": "big5",
    "932": "shift_jis",
    "949": "cp949",
    "874": "cp874",
    "65001": "utf-8",
    "20127": "ascii",
    "28591": "latin-1",
    "437": "cp437",
    "850": "cp850",
    "866": "cp866",
    **{str(n): f"cp{n}" for n in range(1250, 1259)},
}


#: the code page a .dbf header names by its language driver id (byte 29), as GDAL and QGIS read it
#: (GDAL's ogrshapelayer.cpp); 0x57 is "ANSI", the code page of the machine that wrote it
_LDID = {
    **dict.fromkeys((0x01, 0x09, 0x0B, 0x0D, 0x0F, 0x11, 0x15, 0x18, 0x19, 0x1B), "cp437"),
    **dict.fromkeys((0x02, 0x0A, 0x0E, 0x10, 0x12, 0x14, 0x16, 0x1A, 0x1D, 0x25, 0x37), "cp850"),
    **dict.fromkeys((0x03, 0x58, 0x59), "cp1252"),
    **dict.fromkeys((0x08, 0x17, 0x66), "cp865"),
    **dict.fromkeys((0x13, 0x7B), "shift_jis"),
    **dict.fromkeys((0x1C, 0x6C), "cp863"),
    **dict.fromkeys((0x1F, 0x22, 0x23, 0x40, 0x64, 0x87), "cp852"),
    0x24: "cp860",
    **dict.fromkeys((0x26, 0x65), "cp866"),
    **dict.fromkeys((0x4D, 0x7A), "gbk"),
    **dict.fromkeys((0x4E, 0x79), "cp949"),
    **dict.fromkeys((0x4F, 0x78), "big5"),
    **dict.fromkeys((0x50, 0x7C), "cp874"),
    0x67: "cp861",
    **dict.fromkeys((0x6A, 0x86), "cp737"),
    **dict.fromkeys((0x6B, 0x88), "cp857"),
    0x7D: "cp1255",
    0x7E: "cp1256",
    0xC8: "cp1250",
    0xC9: "cp1251",
    0xCA: "cp1254",
    0xCB: "cp1253",
    0xCC: "cp1257",
}
ANSI_LDID = 0x57


def language_driver(dbf: Path) -> int:
    """The language driver id of a .dbf header (byte 29; 0 when it names none)."""
    with open(dbf, "rb") as fh:
        head = fh.read(32)
    return head[29] if len(head) > 29 else 0


def header_code_page(dbf: Path) -> str | None:
    """The codec the .dbf header's language driver names, or None (none, or 0x57 "ANSI").

    Parameters
    ----------
    dbf : pathlib.Path

    Returns
    -------
    str or None
        A Python codec name (0x4D, 0x7A: 'gbk'; 0x58: 'cp1252'; 0xC8: 'cp1250' ...).
    """
    return _LDID.get(language_driver(dbf))


def ansi_code_page(dbf: Path) -> str:
    """The code page of text written as "ANSI" (language driver 0x57): the writing machine's.

    Chinese Windows writes GBK, Western European Windows Windows-1252. Decoded as GB18030,
    Chinese text is almost all common characters (GB2312's); Latin text, whose accented letters
    sit between plain ones, is not (``São`` reads 鉶 + o). 'gb18030' when nine tenths of its
    characters beyond ASCII are GB2312's, else 'cp1252' ('latin-1' where that cannot decode).
    """
    raw = dbf.read_bytes()
    try:
        values = [v for v in _dbf_text_values(raw) if max(v, default=0) > 127]
    except (IndexError, ValueError):
        values = []
    text = b" ".join(values)
    try:
        chars = [c for c in text.decode("gb18030") if ord(c) > 127]
        common = sum(1 for c in chars if _in_gb2312(c))
        if chars and common >= 0.9 * len(chars):
            return "gb18030"
    except UnicodeDecodeError:
        pass
    try:
        text.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _dbf_layout(raw: bytes) -> tuple[int, int, int, list[tuple[int, int]]]:
    """(records, header length, record length, [(offset, width)] of the text fields) of a .dbf."""
    n = int.from_bytes(raw[4:8], "little")
    hlen, rlen = int.from_bytes(raw[8:10], "little"), int.from_bytes(raw[10:12], "little")
    fields, off, pos = [], 32, 1
    while off + 32 <= min(hlen, len(raw)) and raw[off] != 0x0D:
        flen = raw[off + 16]
        if raw[off + 11 : off + 12] == b"C":
            fields.append((pos, flen))
        pos += flen
        off += 32
    return n, hlen, rlen, fields


def _dbf_text_values(raw: bytes) -> list[bytes]:
    """The text (C) field values of a .dbf, trailing blanks removed."""
    n, hlen, rlen, fields = _dbf_layout(raw)
    values = []
    for r in range(n):
        rec = raw[hlen + r * rlen : hlen + (r + 1) * rlen]
        values.extend(rec[s : s + w].rstrip(b" \0") for s, w in fields)
    return values


def _cut_bytes(v: bytes, encoding: str) -> int | None:
    """How many trailing bytes (0-3) must go for ``v`` to decode; None: never.

    Up to three bytes are those of a character cut at the field width.
    """
    for k in range(4):
        try:
            v[: len(v) - k].decode(encoding)
            return k
        except UnicodeDecodeError:
            continue
    return None


def _dbf_without_cut_chars(raw: bytes, encoding: str) -> bytes:
    """The .dbf with the broken last character of cut text values blanked out."""
    out = bytearray(raw)
    n, hlen, rlen, fields = _dbf_layout(raw)
    for r in range(n):
        for s, w in fields:
            a = hlen + r * rlen + s
            v = bytes(out[a : a + w]).rstrip(b" \0")
            k = _cut_bytes(v, encoding)
            if k:
                out[a + len(v) - k : a + len(v)] = b" " * k
    return bytes(out)


def _decode_count_cut(values: list[bytes], encoding: str) -> int | None:
    """How many values decode only once a cut last character is dropped; None: some never do."""
    cut = 0
    for v in values:
        k = _cut_bytes(v, encoding)
        if k is None:
            return None
        cut += k > 0
    return cut


def dbf_text_encoding(dbf: Path) -> tuple[str, int]:
    """(encoding, values whose last character was cut) of a .dbf's text.

    'utf-8' if the text decodes as UTF-8 (allowing a character cut at the field width, as tools
    that truncate to 254 bytes leave it), else 'gb18030' (a superset of GBK), else 'latin-1'.

    Parameters
    ----------
    dbf : pathlib.Path
        The .dbf file.

    Returns
    -------
    encoding : str
        'utf-8', 'gb18030' or 'latin-1'.
    cut : int
        Text values whose last character was cut.
    """
    raw = dbf.read_bytes()
    if len(raw) < 32:
        return "utf-8", 0
    try:
        values = _dbf_text_values(raw)
    except (IndexError, ValueError):
        values = [raw[int.from_bytes(raw[8:10], "little") :]]
    for enc in ("utf-8", "gb18030"):
        cut = _decode_count_cut(values, enc)
        if cut is not None:
            return enc, cut
    return "latin-1", 0


def detect_dbf_encoding(dbf: Path) -> str:
    """'utf-8' if the .dbf text decodes as UTF-8, else 'gb18030' (a superset of GBK).

    Parameters
    ----------
    dbf : pathlib.Path
        The .dbf file.

    Returns
    -------
    str
    """
    return dbf_text_encoding(dbf)[0]


def cpg_encoding(text: str) -> str | None:
    """The Python codec of what a .cpg says, or None when it names nothing known.

    A codec name ('UTF-8', 'GBK', 'CP936') or a code-page number as ArcGIS writes it ('936' is GBK,
    '950' Big5, '1250'-'1258' Windows, '65001' UTF-8; also 'ANSI 936', 'OEM 437', '8859-1').

    Parameters
    ----------
    text : str
        The .cpg file's text.

    Returns
    -------
    str or None
        A Python codec name.
    """
    t = text.strip().strip("\0").upper()
    if not t:
        return None
    for prefix in ("ANSI ", "OEM ", "ANSI_", "OEM_", "WINDOWS-", "WINDOWS_", "CP", "MS"):
        rest = t[len(prefix) :].strip() if t.startswith(prefix) else None
        if rest and rest.isdigit():
            t = rest
            break
    if t.isdigit() and t.startswith("8859") and len(t) > 4:  # ESRI writes ISO 8859-1 as 88591
        name = f"iso8859-{t[4:]}"
    elif t.isdigit():
        name = _CODE_PAGES.get(t) or f"cp{t}"
    elif t.replace("-", "").replace("_", "").startswith("8859") and t[-2:].strip("-_").isdigit():
        name = f"iso8859-{t.replace('-', '').replace('_', '')[4:]}"
    else:
        name = t.lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _has_non_ascii(dbf: Path) -> bool:
    try:
        return any(max(v, default=0) > 127 for v in _dbf_text_values(dbf.read_bytes()))
    except (IndexError, ValueError):
        return False

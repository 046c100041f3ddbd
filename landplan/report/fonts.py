"""A font with Chinese glyphs for the atlas: matplotlib's fonts and fontconfig's, TrueType outlines
preferred."""

from __future__ import annotations

import subprocess
from pathlib import Path

from geo.errors import LandplanError

#: CJK fonts looked for, best first (Debian: fonts-wqy-zenhei, fonts-noto-cjk; Windows/macOS names
#: too). Fonts with TrueType outlines are preferred: matplotlib embeds them as the PDF standard
#: says, whereas CFF-outline fonts (Noto Sans CJK, Source Han Sans) are embedded under a TrueType
#: label that strict viewers may reject.
CJK_FAMILIES = (
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Droid Sans Fallback",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Serif CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "AR PL UMing CN",
)
NO_CJK_FONT = LandplanError(
    "未找到中文字体，无法生成图集。请安装后重试：Debian/Ubuntu 运行 `sudo apt-get install "
    "fonts-wqy-zenhei`"
    "（或 fonts-noto-cjk）。",
    "No Chinese (CJK) font was found, so the atlas cannot print Chinese text. Install one and run "
    "again: "
    "on Debian/Ubuntu `sudo apt-get install fonts-wqy-zenhei` (or fonts-noto-cjk), on Fedora "
    "`sudo dnf install wqy-zenhei-fonts`; on Windows and macOS the system fonts (Microsoft YaHei, "
    "PingFang) "
    "are found by themselves.",
)


def _fontconfig_chinese_files() -> list[str]:
    """Font files fontconfig lists as covering Simplified Chinese ([] without fontconfig)."""
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh-cn", "file"], capture_output=True, text=True, timeout=20
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})


def _truetype(entry) -> bool:
    from fontTools.ttLib import TTFont

    try:
        return "glyf" in TTFont(entry.fname, fontNumber=getattr(entry, "index", 0) or 0, lazy=True)
    except Exception:  # noqa: BLE001 - unreadable: rank last
        return False


def cjk_font() -> str:
    """The family name of an installed font with Chinese glyphs (TrueType outlines preferred).

    Looks in matplotlib's font list and in fontconfig's (fonts installed after matplotlib built its
    cache); raises a LandplanError saying how to install one when there is none.
    """
    from matplotlib import font_manager as fm

    known = {f.fname for f in fm.fontManager.ttflist}
    for path in _fontconfig_chinese_files():
        if path not in known and Path(path).is_file():
            try:
                fm.fontManager.addfont(path)
            except Exception:  # noqa: BLE001 - a font matplotlib cannot read
                pass
    entries = {}
    for f in fm.fontManager.ttflist:
        entries.setdefault(f.name, f)
    found = [entries[name] for name in CJK_FAMILIES if name in entries]
    if not found:
        raise NO_CJK_FONT
    truetype = [f for f in found if _truetype(f)]
    return (truetype or found)[0].name


PAGE_W, PAGE_H, MARGIN = 8.27, 11.69, 0.55  # A4 portrait, inches

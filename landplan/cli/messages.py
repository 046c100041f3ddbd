"""What the command says besides its tables: report lines on stderr (Chinese line first, then
English) and argparse's own errors as one sentence in Chinese, then English."""

from __future__ import annotations

import argparse
import sys

from geo.errors import split_bilingual

_KINDS_ZH = {"repaired": "已修复", "warning": "警告", "note": "说明"}


def say(message, kind: str | None = None) -> None:
    """Print a message (bilingual line or LandplanError) to stderr: the Chinese line first, then the
    English one."""
    zh, en = split_bilingual(message)
    for label, text in ((_KINDS_ZH.get(kind, kind), zh), (kind, en)):
        if text:
            print(f"landplan: {label}: {text}" if label else f"landplan: {text}", file=sys.stderr)


def report_lines(gdf) -> None:
    """Say what was repaired, guessed or worth a warning when ``gdf`` was read."""
    attrs = gdf.attrs
    say_report(attrs.get("report", []), attrs.get("repairs", []), attrs.get("warnings", []))


def say_report(lines, repairs=(), warnings=()) -> None:
    """Say each line of a read's report: a repair, a warning, or else a note."""
    for line in lines:
        say(line, "repaired" if line in repairs else "warning" if line in warnings else "note")


#: argparse's own messages in Chinese (pattern of the English message -> Chinese sentence)
_ARGPARSE_ZH = [
    (r"the following arguments are required: (.+)", "缺少必需的参数：{0}。"),
    (
        r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.+)\)",
        "参数 {0} 的值 {1!r} 无效，可选：{2}。",
    ),
    (r"unrecognized arguments: (.+)", "无法识别的参数：{0}。"),
    (r"argument (\S+): expected one argument", "参数 {0} 需要一个值。"),
    (r"argument (\S+): expected at least one argument", "参数 {0} 至少需要一个值。"),
    (r"argument (\S+): invalid (\w+) value: '?([^']*)'?", "参数 {0} 的值 {2!r} 不是有效的 {1}。"),
    (r"argument (\S+): not allowed with argument (\S+)", "参数 {0} 不能与 {1} 同时使用。"),
    (r"ambiguous option: (\S+) could match (.+)", "选项 {0} 有歧义，可能是：{1}。"),
]


def argparse_zh(message: str) -> str:
    """argparse's English error message as a Chinese sentence (a generic one when it is not
    known)."""
    import re

    for pattern, zh in _ARGPARSE_ZH:
        m = re.fullmatch(pattern, message.strip())
        if m:
            return zh.format(*m.groups())
    return f"命令行参数有误：{message}。"


class BilingualParser(argparse.ArgumentParser):
    """An argument parser whose errors are one sentence in Chinese, then the same in English (exit
    2)."""

    def error(self, message):
        en = message[:1].upper() + message[1:]
        hint_zh, hint_en = f"用法见 {self.prog} --help。", f"See {self.prog} --help."
        self.exit(
            2,
            f"{self.prog}: 错误：{argparse_zh(message)}{hint_zh}\n{self.prog}: error: {en}. "
            f"{hint_en}\n",
        )


def layer_help() -> str:
    """The help of a layer argument: what it may be (:func:`geo.io.formats.help_text`)."""
    from geo.io.formats import help_text

    return help_text()

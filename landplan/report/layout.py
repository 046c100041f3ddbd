"""The atlas's A4 page layout (:class:`_Atlas`): a text cursor, wrapped text and tables that
continue on the next page, drawn with matplotlib. The pages are in :mod:`.summary_pages` and
:mod:`.map_pages`.
"""

from __future__ import annotations

import unicodedata

from .text import ReportData

PAGE_W, PAGE_H, MARGIN = 8.27, 11.69, 0.55  # A4 portrait, inches


def _tw(s: str, size: float) -> float:
    """Approximate printed width (inches) of a text at ``size`` points."""
    return sum((1.0 if unicodedata.east_asian_width(c) in "WF" else 0.56) for c in s) * size / 72


def _wrap(s: str, width_in: float, size: float) -> list[str]:
    lines = []
    for para in str(s).split("\n"):
        line = ""
        for ch in para:
            if _tw(line + ch, size) > width_in and line and ch not in "，。；：、）)」,.;:%":
                cut = line.rfind(" ")
                if cut > 0 and unicodedata.east_asian_width(ch) not in "WF":
                    lines.append(line[:cut])
                    line = line[cut + 1 :] + ch
                else:
                    lines.append(line)
                    line = ch
            else:
                line += ch
        lines.append(line)
    return lines


class _Atlas:
    """A4 pages drawn with matplotlib: a text cursor, tables that continue on the next page,
    maps."""

    def __init__(self, pdf, data: ReportData, font: str):
        self.pdf, self.d, self.font = pdf, data, font
        self.fig, self.y, self.page_no, self.heading = None, 0.0, 0, ""

    def new_page(self, heading: str) -> None:
        from matplotlib.figure import Figure

        self.close_page()
        self.page_no += 1
        self.heading = heading
        self.fig = Figure(figsize=(PAGE_W, PAGE_H))
        self.y = PAGE_H - MARGIN
        self.text(heading, 13, bold=True)
        self.fig.add_artist(_hline(self.fig, self.y + 0.05))
        self.y -= 0.08
        page = self.d.w["page_no"].format(n=self.page_no)
        foot = f"{self.d.version} · {self.d.date} · {self.d.scope_name()} · {page}"
        self.fig.text(MARGIN / PAGE_W, 0.3 / PAGE_H, foot, fontsize=6.5, color="0.3")

    def continue_page(self) -> None:
        """A new page under the same heading, marked as continued (once)."""
        cont = self.d.w["cont"]
        self.new_page(self.heading.removesuffix(cont) + cont)

    def close_page(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.fig = None

    def room(self) -> float:
        return self.y - MARGIN - 0.2

    def text(
        self,
        s: str,
        size: float = 9,
        bold: bool = False,
        gap: float = 0.06,
        color="black",
        width: float | None = None,
    ) -> None:
        width = width or PAGE_W - 2 * MARGIN
        lh = size * 1.35 / 72
        lines = _wrap(s, width, size)
        if len(lines) <= 6 and self.room() < lh * len(
            lines
        ):  # a short paragraph is not split across pages
            self.continue_page()
        for line in lines:
            if self.room() < lh:
                self.continue_page()
            self.y -= lh
            self.fig.text(
                MARGIN / PAGE_W,
                self.y / PAGE_H,
                line,
                fontsize=size,
                color=color,
                fontweight="bold" if bold else "normal",
                va="baseline",
            )
        self.y -= gap

    def table(
        self,
        header: list[str],
        rows: list[list],
        widths: list[float],
        size: float = 7,
        align: str | None = None,
        title: str | None = None,
        bold_last: bool = False,
    ) -> None:
        """Rows with wrapped cells; the header repeats when the table continues on a new page."""
        total_w = PAGE_W - 2 * MARGIN
        ws = [w / sum(widths) * total_w for w in widths]
        align = align or "l" * len(header)
        lh = size * 1.3 / 72
        pad = 0.035

        def cells(row, sz):
            return [_wrap("" if v is None else str(v), w - 2 * pad, sz) for v, w in zip(row, ws)]

        def draw_row(row, bold=False, shade=False):
            wrapped = cells(row, size)
            h = max(len(c) for c in wrapped) * lh + 2 * pad
            if self.room() < h:
                self.continue_page()
                if title:
                    self.text(title + self.d.w["cont"], 9, bold=True)
                draw_row(header, bold=True, shade=True)
            top = self.y
            if shade:
                from matplotlib.patches import Rectangle

                self.fig.add_artist(
                    Rectangle(
                        (MARGIN / PAGE_W, (top - h) / PAGE_H),
                        total_w / PAGE_W,
                        h / PAGE_H,
                        transform=self.fig.transFigure,
                        facecolor="0.88",
                        edgecolor="none",
                        zorder=0,
                    )
                )
            x = MARGIN
            for lines, w, a in zip(wrapped, ws, align):
                for k, line in enumerate(lines):
                    yy = top - pad - (k + 0.8) * lh
                    xx = x + w - pad if a == "r" else x + pad
                    self.fig.text(
                        xx / PAGE_W,
                        yy / PAGE_H,
                        line,
                        fontsize=size,
                        ha="right" if a == "r" else "left",
                        va="baseline",
                        fontweight="bold" if bold else "normal",
                    )
                x += w
            self.y = top - h
            self.fig.add_artist(_hline(self.fig, self.y, lw=0.6 if bold or shade else 0.3))

        if title:
            self.text(title, 9, bold=True)
        if self.room() < 3 * lh + 0.2:
            self.continue_page()
        draw_row(header, bold=True, shade=True)
        for i, row in enumerate(rows):
            draw_row(row, bold=bold_last and i == len(rows) - 1)
        self.y -= 0.12


def _hline(fig, y_in: float, lw: float = 0.8):
    from matplotlib.lines import Line2D

    return Line2D(
        [MARGIN / PAGE_W, 1 - MARGIN / PAGE_W],
        [y_in / PAGE_H] * 2,
        transform=fig.transFigure,
        color="black",
        lw=lw,
    )

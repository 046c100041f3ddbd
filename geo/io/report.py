"""What a read noted, warned about or repaired, and the error raised when a file cannot be read."""

from __future__ import annotations

from ..errors import LandplanError, bilingual


class ReadError(LandplanError):
    """A file could not be read; the message says why and what to do."""


class Report(list):
    """What was noted, warned about or repaired while reading.

    ``repairs`` changed the data, ``warnings`` did not.

    Each line is written in Chinese and English where it is found (:func:`geo.errors.bilingual`).
    ``empty_reported``: features whose missing geometry a line has already explained (not counted
    again).
    """

    def __init__(self):
        super().__init__()
        self.repairs: list[str] = []
        self.warnings: list[str] = []
        self.empty_reported = 0

    def note(self, zh: str, en: str | None = None) -> str:
        """Add a finding (said once), Chinese then English; returns the bilingual line.

        ``en`` None: ``zh`` is a bilingual line already (:func:`geo.errors.bilingual`), as the
        checks make them (:func:`geo.crs_check.fit_coordinates`,
        :func:`geo.offset_check.offset_line`).
        """
        line = bilingual(zh, en) if en is not None else zh
        if (
            line not in self
        ):  # the same finding twice (e.g. a layer read again in full) is said once
            self.append(line)
        return line

    def repair(self, zh: str, en: str | None = None) -> None:
        """Add a finding that changed the data (also listed in ``repairs``)."""
        line = self.note(zh, en)
        if line not in self.repairs:
            self.repairs.append(line)

    def coordinate_fixes(self, lines) -> None:
        """Add what a coordinate check found (:func:`geo.crs_check.fit_coordinates`): a
        :class:`geo.crs_check.CoordinateNote` changed nothing and is a note, the rest repairs."""
        from ..crs_check import CoordinateNote

        for line in lines:
            if isinstance(line, CoordinateNote):
                self.note(line)
            else:
                self.repair(line)

    def warn(self, zh: str, en: str | None = None) -> None:
        """Add a warning: the data is kept as it is (also listed in ``warnings``)."""
        line = self.note(zh, en)
        if line not in self.warnings:
            self.warnings.append(line)


def _fail(msg_zh: str, msg: str):
    raise ReadError(msg_zh, msg)

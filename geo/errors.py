"""Errors whose message is a sentence a planner can act on."""


class LandplanError(Exception):
    """A problem with the user's input or request, explained in plain words.

    ``message_zh`` optionally carries the same sentence in Chinese.
    """

    def __init__(self, message: str, message_zh: str | None = None):
        super().__init__(message)
        self.message_zh = message_zh


class CRSError(LandplanError):
    """The coordinate system is missing or not understood."""


class GeometryTypeError(LandplanError):
    """The layer's geometry type does not fit the analysis (e.g. points for an area)."""

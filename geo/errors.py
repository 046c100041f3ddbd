"""Errors whose message is a sentence a planner can act on."""


class LandplanError(Exception):
    """A problem with the user's input or request, explained in plain words, Chinese first.

    The arguments are in the order of :func:`bilingual`: ``LandplanError(zh, en)``. ``str(error)``
    is the English sentence and ``error.message_zh`` the Chinese one.

    Parameters
    ----------
    message_zh : str or None
        The sentence in Chinese.
    message : str
        The same sentence in English.
    """

    def __init__(self, message_zh: str | None, message: str):
        super().__init__(message)
        self.message_zh = message_zh

    def __reduce__(self):
        # pickled (e.g. on a Dask worker) with both sentences, in the order __init__ takes them
        return type(self), (self.message_zh, str(self)), self.__dict__


class CRSError(LandplanError):
    """The coordinate system is missing or not understood."""


class GeometryTypeError(LandplanError):
    """The layer's geometry type does not fit the analysis (e.g. points for an area)."""


def bilingual(zh: str, en: str) -> str:
    """One message in both languages, Chinese first.

    The Chinese sentence, a line break, the English one.

    Report lines (``attrs['report']``) are built this way where they are written.

    Parameters
    ----------
    zh, en : str
        The sentence in Chinese and in English.

    Returns
    -------
    str
    """
    return f"{zh}\n{en}"


def split_bilingual(line) -> tuple[str | None, str]:
    """(Chinese, English) of a message: a LandplanError, a :func:`bilingual` line or a plain line.

    The Chinese of a plain line is None.

    Parameters
    ----------
    line : LandplanError or str
        A message.

    Returns
    -------
    zh : str or None
        The Chinese sentence, if any.
    en : str
        The English one.
    """
    if isinstance(line, LandplanError):
        return line.message_zh, str(line)
    zh, sep, en = str(line).partition("\n")
    return (zh, en) if sep else (None, zh)


def in_language(message, lang: str = "zh") -> str:
    """A message for display: Chinese then English on the next line ('zh'), or English only ('en').

    Parameters
    ----------
    message : LandplanError or str
        A message.
    lang : {'zh', 'en'}, default 'zh'
        The page's language.

    Returns
    -------
    str
    """
    zh, en = split_bilingual(message)
    return en if lang == "en" or not zh else f"{zh}\n{en}"

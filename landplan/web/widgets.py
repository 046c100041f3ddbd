"""Page helpers around Streamlit: the Tianditu key, library messages in the page's language, a
status box
the first time a file is read, and Streamlit's own uploader words in Chinese."""

from __future__ import annotations

import streamlit as st

from geo.errors import in_language

from ..present.text import text
from ..progress import page_status


def tianditu_key() -> str | None:
    """The Tianditu key: the TIANDITU_KEY environment variable (:mod:`layers.settings`), else the
    Streamlit secret of that name."""
    from layers.settings import tianditu_key as from_environment

    key = from_environment()
    if not key:
        try:
            key = st.secrets.get("TIANDITU_KEY")
        except Exception:  # noqa: BLE001 - no secrets file
            key = None
    return key


def message(msg, lang: str) -> str:
    """A library message in the page's language: Chinese, then English on its own line (zh); English
    (en)."""
    return in_language(msg, lang).replace("\n", "  \n")


def once(key: str, sig, running: str, done: str, func, *args, **kwargs):
    """``func(*args, **kwargs)`` (cached), in a status box in the sidebar the first time for ``sig``
    (a new file
    or options)."""
    if st.session_state.get(key) == sig:
        return func(*args, **kwargs)
    with page_status(running, done, st.sidebar):
        out = func(*args, **kwargs)
    st.session_state[key] = sig
    return out


def kept_choice(widget, label: str, options: list, key: str, lang: str, **kwargs):
    """``widget`` (a selectbox, radio or multiselect, e.g. ``st.sidebar.selectbox``) whose choice
    survives a language switch.

    Streamlit keeps such a choice by its label in the page's language, so switching the language
    would drop it (the focused district, the unit, the upload's role ...). The choice is kept here
    by option under ``key`` (language-free) and the widget is keyed per language.
    """
    multi = widget.__name__ == "multiselect"
    if key in st.session_state:
        chosen = st.session_state[key]
        if multi:
            kwargs["default"] = [o for o in chosen if o in options]
        else:
            kwargs["index"] = options.index(chosen) if chosen in options else 0
    value = widget(label, options, key=f"{key}_{lang}", **kwargs)
    st.session_state[key] = value
    return value


def uploader_words(lang: str, mb: int, suffixes) -> None:
    """The words Streamlit writes itself in its file uploaders, which it has no setting for.

    The size and formats line ("50MB per file • ZIP, …") is the page's on both pages: its own limit
    (Streamlit's is set higher, so that a larger file reaches the page's sentence) and the formats
    landplan reads (the uploader itself takes every file). On the Chinese page the button
    ("Upload") and the hint while a file is dragged over ("Drag and drop a file here") are written
    in Chinese too. A style sheet hides Streamlit's words and writes those of
    ``landplan/present/text``
    (``uploader``) in their place. The selectors are Streamlit 1.67's (its test ids; the drag hint
    is the drop zone's only unnamed div)."""
    words = text(lang)["uploader"]
    sep = "、" if lang == "zh" else ", "
    types = sep.join(dict.fromkeys(s.lstrip(".").upper() for s in suffixes))
    zone = "[data-testid=stFileUploaderDropzone]"
    limit = f"""{zone} [data-testid=stFileUploaderDropzoneInstructions] span {{font-size: 0;
  white-space: normal;}}
{zone} [data-testid=stFileUploaderDropzoneInstructions] span::before {{
  content: "{words["limit"].format(mb=mb, types=types)}"; font-size: 0.875rem;}}"""
    if lang == "en":
        st.html(f"<style>\n{limit}\n</style>")
        return
    st.html(f"""<style>
{limit}
{zone} button [data-testid=stMarkdownContainer] p {{font-size: 0;}}
{zone} button [data-testid=stMarkdownContainer] p::after {{content: "{words["upload"]}";
  font-size: 0.875rem;}}
{zone} > div:not([data-testid]) > span {{font-size: 0;}}
{zone} > div:not([data-testid]) > span::after {{content: "{words["drop"]}"; font-size: 0.875rem;}}
</style>""")

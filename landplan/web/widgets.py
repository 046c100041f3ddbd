"""Page helpers around Streamlit: the Tianditu key, library messages in the page's language, a
status box
the first time a file is read, and Streamlit's own uploader words in Chinese."""

from __future__ import annotations

import os

import streamlit as st

from geo.errors import in_language

from ..progress import page_status
from ..text import text


def tianditu_key() -> str | None:
    """The Tianditu key: the TIANDITU_KEY environment variable, else the Streamlit secret of that
    name."""
    key = os.environ.get("TIANDITU_KEY")
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
    """Chinese for the words Streamlit writes itself in its file uploaders, which it has no setting
    for: the
    button ("Upload"), the size and formats line ("50MB per file • ZIP, …") and the hint while a
    file is dragged over ("Drag and drop a file here"). On the Chinese page a style sheet hides
    Streamlit's English and writes the words of ``landplan/text/zh.yaml`` (``uploader``) in their
    place; the English page keeps Streamlit's. The selectors are Streamlit 1.67's (its test ids; the
    drag hint is the drop zone's only unnamed div)."""
    if lang == "en":
        return
    words = text(lang)["uploader"]
    types = "、".join(s.lstrip(".").upper() for s in suffixes)
    zone = "[data-testid=stFileUploaderDropzone]"
    st.html(f"""<style>
{zone} [data-testid=stFileUploaderDropzoneInstructions] span {{font-size: 0; white-space: normal;}}
{zone} [data-testid=stFileUploaderDropzoneInstructions] span::before {{
  content: "{words["limit"].format(mb=mb, types=types)}"; font-size: 0.875rem;}}
{zone} button [data-testid=stMarkdownContainer] p {{font-size: 0;}}
{zone} button [data-testid=stMarkdownContainer] p::after {{content: "{words["upload"]}";
  font-size: 0.875rem;}}
{zone} > div:not([data-testid]) > span {{font-size: 0;}}
{zone} > div:not([data-testid]) > span::after {{content: "{words["drop"]}"; font-size: 0.875rem;}}
</style>""")

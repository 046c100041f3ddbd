"""Progress on long work: a bar on the terminal for the CLI, a status box for the page.

The CLI shows a bar on stderr only when stderr is a terminal and ``--quiet`` is not given, so
pipes, files and scripts get nothing extra. Steps with a known count advance the bar; work
without steps (a report) shows the elapsed time, refreshed twice a second, so the planner sees
the command is alive.
"""

from __future__ import annotations

import sys
import threading
import time
from contextlib import contextmanager


class _Silent:
    def step(self, desc: str | None = None) -> None:
        pass


class _Bar:
    def __init__(self, bar):
        self.bar = bar

    def step(self, desc: str | None = None) -> None:
        """Mark one step done; ``desc`` says what comes next."""
        self.bar.update(1)
        if desc:
            self.bar.set_description_str(desc)


def shows_progress(quiet: bool = False, stream=None) -> bool:
    """Whether a bar is shown: on a terminal and not quiet."""
    stream = stream or sys.stderr
    return not quiet and hasattr(stream, "isatty") and stream.isatty()


@contextmanager
def cli_progress(desc: str, total: int | None = None, quiet: bool = False, stream=None):
    """A progress bar on stderr for a block of work: ``with cli_progress('报告 / report') as p: ...;
    p.step()``.

    With ``total`` the bar counts steps (``p.step(next_desc)``); without, it shows the elapsed time.
    Silent when stderr is not a terminal or ``quiet``.
    """
    stream = stream or sys.stderr
    if not shows_progress(quiet, stream):
        yield _Silent()
        return
    from tqdm import tqdm

    fmt = "{desc} {bar} {n_fmt}/{total_fmt} [{elapsed}]" if total else "{desc} … {elapsed}"
    bar = tqdm(total=total, desc=desc, file=stream, bar_format=fmt, leave=False, dynamic_ncols=True)
    stop = threading.Event()

    def tick():  # keep the elapsed time moving while the work runs
        while not stop.wait(0.5):
            bar.refresh()

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        yield _Bar(bar)
    finally:
        stop.set()
        ticker.join(timeout=1)
        bar.close()


@contextmanager
def page_status(label: str, done: str, where=None):
    """A Streamlit status box for a block of work on the page: running with ``label``, then ``done``
    (with the seconds it took), or an error state if the block raises (the exception goes on)."""
    import streamlit as st

    box = (where or st).status(label, expanded=False)
    start = time.perf_counter()
    try:
        yield box
    except BaseException:
        box.update(state="error", expanded=True)
        raise
    box.update(label=done.format(s=time.perf_counter() - start), state="complete", expanded=False)

"""A small progress bar on stderr, shown only on a terminal and for big inputs."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

MIN_ROWS_FOR_BAR = 2_000


class ProgressBar:
    """Counts units of work and redraws one stderr line at most ten times a second."""

    def __init__(self, label: str, total: int, stream: TextIO) -> None:
        """Start a bar for `total` units."""
        self.label, self.total, self.stream = label, max(total, 1), stream
        self.done = 0
        self.started = time.perf_counter()
        self.drawn = 0.0

    def advance(self, units: int) -> None:
        """Add finished units and redraw when due."""
        self.done += units
        now = time.perf_counter()
        if now - self.drawn >= 0.1 or self.done >= self.total:
            self.drawn = now
            share = min(self.done / self.total, 1.0)
            filled = int(share * 30)
            self.stream.write(
                f"\r{self.label:>8} [{'#' * filled}{'.' * (30 - filled)}] {share:6.1%} "
                f"{self.done}/{self.total} {now - self.started:5.1f}s"
            )
            if self.done >= self.total:
                self.stream.write("\n")
            self.stream.flush()


def progress_factory(
    enabled: bool, stream: TextIO = sys.stderr
) -> Callable[[str, int], Callable[[int], None]] | None:
    """A factory of progress callbacks, or None when bars are off (not a TTY, --quiet)."""
    if not enabled or not stream.isatty():
        return None

    def start(label: str, total: int) -> Callable[[int], None]:
        """A callback that advances a new bar (a no-op for small inputs)."""
        if total < MIN_ROWS_FOR_BAR:
            return lambda units: None
        return ProgressBar(label, total, stream).advance

    return start

"""A dependency-free progress bar for long work (training, benchmarks)."""

from __future__ import annotations

import sys
import time
from typing import Optional, TextIO


def format_seconds(seconds: float) -> str:
    """``75.0`` -> ``'1m15s'``; ``0.0123`` -> ``'12.3ms'``."""
    if seconds < 1.0:
        return f"{seconds * 1000:.1f}ms"
    if seconds < 60.0:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}m{secs:02d}s"


class ProgressBar:
    """A one-line bar redrawn in place on a terminal: ``[####....] 12/50 <note> ETA 3.0s``.

    On a stream that is not a terminal the bar stays silent, so logs stay clean;
    :meth:`write` prints a line above the bar either way.
    """

    def __init__(
        self,
        total: int,
        label: str = "",
        stream: Optional[TextIO] = None,
        width: int = 30,
        enabled: Optional[bool] = None,
    ) -> None:
        if total < 0:
            raise ValueError(f"ProgressBar: total must be >= 0, got {total}")
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.done = 0
        self.start = time.perf_counter()
        self._last_len = 0

    def render(self, note: str = "") -> str:
        """The bar's text for the current state."""
        frac = self.done / self.total if self.total else 1.0
        filled = int(round(frac * self.width))
        elapsed = time.perf_counter() - self.start
        eta = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        bar = "#" * filled + "." * (self.width - filled)
        text = f"{self.label} [{bar}] {self.done}/{self.total}"
        if note:
            text += f"  {note}"
        return text + f"  ETA {format_seconds(eta)}"

    def update(self, n: int = 1, note: str = "") -> None:
        """Advance by ``n`` steps and redraw."""
        self.done = min(self.total, self.done + n)
        if self.enabled:
            text = self.render(note)
            pad = max(0, self._last_len - len(text))
            self.stream.write("\r" + text + " " * pad)
            self.stream.flush()
            self._last_len = len(text)

    def write(self, line: str, out: Optional[TextIO] = None) -> None:
        """Print ``line`` (to ``out``, default stdout) without breaking the bar."""
        self._clear()
        print(line, file=out if out is not None else sys.stdout, flush=True)

    def close(self) -> None:
        """Finish the bar's line."""
        if self.enabled and self._last_len:
            self.stream.write("\n")
            self.stream.flush()
            self._last_len = 0

    def _clear(self) -> None:
        if self.enabled and self._last_len:
            self.stream.write("\r" + " " * self._last_len + "\r")
            self.stream.flush()
            self._last_len = 0

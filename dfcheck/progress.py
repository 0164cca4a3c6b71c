"""The progress line of long runs."""

from __future__ import annotations


class Progress:
    """`dfcheck: 120/4000 files` on a terminal's standard error, for runs longer than DELAY seconds."""

    DELAY = 2.0

    def __init__(self, stream):
        import time

        self.stream = stream
        self.clock = time.monotonic
        self.start = self.clock()
        self.shown = 0.0

    @classmethod
    def on(cls, stream):
        try:
            return cls(stream) if stream.isatty() else None
        except (AttributeError, ValueError):
            return None

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if now - self.start < self.DELAY or now - self.shown < 0.1:
            return
        self.shown = now
        self.stream.write(f"\r\x1b[Kdfcheck: {done}/{total} files")
        self.stream.flush()

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

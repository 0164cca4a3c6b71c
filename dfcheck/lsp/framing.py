"""The language server's input, framed by dfcheck rather than by pygls.

pygls trusts the headers it reads: a `Content-Length: 99999999999` makes it allocate that much (the server
dies with MemoryError), and a message without Content-Length glues every later message to it (the server
never answers again). `FramedInput` sits between standard input and pygls: it reads each message itself,
within limits, and hands pygls only well-formed ones. A message it cannot take becomes, in its place, an
INVALID_MESSAGE notification (which the server answers with an error and a log line); then it looks for the
next `Content-Length:` header and goes on from there.
"""

from __future__ import annotations

import json

MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # a 5 MiB Dockerfile, JSON-escaped, with room to spare
MAX_HEADER_LINE = 8 * 1024
INVALID_MESSAGE = "dfcheck/invalidMessage"  # the notification standing for a message that could not be read
_HEADER = b"content-length:"


class FramedInput:
    """A binary stream with the two methods pygls's reader calls, `readline()` and `read(n)`, giving out
    `Content-Length: N`, a blank line and the body, one well-formed message at a time."""

    def __init__(self, raw):
        self.raw = raw  # standard input, binary
        self._lines: list[bytes] = []  # what readline() gives out next
        self._body = b""  # what read() gives out next
        self._resync = False  # after a bad message: skip to the next Content-Length header
        self._carry = b""  # the end of the bytes skipped so far, in case a header was cut in two
        self._pushed: bytes | None = None  # a header line read too early, to be read again

    def readline(self) -> bytes:
        if not self._lines:
            body = self._next_message()
            if body is None:
                return b""  # the end of the input: pygls stops
            self._body = body
            self._lines = [b"Content-Length: %d\r\n" % len(body), b"\r\n"]
        return self._lines.pop(0)

    def read(self, size: int = -1) -> bytes:
        body, self._body = self._body, b""
        return body

    # -- framing

    def _next_message(self) -> bytes | None:
        length, headers = None, False
        while True:
            line, self._pushed = self._pushed or self.raw.readline(MAX_HEADER_LINE), None
            if not line:
                return None
            if self._resync:
                line = self._find_header(line)
                if line is None:
                    continue
            lowered = line.lower()
            start = lowered.find(_HEADER)
            if start > 0 and not lowered[:start].strip():
                start = 0  # leading blanks before the header
            if start > 0:  # the rest of a message longer than its Content-Length said, then a header
                if not headers:
                    self._pushed = line[start:]
                    return self._invalid("unexpected data between messages", skip=False)
                line, lowered = line[start:], lowered[start:]
            if not line.strip():
                if not headers:
                    continue  # blank lines between messages
                if length is None:
                    return self._invalid("a message without a valid Content-Length header")
                if length > MAX_MESSAGE_BYTES:
                    return self._invalid(f"a message of {length} bytes, over the limit of {MAX_MESSAGE_BYTES}")
                body = self.raw.read(length)
                return body if len(body) == length else None
            headers = True
            if not line.endswith(b"\n"):
                return self._invalid(f"a header line longer than {MAX_HEADER_LINE} bytes")
            if lowered.startswith(_HEADER):
                value = line[len(_HEADER):].strip()
                length = int(value) if value.isdigit() and len(value) <= 18 else None

    def _invalid(self, reason: str, skip: bool = True) -> bytes:
        """The notification standing for a message that could not be read; what follows it is skipped up to the
        next header when `skip`."""
        self._resync, self._carry = skip, b""
        return json.dumps({"jsonrpc": "2.0", "method": INVALID_MESSAGE, "params": {"message": reason}}).encode()

    def _find_header(self, chunk: bytes) -> bytes | None:
        """While skipping: the chunk from a Content-Length header on (None: none in it). A header cut between
        two chunks (a line longer than MAX_HEADER_LINE) is found through the end of the previous one kept."""
        text = self._carry + chunk
        start = text.lower().find(_HEADER)
        if start < 0:
            self._carry = text[-(len(_HEADER) - 1):] if not text.endswith(b"\n") else b""
            return None
        self._resync, self._carry = False, b""
        return text[start:]

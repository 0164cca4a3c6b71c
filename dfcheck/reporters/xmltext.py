"""The few pieces of XML the checkstyle and JUnit reporters write, escaped by hand: ElementTree's escaping
of newlines and tabs in attributes changed between Python versions, and the output must be byte-for-byte
the same on every supported version."""

from __future__ import annotations

import re

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

# Characters XML 1.0 cannot carry at all, not even as a character reference; and DEL and the C1 controls,
# which it can but which act on a terminal showing the report.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def _visible(match: re.Match) -> str:
    return f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100 else f"\\u{ord(match.group()):04x}"


def text(value: str) -> str:
    """Escaped element content."""
    value = _INVALID.sub(_visible, value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attribute(value) -> str:
    """An escaped attribute value, to go between double quotes; newlines, CRs and tabs survive."""
    return (text(str(value)).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
            .replace("\t", "&#9;"))


def element(name: str, attributes: list[tuple[str, object]], body: str | None = None) -> str:
    attrs = "".join(f' {key}="{attribute(value)}"' for key, value in attributes if value is not None)
    if body is None:
        return f"<{name}{attrs}/>"
    return f"<{name}{attrs}>{body}</{name}>"

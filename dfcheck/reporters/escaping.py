"""Text from Dockerfiles and file names, made safe to print on a terminal or a CI log.

A control character printed raw acts on the terminal: ESC sequences retitle or clear it, a newline in a file
name starts a line that looks like a finding. Each one is shown as `\\xNN` instead (tabs are kept; the text
reporter expands them itself).
"""

from __future__ import annotations

# C0 controls but the tab, DEL, and the C1 controls (0x9b is a one-byte CSI on some terminals).
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x09), *range(0x0a, 0x20), *range(0x7f, 0xa0))}
# The same, but newlines and carriage returns left for a format that escapes them its own way.
_CONTROLS_BUT_LINE_ENDS = {c: text for c, text in _CONTROLS.items() if c not in (0x0a, 0x0d)}


def visible(text: str) -> str:
    """`text` with its control characters (tab aside) shown as `\\xNN`."""
    return text.translate(_CONTROLS)


def visible_but_line_ends(text: str) -> str:
    """visible(), keeping newlines and carriage returns."""
    return text.translate(_CONTROLS_BUT_LINE_ENDS)

"""`dfcheck lsp`: the language server. `features` holds what it computes in editor-neutral terms, `server` the
server on pygls and its state, `handlers` what it answers (both imported only when the command runs), `framing`
the guard on the messages it reads."""

from __future__ import annotations

import sys

INSTALL_HINT = "dfcheck lsp needs pygls, a dependency of dfcheck-lint that is missing here: pip install pygls"


def main(argv: list[str]) -> int:
    """Run the language server on stdin and stdout until the client says `exit`."""
    import argparse

    p = argparse.ArgumentParser(
        prog="dfcheck lsp",
        description="Start the dfcheck language server on standard input and output (LSP over stdio).",
    )
    p.add_argument("--stdio", action="store_true", help="accepted for clients that pass it; stdio is the default")
    args = p.parse_args(argv)
    del args
    try:
        from . import handlers
    except ImportError as e:
        if (e.name or "").split(".")[0] not in ("pygls", "lsprotocol", "cattrs", "attrs"):
            raise
        sys.stderr.write(f"dfcheck: error: {INSTALL_HINT}\n")
        sys.stderr.flush()
        return 2
    return handlers.serve()

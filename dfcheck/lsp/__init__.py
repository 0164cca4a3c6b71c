"""`dfcheck lsp`: the language server. `features` holds what it computes in editor-neutral terms, `server` the
server on pygls (imported only when the command runs), `framing` the guard on the messages it reads."""

from .features import main

__all__ = ["main"]

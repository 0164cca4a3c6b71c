"""The command line: `dfcheck [PATH ...]` (in `lint.py`), `dfcheck rules`, `dfcheck rule CODE`, `dfcheck parse FILE`,
`dfcheck layers FILE`, `dfcheck config --from-hadolint`, `dfcheck lsp` (in `commands.py`).

Exit status: 0 no finding at or above the fail level; 1 findings at or above it; 2 usage, configuration or
internal error (an unreadable file, a rule that crashed). The user never sees a traceback.
"""

from __future__ import annotations

import os
import sys

SUBCOMMANDS = {  # name -> what `dfcheck --help` says it does
    "rules": "list the rules, with their hadolint codes and BuildKit checks",
    "rule": "show a rule's documentation (`dfcheck rule DF401`, `dfcheck rule DL3020`)",
    "layers": "show each layer: what it adds and removes, its size, its cache key, the wasted bytes",
    "parse": "print a Dockerfile's syntax tree, or BuildKit's instruction dump",
    "config": "print the [tool.dfcheck] table a .hadolint.yaml amounts to (--from-hadolint)",
    "lsp": "start the language server on standard input and output (for editors)",
}


class UsageError(Exception):
    pass


class _Closed:
    """Stands for a standard stream that was closed when dfcheck started (`dfcheck . >&-`): using it is a
    one-line error instead of an AttributeError on None."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str):
        raise UsageError(f"standard {self._name} is closed")

    closed = False  # as far as flushing goes: nothing was written, nothing is lost

    def flush(self) -> None:  # (Python flushes at exit too)
        pass


def run() -> None:
    """The `dfcheck` command and `python -m dfcheck`: main() in a process that ends when it returns.

    The garbage collector stays off: one run is short, collecting costs more than it frees, and the final
    collection at exit alone took 5 ms. Worker processes and the language server turn it back on.
    """
    import gc

    gc.disable()
    status = main()
    gc.freeze()  # nothing left to collect at exit
    sys.exit(status)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    for stream in (sys.stdout, sys.stderr):  # a message or path the terminal cannot encode must not crash us
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    for name, shown in (("stdin", "input"), ("stdout", "output"), ("stderr", "error")):
        if getattr(sys, name) is None:  # closed before we started: Python leaves None
            setattr(sys, name, _Closed(shown))
    from ..config import ConfigError
    from ..engine import RuleLoadError

    try:
        if argv and argv[0] in SUBCOMMANDS:
            from . import commands

            status = getattr(commands, f"{argv[0]}_command")(argv[1:])
        else:
            from .lint import lint_command

            status = lint_command(argv)
        if not sys.stdout.closed:  # (the language server closes it when it exits)
            sys.stdout.flush()  # here, where a failure can still be told in one line, not at exit
        return status
    except SystemExit as e:  # argparse: --help, --version, usage errors
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    except (UsageError, ConfigError, RuleLoadError) as e:
        _error(str(e))
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `dfcheck . | head`: stop quietly, and keep Python from complaining at exit
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 1
    except OSError as e:  # writing the output failed: a full disk, a stream closed under us
        _drop_buffered_output()
        _error(f"cannot write the output: {e.strerror or e}")
        return 2
    except Exception as e:  # a bug in dfcheck: one line, not a traceback
        _error(f"internal error: {type(e).__name__}: {e}".splitlines()[0])
        return 2


def _error(message: str) -> None:
    try:
        sys.stderr.write(f"dfcheck: error: {_visible(message)}\n")
        sys.stderr.flush()
    except (OSError, UsageError):  # no standard error to tell it on: the exit status says it
        pass


def _drop_buffered_output() -> None:
    """After a failed write, point standard output at /dev/null so that Python's flush at exit does not fail
    again with a message of its own."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, UsageError):
        pass


def _visible(text: str) -> str:
    """Control characters from file names and Dockerfiles shown as `\\xNN`, not sent to the terminal."""
    from ..reporters.escaping import visible

    return visible(text)


def _parser(prog: str, description: str, epilog: str | None = None):
    import argparse

    def formatter(prog):
        # argparse sizes help to the terminal through shutil, whose import costs ~2 ms on every run; this is
        # shutil.get_terminal_size's logic without it.
        try:
            columns = int(os.environ.get("COLUMNS", "0")) or os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 80
        # the epilog (the list of commands) keeps its lines
        return argparse.RawDescriptionHelpFormatter(prog, width=max(columns - 2, 20))

    return argparse.ArgumentParser(prog=prog, description=description, epilog=epilog, formatter_class=formatter)

"""The command line: `dfcheck [PATH ...]`, `dfcheck rules`, `dfcheck rule CODE`, `dfcheck parse FILE`,
`dfcheck layers FILE`.

Exit status: 0 no finding at or above the fail level; 1 findings at or above it; 2 usage, configuration or
internal error (an unreadable file, a rule that crashed). The user never sees a traceback.
"""

from __future__ import annotations

import os
import sys

from . import __version__

SUBCOMMANDS = ("rules", "rule", "parse", "layers", "lsp")
FORMATS = ("text", "json", "sarif", "github", "gitlab", "checkstyle", "junit")


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
    from .config import ConfigError
    from .engine import RuleLoadError

    try:
        if argv and argv[0] in SUBCOMMANDS:
            status = {"rules": rules_command, "rule": rule_command, "parse": parse_command,
                      "layers": layers_command, "lsp": lsp_command}[argv[0]](argv[1:])
        else:
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
    from .reporters.escaping import visible

    return visible(text)


def _parser(prog: str, description: str):
    import argparse

    def formatter(prog):
        # argparse sizes help to the terminal through shutil, whose import costs ~2 ms on every run; this is
        # shutil.get_terminal_size's logic without it.
        try:
            columns = int(os.environ.get("COLUMNS", "0")) or os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 80
        return argparse.HelpFormatter(prog, width=max(columns - 2, 20))

    return argparse.ArgumentParser(prog=prog, description=description, formatter_class=formatter)


# ---------------------------------------------------------------- dfcheck [PATH ...]


def _lint_parser():
    p = _parser(
        "dfcheck",
        "Lint Dockerfiles. Other commands: `dfcheck rules` lists the rules, `dfcheck rule CODE` shows one, "
        "`dfcheck parse FILE` prints the syntax tree. (To lint a directory called `rules`, write `./rules`.)",
    )
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files and directories to lint (default: .); `-` reads standard input")
    p.add_argument("--format", choices=FORMATS,
                   help="output format (default: text; github annotations when GITHUB_ACTIONS=true and no --output)")
    p.add_argument("--include-suppressed", action="store_true",
                   help="with --format sarif: include inline-suppressed findings, marked as suppressed")
    p.add_argument("--output", metavar="FILE", help="write the output to FILE (atomically) instead of stdout")
    p.add_argument("--select", action="append", metavar="CODES",
                   help="comma-separated codes, prefixes, names or ALL: run exactly these rules")
    p.add_argument("--extend-select", action="append", metavar="CODES", help="run these rules as well")
    p.add_argument("--ignore", action="append", metavar="CODES", help="do not run these rules")
    p.add_argument("--severity", action="append", metavar="CODE=LEVEL",
                   help="override a rule's severity (error, warning, info, style)")
    p.add_argument("--fail-on", choices=("error", "warning", "info", "style", "never"),
                   help="exit 1 on findings at or above this severity (default: info)")
    config = p.add_mutually_exclusive_group()
    config.add_argument("--config", metavar="FILE", help="use this configuration file for every file")
    config.add_argument("--no-config", action="store_true", help="ignore configuration files")
    p.add_argument("--context", metavar="DIR", help="the build context (default: each Dockerfile's directory)")
    p.add_argument("--target", metavar="STAGE", help="the stage to build (default: the last)")
    p.add_argument("--build-arg", action="append", metavar="NAME=VALUE", help="a build argument's value")
    p.add_argument("--exclude", action="append", metavar="GLOB",
                   help="skip matching files and directories when searching directories")
    p.add_argument("--stdin-filename", metavar="NAME",
                   help="the name of the file read from standard input, for output and configuration")
    p.add_argument("--fix", action="store_true", help="apply safe fixes to the files (atomically), then report what is left")
    p.add_argument("--diff", action="store_true", help="print the safe fixes as a unified diff; change nothing")
    p.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: apply unsafe fixes as well")
    p.add_argument("--report-unused-suppressions", action="store_true",
                   help="report suppression comments that silence nothing (rule DF003)")
    color = p.add_mutually_exclusive_group()
    color.add_argument("--color", dest="color", action="store_const", const=True,
                       help="colour the text output even when it is not a terminal")
    color.add_argument("--no-color", dest="color", action="store_const", const=False, help="never colour")
    p.add_argument("--version", action="version", version=f"dfcheck {__version__}")
    return p


def _split(values) -> list[str]:
    return [v.strip() for value in values or () for v in value.split(",") if v.strip()]


def _pairs(values, option: str) -> dict[str, str]:
    out = {}
    for value in values or ():
        name, eq, rest = value.partition("=")
        if not name.strip():
            raise UsageError(f"{option}: expected NAME=VALUE, got {value!r}")
        if not eq:
            if option == "--build-arg":  # like `docker build --build-arg NAME`: the value comes from the environment
                if name in os.environ:
                    out[name] = os.environ[name]
                continue
            raise UsageError(f"{option}: expected CODE=LEVEL, got {value!r}")
        out[name.strip()] = rest.strip() if option == "--severity" else rest
    return out


def lint_command(argv: list[str]) -> int:
    args = _lint_parser().parse_args(argv)

    from .config import Resolver, parse_table
    from .engine import UNUSED_SUPPRESSION, lint_paths, load_rules

    rules = load_rules()
    table: dict = {}
    if args.select is not None:
        table["select"] = _split(args.select)
    extend = _split(args.extend_select)
    if args.report_unused_suppressions:
        extend.append(UNUSED_SUPPRESSION)
    if extend:
        table["extend-select"] = extend
    if args.ignore:
        table["ignore"] = _split(args.ignore)
    if args.severity:
        table["severity"] = _pairs(args.severity, "--severity")
    if args.fail_on:
        table["fail-on"] = args.fail_on
    if args.context is not None:
        if not os.path.isdir(args.context):
            raise UsageError(f"--context {args.context}: no such directory")
        table["context"] = args.context
    if args.target is not None:
        table["target"] = args.target
    if args.build_arg:
        table["build-args"] = _pairs(args.build_arg, "--build-arg")
    if args.exclude:
        table["exclude"] = args.exclude
    cli = parse_table(table, rules, root=os.getcwd(), where="command line", cli=True)
    resolver = Resolver(rules, cli, config_file=args.config, no_config=args.no_config)

    paths = args.paths or (["-"] if args.stdin_filename else ["."])
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    report = lint_paths(paths, resolver, stdin=stdin, stdin_filename=args.stdin_filename,
                        keep_suppressed=args.include_suppressed)
    if args.fix or args.diff:
        return _fix(args, report, resolver, stdin)

    text = _render(args, report, stdin)
    if args.output:
        write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    for error in report.all_errors:
        sys.stderr.write(_visible(error.message) + "\n")
    if not report.files:
        sys.stderr.write(f"dfcheck: warning: no Dockerfiles found in {_visible(', '.join(paths))}\n")
    return report.exit_status()


def _format(args) -> str:
    """--format, else github annotations inside GitHub Actions (unless writing to --output), else text."""
    if args.format:
        return args.format
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" and not args.output else "text"


def _render(args, report, stdin: bytes | None) -> str:
    fmt = _format(args)
    if args.include_suppressed and fmt != "sarif":
        raise UsageError("--include-suppressed needs --format sarif")
    if fmt == "text":
        from .reporters import text as reporter

        return reporter.render(report, color=_use_color(args.color, args.output, sys.stdout))
    if fmt == "sarif":
        from .reporters import sarif

        sources = {args.stdin_filename or "-": stdin.decode("utf-8", "replace")} if stdin is not None else None
        try:
            return sarif.render(report, include_suppressed=args.include_suppressed, sources=sources)
        except sarif.SarifUnavailable as e:
            raise UsageError(str(e)) from None
    import importlib

    return importlib.import_module(f".reporters.{fmt}", __package__).render(report)


def _fix(args, report, resolver, stdin: bytes | None) -> int:
    """--fix writes each fixed file, --diff prints what --fix would change. Standard input fixed with --fix:
    the fixed text goes to stdout (for editors and pipes) and the remaining findings to stderr."""
    from .engine import Report, read_source
    from .fixes import applicable, fix_text, unified_diff
    from .reporters import text as reporter

    stdin_name = args.stdin_filename or "-"
    results, fixed, changed = [], 0, 0
    for result in report.files:
        from_stdin = stdin is not None and result.path == stdin_name
        original = text = None
        if any(applicable(f, args.unsafe_fixes) for f in result.findings) or from_stdin:
            original, _ = read_source(result.path, stdin if from_stdin else None)
        if original is not None and any(applicable(f, args.unsafe_fixes) for f in result.findings):
            settings = resolver.settings_for(args.stdin_filename if from_stdin else result.path)
            text, count, result = fix_text(original, result.path, settings, unsafe=args.unsafe_fixes, result=result)
            if text != original:
                fixed, changed = fixed + count, changed + 1
                if args.diff:
                    sys.stdout.write(unified_diff(result.path, original, text))
                elif not from_stdin:
                    write_atomic(result.path, text)
        if from_stdin and not args.diff and original is not None:
            sys.stdout.write(text if text is not None else original)
        results.append(result)
    report = Report(results, report.errors)
    plural = "es" if fixed != 1 else ""
    files = f"{changed} file{'s' if changed != 1 else ''}"
    if args.diff:
        sys.stderr.write(f"{fixed} fix{plural} available in {files}.\n")
        return 1 if fixed else report.exit_status()
    out = sys.stderr if stdin is not None else sys.stdout
    out.write(reporter.render(report, color=_use_color(args.color, args.output, out)))
    sys.stderr.write(f"Fixed {fixed} finding{'s' if fixed != 1 else ''} in {files}.\n")
    for error in report.all_errors:
        sys.stderr.write(error.message + "\n")
    return report.exit_status()


def _use_color(flag: bool | None, output: str | None, stream) -> bool:
    if flag is not None:
        return flag
    if output:
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def write_atomic(path: str, text: str) -> None:
    """Write through a temporary file in the same directory and rename it: readers never see half a file."""
    import stat
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    try:
        info = os.stat(path)
        mode = info.st_mode & 0o7777
        if not stat.S_ISREG(info.st_mode):  # /dev/stdout, a FIFO, /dev/full: write into it, never replace it
            try:
                with open(path, "w", encoding="utf-8", newline="\n") as f:
                    f.write(text)
            except OSError as e:
                raise UsageError(f"--output {path}: {e.strerror or e}") from None
            return
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    except OSError as e:
        raise UsageError(f"--output {path}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise UsageError(f"--output {path}: {e.strerror or e}") from None
        raise


# ---------------------------------------------------------------- dfcheck rules / rule CODE


def rules_command(argv: list[str]) -> int:
    p = _parser("dfcheck rules", "List every rule: code, name, default severity, fix, enabled by default.")
    p.parse_args(argv)
    from .engine import load_rules

    rows = [("CODE", "NAME", "SEVERITY", "FIXABLE", "ENABLED", "ORIGIN")]
    for r in load_rules():
        rows.append((r.code, r.name, r.severity, "yes" if r.fixable else "no", "yes" if r.enabled else "no",
                     r.origin))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        sys.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() + "\n")
    return 0


def rule_page(r) -> str:
    from .docs import rule_text

    return rule_text(r)


def rule_command(argv: list[str]) -> int:
    p = _parser("dfcheck rule", "Show a rule's documentation.")
    p.add_argument("rule", metavar="CODE|NAME")
    args = p.parse_args(argv)
    from .config import rule_for
    from .engine import load_rules

    sys.stdout.write(rule_page(rule_for(args.rule, load_rules(), "dfcheck rule")))
    return 0


# ---------------------------------------------------------------- dfcheck parse FILE


def _read_argument(path: str) -> str | None:
    """The text of the one file a subcommand takes (`-`: standard input); None after saying why not."""
    from .engine import read_source

    text, problem = read_source(path, sys.stdin.buffer.read() if path == "-" else None)
    if problem is not None:
        sys.stderr.write(_visible(f"{path}: cannot read: {problem}") + "\n")
    return text


def parse_command(argv: list[str]) -> int:
    p = _parser("dfcheck parse", "Print a Dockerfile's syntax tree. Exit status 1 when it has syntax errors.")
    p.add_argument("--format", choices=("buildkit", "json"), default="buildkit",
                   help="buildkit: BuildKit's parser-test dump; json: the tree with spans (default: buildkit)")
    p.add_argument("file", metavar="FILE", help="the Dockerfile (`-`: standard input)")
    args = p.parse_args(argv)
    from .syntax import parse
    from .syntax.dump import buildkit_dump, json_tree

    text = _read_argument(args.file)
    if text is None:
        return 2
    dockerfile = parse(text)
    if args.format == "json":
        import json

        try:
            sys.stdout.write(json.dumps(json_tree(dockerfile), indent=2, ensure_ascii=False) + "\n")
        except RecursionError:  # json's encoder recurses once per level of ONBUILD ONBUILD ...
            raise UsageError(f"{args.file}: the syntax tree is nested too deeply to print as JSON") from None
    else:
        sys.stdout.write(buildkit_dump(dockerfile))
    for e in dockerfile.errors:
        sys.stderr.write(_visible(f"{args.file}:{e.span.line}:{e.span.column}: {e.message}") + "\n")
    return 1 if dockerfile.errors else 0


# ---------------------------------------------------------------- dfcheck layers FILE


def layers_command(argv: list[str]) -> int:
    p = _parser("dfcheck layers", "Show, per stage of the image, each layer: what it adds and removes, its "
                "estimated size, its wasted bytes and what invalidates its cache.")
    p.add_argument("--format", choices=("text", "json"), default="text", help="text table or JSON (default: text)")
    p.add_argument("--context", metavar="DIR", help="the build context (default: the Dockerfile's directory)")
    p.add_argument("--target", metavar="STAGE", help="the stage to build (default: the last one)")
    p.add_argument("--build-arg", metavar="NAME=VALUE", action="append", default=[], help="a build argument's value")
    p.add_argument("file", metavar="FILE", help="the Dockerfile (`-`: standard input)")
    args = p.parse_args(argv)
    from .layers_command import layers_report
    from .model import build_model
    from .syntax import parse

    text = _read_argument(args.file)
    if text is None:
        return 2
    context = args.context
    if context is None and args.file != "-" and os.path.isdir(os.path.dirname(os.path.abspath(args.file))):
        context = os.path.dirname(os.path.abspath(args.file))
    model = build_model(parse(text), path=None if args.file == "-" else args.file, context_dir=context,
                        target=args.target, build_args=_pairs(args.build_arg, "--build-arg"))
    for e in model.errors:
        sys.stderr.write(_visible(f"{args.file}:{e.span.line}:{e.span.column}: {e.message}") + "\n")
    sys.stdout.write(layers_report(model, args.format))
    if model.context_error:
        sys.stderr.write(_visible(f"{args.file}: {model.context_error}") + "\n")
        return 2
    return 0


# ---------------------------------------------------------------- dfcheck lsp


def lsp_command(argv: list[str]) -> int:
    import gc

    from .lsp import main as serve  # pygls is imported there, and only there

    gc.enable()  # a long-running server needs its garbage collected
    return serve(argv)

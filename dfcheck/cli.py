"""The command line: `dfcheck [PATH ...]`, `dfcheck rules`, `dfcheck rule CODE`, `dfcheck parse FILE`,
`dfcheck layers FILE`, `dfcheck config --from-hadolint`, `dfcheck lsp`.

Exit status: 0 no finding at or above the fail level; 1 findings at or above it; 2 usage, configuration or
internal error (an unreadable file, a rule that crashed). The user never sees a traceback.
"""

from __future__ import annotations

import os
import sys

from . import __version__

SUBCOMMANDS = {  # name -> what `dfcheck --help` says it does
    "rules": "list the rules, with their hadolint codes and BuildKit checks",
    "rule": "show a rule's documentation (`dfcheck rule DF401`, `dfcheck rule DL3020`)",
    "layers": "show each layer: what it adds and removes, its size, its cache key, the wasted bytes",
    "parse": "print a Dockerfile's syntax tree, or BuildKit's instruction dump",
    "config": "print the [tool.dfcheck] table a .hadolint.yaml amounts to (--from-hadolint)",
    "lsp": "start the language server on standard input and output (for editors)",
}
FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "checkstyle", "junit")


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
                      "layers": layers_command, "config": config_command, "lsp": lsp_command}[argv[0]](argv[1:])
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


# ---------------------------------------------------------------- dfcheck [PATH ...]


def _lint_parser():
    from .config import DEFAULT_EXCLUDE

    width = max(len(name) for name in SUBCOMMANDS)
    p = _parser(
        "dfcheck",
        "Lint Dockerfiles and Containerfiles: the files named, and those found under the\n"
        "directories named (default: the current directory).",
        "commands (`dfcheck COMMAND --help` for each; to lint a directory called like one, write `./rules`):\n"
        + "".join(f"  {name:<{width}}  {text}\n" for name, text in SUBCOMMANDS.items()),
    )
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files and directories to lint (default: .); `-` reads standard input")
    p.add_argument("--format", "--output-format", dest="format", choices=FORMATS + ("full",), metavar="FORMAT",
                   help="output format: text (`full`: the same), concise (one line per finding), json, sarif, "
                        "github, gitlab, checkstyle, junit (default: text; github annotations when "
                        "GITHUB_ACTIONS=true and no --output)")
    p.add_argument("--statistics", action="store_true",
                   help="print how many findings each rule has instead of the findings (text or json)")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when findings are at or above the fail level (errors still exit 2)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print the findings and errors only: no summary line, notes or warnings")
    p.add_argument("--show-settings", metavar="FILE",
                   help="print the settings that apply to FILE and the configuration file they come from; lint "
                        "nothing")
    p.add_argument("--include-suppressed", action="store_true",
                   help="with --format sarif: include inline-suppressed findings, marked as suppressed")
    p.add_argument("--output", metavar="FILE", help="write the output to FILE (atomically) instead of stdout")
    p.add_argument("--select", action="append", metavar="CODES",
                   help="comma-separated codes, prefixes, names or ALL (or hadolint codes, BuildKit check names): "
                        "run exactly these rules")
    p.add_argument("--extend-select", action="append", metavar="CODES", help="run these rules as well")
    p.add_argument("--ignore", action="append", metavar="CODES", help="do not run these rules")
    p.add_argument("--severity", action="append", metavar="CODE=LEVEL",
                   help="override a rule's severity (error, warning, info, style); comma-separated pairs")
    p.add_argument("--fail-on", choices=("error", "warning", "info", "style", "never"),
                   help="exit 1 on findings at or above this severity (default: info)")
    config = p.add_mutually_exclusive_group()
    config.add_argument("--config", metavar="FILE", help="use this configuration file for every file")
    config.add_argument("--no-config", action="store_true", help="ignore configuration files")
    p.add_argument("--context", metavar="DIR", help="the build context (default: each Dockerfile's directory)")
    p.add_argument("--target", metavar="STAGE", help="the stage to build (default: the last)")
    p.add_argument("--build-arg", action="append", metavar="NAME=VALUE", help="a build argument's value")
    p.add_argument("--no-build-files", action="store_true",
                   help="do not read Compose and Bake files: lint each Dockerfile once, with its own directory as the "
                        "context (by default a Dockerfile they build is linted as each of their builds)")
    p.add_argument("--exclude", action="append", metavar="GLOBS",
                   help="comma-separated globs of files and directories to skip when searching directories, instead "
                        "of the configuration's `exclude` (default: " + ", ".join(DEFAULT_EXCLUDE) + ")")
    p.add_argument("--extend-exclude", action="append", metavar="GLOBS", help="skip these as well")
    gitignore = p.add_mutually_exclusive_group()
    gitignore.add_argument("--respect-gitignore", dest="respect_gitignore", action="store_const", const=True,
                           help="skip what .gitignore, .git/info/exclude and .ignore files ignore (the default)")
    gitignore.add_argument("--no-respect-gitignore", dest="respect_gitignore", action="store_const", const=False,
                           help="search ignored files and directories too")
    p.add_argument("--stdin-filename", metavar="NAME",
                   help="the name of the file read from standard input, for output and configuration")
    p.add_argument("--fix", action="store_true", help="apply safe fixes to the files, then report what is left")
    p.add_argument("--diff", action="store_true",
                   help="print what --fix would change as a unified diff (for patch -p1); change nothing")
    p.add_argument("--unsafe-fixes", action="store_true",
                   help="with --fix or --diff: apply unsafe fixes as well; else show them as available")
    p.add_argument("-v", "--verbose", action="store_true", help="with --fix or --diff: say which fixes were not "
                   "applied, and why")
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
    if option == "--severity":  # a list option like the others: `DF401=error,DF604=info` (a build arg may hold commas)
        values = _split(values)
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
    if args.format == "full":
        args.format = "text"
    if args.statistics and _format(args) not in ("text", "json"):
        raise UsageError("--statistics prints text or json")
    resolver = _resolver(args)
    if args.show_settings is not None:
        from .config import describe

        sys.stdout.write(describe(resolver, args.show_settings))
        _notes(resolver, args.quiet)
        return 0

    from .engine import lint_paths

    paths = args.paths or (["-"] if args.stdin_filename else ["."])
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    from .progress import Progress

    progress = None if args.quiet else Progress.on(sys.stderr)
    report = lint_paths(paths, resolver, stdin=stdin, stdin_filename=args.stdin_filename,
                        keep_suppressed=args.include_suppressed, progress=progress)
    if progress is not None:
        progress.clear()
    _notes(resolver, args.quiet)
    if not args.quiet:
        for warning in report.warnings:
            sys.stderr.write(f"dfcheck: warning: {_visible(warning)}\n")
    if args.fix or args.diff:
        status = _fix(args, report, resolver, stdin)
        return 0 if status == 1 and args.exit_zero else status

    if args.statistics:
        from .reporters import statistics

        text = statistics.render(report, _format(args))
    else:
        text = _render(args, report, stdin, resolver)
    if args.output:
        from .files import write_atomic

        try:
            write_atomic(args.output, text)
        except OSError as e:
            raise UsageError(f"--output {args.output}: {e.strerror or e}") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    for error in report.all_errors:
        sys.stderr.write(_visible(error.message) + "\n")
    if not report.files and not args.quiet:
        sys.stderr.write(f"dfcheck: warning: no Dockerfiles found in {_visible(', '.join(paths))}\n")
    status = report.exit_status()
    return 0 if status == 1 and args.exit_zero else status


def _resolver(args):
    """The configuration resolver for a run: the configuration files, with the command line's options on top."""
    from .config import Resolver, parse_table
    from .engine import UNUSED_SUPPRESSION, load_rules

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
        table["exclude"] = _split(args.exclude)
    if args.extend_exclude:
        table["extend-exclude"] = _split(args.extend_exclude)
    if args.respect_gitignore is not None:
        table["respect-gitignore"] = args.respect_gitignore
    if args.no_build_files:
        table["build-files"] = False
    cli = parse_table(table, rules, root=os.getcwd(), where="command line", cli=True)
    return Resolver(rules, cli, config_file=args.config, no_config=args.no_config)


def _notes(resolver, quiet: bool) -> None:
    """Notes about the configuration (hadolint codes read as dfcheck rules, a .hadolint.yaml in use) and what
    the build files read could not say (escaped: they quote the files' text)."""
    if not quiet:
        for note in resolver.notes():
            sys.stderr.write(f"dfcheck: note: {_visible(note)}\n")
        for note in resolver.build_notes():
            sys.stderr.write(f"dfcheck: note: {_visible(note)}\n")



def _format(args) -> str:
    """--format, else github annotations inside GitHub Actions (unless writing to --output), else text."""
    if args.format:
        return args.format
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" and not args.output else "text"


def _render(args, report, stdin: bytes | None, resolver) -> str:
    fmt = _format(args)
    if args.include_suppressed and fmt != "sarif":
        raise UsageError("--include-suppressed needs --format sarif")
    if fmt == "text":
        from .reporters import text as reporter

        color = _use_color(args.color, args.output, sys.stdout)
        if args.quiet:  # the findings without the summary line
            return "".join(reporter.render_finding(f, r.lines, color=color, unsafe=args.unsafe_fixes)
                           for r in report.files for f in r.findings if f.suppressed is None)
        return reporter.render(report, color=color, unsafe=args.unsafe_fixes)
    if fmt == "concise":
        from .reporters import concise

        return concise.render(report, quiet=args.quiet, unsafe=args.unsafe_fixes)
    # The formats that carry fixes offer only those the fix loop would apply, with the file's line ends.
    sources = _verify_fixes(args, report, resolver, stdin) if fmt in ("json", "sarif") else {}
    if fmt == "sarif":
        from .reporters import sarif

        try:
            return sarif.render(report, include_suppressed=args.include_suppressed, sources=sources)
        except sarif.SarifUnavailable as e:
            raise UsageError(str(e)) from None
    import importlib

    return importlib.import_module(f".reporters.{fmt}", __package__).render(report)


def _verify_fixes(args, report, resolver, stdin: bytes | None) -> dict:
    """Leave each finding only the fix the fix loop would apply on its own (the formats that carry fixes offer
    them one by one); {path: text} of the files read."""
    from .engine import read_source
    from .fixes import verified_fixes

    stdin_name = args.stdin_filename or "-"
    sources = {}
    for result in report.files:
        if not result.findings:
            continue
        from_stdin = stdin is not None and result.path == stdin_name
        text, _ = read_source(result.path, stdin if from_stdin else None)
        if text is None:
            continue
        sources[result.path] = text
        if any(f.fix is not None for f in result.findings):
            settings = resolver.settings_for(args.stdin_filename if from_stdin else result.path)
            fixes = verified_fixes(text, result.path, settings, result)
            for f in result.findings:
                f.fix = fixes.get(id(f))
    return sources


def _fix(args, report, resolver, stdin: bytes | None) -> int:
    """--fix writes each fixed file, --diff prints what --fix would write, both through the same verified fix
    loop (dfcheck.fixes) and the same locked read (dfcheck.files). Standard input fixed with --fix: the fixed
    text goes to stdout (for editors and pipes) and the remaining findings to stderr."""
    from .engine import MAX_FILE_BYTES, Error, Report, read_source
    from .files import NotWritable, update
    from .fixes import applicable, fix_text, linted_from, unified_diff
    from .reporters import text as reporter

    unsafe = args.unsafe_fixes
    stdin_name = args.stdin_filename or "-"
    results, errors, notes, diffs = [], list(report.errors), [], []
    fixed = changed = 0
    seen = set()  # (device, inode) of the files fixed: a file named twice (a link) is fixed once
    for result in report.files:
        from_stdin = stdin is not None and result.path == stdin_name
        if not from_stdin and not any(applicable(f, unsafe) for f in result.findings):
            results.append(result)
            continue
        path = result.path
        settings = resolver.settings_for(args.stdin_filename if from_stdin else path)
        done = {}

        def change(data: bytes, path=path, settings=settings, done=done, result=result):
            text, problem = read_source(path, data)
            if problem is not None:
                done["error"] = f"{path}: cannot lint: {problem}"
                return None
            # The fixes are computed on exactly the text they replace: linted again if it changed.
            first = result if linted_from(result, text) else None
            done["text"], done["outcome"] = text, fix_text(text, path, settings, unsafe=unsafe, result=first)
            return done["outcome"].text

        if from_stdin:
            if result.errors:  # not UTF-8, say: already reported
                results.append(result)
                continue
            change(stdin)
        else:
            try:
                st = os.stat(path)
                if (st.st_dev, st.st_ino) in seen:
                    continue
                seen.add((st.st_dev, st.st_ino))
                update(path, change, write=not args.diff, limit=MAX_FILE_BYTES)
            except NotWritable as e:
                done["error"] = f"{path}: cannot write: {e}; not fixed"
            except OSError as e:
                done["error"] = f"{path}: cannot write: {e.strerror or e}; not fixed"
        if "error" in done:
            errors.append(Error(path, done["error"]))
            results.append(result)
            continue
        if "outcome" not in done:
            results.append(result)
            continue
        outcome = done["outcome"]
        errors.extend(outcome.errors)
        notes.extend(f"{path}:{note}" for note in outcome.notes)
        if outcome.text != done["text"]:
            fixed, changed = fixed + len(outcome.fixed), changed + 1
            if args.diff:
                diffs.append(unified_diff(path, done["text"], outcome.text))
        if from_stdin and not args.diff:
            _write_out(outcome.text)
        results.append(outcome.result)
    report = Report(results, errors)
    plural = "es" if fixed != 1 else ""
    files = f"{changed} file{'s' if changed != 1 else ''}"
    if args.diff:
        _write_out("".join(diffs))
    else:
        out = sys.stderr if stdin is not None else sys.stdout
        out.write(reporter.render(report, color=_use_color(args.color, args.output, out), unsafe=unsafe))
    if args.verbose:
        sys.stderr.write("".join(_visible(note) + "\n" for note in notes))
    if args.diff:
        sys.stderr.write(f"{fixed} fix{plural} available in {files}.\n")
    else:
        sys.stderr.write(f"Fixed {fixed} finding{'s' if fixed != 1 else ''} in {files}.\n")
    for error in report.all_errors:
        sys.stderr.write(_visible(error.message) + "\n")
    if args.diff and fixed and not report.all_errors:
        return 1
    return report.exit_status()


def _write_out(text: str) -> None:
    """Text that must reach stdout byte for byte (a diff for patch, a fixed file): UTF-8, nothing escaped."""
    sys.stdout.flush()
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        sys.stdout.write(text)
    else:
        stream.write(text.encode("utf-8"))
    sys.stdout.flush()


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


# ---------------------------------------------------------------- dfcheck rules / rule CODE


def rules_command(argv: list[str]) -> int:
    p = _parser("dfcheck rules", "List every rule: code, name, default severity, fix, enabled by default, origin, "
                "and the hadolint codes and BuildKit checks it answers to.")
    p.add_argument("--format", choices=("text", "json"), default="text", help="a table or JSON (default: text)")
    args = p.parse_args(argv)
    from .engine import load_rules

    rules = load_rules()
    if args.format == "json":
        import json

        from .docs import rule_url

        data = [{"code": r.code, "name": r.name, "severity": r.severity, "fixable": r.fixable, "enabled": r.enabled,
                 "origin": r.origin, "hadolint": list(r.hadolint), "buildkit": list(r.buildkit),
                 "options": r.options, "summary": r.summary, "url": rule_url(r)} for r in rules]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    rows = [("CODE", "NAME", "SEVERITY", "FIXABLE", "ENABLED", "ORIGIN", "HADOLINT", "BUILDKIT")]
    for r in rules:
        fix = r.fixable if isinstance(r.fixable, str) else ("yes" if r.fixable else "no")  # safe, unsafe, depends
        rows.append((r.code, r.name, r.severity, fix, "yes" if r.enabled else "no",
                     r.origin, ",".join(r.hadolint) or "-", ",".join(r.buildkit) or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        sys.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() + "\n")
    return 0


def rule_page(r) -> str:
    from .docs import rule_text

    return rule_text(r)


def rule_command(argv: list[str]) -> int:
    p = _parser("dfcheck rule", "Show a rule's documentation, by code or name, or by a hadolint code or BuildKit "
                "check name (the pages of the rules that answer to it).")
    p.add_argument("rule", metavar="CODE|NAME")
    args = p.parse_args(argv)
    from .config import join_notes, rules_for
    from .engine import load_rules

    notes: list = []
    found = rules_for(args.rule, load_rules(), "dfcheck rule", notes)
    for note in join_notes(notes):
        sys.stderr.write(f"dfcheck: note: {note}\n")
    sys.stdout.write("\n".join(rule_page(r) for r in found))
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
                "estimated size, its wasted bytes and what invalidates its cache. The file is built as when linting: "
                "as the Compose service or Bake target that builds it says (the first, unless one is picked), with "
                "the configuration (context, target, build-args) and the options given here on top. The text "
                "output starts with how it is built and what its base images bring.")
    p.add_argument("--format", choices=("text", "json"), default="text", help="text table or JSON (default: text)")
    p.add_argument("--context", metavar="DIR", help="the build context (default: the Dockerfile's directory)")
    p.add_argument("--target", metavar="STAGE", help="the stage to build (default: the last one)")
    p.add_argument("--build-arg", metavar="NAME=VALUE", action="append", default=[], help="a build argument's value")
    p.add_argument("--stdin-filename", metavar="NAME", help="with `-`: the file's name, for the configuration")
    pick = p.add_mutually_exclusive_group()
    pick.add_argument("--service", metavar="NAME", help="the build of this Compose service")
    pick.add_argument("--bake-target", metavar="NAME", help="the build of this Bake target")
    pick.add_argument("--no-build-files", action="store_true", help="do not read Compose and Bake files")
    config = p.add_mutually_exclusive_group()
    config.add_argument("--config", metavar="FILE", help="use this configuration file")
    config.add_argument("--no-config", action="store_true", help="ignore configuration files")
    p.add_argument("file", metavar="FILE", help="the Dockerfile (`-`: standard input)")
    args = p.parse_args(argv)
    from .builds import choose, show
    from .config import Resolver, parse_table
    from .engine import load_rules, missing_target
    from .layers_command import layers_report
    from .model import build_model
    from .syntax import parse

    table: dict = {}
    if args.context is not None:
        if not os.path.isdir(args.context):
            raise UsageError(f"--context {args.context}: no such directory")
        table["context"] = args.context
    if args.target is not None:
        table["target"] = args.target
    if args.build_arg:
        table["build-args"] = _pairs(args.build_arg, "--build-arg")
    if args.no_build_files:
        table["build-files"] = False
    rules = load_rules()
    cli = parse_table(table, rules, root=os.getcwd(), where="command line", cli=True)
    resolver = Resolver(rules, cli, config_file=args.config, no_config=args.no_config)
    name = args.stdin_filename if args.file == "-" else args.file
    inputs = resolver.inputs(name)
    try:
        chosen = choose(inputs, service=args.service, bake_target=args.bake_target)
    except ValueError as e:
        raise UsageError(f"{args.file}: {e}") from None
    build = inputs[chosen]
    text = _read_argument(args.file)
    if text is None:
        return 2
    model = build_model(parse(text), path=None if args.file == "-" else args.file, context_dir=build.context_dir,
                        target=build.target, build_args=build.build_args, named_contexts=build.named_contexts)
    _notes(resolver, False)
    problem = missing_target(model, build.target)
    if problem is not None:
        raise UsageError(f"{args.file}: {problem}")
    for e in model.errors:
        sys.stderr.write(_visible(f"{args.file}:{e.span.line}:{e.span.column}: {e.message}") + "\n")
    if args.format == "text":
        sys.stdout.write(show(resolver, name or "-", text, chosen=chosen) + "\n")
    sys.stdout.write(layers_report(model, args.format))
    if model.context_error:
        sys.stderr.write(_visible(f"{args.file}: {model.context_error}") + "\n")
        return 2
    return 0


# ---------------------------------------------------------------- dfcheck config --from-hadolint [FILE]


def config_command(argv: list[str]) -> int:
    p = _parser("dfcheck config", "Move a configuration to dfcheck.")
    p.add_argument("--from-hadolint", nargs="?", const="", metavar="FILE",
                   help="print the [tool.dfcheck] table that a hadolint configuration amounts to (default: "
                        ".hadolint.yaml or .hadolint.yml in the current directory)")
    args = p.parse_args(argv)
    if args.from_hadolint is None:
        p.error("say what to convert: --from-hadolint [FILE]")
    from .config import HADOLINT_NAMES
    from .engine import load_rules
    from .hadolint import to_toml

    path = args.from_hadolint or next((n for n in HADOLINT_NAMES if os.path.isfile(n)), None)
    if path is None:
        raise UsageError(f"--from-hadolint: no {' or '.join(HADOLINT_NAMES)} in the current directory; name the file")
    if not os.path.isfile(path):
        raise UsageError(f"--from-hadolint {path}: no such file")
    sys.stdout.write(to_toml(path, load_rules()))
    return 0


# ---------------------------------------------------------------- dfcheck lsp


def lsp_command(argv: list[str]) -> int:
    import gc

    from .lsp import main as serve  # pygls is imported there, and only there

    gc.enable()  # a long-running server needs its garbage collected
    return serve(argv)

"""`dfcheck [PATH ...]`: its options (read without argparse on the usual command lines), the lint, `--fix` and
`--diff`, and the output."""

from __future__ import annotations

import os
import sys

from .. import __version__
from ..reporters import FORMATS
from . import SUBCOMMANDS, UsageError, _parser, _visible


def _lint_parser():
    from ..config import DEFAULT_EXCLUDE

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


# The lint command's options as the quick reading below knows them: option -> (dest, kind, choices or const).
# A test checks this table against _lint_parser().
_FLAGS = {"--statistics": "statistics", "--exit-zero": "exit_zero", "-q": "quiet", "--quiet": "quiet",
          "--include-suppressed": "include_suppressed", "--no-config": "no_config",
          "--no-build-files": "no_build_files", "--fix": "fix", "--diff": "diff", "--unsafe-fixes": "unsafe_fixes", "-v": "verbose", "--verbose": "verbose",
          "--report-unused-suppressions": "report_unused_suppressions"}
_VALUES = {"--format": "format", "--output-format": "format", "--show-settings": "show_settings", "--output": "output",
           "--fail-on": "fail_on", "--config": "config", "--context": "context", "--target": "target",
           "--stdin-filename": "stdin_filename"}
_LISTS = {"--select": "select", "--extend-select": "extend_select", "--ignore": "ignore", "--severity": "severity",
          "--build-arg": "build_arg", "--exclude": "exclude", "--extend-exclude": "extend_exclude"}
_CONSTS = {"--respect-gitignore": ("respect_gitignore", True), "--no-respect-gitignore": ("respect_gitignore", False),
           "--color": ("color", True), "--no-color": ("color", False)}
_CHOICES = {"format": FORMATS + ("full",), "fail_on": ("error", "warning", "info", "style", "never")}
_EXCLUSIVE = (("config", "no_config"), ("--respect-gitignore", "--no-respect-gitignore"), ("--color", "--no-color"))


def _quick_args(argv: list[str]):
    """The lint command's arguments read without argparse (importing and building it is ~8 ms of a one-file run),
    for the usual command lines: exact option names, then or before the paths. Anything else (help, --version,
    an abbreviation, a mistake, options among the paths) returns None, and argparse reads it and says what is
    wrong, as ever."""
    from types import SimpleNamespace

    args = dict.fromkeys(("format", "show_settings", "output", "select", "extend_select", "ignore", "severity",
                          "fail_on", "config", "context", "target", "build_arg", "exclude", "extend_exclude",
                          "respect_gitignore", "stdin_filename", "color"))
    args.update(dict.fromkeys(_FLAGS.values(), False))
    paths: list[str] = []
    seen = set()  # options and dests given, for the mutually exclusive ones
    paths_ended = False  # an option came after paths
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg == "-" or not arg.startswith("-"):
            if paths and paths_ended:
                return None  # argparse takes the paths in one run
            paths.append(arg)
            continue
        paths_ended = paths_ended or bool(paths)
        name, eq, value = arg.partition("=")
        if name in _FLAGS and not eq:
            args[_FLAGS[name]] = True
            seen.add(_FLAGS[name])
        elif name in _CONSTS and not eq:
            dest, const = _CONSTS[name]
            args[dest] = const
            seen.add(name)
        elif name in _VALUES or name in _LISTS:
            if not eq:
                if i == len(argv) or argv[i].startswith("-"):
                    return None
                value = argv[i]
                i += 1
            dest = _VALUES.get(name) or _LISTS[name]
            if value not in _CHOICES.get(dest, (value,)):
                return None
            seen.add(dest)
            if name in _LISTS:
                args[dest] = (args[dest] or []) + [value]
            else:
                args[dest] = value
        else:
            return None
    if any(a in seen and b in seen for a, b in _EXCLUSIVE):
        return None
    return SimpleNamespace(paths=paths, **args)


def lint_command(argv: list[str]) -> int:
    args = _quick_args(argv) or _lint_parser().parse_args(argv)
    if args.format == "full":
        args.format = "text"
    if args.statistics and _format(args) not in ("text", "json"):
        raise UsageError("--statistics prints text or json")
    resolver = _resolver(args)
    if args.show_settings is not None:
        from ..config import describe

        sys.stdout.write(describe(resolver, args.show_settings))
        _notes(resolver, args.quiet)
        return 0

    from ..engine import lint_paths

    paths = args.paths or (["-"] if args.stdin_filename else ["."])
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    from ..progress import Progress

    progress = None if args.quiet else Progress.on(sys.stderr)
    # What shows fixes shows those the fix loop would apply (--fix and --diff run the loop themselves)
    then = None
    if not (args.fix or args.diff) and (args.statistics or _format(args) in _SHOWS_FIXES):
        then = _keep_verified
    report = lint_paths(paths, resolver, stdin=stdin, stdin_filename=args.stdin_filename,
                        keep_suppressed=args.include_suppressed, progress=progress, then=then)
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
        from ..reporters import statistics

        text = statistics.render(report, _format(args))
    else:
        text = _render(args, report, stdin, resolver)
    if args.output:
        from ..files import write_atomic

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
    from ..config import Resolver, parse_table
    from ..engine import UNUSED_SUPPRESSION, indexed_rules

    rules = indexed_rules()
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
    table.update(_build_options(args))
    if args.exclude:
        table["exclude"] = _split(args.exclude)
    if args.extend_exclude:
        table["extend-exclude"] = _split(args.extend_exclude)
    if args.respect_gitignore is not None:
        table["respect-gitignore"] = args.respect_gitignore
    cli = parse_table(table, rules, root=os.getcwd(), where="command line", cli=True)
    return Resolver(rules, cli, config_file=args.config, no_config=args.no_config)


def _build_options(args) -> dict:
    """The configuration table of the options that say how the file is built, which `dfcheck` and `dfcheck
    layers` both take: --context, --target, --build-arg and --no-build-files. UsageError for a bad value."""
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
    return table


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
    from ..reporters import Display, render

    fmt = _format(args)
    if args.include_suppressed and fmt != "sarif":
        raise UsageError("--include-suppressed needs --format sarif")
    report.display = Display(color=fmt == "text" and _use_color(args.color, args.output, sys.stdout),
                             unsafe_fixes=args.unsafe_fixes, quiet=args.quiet,
                             include_suppressed=args.include_suppressed)
    if fmt == "sarif":
        from ..reporters.sarif import SarifUnavailable

        try:
            return render(report, fmt)
        except SarifUnavailable as e:
            raise UsageError(str(e)) from None
    return render(report, fmt)


# The formats that show fixes: the `[*]` of text and concise, the fixes of JSON and SARIF (and --statistics' fixable
# counts). They show only the fixes the fix loop would apply, with the file's line ends.
_SHOWS_FIXES = ("text", "concise", "json", "sarif")


def _keep_verified(result, settings) -> None:
    """`fixes.keep_verified`, with the fix loop imported only for a file that has a fix to show (1.3 M
    instructions of a one-file run)."""
    if result.text is not None and any(f.fix is not None for f in result.findings):
        from ..fixes import keep_verified

        keep_verified(result, settings)


def _fix(args, report, resolver, stdin: bytes | None) -> int:
    """--fix writes each fixed file, --diff prints what --fix would write, both through the same verified fix
    loop (dfcheck.fixes) and the same locked read (dfcheck.files). Standard input fixed with --fix: the fixed
    text goes to stdout (for editors and pipes) and the remaining findings to stderr."""
    from ..engine import Error, Report
    from ..files import MAX_FILE_BYTES, read_source
    from ..files import NotWritable, update
    from ..fixes import applicable, fix_text, linted_from, unified_diff
    from ..reporters import Display
    from ..reporters import text as reporter

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
        report.display = Display(color=_use_color(args.color, args.output, out), unsafe_fixes=unsafe)
        out.write(reporter.render(report))
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

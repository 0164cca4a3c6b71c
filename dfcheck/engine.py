"""The engine: load the rules, lint text and files with them, collect findings and errors.

    rules = load_rules()                              # built-in and plugin rules, through one loader
    result = lint_text(text, "Dockerfile", default_settings(rules))
    report = lint_paths(["."], Resolver(rules))       # discovery, configuration, both cores

A reporter reads `report.files` (one `FileResult` per linted file, in path order, each with its sorted
`findings` and its source `lines`) or the flat `report.findings`, and `report.all_errors` (one-line
messages: unreadable files, crashed rules); `report.exit_status()` is what the command returns. Suppressed
findings are dropped unless `keep_suppressed=True`, which keeps them with `Finding.suppressed` set.
"""

from __future__ import annotations

import os
import sys

from .config import Resolver, Settings
from .files import read_source
from .rule import SEVERITIES, Finding, Rule
from .syntax.nodes import Span

# Below this a process pool costs more than it saves. The pool costs 30-60 ms of CPU (warm-up, fork, results
# sent back) and a file ~9 ms: on two idle cores it pays from ~10 files, but on two busy cores (a CI runner, a
# pre-commit run next to a build) it made 8 files 1.76x slower, 16 files 1.31x, 32 files 1.12x, 128 files 1.03x.
PARALLEL_MIN_FILES = 32
UNUSED_SUPPRESSION = "DF003"  # the rule whose findings the engine produces itself
# Rules about the file as a whole (syntax, structure, suppressions, BuildKit's casing checks): they read the
# ONBUILD lines themselves and do not run on the model of the triggers.
FILE_RULES = ("DF0",)
ENTRY_POINT_GROUP = "dfcheck.rules"


class RuleLoadError(Exception):
    """The rules cannot be loaded (a plugin fails to import, two rules share a code); one line for the user."""


class Error:
    """Something that kept a file from being linted fully: an unreadable file, a rule that crashed."""

    __slots__ = ("path", "message")

    def __init__(self, path: str, message: str):
        self.path = path
        self.message = message  # one line, naming the path

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"Error({self.path!r}, {self.message!r})"


class FileResult:
    __slots__ = ("path", "findings", "errors", "lines", "fail_on", "text")

    def __init__(self, path: str, findings=None, errors=None, lines=None, fail_on: str = "info",
                 text: str | None = None):
        self.path = path  # as given on the command line or discovered
        self.findings: list[Finding] = findings or []  # sorted by line, column, code
        self.errors: list[Error] = errors or []
        self.lines: list[str] = lines or []  # the source's physical lines, for showing context
        self.fail_on = fail_on
        self.text = text  # the text linted (None: the file could not be read), so no output format reads disk


class Report:
    __slots__ = ("files", "errors", "warnings", "rules", "display")

    def __init__(self, files: list[FileResult], errors=None, warnings=None, rules=()):
        self.files = files  # in path order
        self.errors: list[Error] = errors or []  # errors not tied to one linted file
        self.warnings: list[str] = warnings or []  # one-line messages: files the search skipped, and why
        self.rules: tuple[Rule, ...] = tuple(rules)  # every rule the run knew, for the formats that describe them
        self.display = None  # how to show it (`reporters.Display`), set by the command line; None: the defaults

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    @property
    def all_errors(self) -> list[Error]:
        return [e for r in self.files for e in r.errors] + self.errors

    def exit_status(self) -> int:
        """0: nothing at or above the fail level; 1: findings at or above it; 2: errors."""
        if self.all_errors:
            return 2
        for r in self.files:
            if any(f.suppressed is None and fails(f.severity, r.fail_on) for f in r.findings):
                return 1
        return 0


def fails(severity: str, fail_on: str) -> bool:
    if fail_on == "never" or severity not in SEVERITIES:
        return False
    return SEVERITIES.index(severity) <= SEVERITIES.index(fail_on)


# ---------------------------------------------------------------- loading rules

_loaded: list[Rule] | None = None
_indexed: list[Rule] | None = None


def load_rules() -> list[Rule]:
    """Every rule: the modules of the `dfcheck.rules` package, then the `dfcheck.rules` entry points."""
    global _loaded
    if _loaded is None:
        import dfcheck.rules as package

        found: list[tuple[Rule, str]] = []  # (rule, where it was found)
        for directory in package.__path__:
            try:
                names = sorted(n[:-3] for n in os.listdir(directory) if n.endswith(".py") and n[0] != "_")
            except OSError:
                continue
            for name in names:
                module = _import(f"dfcheck.rules.{name}", "dfcheck")
                found.extend((r, module.__name__) for r in rules_in(module))
        _loaded = _with_plugins(found)
    return _loaded


def indexed_rules() -> list[Rule]:
    """The rules of load_rules(), the built-in ones read from the generated rule index (`dfcheck.rule_index`):
    each one's module is imported when the rule first runs or its page is read. What the lint command uses."""
    global _indexed
    if _loaded is not None:
        return _loaded
    if _indexed is None:
        from .rule_index import indexed_rules as from_index
        from .rules._index import RULES

        _indexed = _with_plugins([(r, r.source) for r in from_index(RULES)])
    return _indexed


def _with_plugins(found: list[tuple[Rule, str]]) -> list[Rule]:
    """The built-in rules found, then those of the `dfcheck.rules` entry points, in code order."""
    for dist, target in plugin_entry_points():
        obj = _import_target(target, dist)
        rules = [obj] if isinstance(obj, Rule) else rules_in(obj)
        found.extend((r.replace(origin=dist), f"{dist} ({target})") for r in rules)
    return check_unique(found)


def rules_in(module) -> list[Rule]:
    """The Rule objects a module defines, each once."""
    seen = {}
    for value in vars(module).values():
        if isinstance(value, Rule):
            seen.setdefault(id(value), value)
    return list(seen.values())


def check_unique(found: list[tuple[Rule, str]]) -> list[Rule]:
    by_code: dict[str, str] = {}
    by_name: dict[str, str] = {}
    out = []
    for r, where in found:
        for key, table, what in ((r.code, by_code, "code"), (r.name, by_name, "name")):
            if key in table:
                raise RuleLoadError(f"rule {what} {key} is defined twice: by {table[key]} and by {where}")
            table[key] = where
        out.append(r)
    return sorted(out, key=lambda r: r.code)


def _import(name: str, dist: str):
    import importlib

    try:
        return importlib.import_module(name)
    except Exception as e:
        raise RuleLoadError(f"cannot load rules from {name} ({dist}): {type(e).__name__}: {_one_line(e)}") from None


def _import_target(target: str, dist: str):
    module_name, _, attr = target.partition(":")
    obj = _import(module_name.strip(), dist)
    for part in attr.strip().split(".") if attr.strip() else ():
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise RuleLoadError(f"cannot load rules from {target} ({dist}): no attribute {part}") from None
    return obj


def plugin_entry_points(path: list[str] | None = None) -> list[tuple[str, str]]:
    """(distribution name, "module[:attr]") of each entry point in the `dfcheck.rules` group.

    Reads `entry_points.txt` of the installed distributions on sys.path directly: importing
    importlib.metadata alone costs ~25 ms, a third of a one-file run. Like importlib.metadata, the first
    distribution of a name on the path wins.
    """
    header = f"[{ENTRY_POINT_GROUP}]"
    seen: set[str] = set()
    out = []
    for entry in sys.path if path is None else path:
        directory = entry or "."
        try:
            names = os.listdir(directory)
        except OSError:  # not a directory (a zip file), or gone
            continue
        for name in sorted(names):
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            dist = _normalize(name.rsplit(".", 1)[0].split("-", 1)[0])
            if dist in seen:
                continue
            seen.add(dist)
            try:
                with open(os.path.join(directory, name, "entry_points.txt"), encoding="utf-8") as f:
                    text = f.read()
            except (OSError, UnicodeDecodeError):
                continue
            if header not in text:
                continue
            dist_name = _metadata_name(os.path.join(directory, name)) or dist
            out.extend((dist_name, value) for value in _section(text, header))
    return out


def _normalize(name: str) -> str:
    return name.replace("-", "_").replace(".", "_").lower()


def _section(text: str, header: str) -> list[str]:
    values, inside = [], False
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            inside = line == header
        elif inside and "=" in line and not line.startswith(("#", ";")):
            values.append(line.split("=", 1)[1].strip())
    return values


def _metadata_name(info_dir: str) -> str | None:
    for meta in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(info_dir, meta), encoding="utf-8") as f:
                for line in f:
                    if line.startswith("Name:"):
                        return line[5:].strip()
                    if not line.strip():
                        break
        except (OSError, UnicodeDecodeError):
            continue
    return None


# ---------------------------------------------------------------- linting


def lint_text(text: str, path: str, settings: Settings, *, keep_suppressed: bool = False,
              pending: dict | None = None) -> FileResult:
    """Lint one file's text: parse once, and for each of its builds (`settings.builds`, else the one the settings
    describe) build the model once and run every selected rule on it. A finding that not every build has says
    which builds it belongs to (`Finding.builds`); one that all have is reported once.

    `pending`: rule code -> what that rule left unchecked in this lint (a list it fills while it runs: the
    language server's first lint without ShellCheck); while it is not empty, the rule's findings may be missing,
    so no suppression is reported unused for them (DF003)."""
    from . import suppressions
    from .syntax import parse

    result = FileResult(path, fail_on=settings.fail_on, text=text)
    try:
        dockerfile = parse(text)
        result.lines = dockerfile.lines
    except Exception as e:  # a bug in the parser: report it, go on with the other files
        result.errors.append(Error(path, f"{path}: cannot lint: internal error: {type(e).__name__}: {_one_line(e)}"))
        return result
    selected: set = set()
    runs = []  # (the build's names, its findings)
    for build in settings.builds or (settings,):
        names = getattr(build, "names", ())
        found = _lint_build(dockerfile, path, settings, build, result, selected)
        if found is not None:
            runs.append((names, found))
    findings = _merge_builds(runs)

    sups = suppressions.collect(dockerfile, settings.known, settings.build_args)
    if sups:
        suppressions.apply(sups, findings)
        if UNUSED_SUPPRESSION in selected:
            own = next(r for r in settings.rules if r.code == UNUSED_SUPPRESSION)
            incomplete = frozenset(code for code, left in (pending or {}).items() if left)
            extra = suppressions.unused(sups, settings.known, selected, UNUSED_SUPPRESSION, incomplete)
            for f in extra:
                _stamp(f, own, path, settings)
            suppressions.apply(sups, extra)  # `ignore-file=DF003` silences these too
            findings.extend(extra)
    if not keep_suppressed:
        findings = [f for f in findings if f.suppressed is None]
    findings.sort(key=lambda f: (f.span.line, f.span.column, f.code, f.span.end_line, f.span.end_column))
    result.findings = findings
    return result


def _lint_build(dockerfile, path: str, settings: Settings, build, result: FileResult, selected: set):
    """The findings of one build (a `builds.Build`, or the settings themselves), or None when it cannot be
    linted (the error is added to `result`)."""
    from . import suppressions
    from .model import build_model

    names = getattr(build, "names", ())
    where = f" as built by {', '.join(build.origins)}" if names else ""

    def error(message: str) -> None:
        if message not in (e.message for e in result.errors):
            result.errors.append(Error(path, message))

    try:
        model = build_model(dockerfile, path=path, context_dir=build.context_dir, target=build.target,
                            build_args=build.build_args, named_contexts=getattr(build, "named_contexts", None))
    except Exception as e:  # a bug in the model: report it, go on with the other files
        error(f"{path}: cannot lint{where}: internal error: {type(e).__name__}: {_one_line(e)}")
        return None
    problem = missing_target(model, build.target)
    if problem is not None:  # `docker build --target` would stop here: a usage error, not a finding
        error(f"{path}: cannot lint{where}: {problem}")
        return None

    findings: list[Finding] = []
    checks = suppressions.check_options(dockerfile, {k: v for k, v in build.build_args.items() if v is not None})
    triggers = _trigger_model(model, result, path)
    present = _keywords(dockerfile)
    keys = _stage_keys(model, build, triggers)
    for r in settings.rules + _experimental(settings, checks):
        selected.add(r.code)
        if r.code == UNUSED_SUPPRESSION or (r.reads and present.isdisjoint(r.reads)):
            continue
        try:
            options = settings.options.get(r.code, r.options)
            if keys is not None and r.scope == "stage":
                from . import reuse

                produced = reuse.check(r, options, keys, path)
            else:
                produced = list(r.check(model, options) or ())
            if triggers and not r.code.startswith(FILE_RULES):
                produced += _in_triggers(triggers, r, options)
            for f in produced:
                if not isinstance(f, Finding) or not isinstance(f.span, Span):
                    raise TypeError(f"yielded {type(f).__name__} {f!r:.60}, not a Finding with a Span")
        except Exception as e:
            error(f"rule {r.code} ({r.name}) failed on {path}{where}: {type(e).__name__}: {_one_line(e)}")
            continue
        for f in produced:
            _stamp(f, r, path, settings)
            if checks.error and r.buildkit and r.code not in settings.severity:
                f.severity = "error"  # `# check=error=true`: BuildKit fails the build on its checks' findings
        findings.extend(produced)
    if model.context_error:  # an unreadable .dockerignore (found when a rule asked for the context): what the
        error(f"{path}: {model.context_error}")  # rules said without the context is kept
    return findings


def _keywords(dockerfile) -> set[str]:
    """The keywords of the file's instructions and of those its ONBUILDs register (for `Rule.reads`)."""
    out = set()
    for node in dockerfile.instructions:
        while node is not None:
            out.add(node.keyword)
            node = node.trigger
    return out


def _stage_keys(model, build, triggers):
    """What the findings of rules that read one stage at a time are kept by (`reuse.StageKeys`) when a
    long-running process keeps them (dfcheck.reuse), else None; None too for a file with ONBUILD triggers."""
    reuse = sys.modules.get(__package__ + ".reuse")  # imported by `keep_findings`: never on the command line
    if reuse is None or not reuse.active() or triggers or not model.stages:
        return None
    from .model.context import contexts_generation

    named = getattr(build, "named_contexts", None) or {}
    return reuse.StageKeys(model, (build.context_dir, build.target, tuple(sorted(build.build_args.items())),
                                   tuple(sorted(named.items())), contexts_generation()))


def _merge_builds(runs: list) -> list[Finding]:
    """The findings of every build, each once: one that some builds lack is labelled with the names of those
    that have it (`Finding.builds`). Alike means the same rule, place, message and severity."""
    if len(runs) == 1:
        return runs[0][1]
    merged: dict[tuple, tuple[Finding, list]] = {}
    for names, found in runs:
        seen: dict[tuple, int] = {}
        for f in found:
            s = f.span
            key = (f.code, s.line, s.column, s.end_line, s.end_column, f.message, f.severity)
            seen[key] = seen.get(key, 0) + 1
            key += (seen[key],)  # a rule that reports the same thing twice in one build keeps both
            if key in merged:
                merged[key][1].extend(names)
            else:
                merged[key] = (f, list(names))
    everyone = [n for names, _ in runs for n in names]
    out = []
    for f, names in merged.values():
        if len(names) < len(everyone):
            f.builds = tuple(names)
        out.append(f)
    return out


def _trigger_model(model, result: FileResult, path: str) -> list:
    """The models of the builds that run the file's ONBUILD triggers (`Model.onbuild`)."""
    if not any(n.keyword == "ONBUILD" for n in model.instructions):
        return []
    try:
        return model.onbuild
    except Exception as e:  # a bug: the rest of the file is still linted
        result.errors.append(Error(path, f"{path}: cannot lint the ONBUILD triggers: internal error: "
                                         f"{type(e).__name__}: {_one_line(e)}"))
        return []


def _in_triggers(triggers, rule: Rule, options) -> list[Finding]:
    """What `rule` finds on the trigger instructions of the trigger models (not on the copies and stand-ins they
    start with), each saying in which build the instruction runs; a trigger run in several stages is reported
    once."""
    out, seen = [], set()
    for model in triggers:
        for f in rule.check(model, options) or ():
            if not isinstance(f, Finding) or not isinstance(f.span, Span):
                out.append(f)  # the caller reports the rule's mistake
                continue
            note = next((n for s, n in model.trigger_notes if s.contains(f.span.line, f.span.column)), None)
            key = (f.span.line, f.span.column, f.span.end_line, f.span.end_column, f.message)
            if note is not None and key not in seen:
                seen.add(key)
                f.message += note
                out.append(f)
    return out


def _experimental(settings: Settings, checks) -> tuple:
    """The rules off by default that `# check=experimental=NAME` turns on, as BuildKit runs its experimental
    checks only when asked."""
    if not checks.experimental:
        return ()
    from .suppressions import named

    chosen = {r.code for r in settings.rules}
    wanted = named(settings.known, checks.experimental)
    return tuple(r for r in settings.known if r.code in wanted and not r.enabled and r.code not in chosen)


def missing_target(model, target: str | None) -> str | None:
    """Why the stage to build is not in the Dockerfile, or None when it is (or none was asked for)."""
    if not target or model.stage_named(target) is not None:
        return None
    names = [s.name for s in model.stages if s.name]
    return (f'the target "{target}" is not a stage of this Dockerfile ('
            + (f"its named stages: {', '.join(names)})" if names else "it names no stage)"))


def _stamp(f: Finding, r: Rule, path: str, settings: Settings) -> None:
    f.code, f.name, f.path = r.code, r.name, path
    # The configuration decides; else what the rule said for this finding; else the rule's default.
    f.severity = settings.severity.get(r.code) or (f.severity if f.severity in SEVERITIES else r.severity)


def _one_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else "(no message)"


def lint_file(path: str, settings: Settings, *, data: bytes | None = None,
              keep_suppressed: bool = False) -> FileResult:
    """Read and lint one file; a file that cannot be read becomes an error, never an exception."""
    text, problem = read_source(path, data)
    if problem is not None:
        return FileResult(path, errors=[Error(path, f"{path}: cannot lint: {problem}")], fail_on=settings.fail_on)
    return lint_text(text, path, settings, keep_suppressed=keep_suppressed)


_jobs: list = []  # set before forking: workers find their work by index, nothing is pickled but results
# Linted before forking, so that the workers inherit what linting imports (parser, model, shell parser...)
# instead of each importing it again.
WARM_UP = ("FROM alpine:3 AS build\nARG V=1\nWORKDIR /src\nCOPY requirements.txt .\n"
           "RUN apt-get update && apt-get install -y curl && pip install -r requirements.txt && rm -rf /tmp/x\n"
           "FROM scratch\nCOPY --from=build /src /app\nUSER app\nCMD [\"/app/run\"]\n")


def _run_job(i: int) -> FileResult:
    result = _lint_job(*_jobs[i])
    _collect()
    return result


def _lint_job(path: str, settings: Settings, data: bytes | None, keep: bool, then) -> FileResult:
    result = lint_file(path, settings, data=data, keep_suppressed=keep)
    if then is not None:
        then(result, settings)
    return result


def _collect() -> None:
    """Between files, when the garbage collector is off (the command's own short life, and its workers): free
    the reference cycles the file's model made, which are all young. Memory then stays flat over thousands
    of files (it grew 0.15 MB a file), for about the time the collector would take on its own."""
    import gc

    if not gc.isenabled():
        gc.collect(0)


def _run_chunk(start: int, end: int) -> list[FileResult]:
    return [_run_job(i) for i in range(start, end)]


def _stream_jobs(indices: list[int], connection) -> None:
    """In a child process: lint the jobs one by one, sending each (index, result) as soon as it is done."""
    for i in indices:
        connection.send((i, _run_job(i)))
    connection.close()


def lint_paths(paths: list[str], resolver: Resolver, *, stdin: bytes | None = None,
               stdin_filename: str | None = None, keep_suppressed: bool = False,
               jobs: int | None = None, progress=None, then=None) -> Report:
    """Lint files and directories (`-`: `stdin`'s bytes, shown as `stdin_filename` or `-`). `then(result,
    settings)`, if given, is called on each file's result where the file is linted (in the worker processes,
    when there are several): the command line's check of the fixes it shows (`fixes.keep_verified`).

    Errors in one file never stop the others. With PARALLEL_MIN_FILES or more files, and a platform that
    can fork, the files are shared out among the available cores. `progress(done, total)`, if given, is
    called as files are done.
    """
    from .discovery import discover

    work = []
    seen = set()
    problems: list = []  # what the search could not use: (path, message, error)
    for path, _explicit in discover(paths, resolver.excluded, respect_gitignore=resolver.respect_gitignore(),
                                    problems=problems):
        if path == "-":
            shown = stdin_filename or "-"
            work.append((shown, resolver.settings_for(stdin_filename), stdin or b"", keep_suppressed, then))
            continue
        key = os.path.normcase(os.path.abspath(path))
        if key in seen:
            continue
        seen.add(key)
        work.append((path, resolver.settings_for(path), None, keep_suppressed, then))

    if jobs is None:
        jobs = _cpu_count()
    if jobs > 1 and len(work) >= PARALLEL_MIN_FILES and sys.platform.startswith("linux"):
        results = _parallel(work, jobs, progress)
    else:
        results = []
        for job in work:
            results.append(_lint_job(*job))
            if len(work) > 1:
                _collect()
            if progress is not None:
                progress(len(results), len(work))
    results.sort(key=lambda r: r.path)
    return Report(results, [Error(path, message) for path, message, error in problems if error],
                  warnings=[message for _, message, error in problems if not error], rules=resolver.rules)


def _parallel(work: list, jobs: int, progress=None) -> list[FileResult]:
    """Lint the work on `jobs` processes. A worker that dies (a crash in a C extension) loses only the files
    it had not finished: those are linted again one by one in a child process, and the file it dies on
    gets an error instead of findings."""
    # concurrent.futures rather than multiprocessing.Pool: a worker that dies raises BrokenProcessPool
    # instead of hanging the run.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _jobs
    _jobs = work
    results: dict[int, FileResult] = {}
    _warm_up()
    try:
        context = multiprocessing.get_context("fork")
        chunk = max(1, len(work) // (jobs * 8))
        with ProcessPoolExecutor(min(jobs, len(work)), mp_context=context) as pool:
            futures = [(start, pool.submit(_run_chunk, start, min(start + chunk, len(work))))
                       for start in range(0, len(work), chunk)]
            for start, future in futures:
                try:
                    results.update(enumerate(future.result(), start))
                except BrokenProcessPool:
                    pass
                if progress is not None:
                    progress(len(results), len(work))
        missing = [i for i in range(len(work)) if i not in results]
        if missing:
            results.update(_isolated(missing, context))
        return [results[i] for i in range(len(work))]
    finally:
        _jobs = []


def _warm_up() -> None:
    """Before forking: import what linting needs (by linting WARM_UP), and in the command's process move
    everything the workers inherit out of the collector's sight (gc.freeze), so that their collections
    neither scan nor copy it."""
    import gc

    from .config import default_settings

    lint_text(WARM_UP, "Dockerfile", default_settings(load_rules()))
    if not gc.isenabled():  # the command's process (a program using the API keeps its own collection)
        gc.freeze()


def _isolated(indices: list[int], context) -> dict[int, FileResult]:
    """Lint these jobs in order in a child process; when it dies, the job it was on gets an error and a new
    child goes on with the rest."""
    results: dict[int, FileResult] = {}
    todo = indices
    while todo:
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(target=_stream_jobs, args=(todo, writer), daemon=True)
        child.start()
        writer.close()
        while True:
            try:
                i, result = reader.recv()
            except Exception:  # EOFError: the child is gone (or sent half a message as it died)
                break
            results[i] = result
        reader.close()
        child.join()
        todo = [i for i in todo if i not in results]
        if todo:
            path, settings = _jobs[todo[0]][:2]
            message = f"{path}: cannot lint: internal error: the process linting it died ({_death(child.exitcode)})"
            results[todo[0]] = FileResult(path, errors=[Error(path, message)], fail_on=settings.fail_on)
            todo = todo[1:]
    return results


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        import signal

        try:
            return signal.Signals(-exitcode).name
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit status {exitcode}"


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1

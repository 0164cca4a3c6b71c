#!/usr/bin/env python3
"""Where dfcheck's time goes: start-up phases of a one-file run, and per-file costs over a folder.

    python benchmarks/profile_dfcheck.py cold FILE [--runs N]        # phases of `dfcheck --format json FILE`
    python benchmarks/profile_dfcheck.py folder DIR [--cprofile N]   # per-file costs, one process, jobs=1

Run it with the Python of the environment to measure: for what users get, the venv that bench.py creates
with `--venv DIR` (`DIR/bin/python benchmarks/profile_dfcheck.py cold FILE`); the script's directory, not the
current one, is first on sys.path, so the checkout's `dfcheck/` does not shadow the installed one.

`cold` starts a fresh interpreter per run and times, with perf_counter, each step the command line takes:
interpreter start-up (measured as `python -c pass` and `python -S -c pass`), the imports, argument parsing,
loading each rule module, configuration, parsing, the model, and the lazy parts of the model (the tree-sitter
parser and each RUN's shell parse, the filesystem effects, the build context) computed before the rules so
that each rule's time is its own; then the JSON rendering. Medians over the runs.

`folder` lints every file of DIR in this one process the same way and sums each step over the files;
`--cprofile N` also prints the N functions with the most own time under cProfile for `lint_paths(jobs=1)`.
"""

from __future__ import annotations

import time

START = time.perf_counter()  # for `cold`'s child runs: nothing heavy is imported before the steps are timed
START_CPU = time.process_time()

import os  # noqa: E402  (already imported by site)
import sys  # noqa: E402


def _env():
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPATH", None)
    return env


class Clock:
    """Named, ordered laps: wall time (perf_counter) and this process's CPU time (process_time)."""

    def __init__(self):
        self.laps: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.last = time.perf_counter()
        self.last_cpu = time.process_time()

    def lap(self, name: str) -> None:
        now, now_cpu = time.perf_counter(), time.process_time()
        self.laps[name] = self.laps.get(name, 0.0) + (now - self.last)
        self.cpu[name] = self.cpu.get(name, 0.0) + (now_cpu - self.last_cpu)
        self.last, self.last_cpu = now, now_cpu

    def reset(self) -> None:
        self.last, self.last_cpu = time.perf_counter(), time.process_time()


def prewarm_model(model, clock: Clock) -> None:
    """Compute the model's lazy parts, each under its own name."""
    from dfcheck.model.shell import builder

    clock.reset()
    builder._get_parser()
    clock.lap("model: tree-sitter import + parser")
    for stage in model.stages:
        for node in stage.instructions if hasattr(stage, "instructions") else model.instructions:
            if node.keyword == "RUN":
                model.shell_code(node)
    clock.lap("model: RUN code split (scripts.run_code)")
    for node in model.instructions:
        if node.keyword == "RUN":
            for code in model.shell_code(node):
                code.script
    clock.lap("model: shell parse (tree-sitter + walk)")
    fs = model.filesystem
    for stage in model.stages:
        fs.layers(stage)
    clock.lap("model: filesystem effects")
    model.context
    clock.lap("model: build context")


def lint_one(path: str, settings, clock: Clock, per_rule: bool = True):
    from dfcheck import engine, suppressions
    from dfcheck.model import build_model
    from dfcheck.syntax import parse

    clock.reset()
    text, problem = engine.read_source(path)
    clock.lap("read file")
    if problem:
        return None
    dockerfile = parse(text)
    clock.lap("parse (syntax)")
    model = build_model(dockerfile, path=path, context_dir=settings.context_dir, target=settings.target,
                        build_args=settings.build_args)
    clock.lap("model: build (stages, variables, runtime)")
    prewarm_model(model, clock)
    findings = []
    for r in settings.rules:
        if r.code == engine.UNUSED_SUPPRESSION:
            continue
        findings.extend(r.check(model, settings.options.get(r.code, r.options)) or ())
        clock.lap(f"rule {r.code} {r.name}" if per_rule else "rules")
    sups = suppressions.collect(dockerfile, settings.known)
    if sups:
        suppressions.apply(sups, findings)
    clock.lap("suppressions")
    return engine.FileResult(path, findings=findings, lines=dockerfile.lines)


def cold_child(path: str) -> None:
    """One run, in this fresh process; prints `name<TAB>seconds` per step."""
    clock = Clock()
    clock.last, clock.last_cpu = START, START_CPU
    clock.lap("(this script's own module body)")
    import dfcheck.cli.lint as cli
    clock.lap("import dfcheck.cli.lint")
    args = cli._lint_parser().parse_args(["--format", "json", path])
    clock.lap("argparse: build parser + parse")
    from dfcheck import config, engine
    clock.lap("import dfcheck.config, dfcheck.engine (rule, syntax.nodes, ...)")

    real_import = engine._import

    def timed_import(name, dist):
        clock.reset()
        module = real_import(name, dist)
        clock.lap(f"import rule module {name.rsplit('.', 1)[-1]}")
        return module

    engine._import = timed_import
    real_eps = engine.plugin_entry_points

    def timed_eps(*a, **k):
        clock.reset()
        out = real_eps(*a, **k)
        clock.lap("load_rules: scan sys.path for plugin entry points")
        return out

    engine.plugin_entry_points = timed_eps
    clock.reset()
    rules = engine.load_rules()
    clock.lap("load_rules: the rest")
    cli_table = config.parse_table({}, rules, root=os.getcwd(), where="command line", cli=True)
    resolver = config.Resolver(rules, cli_table, config_file=args.config, no_config=args.no_config)
    clock.lap("configuration: parse_table + Resolver")
    from dfcheck.discovery import discover
    work = [p for p, _ in discover([path], resolver.excluded)]
    settings = resolver.settings_for(work[0])
    clock.lap("discovery + settings_for (config files upward)")
    result = lint_one(work[0], settings, clock)
    report = engine.Report([result])
    clock.reset()
    text = cli._render(args, report, None, resolver)
    clock.lap("render JSON (import reporter + dump)")
    with open(os.devnull, "w") as f:
        f.write(text)
    clock.lap("write output")
    for name, seconds in clock.laps.items():
        print(f"{name}\t{seconds}\t{clock.cpu[name]}")


def run_cold(path: str, runs: int) -> None:
    import statistics
    import subprocess

    env = _env()
    py = sys.executable

    def wall(cmd):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

    dfcheck = os.path.join(os.path.dirname(py), "dfcheck")
    baseline = {
        "python -S -c pass (interpreter, no site)": [],
        "python -c pass (interpreter + site)": [],
        "python -c 'import dfcheck' (package __init__)": [],
        "dfcheck --version (console script, cli import, argparse)": [],
        "dfcheck --format json FILE (the real thing)": [],
    }
    cmds = [[py, "-S", "-c", "pass"], [py, "-c", "pass"], [py, "-c", "import dfcheck"],
            [dfcheck, "--version"], [dfcheck, "--format", "json", path]]
    laps: dict[str, list[tuple[float, float]]] = {}
    child = [py, os.path.abspath(__file__), "--child", path]
    for cmd in cmds + [child]:
        wall(cmd)  # warm the page cache
    inside = []
    for _ in range(runs):
        for (name, values), cmd in zip(baseline.items(), cmds):
            values.append(wall(cmd))
        start = time.perf_counter()
        out = subprocess.run(child, env=env, capture_output=True, text=True, check=True).stdout
        inside.append(time.perf_counter() - start)
        for line in out.splitlines():
            name, seconds, cpu = line.split("\t")
            laps.setdefault(name, []).append((float(seconds), float(cpu)))
    print(f"fresh processes, {runs} runs each (ms); interpreter {py}")
    print(f"  {'median':>7} {'min':>7}")
    for name, values in baseline.items():
        print(f"  {statistics.median(values) * 1000:7.1f} {min(values) * 1000:7.1f}  {name}")
    print(f"\nsteps inside the instrumented run (whole process: median {statistics.median(inside) * 1000:.1f} ms, "
          f"min {min(inside) * 1000:.1f} ms), ms:")
    print(f"  {'wall md':>7} {'min':>7} {'cpu md':>7}")
    totals = [0.0, 0.0, 0.0]
    for name, values in laps.items():
        row = (statistics.median(v[0] for v in values), min(v[0] for v in values),
               statistics.median(v[1] for v in values))
        totals = [t + x for t, x in zip(totals, row)]
        print(f"  {row[0] * 1000:7.2f} {row[1] * 1000:7.2f} {row[2] * 1000:7.2f}  {name}")
    print(f"  {totals[0] * 1000:7.2f} {totals[1] * 1000:7.2f} {totals[2] * 1000:7.2f}  sum of the above "
          "(the interpreter's start-up comes on top)")


def run_folder(folder: str, top: int) -> None:
    from dfcheck import config, engine
    from dfcheck.discovery import discover

    rules = engine.load_rules()
    resolver = config.Resolver(rules, config.parse_table({}, rules, root=os.getcwd(), where="command line", cli=True))
    paths = [p for p, _ in discover([folder], resolver.excluded)]
    # one file first, so that one-time costs (imports, tree-sitter language) do not count per file
    clock = Clock()
    lint_one(paths[0], resolver.settings_for(paths[0]), clock)
    clock = Clock()
    start = time.perf_counter()
    for p in paths:
        lint_one(p, resolver.settings_for(p), clock)
    wall = time.perf_counter() - start
    print(f"{len(paths)} files in one process, jobs=1: {wall:.2f} s ({wall / len(paths) * 1000:.2f} ms a file)")
    for name, seconds in sorted(clock.laps.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds:7.3f} s {seconds / wall * 100:5.1f} %  {seconds / len(paths) * 1000:7.3f} ms/file  {name}")
    start = time.perf_counter()
    engine.lint_paths([folder], resolver, jobs=1)
    print(f"\nengine.lint_paths(jobs=1), uninstrumented: {time.perf_counter() - start:.2f} s")
    if top:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        engine.lint_paths([folder], resolver, jobs=1)
        prof.disable()
        print(f"\ncProfile of lint_paths(jobs=1), top {top} by own time:")
        pstats.Stats(prof).sort_stats("tottime").print_stats(top)
        print(f"cProfile, top {top} by cumulative time:")
        pstats.Stats(prof).sort_stats("cumulative").print_stats(top)


def main() -> None:
    import argparse

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("cold")
    c.add_argument("file")
    c.add_argument("--runs", type=int, default=15)
    f = sub.add_parser("folder")
    f.add_argument("folder")
    f.add_argument("--cprofile", type=int, default=0, metavar="N")
    args = p.parse_args()
    if args.mode == "cold":
        run_cold(os.path.abspath(args.file), args.runs)
    else:
        run_folder(os.path.abspath(args.folder), args.cprofile)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        cold_child(sys.argv[2])
    else:
        main()

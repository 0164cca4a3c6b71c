#!/usr/bin/env python3
"""How dfcheck's time grows with its input: each case at three sizes, and the growth exponent.

    python benchmarks/scaling.py                   # every case
    python benchmarks/scaling.py stage-chain runs  # some of them
    python benchmarks/scaling.py --quick           # each size divided by 8: a smoke run
    python benchmarks/scaling.py --list            # the cases and what they generate

Each case generates a Dockerfile (and, for some, a build context) of size n, 2n and 4n, and lints it in this
process with every rule but DF702 (which runs the external ShellCheck) through `dfcheck.engine.lint_text`,
the garbage collector off as in a command-line run. The time is this process's CPU time (the machines it runs
on are shared: CPU time moves far less with their load than wall time), the best of `--repeat` runs (1 by
default; the large sizes take seconds). The exponent is log2(t(4n) / t(2n)): 1 is linear, 2 quadratic. The
goal is at most 1.2 for every case; `--check` exits 1 when one is above it.

The cases are the super-linear inputs found in the issue (a chain of stages, a suppression per instruction,
thousands of ARGs, `RUN true` by the ten thousand, files copied and then removed or chowned, large build
contexts, star-heavy patterns, ONBUILD chains) and the shapes of real files at scale (many stages, many RUNs,
long RUNs, heredocs, and real Dockerfiles concatenated up to 5 MiB, the largest file dfcheck accepts).
Figures depend on the machine and its load: compare exponents, not times, and rerun a case that looks off.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "dockerfiles")
GOAL = 1.2

CASES: dict = {}  # name -> (generate(n) -> (text, context files or None), sizes, description)


def case(name: str, sizes: tuple[int, int, int], description: str):
    def register(generate):
        CASES[name] = (generate, sizes, description)
        return generate
    return register


# -- the inputs -------------------------------------------------------------------------------------

@case("stage-chain", (250, 500, 1000), "n stages, each FROM the one before, each with a RUN and a COPY")
def _stage_chain(n):
    lines = ["FROM alpine:3.20 AS s0", "RUN echo 0"]
    for i in range(1, n):
        lines += [f"FROM s{i - 1} AS s{i}", f"COPY f{i} /app/f{i}", f"RUN echo {i}"]
    return "\n".join(lines) + "\n", None


@case("stage-fan-in", (250, 500, 1000), "n independent stages, the last one copying from each")
def _stage_fan_in(n):
    lines = []
    for i in range(n):
        lines += [f"FROM alpine:3.20 AS s{i}", f"RUN make out{i}"]
    lines.append("FROM alpine:3.20")
    lines += [f"COPY --from=s{i} /out{i} /app/out{i}" for i in range(n)]
    return "\n".join(lines) + "\n", None


@case("suppressions", (4000, 8000, 16000), "n RUNs, each under its own suppression comment")
def _suppressions(n):
    lines = ["FROM alpine:3.20"]
    for i in range(n):
        lines.append("# dfcheck: ignore=DF505 -- sudo is fine here" if i % 2 else "# hadolint ignore=DL3004")
        lines.append(f"RUN sudo echo {i}")
    return "\n".join(lines) + "\n", None


@case("args", (4000, 8000, 16000), "n ARGs in a stage, each used by the next instruction")
def _args(n):
    lines = ["ARG BASE=alpine:3.20", "FROM $BASE"]
    for i in range(n):
        lines += [f"ARG A{i}=v{i}", f"ENV E{i}=${{A{i}}}"]
    return "\n".join(lines) + "\n", None


@case("undefined-variables", (4000, 8000, 16000), "n ARGs declared, n ENVs each using an undefined variable")
def _undefined(n):
    return ("FROM alpine:3.20\n" + "".join(f"ARG DECLARED_{i}=x\n" for i in range(n))
            + "".join(f"ENV E{i}=$UNDECLARED_{i}\n" for i in range(n))), None


@case("runs", (10000, 20000, 40000), "`RUN true` n times")
def _runs(n):
    return "FROM alpine:3.20\n" + "RUN true\n" * n, None


@case("users-and-sudo", (5000, 10000, 20000), "n RUNs with sudo, a USER switch every tenth")
def _users(n):
    lines = ["FROM debian:12"]
    for i in range(n):
        if i % 10 == 0:
            lines.append("USER root" if i % 20 else "USER app")
        lines.append(f"RUN sudo apt-get install -y pkg{i}")
    return "\n".join(lines) + "\n", None


@case("copy-then-rm", (500, 1000, 2000), "n COPYs, each file removed by a later RUN")
def _copy_rm(n):
    lines = ["FROM alpine:3.20"]
    lines += [f"COPY f{i} /app/f{i}" for i in range(n)]
    lines += [f"RUN rm /app/f{i}" for i in range(n)]
    return "\n".join(lines) + "\n", None


@case("copy-from-then-rm", (500, 1000, 2000), "n COPY --from of a builder's files, each removed later")
def _copy_from_rm(n):
    lines = ["FROM golang:1.22 AS build", "RUN go build -o /out ./...", "FROM alpine:3.20"]
    lines += [f"COPY --from=build /out/f{i} /app/f{i}" for i in range(n)]
    lines += [f"RUN rm -f /app/f{i} && chmod 600 /app/g{i}" for i in range(n)]
    return "\n".join(lines) + "\n", None


@case("context-copy-rm", (5000, 10000, 20000), "a context of n files, COPY . /app, RUN rm -rf /app/f0*")
def _context_rm(n):
    text = "FROM alpine:3.20\nCOPY . /app\nRUN rm -rf /app/f0*\nRUN chmod -R 700 /app/d1\n"
    return text, {f"d{i % 10}/f{i}": 100 for i in range(n)}


@case("context-copy-chown", (6250, 12500, 25000), "a context of n files, COPY . /app, RUN chown -R /app/src")
def _context_chown(n):
    text = "FROM node:20\nCOPY . /app\nRUN chown -R node:node /app/src\nRUN npm ci\n"
    return text, {f"src/m{i % 50}/f{i}.js": 10 for i in range(n)}


@case("context-globs", (2500, 5000, 10000), "a context of n files, COPY of globs and an ADD of each tarball")
def _context_globs(n):
    text = ("FROM alpine:3.20\nCOPY *.txt /docs/\nCOPY src/**/*.py /app/\nADD t1.tar.gz /opt/\n"
            "COPY . /all\nRUN rm -rf /all/src\n")
    files = {f"src/p{i % 20}/f{i}.py": 10 for i in range(n)}
    files.update({f"n{i}.txt": 5 for i in range(0, n, 50)})
    files["t1.tar.gz"] = 100
    return text, files


@case("shell-pattern-stars", (200, 400, 800), "${V#*a*a...*b} with n `*a`, V 4,000 characters")
def _pattern(n):
    stars = "*a" * n
    return (f"FROM alpine:3.20\nARG V={'a' * 4000}\nENV A=${{V#{stars}b}} B=${{V%%{stars}b}} "
            f"C=${{V//{stars}b/z}}\n"), None


@case("ignore-pattern-stars", (200, 400, 800), "a .dockerignore line with n `*a`, and a long file name")
def _ignore_pattern(n):
    text = "FROM alpine:3.20\nCOPY . /app\n"
    return text, {".dockerignore": ("*a" * n + "b\n**/x" * 3 + "\n").encode(), "a" * 250: 10, "b" * 250: 10}


@case("copy-glob-stars", (200, 400, 800), "a COPY glob with n `*a`, against long file names")
def _copy_glob(n):
    return f"FROM alpine:3.20\nCOPY {'*a' * n}b /app/\n", {("a" * 249) + str(i): 1 for i in range(20)}


@case("onbuild-chain", (16000, 32000, 64000), "ONBUILD ONBUILD ... n levels deep (continuation lines)")
def _onbuild(n):
    return "FROM alpine:3.20\n" + "ONBUILD \\\n" * n + "RUN make\n", None


# -- real shapes at scale -----------------------------------------------------------------------------------

@case("long-run", (2000, 4000, 8000), "one RUN of n commands joined by && and continuation lines")
def _long_run(n):
    commands = [f"apt-get install -y pkg{i}" if i % 3 else f"cd /src/{i} && make" for i in range(n)]
    return "FROM debian:12\nRUN set -eux; \\\n    " + " && \\\n    ".join(commands) + "\n", None


@case("heredocs", (1000, 2000, 4000), "n RUNs with a shell heredoc and a Python heredoc each")
def _heredocs(n):
    parts = ["FROM python:3.12"]
    for i in range(n):
        parts.append(f"RUN <<EOF\nset -e\necho {i} > /tmp/{i}\nrm /tmp/{i}\nEOF")
        parts.append(f"RUN python3 <<PY\nimport os\nprint(os.getcwd(), {i})\nPY")
    return "\n".join(parts) + "\n", None


@case("real-files", (1310720, 2621440, 5242880), "real Dockerfiles concatenated up to n bytes (5 MiB the last)")
def _real(n):
    sources = []
    if os.path.isdir(CORPUS):
        for name in sorted(os.listdir(CORPUS)):
            with open(os.path.join(CORPUS, name), encoding="utf-8", errors="replace") as f:
                sources.append(f.read())
    else:  # a fresh clone without ../shared: the examples
        for name in ("go-service", "node-web", "python-app"):
            with open(os.path.join(ROOT, "examples", name, "Dockerfile"), encoding="utf-8") as f:
                sources.append(f.read())
    parts, size, i = [], 0, 0
    while size < n:
        text = sources[i % len(sources)].rstrip("\n") + "\n"
        parts.append(text)
        size += len(text.encode())
        i += 1
    text = "".join(parts)
    return text.encode()[:n].decode("utf-8", "ignore").rsplit("\n", 1)[0] + "\n", None


# -- running ------------------------------------------------------------------------------------------------

def _settings(context_dir):
    from dfcheck.config import Settings
    from dfcheck.engine import load_rules

    rules = [r for r in load_rules() if r.code != "DF702"]
    return Settings(rules, rules, options={r.code: dict(r.options) for r in rules}, context_dir=context_dir)


def _make_context(files) -> str:
    root = tempfile.mkdtemp(prefix="dfcheck-scaling-")
    for rel, content in files.items():
        path = os.path.join(root, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            if isinstance(content, bytes):
                f.write(content)
            else:
                f.truncate(content)
    return root


def measure(name: str, divisor: int, repeat: int) -> dict:
    from dfcheck.engine import lint_text

    generate, sizes, _ = CASES[name]
    rows = []
    for n in (max(1, size // divisor) for size in sizes):
        text, files = generate(n)
        root = _make_context(files) if files is not None else None
        try:
            settings = _settings(root)
            path = os.path.join(root, "Dockerfile") if root else "Dockerfile"
            best, result = math.inf, None
            for _ in range(repeat):
                gc.collect()
                gc.disable()
                start = time.process_time()
                result = lint_text(text, path, settings)
                best = min(best, time.process_time() - start)
                gc.enable()
            rows.append({"n": n, "seconds": best, "bytes": len(text.encode()), "findings": len(result.findings),
                         "errors": [e.message for e in result.errors]})
        finally:
            if root:
                shutil.rmtree(root, ignore_errors=True)
    t2, t3 = rows[1]["seconds"], rows[2]["seconds"]
    exponent = math.log2(t3 / t2) if t2 > 0 and t3 > 0 else float("nan")
    return {"case": name, "rows": rows, "exponent": exponent}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("cases", nargs="*", help="cases to run (default: all)")
    p.add_argument("--quick", action="store_true", help="sizes divided by 8")
    p.add_argument("--repeat", type=int, default=1, help="runs per size, the best counts (default 1)")
    p.add_argument("--list", action="store_true", help="list the cases")
    p.add_argument("--check", action="store_true", help=f"exit 1 when an exponent is above {GOAL}")
    args = p.parse_args(argv)
    if args.list:
        for name, (_, sizes, description) in CASES.items():
            print(f"{name:22} {description} (n = {', '.join(map(str, sizes))})")
        return 0
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        p.error(f"unknown case(s): {', '.join(unknown)}; --list shows them")
    sys.path.insert(0, ROOT)
    print(f"{'case':22} {'n (3 sizes)':>22} {'CPU seconds (3 sizes)':>26} {'exponent':>9}")
    worst = 0.0
    for name in args.cases or CASES:
        result = measure(name, 8 if args.quick else 1, args.repeat)
        rows = result["rows"]
        sizes = " ".join(f"{r['n']:>7}" for r in rows)
        seconds = " ".join(f"{r['seconds']:>8.3f}" for r in rows)
        flag = "" if result["exponent"] <= GOAL else "  over the goal"
        errors = sorted({e for r in rows for e in r["errors"]})
        print(f"{name:22} {sizes:>22} {seconds:>26} {result['exponent']:>9.2f}{flag}", flush=True)
        for error in errors:
            print(f"{'':22} error: {error}")
        worst = max(worst, result["exponent"])
    return 1 if args.check and worst > GOAL else 0


if __name__ == "__main__":
    sys.exit(main())

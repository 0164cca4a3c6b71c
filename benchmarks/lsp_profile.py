#!/usr/bin/env python3
"""Where a language-server re-lint goes: the phases of a lint after a one-character edit, in-process.

    python benchmarks/lsp_profile.py [--file F] [--edits N] [--top N] [--cprofile N] [--relint-only]

Lints the file as the language server does (what it keeps between lints switched on, the settings the
configuration gives a file in a fresh temporary folder), makes 5 warm-up edits, then N edits (default 30),
each a space typed at the end of a different line or taken back, as benchmarks/lsp_latency.py types them.
After each edit it parses, builds the model, computes the model's lazy parts one after the other (each RUN's
code and its shell parse, the COPY/ADD sources, the filesystem effects of every layer, the build context, the
waste along the shipped stages), then runs each rule as the engine does (a rule that reads one stage at a time
only on the stages whose findings are not kept, see dfcheck.reuse): so a rule's figure is its own work, not the
model parts it would have been the first to ask for. Prints the CPU time of each phase per edit (process time, so other
processes' load counts less than in wall time; still provisional on a busy machine), the largest first.

`--cprofile N` prints instead the N functions with the most own time under cProfile for the plain re-lints
(`engine.lint_text`); `--relint-only` runs only those re-lints (for `valgrind --tool=callgrind`: the
instructions of a run with `--edits 0` subtracted from one with `--edits N`, divided by N, are one re-lint's).
The default file is moby's Dockerfile from the shared corpus (649 lines, about 40 stages).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "corpus" / "dockerfiles" / "moby__moby__Dockerfile.Dockerfile"


class Editor:
    """The document's lines, edited as lsp_latency.py edits them."""

    def __init__(self, text: str):
        self.lines = text.splitlines(keepends=True)
        self.editable = [i for i, line in enumerate(self.lines) if line.strip()]
        self.added: set[int] = set()

    def edit(self, n: int) -> str:
        i = self.editable[(n * 7) % len(self.editable)]
        line = self.lines[i]
        body = line.rstrip("\r\n")
        if i in self.added:
            self.lines[i] = body[:-1] + line[len(body):]
            self.added.discard(i)
        else:
            self.lines[i] = body + " " + line[len(body):]
            self.added.add(i)
        return "".join(self.lines)


def phases(text: str, path: str, settings, laps: dict) -> None:
    from dfcheck import engine, suppressions
    from dfcheck.model import build_model
    from dfcheck.syntax import parse

    last = time.process_time()

    def lap(name: str) -> None:
        nonlocal last
        now = time.process_time()
        laps[name] = laps.get(name, 0.0) + now - last
        last = now

    dockerfile = parse(text)
    lap("parse")
    model = build_model(dockerfile, path=path, context_dir=settings.context_dir, target=settings.target,
                        build_args=settings.build_args)
    lap("model: the walk (stages, variables, runtime)")
    runs = [n for n in model.instructions if n.keyword == "RUN"]
    for node in runs:
        model.shell_code(node)
    lap("model: each RUN's code")
    for node in runs:
        for code in model.shell_code(node):
            code.script
    lap("model: shell parse")
    for node in model.instructions:
        if node.keyword in ("COPY", "ADD"):
            model.sources(node)
    lap("model: COPY/ADD sources")
    for stage in model.stages:
        model.filesystem.layers(stage)
    lap("model: filesystem effects of every layer")
    model.context
    lap("model: build context")
    model.waste
    lap("model: waste along the shipped stages")
    keys = engine._stage_keys(model, settings, []) if hasattr(engine, "_stage_keys") else None
    lap("stage keys (findings kept by stage)")
    for r in settings.rules:
        if r.code != engine.UNUSED_SUPPRESSION:
            options = settings.options.get(r.code, r.options)
            if keys is not None and getattr(r, "reads", "file") == "stage":
                from dfcheck import reuse

                reuse.check(r, options, keys, path)
            else:
                list(r.check(model, options) or ())
            lap(f"rule {r.code} {r.name}")
    suppressions.collect(dockerfile, settings.known)
    lap("suppressions")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--file", default=str(DEFAULT), help="the Dockerfile to edit (default: moby's, from the corpus)")
    p.add_argument("--edits", type=int, default=30, help="measured edits (default: 30)")
    p.add_argument("--top", type=int, default=25, help="phases to print (default: 25)")
    p.add_argument("--cprofile", type=int, metavar="N", help="print the N functions with the most own time")
    p.add_argument("--relint-only", action="store_true", help="only the re-lints (for callgrind)")
    args = p.parse_args(argv)
    if not os.path.isfile(args.file):
        print(f"no such file: {args.file} (give one with --file)", file=sys.stderr)
        return 2

    from dfcheck.config import Resolver
    from dfcheck.engine import lint_text, load_rules
    from dfcheck.model.context import keep_contexts

    try:
        from dfcheck.lsp.server import keep_between_lints
    except ImportError:  # an older dfcheck, measured side by side: what its server kept
        from dfcheck.model.scripts import keep_scripts
        from dfcheck.model.shellcheck import keep_shellcheck
        from dfcheck.syntax.parser import keep_instructions

        def keep_between_lints():
            keep_scripts()
            keep_instructions()
            keep_shellcheck()

    text = Path(args.file).read_text(encoding="utf-8")
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "Dockerfile")
    Path(path).write_text(text, encoding="utf-8")
    rules = load_rules()
    keep_between_lints()
    keep_contexts()
    settings = Resolver(rules).settings_for(path)
    editor = Editor(text)
    lint_text(text, path, settings)
    for n in range(5):
        lint_text(editor.edit(n), path, settings)
    edits = range(5, 5 + args.edits)
    # The garbage collector as the language server runs it: what is alive after the start frozen, no automatic
    # collection, the young garbage collected after each lint (counted in --relint-only, not timed in the phases).
    # Left to itself, it made a full collection inside one re-lint in about twenty, which is 50 to 120 ms.
    import gc

    gc.collect()
    gc.freeze()
    gc.disable()
    if args.relint_only or args.cprofile:
        def relints():
            for n in edits:
                lint_text(editor.edit(n), path, settings)
                gc.collect(1)
        if args.cprofile:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.runcall(relints)
            pstats.Stats(profile).sort_stats("tottime").print_stats(args.cprofile)
        else:
            relints()
        return 0
    laps: dict[str, float] = {}
    for n in edits:
        phases(editor.edit(n), path, settings, laps)
        gc.collect(1)
    total = sum(laps.values())
    print(f"{args.file}: {text.count(chr(10))} lines, {args.edits} edits; CPU time per re-lint "
          f"{total / max(args.edits, 1) * 1000:.1f} ms, of which:")
    for name, seconds in sorted(laps.items(), key=lambda kv: -kv[1])[:args.top]:
        print(f"{seconds / max(args.edits, 1) * 1000:8.2f} ms  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Findings kept between lints, stage by stage, for the rules declared to read one stage at a time.

A long-running process (the language server) lints the same file again after every keystroke, and a keystroke
changes one stage. A rule declared with `scope="stage"` (see `dfcheck.rule.rule`) promises that each of its
findings lies in the stage it was looking at (from its FROM line to the line before the next FROM) and depends
only on:

- that stage and the stages it is built on, copies from or mounts from, with theirs (its *closure*);
- the part of the file before the first FROM (directives, global ARGs), and the names every ARG and ENV of the
  file declares;
- the build (context, target, build arguments, named contexts) and the rule's options.

Each stage gets a key made of exactly that, text and line numbers included (a finding's message may name the
line of an instruction of another stage of the closure: an edit that moves lines makes new keys below it, and
those stages are linted again). A rule's findings in a stage whose key it found in the last lint of the same
file are reused as they were; the rule then runs only on the other stages, on a model whose `stages` lists
those and their closures, and of what it finds there only the findings inside those stages are kept.

Files with ONBUILD triggers (the rules run again on the triggers' models) are linted whole. Nothing is kept
unless `keep_findings` was called; a lint with it finds exactly what one without it finds
(tests/lsp/test_lsp_edits.py).
"""

from __future__ import annotations

from .records import replace

# (rule code, path) -> (settings key, {stage key: the rule's findings in that stage}), from the last lint
_kept: dict | None = None
MAX_KEPT = 4096  # (rule, file) pairs


def keep_findings() -> None:
    global _kept
    if _kept is None:
        _kept = {}


def forget_findings() -> None:
    if _kept is not None:
        _kept.clear()


class StageKeys:
    """Where each stage of a model lies, what its findings depend on (its key), and its closure."""

    __slots__ = ("model", "starts", "keys", "closures")

    def __init__(self, model, build_key: tuple):
        self.model = model
        lines = model.dockerfile.lines
        stages = model.stages
        self.starts = [stage.node.span.line for stage in stages]  # each stage's FROM line
        ends = self.starts[1:] + [len(lines) + 1]
        blocks = ["\n".join(lines[start - 1:end - 1]) for start, end in zip(self.starts, ends)]
        first = self.starts[0] if stages else len(lines) + 1
        names = sorted({p.key for n in model.instructions if n.keyword in ("ARG", "ENV") for p in n.pairs})
        top = ("\n".join(lines[:first - 1]), tuple(names), build_key)
        self.closures = [_closure(stage) for stage in stages]
        self.keys = [(top, tuple((i, self.starts[i], blocks[i]) for i in closure)) for closure in self.closures]

    def stage_at(self, line: int) -> int | None:
        """The index of the stage whose lines hold `line`, or None (before the first FROM)."""
        from bisect import bisect_right

        i = bisect_right(self.starts, line) - 1
        return i if i >= 0 else None


def _closure(stage) -> tuple[int, ...]:
    """The indices of `stage` and of every stage it is built on, copies or mounts from, or may be built on (a FROM
    naming a stage through variables), with theirs, in file order."""
    seen: dict[int, object] = {}
    todo = [stage]
    while todo:
        s = todo.pop()
        if s.index in seen:
            continue
        seen[s.index] = s
        if s.base_stage is not None:
            todo.append(s.base_stage)
        todo.extend(s.candidates)
        todo.extend(r.stage for r in s.references if r.stage is not None)
    return tuple(sorted(seen))


class _Stages:
    """The model as a rule declared to read one stage at a time sees it when only some stages are to be linted:
    `stages` lists those and their closures; everything else is the model's."""

    __slots__ = ("_model", "stages")

    def __init__(self, model, stages: list):
        self._model = model
        self.stages = stages

    def __getattr__(self, name: str):
        return getattr(self._model, name)


def settings_key(rule, options) -> str:
    return repr(sorted(options.items())) if options else ""


def check(rule, options, stage_keys: StageKeys, path: str) -> list:
    """What `rule.check(model, options)` yields, reusing the rule's findings in the stages whose key is unchanged
    since the last lint of `path`."""
    model = stage_keys.model
    settings = settings_key(rule, options)
    last = _kept.get((rule.code, path))
    before = last[1] if last is not None and last[0] == settings else {}
    kept: dict[tuple, list] = {}
    reused: dict[int, list] = {}
    todo = []
    for i, key in enumerate(stage_keys.keys):
        found = before.get(key)
        if found is None:
            todo.append(i)
        else:
            reused[i] = found
            kept[key] = found
    fresh: dict[int, list] = {i: [] for i in todo}
    if todo:
        wanted = sorted({j for i in todo for j in stage_keys.closures[i]})
        view = _Stages(model, [model.stages[j] for j in wanted])
        for f in list(rule.check(view, options) or ()):
            span = getattr(f, "span", None)
            i = stage_keys.stage_at(span.line) if span is not None and hasattr(span, "line") else None
            if i is None:  # outside every stage, or not a finding: not what the rule declared; lint it whole
                return list(rule.check(model, options) or ())
            if i in fresh:
                fresh[i].append(f)
        for i in todo:
            kept[stage_keys.keys[i]] = [replace(f) for f in fresh[i]]  # the engine stamps the ones it reports
    if len(_kept) >= MAX_KEPT:
        _kept.clear()
    _kept[(rule.code, path)] = (settings, kept)
    out = []
    for i in range(len(stage_keys.keys)):
        out.extend(fresh[i] if i in fresh else (replace(f) for f in reused[i]))
    return out


def active() -> bool:
    return _kept is not None

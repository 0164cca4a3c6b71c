"""What a fix must not change: what the instructions it leaves see of the build's state, and what each stage
leaves in its image. The fix loop (dfcheck.fixes) checks every pass with `state_change`: an instruction that no
fix of the pass edits (found at its place after the edits, or by its text when a fix moved it) must see the same
WORKDIR, USER, SHELL, ARG and ENV values as before, but for what a fix declares it changes on purpose
(`Fix.changes`)."""

from __future__ import annotations

import re
from bisect import bisect_right

# What each instruction sees of the build's state, besides the variables its text names: RUN runs a process
# (its working directory, user, shell and every ARG and ENV in its environment); COPY, ADD and WORKDIR resolve
# relative paths against the working directory; the shell form of CMD, ENTRYPOINT and HEALTHCHECK is written
# for the SHELL of its line. What the image keeps (WORKDIR, USER, SHELL, ENV at the end of a stage) is what the
# container and the stages built FROM it see.
_SEES = {
    "RUN": ("WORKDIR", "USER", "SHELL", "variables"),
    "COPY": ("WORKDIR",), "ADD": ("WORKDIR",), "WORKDIR": ("WORKDIR",),
    "CMD": ("SHELL",), "ENTRYPOINT": ("SHELL",), "HEALTHCHECK": ("SHELL",), "ONBUILD": ("SHELL",),
}
_NAMED = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def seen(dockerfile, settings):
    """({id(instruction): {what: value}}, [(stage, {what: value}) at each stage's end]): what each instruction
    sees of the WORKDIR, USER and SHELL and of the variables its text names (NAME -> ("ARG" or "ENV", its value
    or None when unknown), or None when not set), limited to what it uses (`_SEES`), with the environment of a
    RUN's process (ENVIRONMENT -> an `_Environment`); and what each stage leaves in its image."""
    from .model import build_model

    model = build_model(dockerfile, build_args=getattr(settings, "build_args", None))
    out = {}
    environments = _environments(model)
    for node in dockerfile.instructions:
        sees = _SEES.get(node.keyword, ())
        if node.keyword in ("COPY", "ADD", "WORKDIR") and node.args and node.args[-1].value.startswith("/"):
            sees = ()  # an absolute destination or directory does not depend on the working directory
        state = {}
        if "WORKDIR" in sees:
            state["WORKDIR"] = model.workdir(node)
        if "USER" in sees:
            user = model.user(node)
            state["USER"] = None if user is None else user.value
        if "SHELL" in sees:
            state["SHELL"] = model.shell(node)
        if id(node) in environments:
            state[ENVIRONMENT] = environments[id(node)]
        scope = model.scope(node)
        for name in _named(node):
            state[name] = _variable(scope, name)
        out[id(node)] = state
    ends = []
    for stage in model.stages:
        runtime = stage.runtime
        if runtime is None:
            continue
        state = {"WORKDIR": runtime.workdir.value, "USER": None if runtime.user is None else runtime.user.value,
                 "SHELL": runtime.shell.value}
        for name, variable in (stage.env or {}).items():
            state[name] = ("ENV", variable.value)
        ends.append((stage, state))
    return out, ends


ENVIRONMENT = "*environment"  # not a variable name


class _Environment:
    """The ARG and ENV values a RUN's process gets: compared by a fingerprint kept up to date as the stage sets
    variables (a stage of n ENVs and n RUNs would otherwise list n names n times), listed when they differ."""

    __slots__ = ("fingerprint", "scope")

    def __init__(self, fingerprint: int, scope):
        self.fingerprint = fingerprint
        self.scope = scope

    def __eq__(self, other) -> bool:
        return isinstance(other, _Environment) and self.fingerprint == other.fingerprint

    __hash__ = None

    def values(self) -> dict:
        scope = self.scope
        return {name: _variable(scope, name) for name in dict.fromkeys([*scope.args, *scope.env])}


def _environments(model) -> dict:
    """id(RUN) -> its `_Environment`. Only ARG and ENV change variables: a RUN's fingerprint is its stage's
    previous one with the names they set since then updated (the first RUN of a stage sums them all)."""
    out = {}
    stage, hashes, total, changed = None, {}, 0, set()
    for node in model.instructions:
        if model.stage_of(node) is not stage:
            stage, hashes, total, changed = model.stage_of(node), None, 0, set()
        if node.keyword in ("ARG", "ENV"):
            changed.update(pair.key for pair in node.pairs)
        if node.keyword != "RUN" or stage is None:
            continue
        scope = model.scope(node)
        if hashes is None:
            hashes = {name: hash((name, _variable(scope, name))) for name in dict.fromkeys([*scope.args, *scope.env])}
            total = sum(hashes.values())
        else:
            for name in changed:
                total -= hashes.pop(name, 0)
                if scope.get(name) is not None:
                    hashes[name] = hash((name, _variable(scope, name)))
                    total += hashes[name]
        changed = set()
        out[id(node)] = _Environment(total, scope)
    return out


def _named(node) -> set:
    return {m for t in [node.original] + [h.content for h in node.heredocs] for m in _NAMED.findall(t)}


def _variable(scope, name: str):
    variable = scope.get(name)
    return None if variable is None else (variable.kind.upper(), variable.value)


def _content(node):
    return node.keyword, node.original, tuple(h.content for h in node.heredocs)


def pairs(before, chosen, edits, after):
    """(instruction before, the same instruction after) for each instruction the fixes leave: those they do not
    touch, found at their place after the edits, and those they move, found by their text."""
    new_at = {after.lines.offset(n.span.line, n.span.column): n for n in after.dockerfile.instructions}
    touched = {u for c in chosen for u in c.units if isinstance(u, int)}
    out, moved = [], {}
    ends, shifts, total = [e for _, e, _ in edits], [], 0
    for start, end, replacement in edits:
        total += len(replacement) - (end - start)
        shifts.append(total)
    paired = set()
    for i, node in enumerate(before.dockerfile.instructions):
        if i in touched:
            moved.setdefault(_content(node), []).append(node)
            continue
        at = before.lines.offset(node.span.line, node.span.column)
        k = bisect_right(ends, at)  # the edits that end at or before it shift it
        new = new_at.get(at + (shifts[k - 1] if k else 0))
        if new is not None and new.keyword == node.keyword:
            out.append((node, new))
            paired.add(id(new))
    for new in after.dockerfile.instructions:
        if id(new) not in paired:
            olds = moved.get(_content(new))
            if olds:
                out.append((olds.pop(0), new))
    return out


def state_change(before, chosen, edits, after, settings) -> str | None:
    """Why the fixes change what an instruction they leave sees (its WORKDIR, USER, SHELL, ARG or ENV values), or
    what a stage leaves in its image; None when they change nothing there but what they declare (`Fix.changes`).
    A variable a fix declares may differ only where the instruction's text does not name it."""
    declared = {what for c in chosen for what in c.finding.fix.changes}
    old_seen, old_ends = before.seen(settings)
    new_seen, new_ends = after.seen(settings)
    for old, new in sorted(pairs(before, chosen, edits, after), key=lambda p: p[0].span.line):
        named = _named(old)
        why = _differs(old_seen[id(old)], new_seen[id(new)], declared, named)
        if why is not None:
            return f"it changes the {why[0]} of line {old.span.line}{why[1]}"
    if len(old_ends) == len(new_ends):
        for (stage, old), (_, new) in zip(old_ends, new_ends):
            why = _differs(old, new, declared, set())
            if why is not None:
                return (f"it changes the {why[0]} that the stage at line {stage.node.span.line} leaves in its "
                        f"image{why[1]}")
    return None


def _differs(old: dict, new: dict, declared: set, named: set):
    """(what differs, its values shown) between two states, but for what `declared` allows; None if nothing."""
    for what in sorted(set(old) | set(new)):
        a, b = old.get(what), new.get(what)
        if a == b:
            continue
        if what in ("WORKDIR", "USER", "SHELL"):
            if what not in declared:
                return what, f" ({_shown(b)} instead of {_shown(a)})"
            continue
        if what == ENVIRONMENT:  # the variables the text does not name (those it names are compared as such)
            why = _differs({k: v for k, v in a.values().items() if k not in named},
                           {k: v for k, v in b.values().items() if k not in named}, declared, named)
            if why is not None:
                return why
            continue
        kind = (a or b)[0]
        if f"{kind} {what}" in declared and what not in named:
            continue
        return f"{kind} {what}", ""
    return None


def _shown(value) -> str:
    if value is None:
        return "unset"
    return " ".join(value) if isinstance(value, tuple) else value

"""How COPY --from and RUN --mount=from= name other stages, as BuildKit resolves them: shared by DF413 and
DF414. A name is a named build context of the build when it has one of that name (`Reference.context`,
which wins over a stage), else a stage's `AS` name (case-insensitive) or its index, wherever the stage is in
the file; anything else is an image."""

from __future__ import annotations


def references(model):
    """(stage, reference, the stage it names or None, the name as written) for every --from of the file whose
    value is known when linting and that names no named build context."""
    for stage in model.stages:
        raws = {}
        for ref in stage.references:
            for raw in _raw_names(ref.node):
                raws.setdefault(id(ref.node), []).append(raw)
        seen = {}
        for ref in stage.references:
            index = seen.get(id(ref.node), 0)
            seen[id(ref.node)] = index + 1
            written = raws.get(id(ref.node), [ref.name])
            raw = written[index] if index < len(written) else ref.name
            if ref.context is not None or ("$" in raw and not model.expand(ref.node, raw).exact):
                continue
            yield stage, ref, model.stage_named(ref.name), raw


def _raw_names(node):
    if node.keyword == "COPY":
        flag = node.flag("from")
        return [flag.value] if flag and flag.value else []
    names = []
    for flag in node.flags:
        if flag.name == "mount" and flag.value:
            for option in flag.value.split(","):
                key, _, value = option.partition("=")
                if key.strip() == "from" and value:
                    names.append(value.strip())
    return names


def flag_span(ref):
    """Where the reference is written: its --from or --mount flag, else the instruction's keyword."""
    node = ref.node
    if node.keyword == "COPY":
        flag = node.flag("from")
        return flag.span if flag else node.keyword_span
    for flag in node.flags:
        if flag.name == "mount" and flag.value and "from=" in flag.value:
            return flag.span
    return node.keyword_span


def depends_on(model, start, goal) -> list:
    """The chain of stages from `start` to `goal` through FROM bases and --from references (both ends
    included), or [] when `start` does not need `goal`."""
    parents = {id(start): None}
    todo = [start]
    while todo:
        stage = todo.pop()
        if stage is goal:
            chain = []
            while stage is not None:
                chain.append(stage)
                stage = parents[id(stage)]
            return chain[::-1]
        nexts = [stage.base_stage] + [model.stage_named(r.name) for r in stage.references if r.context is None]
        for nxt in nexts:
            if nxt is not None and id(nxt) not in parents:
                parents[id(nxt)] = stage
                todo.append(nxt)
    return []

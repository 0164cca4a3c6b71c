"""The layers of the image, what each adds and removes, and what it wastes: what `dfcheck layers FILE` shows.

For every stage that ships (the target and the stages it is built `FROM`), one row per layer
(RUN, COPY, ADD, WORKDIR): its line, the instruction, what it adds, what it removes or rewrites,
its estimated size (from the build context; a `+` marks a size that is only a lower bound, `?` an
unknown one), the wasted bytes (bytes of this layer that a later layer deletes or copies again, and
caches left in it), and what its cache key depends on besides its own text and the layer before
it. Totals close each stage and the report.

`layers_data(model)` gives them as plain data; `dfcheck.reporters.layers` renders that as a text table or
JSON.
"""

from __future__ import annotations

from ..wording import format_size


def layers_data(model) -> dict:
    """The layers of the shipped stages as plain data (what `--format json` prints)."""
    fs = model.filesystem
    stages = model.shipped_stages
    context = model.context
    wastes = model.waste
    wasted: dict[int, list] = {}  # id(node) -> [known bytes, something unknown]
    copied: dict[int, list] = {}  # id(node) -> [bytes copied up by chown/chmod/mv/sed, unknown]
    removed_later = set()
    for waste in wastes:
        holder = waste.added.node
        entry = wasted.setdefault(id(holder), [0, False])
        if waste.size is None:
            entry[1] = True
        else:
            entry[0] += waste.size
        removed_later.add(id(waste.added))
        if waste.kind == "rewritten":
            copy = copied.setdefault(id(waste.operation.node), [0, False])
            if waste.size is None:
                copy[1] = True
            else:
                copy[0] += waste.size
    out_stages = []
    total = {"layers": 0, "size": 0, "size_complete": True, "wasted": 0, "wasted_complete": True}
    for stage in stages:
        rows = []
        stage_total = {"layers": 0, "size": 0, "size_complete": True, "wasted": 0, "wasted_complete": True}
        for node in stage.layers:
            effects = fs.effects(node)
            size = effects.size
            complete = effects.size_complete and node.keyword != "RUN"  # what a RUN's programs write is unknown
            copy = copied.get(id(node))
            if copy:
                size = (size or 0) + copy[0]
                complete = complete and not copy[1]
            waste = wasted.get(id(node), [0, False])
            waste_known, waste_unknown = waste[0], waste[1]
            for added in effects.added:
                if added.cache and id(added) not in removed_later:
                    waste_unknown = True  # a cache left in the layer
            row = {
                "line": node.span.line,
                "instruction": " ".join(node.original.split()),
                "adds": _adds(effects),
                "removes": _removes(effects),
                "size": size,
                "size_complete": complete,
                "wasted": waste_known if (waste_known or not waste_unknown) else None,
                "wasted_complete": not waste_unknown,
                "cache_key": _cache_key(model, node, effects, context),
            }
            rows.append(row)
            stage_total["layers"] += 1
            stage_total["size"] += size or 0
            stage_total["size_complete"] &= complete and size is not None
            stage_total["wasted"] += waste_known
            stage_total["wasted_complete"] &= not waste_unknown
        for key in ("layers", "size", "wasted"):
            total[key] += stage_total[key]
        for key in ("size_complete", "wasted_complete"):
            total[key] &= stage_total[key]
        out_stages.append({
            "index": stage.index, "name": stage.name, "base": stage.base, "line": stage.node.span.line,
            "layers": rows, "totals": stage_total,
        })
    return {
        "version": 1,
        "path": model.path,
        "target": (model.target.name or str(model.target.index)) if model.target else None,
        "context": context.root if context is not None else None,
        "context_note": context.note if context is not None else None,
        "stages": out_stages,
        "totals": total,
    }


# -- pieces ------------------------------------------------------------------------------------

def _adds(effects) -> list[str]:
    items = []
    for added in effects.added:
        if added.what == "WORKDIR":
            items.append(f"dir {added.path}")
            continue
        label = added.path
        if added.files is not None:
            count = len(added.files)
            label += f" ({count} file{'s' if count != 1 else ''})" if added.tree else ""
        if added.cache:
            label = f"{added.what} {added.path}"
        elif added.node.keyword == "RUN" or added.what not in ("COPY", "ADD"):
            label = f"{added.what} {label}" if not added.what.startswith(("COPY", "ADD")) else label
        if label not in items:
            items.append(label)
    for packages in effects.installed:
        names = sorted(packages.names)
        shown = ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
        items.append(f"{packages.manager} packages: {shown}" + (f" ({packages.virtual})" if packages.virtual else ""))
    return items


def _removes(effects) -> list[str]:
    from .effects import WRITES

    items = []
    for op in effects.operations:
        if op.verb in WRITES:
            continue  # a write rewrites only what an earlier layer has there: the waste column shows it
        if op.kind == "remove":
            items.append(f"-{op.path}")
        else:
            items.append(f"{op.verb} {op.path}")
    for packages in effects.uninstalled:
        items.append(f"{packages.manager} remove: {', '.join(sorted(packages.names))}")
    return items


def _cache_key(model, node, effects, context) -> list[str]:
    """What, besides its own text and the previous layer, decides whether this layer is rebuilt."""
    keys = []
    if node.keyword in ("COPY", "ADD"):
        from_flag = node.flag("from")
        if from_flag:
            keys.append(f"stage {from_flag.value}" if model.stage_named(from_flag.value) else f"image {from_flag.value}")
        else:
            for source in model.sources(node):
                if source.remote:
                    keys.append(f"remote {source.text}")
                elif source.kind == "heredoc":
                    keys.append("heredoc")
                elif context is not None:
                    files = source.context_files()
                    keys.append(f"context {source.text}: {len(files)} file{'s' if len(files) != 1 else ''}, "
                                f"{format_size(sum(f.size for f in files))}")
                else:
                    keys.append(f"context {source.text}")
    elif node.keyword == "RUN":
        scope = model.scope(node)
        names = sorted(scope.args)
        if names:
            keys.append("ARG " + ", ".join(names))
        for source in effects.bind_sources:
            if context is not None:
                files = context.files(source)
                keys.append(f"bind {source}: {len(files)} file{'s' if len(files) != 1 else ''}")
            else:
                keys.append(f"bind {source}")
    return keys

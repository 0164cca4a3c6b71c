"""`dfcheck layers`: the layers data of `dfcheck.model.layers.layers_data` as a text table per stage, or JSON."""

from __future__ import annotations

import json

from ..wording import format_size

WIDTHS = {"instruction": 38, "adds": 38, "removes": 30, "cache": 34}


def render(layers: dict, fmt: str = "text") -> str:
    """The layers as text (a table per stage) or JSON."""
    if fmt == "json":
        return json.dumps(layers, indent=2) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r} (text or json)")
    return _text(layers)


def _size_text(size, complete) -> str:
    if size is None:
        return "?"
    if size == 0 and not complete:
        return "?"
    return format_size(size) + ("" if complete else "+")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _text(data: dict) -> str:
    lines = []
    head = data["path"] or "Dockerfile"
    details = []
    if data["target"] is not None:
        details.append(f"target {data['target']}")
    details.append(f"context {data['context']}" if data["context"] else "no build context: sizes of copied files unknown")
    lines.append(f"{head} ({'; '.join(details)})")
    if data["context_note"]:
        lines.append(f"note: {data['context_note']}")
    lines.append("size: estimated bytes the layer adds (+ at least, ? unknown); wasted: bytes of the layer that later "
                 "layers delete or copy again, or caches left in it; cache key: inputs besides the instruction text "
                 "and the previous layer")
    for stage in data["stages"]:
        lines.append("")
        name = f' "{stage["name"]}"' if stage["name"] else ""
        lines.append(f"stage {stage['index']}{name}: FROM {stage['base']} (line {stage['line']})")
        header = ("line", "instruction", "adds", "removes / rewrites", "size", "wasted", "cache key")
        rows = [header]
        for row in stage["layers"]:
            count = max(1, len(row["adds"]), len(row["removes"]), len(row["cache_key"]))
            for i in range(count):
                rows.append((
                    str(row["line"]) if i == 0 else "",
                    _cut(row["instruction"], WIDTHS["instruction"]) if i == 0 else "",
                    _cut(row["adds"][i], WIDTHS["adds"]) if i < len(row["adds"]) else ("" if i else "-"),
                    _cut(row["removes"][i], WIDTHS["removes"]) if i < len(row["removes"]) else ("" if i else "-"),
                    _size_text(row["size"], row["size_complete"]) if i == 0 else "",
                    (_size_text(row["wasted"], row["wasted_complete"]) if row["wasted"] or not row["wasted_complete"]
                     else "-") if i == 0 else "",
                    _cut(row["cache_key"][i], WIDTHS["cache"]) if i < len(row["cache_key"]) else ("" if i else "-"),
                ))
        widths = [max(len(r[c]) for r in rows) for c in range(len(header))]
        for r in rows:
            cells = [r[0].rjust(widths[0])] + [r[c].ljust(widths[c]) for c in range(1, len(header))]
            cells[4] = r[4].rjust(widths[4])
            cells[5] = r[5].rjust(widths[5])
            lines.append("  ".join(cells).rstrip())
        t = stage["totals"]
        lines.append(f"total: {t['layers']} layer{'s' if t['layers'] != 1 else ''}, "
                     f"{_size_text(t['size'], t['size_complete'])} added, "
                     f"{_size_text(t['wasted'], t['wasted_complete'])} wasted")
    if len(data["stages"]) > 1:
        t = data["totals"]
        lines.append("")
        lines.append(f"image total: {t['layers']} layers, {_size_text(t['size'], t['size_complete'])} added, "
                     f"{_size_text(t['wasted'], t['wasted_complete'])} wasted (base image not counted)")
    if not data["stages"]:
        lines.append("no stage")
    return "\n".join(lines) + "\n"

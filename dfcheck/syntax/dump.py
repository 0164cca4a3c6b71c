"""Print a parsed Dockerfile: BuildKit's parser-test dump, or a JSON tree with spans."""

from __future__ import annotations

from .gocompat import go_lower, go_quote
from .nodes import Dockerfile, Instruction, Span

def _node(node: Instruction) -> str:
    # A chain of ONBUILD triggers is walked in a loop, not recursively: it may be hundreds of levels deep.
    parts = []
    depth = 0
    while True:
        # Node.Dump prints strings.ToLower of the keyword as written
        parts.append("(" + go_lower(node.keyword_text or node.keyword))
        if node.flags:
            parts.append(" [" + " ".join(go_quote(f.text) for f in node.flags) + "]")
        if node.trigger is None:
            break
        parts.append(" ")
        node = node.trigger
        depth += 1
    if node.keyword.upper() not in _KNOWN:
        parts.append(' ""')  # BuildKit keeps an empty argument node for instructions it ignores
    else:
        parts.extend(" " + go_quote(a.value) for a in node.args)
    return "".join(parts) + ")" * (depth + 1)


_KNOWN = {
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
}


def buildkit_dump(dockerfile: Dockerfile) -> str:
    """One `(keyword ["--flags"] "arg" ...)` line per instruction, as BuildKit's parser tests print."""
    return "".join(_node(node) + "\n" for node in dockerfile.instructions)


def span_json(span: Span | None) -> dict | None:
    if span is None:
        return None
    return {"line": span.line, "column": span.column, "end_line": span.end_line, "end_column": span.end_column}


def _instruction_json(node: Instruction) -> dict:
    chain = [node]  # ONBUILD triggers, in a loop rather than recursively: a chain may be hundreds deep
    while chain[-1].trigger is not None:
        chain.append(chain[-1].trigger)
    tree = None
    for node in reversed(chain):
        tree = _one_instruction_json(node, tree)
    return tree


def _one_instruction_json(node: Instruction, trigger: dict | None) -> dict:
    return {
        "keyword": node.keyword,
        "span": span_json(node.span),
        "keyword_span": span_json(node.keyword_span),
        "flags": [{"name": f.name, "value": f.value, "span": span_json(f.span)} for f in node.flags],
        "json": node.json,
        "args": [{"value": a.value, "span": span_json(a.span)} for a in node.args],
        "pairs": [
            {"key": p.key, "value": p.value, "separator": p.separator, "span": span_json(p.span),
             "key_span": span_json(p.key_span), "value_span": span_json(p.value_span)}
            for p in node.pairs
        ],
        "heredocs": [
            {"name": h.name, "fd": h.fd, "chomp": h.chomp, "expand": h.expand, "content": h.content,
             "marker_span": span_json(h.marker_span), "span": span_json(h.span)}
            for h in node.heredocs
        ],
        "trigger": trigger,
        "error": node.error,
    }


def json_tree(dockerfile: Dockerfile) -> dict:
    return {
        "escape": dockerfile.escape,
        "directives": [{"name": d.name, "value": d.value, "span": span_json(d.span)} for d in dockerfile.directives],
        "instructions": [_instruction_json(node) for node in dockerfile.instructions],
        "comments": [{"text": c.text, "span": span_json(c.span)} for c in dockerfile.comments],
        "errors": [{"message": e.message, "span": span_json(e.span)} for e in dockerfile.errors],
    }

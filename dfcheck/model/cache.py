"""Where the files a COPY/ADD brings in come from (which installs read which manifests is in the
command catalog, `dfcheck.model.commands`)."""

from __future__ import annotations

import posixpath

from ..records import fields_repr
from ..syntax.nodes import Instruction, Span


# -- where COPY/ADD files come from -------------------------------------------------------------

class CopySource:
    __slots__ = ("node", "text", "span", "dest", "dest_dir", "kind")

    def __init__(self, node: Instruction, text: str, span: Span, dest: str, dest_dir: bool, kind: str):
        self.node = node
        self.text = text  # the source as expanded
        self.span = span
        self.dest = dest  # the destination, absolute
        self.dest_dir = dest_dir
        self.kind = kind  # "context" (the whole context), "dir", "file", "glob", "url", "stage"

    __repr__ = fields_repr

    @property
    def broad(self) -> bool:
        return self.kind in ("context", "dir")


WHOLE_CONTEXT = {".", "./", "/", "*", "./*", "**"}


def copy_sources(model, node: Instruction) -> list[CopySource]:
    """The sources of a COPY/ADD with their resolved destination."""
    values = [model.expand(node, v) for v in node.values]
    if node.keyword not in ("COPY", "ADD") or len(values) < 2 or not values[-1].exact:
        return []
    *sources, dest = values
    text = dest.value
    dest_dir = text.endswith("/") or text in (".", "..") or text.endswith("/.") or len(sources) > 1
    dest_path = posixpath.normpath(posixpath.join(model.workdir(node), text))
    from_flag = node.flag("from")
    context = model.context if not from_flag else None
    found = []
    for source, arg in zip(sources, node.args[:-1]):
        value = source.value
        if from_flag:
            kind = "stage"
        elif "://" in value or value.startswith("git@"):
            kind = "url"
        elif value in WHOLE_CONTEXT or posixpath.normpath(value.lstrip("/") or ".") == ".":
            kind = "context"
        elif any(c in value for c in "*?["):
            kind = "glob"
            if context is not None and any(k == "dir" for _, k in context.matches(value)):
                kind = "dir"
        elif context is not None and context.kind(value) is not None:
            kind = "dir" if context.kind(value) == "dir" else "file"
        elif value.endswith("/"):
            kind = "dir"
        else:
            kind = "file"  # as far as we can tell without the context
        found.append(CopySource(node, value, arg.span, dest_path, dest_dir, kind))
    return found


def brings(model, source: CopySource, path: str) -> str | None:
    """The context path through which `source` puts the image file `path`, or None."""
    from .context import go_match

    clean = source.text.strip("/") if source.text not in ("/",) else ""
    if source.kind == "context":
        if path.startswith(source.dest.rstrip("/") + "/"):
            return path[len(source.dest.rstrip("/")) + 1:]
        return None
    if source.kind == "dir":
        prefix = source.dest.rstrip("/") + "/"
        if not path.startswith(prefix):
            return None
        rest = path[len(prefix):]
        if any(c in clean for c in "*?["):
            return rest
        return posixpath.join(clean, rest) if clean else rest
    if source.kind in ("file", "glob"):
        name = posixpath.basename(path)
        parent = posixpath.dirname(path)
        if source.kind == "glob":
            base = posixpath.basename(clean)
            if parent == source.dest.rstrip("/") or (source.dest == "/" and parent == "/"):
                if go_match(base, name):
                    directory = posixpath.dirname(clean)
                    return posixpath.join(directory, name) if directory else name
            return None
        target = posixpath.join(source.dest, posixpath.basename(clean)) if source.dest_dir else source.dest
        if posixpath.normpath(target) == path:
            return clean
        if source.kind == "file" and model.context is None and path.startswith(source.dest.rstrip("/") + "/") \
                and not source.dest_dir and "." not in posixpath.basename(clean):
            # `COPY src /app/src` without the context: most likely a directory.
            return posixpath.join(clean, path[len(source.dest.rstrip("/")) + 1:])
    return None

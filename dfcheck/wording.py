"""Phrasing shared by several rules and reports, so that they word the same thing the same way.

Rules may import this module (see the rule boundary in the README); it holds wording only, no knowledge
about Dockerfiles: that lives in the model.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from .model.effects import Added, Packages, Waste


def did_you_mean(word: str, names) -> str:
    """" (did you mean build?)" when one of `names` is near enough to `word` to be what was meant, else ""."""
    from .suggest import closest

    guess = closest(word, names)
    return f" (did you mean {guess}?)" if guess else ""


# -- the layer rules and the layers report ----------------------------------------------------

def format_size(size: int | None) -> str:
    """"512 B", "1.5 MiB"; "?" when the size is not known."""
    if size is None:
        return "?"
    if size < 1024:
        return f"{size} B"
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        size /= 1024
        if size < 1024 or unit == "TiB":
            return f"{size:.1f} {unit}"
    return f"{size} B"


def pronoun(names: list[str]) -> dict[str, str]:
    """The pronouns for what `names` name: one path or package is "it" ("its"); several, or a wildcard that
    stands for several, are "them" ("their", "they")."""
    if len(names) == 1 and not any(c in names[0] for c in "*?["):
        return {"them": "it", "their": "its", "they": "it", "are": "is", "s": ""}
    return {"them": "them", "their": "their", "they": "they", "are": "are", "s": "s"}


def origin(item: Added | Packages) -> str:
    """"COPY at line 2"."""
    return f"{item.node.keyword} at line {item.node.span.line}"


def grouped(wastes: list[Waste]) -> list[list[Waste]]:
    """Wastes grouped by the command that causes them, in order of appearance."""
    groups: dict[tuple, list[Waste]] = {}
    for waste in wastes:
        span = waste.operation.span
        key = (span.line, span.column, span.end_line, span.end_column, waste.kind)
        groups.setdefault(key, []).append(waste)
    return list(groups.values())


def amount(wastes: list[Waste]) -> int | None:
    """Total known bytes of a group (None when no size is known)."""
    sizes = [w.size for w in wastes if w.size is not None]
    return sum(sizes) if sizes else None


def assumptions(wastes: list[Waste]) -> str:
    """" (assuming the archive unpacks to foo-1.0/)" when what a group names rests on an assumption."""
    found = sorted({w.assumed for w in wastes if w.assumed})
    return f" (assuming {' and '.join(found)})" if found else ""


def sources(wastes: list[Waste]) -> str:
    """"COPY at line 2 and RUN at line 4"."""
    names = []
    for waste in sorted(wastes, key=lambda w: w.added.node.span.line):
        name = origin(waste.added)
        if name not in names:
            names.append(name)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

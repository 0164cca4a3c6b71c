"""The package's import graph: no circles, and nothing of the command line or the language server below them.

Imports are read from the source (nothing is imported), for every module of `dfcheck/` and of `rules/`
(installed as `dfcheck.rules`). Two graphs are drawn:

- module-level imports: the statements that run when the module is imported (at the top, inside a top-level
  `if` or `try`, in a class body; not under `if TYPE_CHECKING:`). A circle there makes the import order
  matter, so there must be none.
- all imports, the lazy ones inside functions too. They keep start-up fast and never fail at import time,
  but a circle through them is still two modules that need each other: there must be none either, but for
  the few listed in LAZY_CIRCLES, each with its reason.

In both, a package's `__init__` importing its own submodules is left out: a submodule is always imported
after its package's `__init__`, so that never waits on a circle (`dfcheck/__init__.py` hands `dfcheck.api`'s
names on, `dfcheck/buildfiles/__init__.py` reads Bake and Compose files through its submodules).
"""

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Circles through function-level imports that stay, and why.
LAZY_CIRCLES = {
    # The public API's `dfcheck.rules()` (documented in the README) is the package of the built-in rules made
    # callable, listing every rule through the engine, which loads the built-in ones from that package: the one
    # circle that stays, since the name must be both.
    frozenset({"dfcheck.engine", "dfcheck.rules"}),
}
UPPER_LAYERS = ("dfcheck.cli", "dfcheck.lsp")
LOWER_LAYERS = ("dfcheck.model", "dfcheck.syntax", "dfcheck.rules")


def modules() -> dict[str, Path]:
    found = {}
    for folder, package in (("dfcheck", "dfcheck"), ("rules", "dfcheck.rules")):
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


def _within(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def imports(name: str, path: Path, known, *, lazy: bool) -> set[str]:
    """The modules of `known` that module `name` imports (at module level, or anywhere with `lazy`)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()

    def resolve(target: str) -> str | None:
        while target and target not in known:
            target = target.rpartition(".")[0]
        return target or None

    def visit(statements, running: bool):
        for s in statements:
            if isinstance(s, ast.If) and isinstance(s.test, ast.Name) and s.test.id == "TYPE_CHECKING":
                continue
            if isinstance(s, (ast.Import, ast.ImportFrom)) and (running or lazy):
                if isinstance(s, ast.Import):
                    targets = [resolve(a.name) for a in s.names]
                else:
                    base = s.module or ""
                    if s.level:  # relative: `.` is the package, each further dot one package up
                        parts = package.split(".")
                        base = ".".join(parts[:len(parts) - s.level + 1] + ([s.module] if s.module else []))
                    # `from . import engine` imports the submodule; `from .config import Settings` the module
                    targets = [resolve(f"{base}.{a.name}") if f"{base}.{a.name}" in known else resolve(base)
                               for a in s.names]
                out.update(t for t in targets if t and t != name and not t.startswith(name + "."))
            inside_function = isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            for field in ("body", "orelse", "finalbody", "handlers"):
                block = getattr(s, field, None)
                if isinstance(block, list):
                    visit(block, running and not inside_function)

    visit(ast.parse(path.read_text(encoding="utf-8")).body, True)
    return out


@functools.lru_cache(maxsize=None)
def graph(*, lazy: bool) -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known, lazy=lazy) for name, path in known.items()}


def circles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def test_the_reader_sees_the_package():
    edges = graph(lazy=True)
    assert {"dfcheck.cli", "dfcheck.syntax.parser", "dfcheck.rules", "dfcheck.lsp.server"} <= set(edges)
    assert "dfcheck.config" in edges["dfcheck.engine"]
    assert "dfcheck.syntax.gocompat" in edges["dfcheck.syntax.parser"]
    assert "dfcheck.lsp.features" in edges["dfcheck.lsp.server"]  # a relative import inside a subpackage
    assert "dfcheck.suppressions" in edges["dfcheck.engine"]  # `from . import suppressions`, in a function
    assert "dfcheck.suppressions" not in graph(lazy=False)["dfcheck.engine"]


def test_the_reader_finds_circles():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset("abc")]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_circles_among_module_level_imports():
    assert circles(graph(lazy=False)) == []


def test_no_circles_through_lazy_imports_but_the_listed_ones():
    assert sorted(map(sorted, circles(graph(lazy=True)))) == sorted(map(sorted, LAZY_CIRCLES))


def test_nothing_below_imports_the_command_line_or_the_language_server():
    upward = sorted((name, target) for name, targets in graph(lazy=True).items() if _within(name, LOWER_LAYERS)
                    for target in targets if _within(target, UPPER_LAYERS))
    assert upward == []

"""The rule boundary: what a built-in rule module may import, and the shape of a rule's entry point.

A rule module (and a private helper module of rules/, `_name.py`) imports only:
- the rule API, `dfcheck.rule`;
- the syntax tree, `dfcheck.syntax` and its modules;
- the model, `dfcheck.model`, and only the names in its `__all__` (never a module of the model);
- shared phrasing, `dfcheck.wording`;
- private helpers beside it (`from ._shell import runs`), never another rule's module;
- the standard library, and the third-party packages named in THIRD_PARTY.
"""

import ast
import inspect
import re
import sys
from pathlib import Path

import pytest

import dfcheck.model
import dfcheck.rules
from dfcheck.model import Model
from dfcheck.rule import Finding, Options
from support import builtin_rules


RULES_DIR = Path(dfcheck.rules.__path__[0])
ALLOWED = ("dfcheck.rule", "dfcheck.syntax", "dfcheck.wording")
THIRD_PARTY = {"libcst"}  # DF701 parses Python with it (imported only when a RUN runs Python code)
STDLIB = set(sys.stdlib_module_names)


def _modules():
    return sorted(p for p in RULES_DIR.glob("*.py") if p.name != "__init__.py")


def _problems(path: Path) -> list[str]:
    """What the module imports across the boundary, one "line N: ..." each."""
    problems = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            problems += [f"line {node.lineno}: import {a.name}" for a in node.names
                         if a.name.split(".")[0] not in STDLIB | THIRD_PARTY]
        elif isinstance(node, ast.ImportFrom):
            names = [a.name for a in node.names]
            module = node.module or ""
            where = f"line {node.lineno}: from {'.' * node.level}{module} import {', '.join(names)}"
            if node.level:
                if node.level != 1 or not module.startswith("_"):
                    problems.append(f"{where} (only a private helper module beside it, `._name`)")
                elif not (RULES_DIR / f"{module}.py").is_file():
                    problems.append(f"{where} (no such helper module)")
            elif module == "dfcheck.model":
                outside = [n for n in names if n not in dfcheck.model.__all__]
                if outside:
                    problems.append(f"{where} ({', '.join(outside)} not in dfcheck.model.__all__)")
            elif not (module in ALLOWED or module.startswith("dfcheck.syntax.")
                      or module.split(".")[0] in STDLIB | THIRD_PARTY):
                problems.append(where)
    return problems


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_rule_module_imports_only_the_rule_boundary(path):
    assert _problems(path) == []


def test_the_scan_catches_what_crosses_the_boundary(tmp_path):
    bad = tmp_path / "df999_bad.py"
    bad.write_text("from dfcheck.engine import lint\n"
                   "from dfcheck.model.commands import action\n"
                   "from dfcheck.model import Model, not_there\n"
                   "from .df401_add_instead_of_copy import add_instead_of_copy\n"
                   "import yaml\n"
                   "import re\n"
                   "from dfcheck.syntax.nodes import Span\n", encoding="utf-8")
    assert [p.split(":")[0] for p in _problems(bad)] == ["line 1", "line 2", "line 3", "line 4", "line 5"]


def test_model_all_names_resolve():
    for name in dfcheck.model.__all__:
        assert getattr(dfcheck.model, name) is not None, name


@pytest.mark.parametrize("code", sorted(builtin_rules()))
def test_rule_entry_point_is_type_hinted(code):
    check = builtin_rules()[code].check
    hints = check.__annotations__
    assert list(inspect.signature(check).parameters) == ["model", "options"]
    assert hints["model"] in (Model, "Model")
    assert hints["options"] in (Options, "Options")
    assert hints["return"] in ("Iterator[Finding]",) or getattr(hints["return"], "__args__", None) == (Finding,)


def _codes_named(text: str) -> set[str]:
    """The codes a docstring names, "DF304-DF307" standing for DF304, DF305, DF306 and DF307."""
    named = set(re.findall(r"DF\d{3}", text))
    for first, last in re.findall(r"DF(\d{3})\s*[-–]\s*DF(\d{3})", text):
        named.update(f"DF{n:03d}" for n in range(int(first), int(last) + 1))
    return named


def test_a_rule_is_found_by_its_code():
    """Each rule lives in the module named by its code or, in a family module, by the family's first code;
    a family module's docstring names all its codes; `Rule.defined_in` says where."""
    families = {}
    for code, r in builtin_rules().items():
        families.setdefault(r.source, []).append(code)
    assert families, "no built-in rules found"
    for source, codes in families.items():
        module = source.rsplit(".", 1)[1]
        assert module.startswith(min(codes).lower() + "_"), (module, codes)
        assert all(builtin_rules()[c].defined_in == f"rules/{module}.py" for c in codes)
        if len(codes) > 1:
            doc = ast.get_docstring(ast.parse((RULES_DIR / f"{module}.py").read_text(encoding="utf-8"))) or ""
            assert set(codes) <= _codes_named(doc.split("\n\n")[0]), (module, codes)

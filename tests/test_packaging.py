"""The built-in rules live in rules/ in the repository and install as the dfcheck.rules package."""

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _pip(python: Path, *args: str, cwd: Path | None = None) -> None:
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *args], check=True, cwd=cwd)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(REPO)],
        check=True,
    )
    [built] = out.glob("dfcheck_lint-*.whl")
    return built


def test_wheel_metadata_names_dfcheck_lint_and_holds_the_license_and_py_typed(wheel):
    import dfcheck

    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    info = f"dfcheck_lint-{dfcheck.__version__}.dist-info"
    metadata = archive.read(f"{info}/METADATA").decode()
    headers = metadata.split("\n\n", 1)[0].splitlines()
    assert "Name: dfcheck-lint" in headers
    assert "License-Expression: Apache-2.0" in headers
    assert "License-File: LICENSE" in headers
    assert f"{info}/licenses/LICENSE" in names
    assert "Apache License" in archive.read(f"{info}/licenses/LICENSE").decode()
    assert "dfcheck/py.typed" in names
    # Every documented feature works with the base install: SARIF, embedded Python, the language server and
    # .hadolint.yaml need no extra. ShellCheck stays one (see the README).
    requires = [h.split(":", 1)[1].strip() for h in headers if h.startswith("Requires-Dist:")]
    plain = {r.split(">")[0].split(";")[0].strip() for r in requires if "extra ==" not in r}
    assert {"tree-sitter", "tree-sitter-bash", "sarif-om", "libcst", "pygls", "pyyaml"} <= plain
    extras = [h.split(":", 1)[1].strip() for h in headers if h.startswith("Provides-Extra:")]
    assert extras == ["shellcheck", "test"]
    # console script: the command keeps its name
    entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert "dfcheck = dfcheck.cli:run" in entry_points


def test_wheel_holds_dfcheck_rules_and_no_top_level_rules(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "dfcheck/rules/__init__.py" in names
    assert "dfcheck/rules/df001_syntax_error.py" in names
    assert "dfcheck/syntax/parser.py" in names
    assert "dfcheck/buildfiles/bake.py" in names and "dfcheck/model/base_image_table.py" in names
    assert "dfcheck/model/commands/languages.py" in names
    assert not [n for n in names if n.startswith("rules/")]
    top_level = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top_level == {"dfcheck"}


def test_wheel_holds_every_package_of_the_source_tree(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = sorted(init.parent.relative_to(REPO).as_posix() for init in (REPO / "dfcheck").rglob("__init__.py"))
    assert "dfcheck/lsp" in packages
    assert [p for p in packages if f"{p}/__init__.py" not in names] == []
    assert {"dfcheck/py.typed", "dfcheck/rules/df702_shellcheck.py"} <= names


def test_editable_install_imports_the_rules(tmp_path):
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    _pip(python, "--editable", str(REPO))
    probe = (
        "import dfcheck.rules, dfcheck.rules.df001_syntax_error as m, pathlib;"
        "print(pathlib.Path(dfcheck.rules.__file__).parent.name, m.syntax_error.code)"
    )
    # Run outside the repository so the source tree is not on sys.path by accident.
    out = subprocess.run([str(python), "-c", probe], check=True, capture_output=True, text=True, cwd=tmp_path)
    assert out.stdout.split() == ["rules", "DF001"]
    spec = subprocess.run([str(python), "-c", "import importlib.util as u; print(u.find_spec('rules'))"],
                          check=True, capture_output=True, text=True, cwd=tmp_path)
    assert spec.stdout.strip() == "None"

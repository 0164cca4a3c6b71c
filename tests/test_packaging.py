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
    [built] = out.glob("dfcheck-*.whl")
    return built


def test_wheel_holds_dfcheck_rules_and_no_top_level_rules(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "dfcheck/rules/__init__.py" in names
    assert "dfcheck/rules/df001_syntax_error.py" in names
    assert "dfcheck/syntax/parser.py" in names
    assert "dfcheck/model/commands/languages.py" in names
    assert not [n for n in names if n.startswith("rules/")]
    top_level = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top_level == {"dfcheck"}


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

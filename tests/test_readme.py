"""Every command the README shows works as printed: its shell blocks, the dfcheck commands of its CI
examples, its Python example and its configuration example, run against the installed dfcheck in a
directory laid out as the commands expect. Commands that need the network (installing from the package
index, pre-commit fetching the repository) are left out; `.ci/run` runs the two install commands of the
README's first lines in fresh virtual environments."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent
NEEDS_NETWORK = ("pip install", "pipx install", "python3 -m venv", "pre-commit try-repo")


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.M | re.S)


def shell_commands() -> list[str]:
    commands = [line.strip() for block in blocks("sh") for line in block.splitlines() if line.strip()]
    # the dfcheck steps of the GitHub Actions and GitLab CI examples
    for block in blocks("yaml"):
        commands += [m.group(1) for m in re.finditer(r"^\s*(?:- run: |- )(dfcheck .*)$", block, flags=re.M)]
    return [c for c in commands if not c.startswith(NEEDS_NETWORK)]


@pytest.fixture
def project(tmp_path) -> Path:
    """A directory with what the README's commands name: a Dockerfile, path/to/Dockerfile, services/, a
    .hadolint.yaml, the examples."""
    if shutil.which("dfcheck", path=str(BIN)) is None:
        pytest.skip("the dfcheck command is not installed beside this Python")
    root = tmp_path / "project"
    shutil.copytree(REPO / "examples", root / "examples")
    shutil.copy(REPO / "examples" / "python-app" / "Dockerfile", root / "Dockerfile")
    (root / "path" / "to").mkdir(parents=True)
    shutil.copy(REPO / "examples" / "node-web" / "Dockerfile", root / "path" / "to" / "Dockerfile")
    shutil.copytree(REPO / "examples" / "go-service", root / "services" / "go-service")
    (root / ".hadolint.yaml").write_text("ignored: [DL3008]\n")
    return root


def run_shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE", "CI_PROJECT_DIR")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)


def test_the_readme_has_the_commands_this_test_runs():
    commands = shell_commands()
    assert "dfcheck examples/" not in commands  # run by .ci/run after a fresh install
    assert "dfcheck layers Dockerfile     # the layers, their sizes, their cache keys, the wasted bytes" in commands
    assert "dfcheck --format sarif --output dfcheck.sarif ." in commands  # from the code-scanning workflow
    assert "dfcheck config --from-hadolint >> pyproject.toml" in commands
    assert len(commands) >= 20


def test_every_shell_command_works_as_printed(project):
    failures = []
    for command in shell_commands():
        done = run_shell(command, project)
        # 0 or 1 (findings); never a usage, configuration or internal error
        if done.returncode not in (0, 1) or "Traceback" in done.stderr or "error:" in done.stderr:
            failures.append((command, done.returncode, done.stderr[-500:]))
    assert failures == []


def test_the_python_example_runs(project):
    [code] = [b for b in blocks("python") if "import dfcheck" in b]
    done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Dockerfile:11:1: DF304 [warning]" in done.stdout


def test_the_configuration_example_is_valid(project):
    [example] = [b for b in blocks("toml") if b.startswith("[tool.dfcheck]\nextend")]
    (project / "pyproject.toml").write_text(example)
    (project.parent / "dfcheck-base.toml").write_text("")  # what its `extend` names
    done = run_shell("dfcheck --show-settings Dockerfile", project)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1] == f"# from pyproject.toml, which extends {project.parent / 'dfcheck-base.toml'}"


def test_links_are_absolute_so_the_readme_renders_on_the_package_index():
    targets = re.findall(r"\]\(([^)]+)\)", README)
    assert targets and [t for t in targets if not t.startswith(("https://", "#"))] == []

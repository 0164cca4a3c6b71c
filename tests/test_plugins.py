"""Third-party rules: install a tiny plugin package into a fresh virtual environment and use it.

Slow-ish (a venv and two pip installs, ~30 s with a warm pip cache) but part of the default run: the entry-point
loader is read by hand for start-up speed, and only a real installation proves it.
"""

import json
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PLUGIN = REPO / "tests" / "plugin_pkg"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    root = tmp_path_factory.mktemp("plugin")
    plugin = root / "plugin_pkg"
    shutil.copytree(PLUGIN, plugin, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    env = root / "venv"
    venv.create(env, with_pip=True)
    subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    str(REPO), str(plugin)], check=True)
    work = root / "work"
    work.mkdir()
    (work / "Dockerfile").write_text("FROM alpine:3.20\nLABEL a=b\nUSER root\n")
    return env, work


def dfcheck(env, work, *args):
    venv_dir, _ = env
    return subprocess.run([str(venv_dir / "bin" / "dfcheck"), *args], cwd=work, capture_output=True, text=True)


def test_rules_lists_the_plugin_rules_with_their_distribution(env):
    out = dfcheck(env, env[1], "rules")
    assert out.returncode == 0, out.stderr
    rows = [line.split() for line in out.stdout.splitlines()]
    assert ["XP001", "example-label", "warning", "no", "yes", "dfcheck-example-plugin", "-", "-"] in rows
    assert ["XP002", "example-root-user", "error", "no", "yes", "dfcheck-example-plugin", "-", "-"] in rows
    assert "XP003" not in out.stdout  # the entry point named one object of that module
    assert ["DF001", "syntax-error", "error", "no", "yes", "dfcheck", "DL3043,DL3061", "-"] in rows


def test_the_plugin_rules_report_findings(env):
    out = dfcheck(env, env[1], "--format", "json", "--select", "XP", ".")
    assert out.returncode == 1, out.stderr
    found = [(f["code"], f["name"], f["line"], f["column"], f["message"]) for f in json.loads(out.stdout)["findings"]]
    assert found == [("XP001", "example-label", 2, 1, "LABEL found by the example plugin"),
                     ("XP002", "example-root-user", 3, 1, "USER root, says the example plugin")]
    page = dfcheck(env, env[1], "rule", "XP001")
    assert page.returncode == 0 and "From the plugin: dfcheck-example-plugin" in page.stdout


def test_the_hand_read_entry_points_match_importlib_metadata(env):
    probe = (
        "import importlib.metadata as m, json; from dfcheck.engine import plugin_entry_points;"
        "ours = plugin_entry_points();"
        "theirs = [(e.dist.name, e.value) for e in m.entry_points(group='dfcheck.rules')];"
        "print(json.dumps([sorted(ours), sorted(theirs)]))"
    )
    out = subprocess.run([str(env[0] / "bin" / "python"), "-c", probe], cwd=env[1], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    ours, theirs = json.loads(out.stdout)
    assert ours == theirs == [["dfcheck-example-plugin", "dfcheck_example_plugin"],
                              ["dfcheck-example-plugin", "dfcheck_example_plugin.extra:root_user"]]


def test_python_dash_m_does_not_load_plugins_or_modules_from_the_current_directory(tmp_path):
    """`python -m` puts the current directory on sys.path; the directory being linted is not code to run."""
    import os
    import sys

    info = tmp_path / "planted-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text("[dfcheck.rules]\nplanted = planted_rules\n")
    (info / "METADATA").write_text("Name: planted\n")
    (tmp_path / "planted_rules.py").write_text("open('RAN', 'w').close()\n")
    (tmp_path / "yaml.py").write_text("open('RAN', 'w').close()\n")  # shadows a dependency
    (tmp_path / ".hadolint.yaml").write_text("ignored: [DL3020]\n")
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nUSER app\n")
    import dfcheck

    env = {**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(dfcheck.__file__))}
    out = subprocess.run([sys.executable, "-m", "dfcheck", "Dockerfile"], cwd=tmp_path, capture_output=True,
                         text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "RAN").exists()

"""DF701: Python inside a RUN that does not parse."""

from support import findings


def test_heredoc_fed_to_python_with_a_syntax_error():
    src = 'FROM python:3.12\nRUN python3 <<EOF\nimport json\nprint(json.dumps({"ok": True})\nEOF\n'
    assert findings("DF701", src) == [
        ("DF701", 4, 6, "Python syntax error in the heredoc script: '(' was never closed"),
    ]


def test_error_position_inside_the_body():
    src = "FROM python:3.12\nRUN python3 <<EOF\nx = 1\ndef f(:\n    pass\nEOF\n"
    assert findings("DF701", src) == [("DF701", 4, 7, "Python syntax error in the heredoc script: invalid syntax")]


def test_chomped_heredoc_columns_count_the_removed_tabs():
    src = "FROM python:3.12\nRUN python3 <<-EOF\n\tx = (\n\tEOF\n"
    assert findings("DF701", src) == [("DF701", 3, 6, "Python syntax error in the heredoc script: '(' was never closed")]


def test_shebang_script_and_python_c():
    src = (
        "FROM python:3.12\n"
        "RUN <<EOF\n#!/usr/bin/env python3\nprint('a'\nEOF\n"
        "RUN python3 -c 'import sys; sys.exit(0' && echo done\n"
    )
    assert findings("DF701", src) == [
        ("DF701", 4, 6, "Python syntax error in the heredoc script: '(' was never closed"),
        ("DF701", 6, 37, "Python syntax error in `python3 -c`: '(' was never closed"),
    ]


def test_valid_python_python2_and_dynamic_code_are_fine():
    src = (
        "FROM python:3.12\n"
        "RUN python3 <<EOF\nimport sys\nprint(sys.version)\nEOF\n"
        "RUN <<EOF\n#!/usr/bin/python2\nprint 'old'\nEOF\n"
        'RUN python -c "$CODE" && python3 -c "print(1)"\n'
        "RUN cat <<EOF > /app/broken.py\ndef (:\nEOF\n"
    )
    assert findings("DF701", src) == []


def test_code_valid_in_the_images_python_is_not_reported_whatever_python_dfcheck_runs_on():
    src = (
        "FROM python:3.12-slim\n"
        "RUN python3 <<EOF\ntype Pair = tuple[int, int]\ndef first[T](items: list[T]) -> T:\n    return items[0]\n"
        'names = {"a": 1}\nprint(f"{names["a"]}")\nEOF\n'
        "RUN python3 -c 'type X = int'\n"
    )
    assert findings("DF701", src) == []


def test_syntax_newer_than_the_images_python_is_reported():
    src = "FROM python:3.9-slim\nRUN python3 <<EOF\nmatch command:\n    case 1:\n        pass\nEOF\n"
    assert findings("DF701", src) == [
        ("DF701", 5, 13, "Python syntax error in the heredoc script: "
                         "Pattern matching is only supported in Python 3.10 and greater"),
    ]


def test_the_interpreters_own_version_wins_over_the_images():
    src = "FROM python:3.12\nRUN python3.7 -c 'if (n := 1): pass'\nRUN python2.7 -c 'print 1'\n"
    assert findings("DF701", src) == [
        ("DF701", 2, 29, "Python syntax error in `python3.7 -c`: "
                         "Assignment expressions are only supported in Python 3.8 and greater"),
    ]


def test_python_images_and_interpreters_name_their_version():
    from dfcheck.model.scripts import image_python_version, python_version

    assert [image_python_version(i) for i in (
        "python:3.12-slim", "docker.io/library/python:3.13.1-alpine3.20@sha256:00", "pypy:3.10-7.3.17",
        "python:3", "python", "python:latest", "ubuntu:24.04", "myorg/python-tools:3.12", None,
    )] == [(3, 12), (3, 13), (3, 10), None, None, None, None, None, None]
    assert [python_version(p) for p in ("python3.11", "/usr/bin/python3.12", "pypy3.10", "python3", "python")] == [
        (3, 11), (3, 12), (3, 10), None, None]


def test_deeply_nested_code_never_reaches_libcst():
    # ~1,500 brackets overflowed libcst's C stack (a crash of the whole process); CPython refuses more than
    # 200 in every version, so that is a finding; deep nesting without brackets is left alone.
    import json
    import subprocess
    import sys

    from dfcheck.rules.df701_python_syntax_error import LIBCST_MAX_TOKENS, _shallow

    assert _shallow("x = (1 +\n 2)\n" * 50) and not _shallow("(" * (LIBCST_MAX_TOKENS + 1))
    assert not _shallow("not " * 3000 + "x")
    src = ("FROM python:3.12\nRUN python -c '" + "(" * 1500 + "'\n"
           "RUN python -c '" + "not " * 3000 + "x'\nRUN python -c 'x = " + "-" * 5000 + "1'\n")
    run = subprocess.run([sys.executable, "-m", "dfcheck", "--select", "DF701", "--format", "json", "-"],
                         input=src, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1, run.stderr
    assert [(f["line"], f["column"], f["message"]) for f in json.loads(run.stdout)["findings"]] == [
        (2, 216, "Python syntax error in `python -c`: too many nested parentheses")]


def test_without_libcst_only_the_running_pythons_own_verdicts_are_reported(monkeypatch):
    # Code that an unknown or newer Python may accept is left alone; an error for an image whose Python is
    # the one dfcheck runs on, or an older one, is still reported.
    import sys

    monkeypatch.setitem(sys.modules, "libcst", None)  # `import libcst` raises ImportError
    host = "%d.%d" % sys.version_info[:2]
    assert findings("DF701", "FROM ubuntu:24.04\nRUN python3 -c 'print(1'\n") == []
    assert findings("DF701", "FROM python:3.99\nRUN python3 -c 'print(1'\n") == []
    assert findings("DF701", f"FROM python:{host}-slim\nRUN python3 -c 'print(1'\n") == [
        ("DF701", 2, 22, "Python syntax error in `python3 -c`: '(' was never closed")]
    assert findings("DF701", "FROM python:3.9\nRUN python3 -c 'print(1'\n") == [
        ("DF701", 2, 22, "Python syntax error in `python3 -c`: '(' was never closed")]

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

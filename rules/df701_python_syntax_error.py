import re
import sys
from collections.abc import Iterator

from dfcheck.model import Model, image_python_version, python_version
from dfcheck.rule import Finding, Options, rule
from dfcheck.syntax.nodes import Span


@rule("DF701", "python-syntax-error", "error", tags=("embedded-code",))
def python_syntax_error(model: Model, options: Options) -> Iterator[Finding]:
    """Python code inside a RUN does not parse.

    ## What it does
    Parses the Python that a RUN runs: a heredoc fed to `python`/`python3` (`RUN python3 <<EOF`), a
    heredoc script whose `#!` line names Python, and the code of `python -c '...'` when it is written
    out literally. A syntax error is reported at its line and column inside the Dockerfile.

    The code is read with the grammar of the Python the image runs: the version the interpreter's name
    pins (`python3.11 -c`, `#!/usr/bin/python3.12`), else the tag of an official `python` or `pypy`
    base image (`python:3.12-slim`: 3.12), else the newest grammar known. Python's own parser finds the
    error and its position; when the image's Python is not the one dfcheck runs on, libcst, which reads
    the grammar of every Python 3 version, must agree, so code that the image's Python accepts is never
    reported (without libcst such code is left alone). Scripts for Python 2 are not checked, nor code
    nested too deeply to parse safely.

    ## Why is this bad?
    The build fails at that RUN, after every earlier layer was built, or worse, a `|| true` hides
    the failure and the image ships without what the script was meant to do.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN python3 <<EOF
    import json
    print(json.dumps({"ok": True})
    EOF
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    RUN python3 <<EOF
    import json
    print(json.dumps({"ok": True}))
    EOF
    ```

    ## Fix safety
    No automatic fix.
    """
    for stage in model.stages:
        image = image_python_version(model.root(stage).base)
        for node in stage.find("RUN"):
            for script in model.embedded_scripts(node):
                if script.language != "python":
                    continue
                version = _target(script.program, image)
                if version is not None and version[0] != 3:
                    continue
                problem = _syntax_error(script.text, version)
                if problem:
                    line, column, message = problem
                    heredoc = script.heredoc
                    lines = heredoc.content.split("\n")
                    stripped = len(lines[line - 1]) - len(lines[line - 1].lstrip("\t")) if heredoc.chomp and line <= len(lines) else 0
                    at = heredoc.body_line + line - 1
                    yield Finding(Span(at, column + stripped, at, column + stripped + 1),
                                  f"Python syntax error in the heredoc script: {message}")
            for code in model.shell_code(node):
                for command in code.script.commands:
                    command = command.effective()
                    if not (command.basename or "").startswith(("python3", "python", "pypy3")) or (
                        command.basename or ""
                    ).startswith("python2"):
                        continue
                    word = command.option_word("-c")
                    if word is None or word.value is None:
                        continue
                    version = _target(command.basename, image)
                    if version is not None and version[0] != 3:
                        continue
                    problem = _syntax_error(word.value, version)
                    if problem:
                        line, column, message = problem
                        start, end = word.start, word.end
                        if line == 1 and word.text[1:-1] == word.value:  # plainly quoted: point inside it
                            start = min(word.start + column, word.end - 1)
                            end = start + 1
                        yield Finding(code.span(start, end), f"Python syntax error in `{command.basename} -c`: {message}")


def _target(program, image):
    """The Python version the code runs with: the interpreter's own (`python3.11`), else the image's, else
    None (unknown: the newest grammar). A bare `python2` gives (2, 0)."""
    name = (program or "").rsplit("/", 1)[-1]
    if name.startswith("python2"):
        return python_version(name) or (2, 0)
    return python_version(name) or image


# libcst's parser recurses on the C stack and overflows it (a crash, not an exception) at some thousands
# of nesting levels; every nesting level costs at least one token of a logical line, so a bound on those
# keeps it far away. Longer lines are not given to libcst.
LIBCST_MAX_TOKENS = 1000
# CPython's tokenizer refuses more than 200 nested brackets, in every version: an error for any target.
_TOO_MANY_PARENTHESES = "too many nested parentheses"


def _syntax_error(source: str, target):
    """(line, column, message), 1-based, of the first syntax error for Python `target` ((3, minor), or None
    for the newest grammar known), or None.

    The running Python's parser says where an error is. When it is the target's, it decides; else libcst,
    which reads the grammar of every Python 3 version, has the last word on whether it is one, and without
    it code that may be valid in the target passes.
    """
    host = sys.version_info[:2]
    problem = _builtin_syntax_error(source)
    if problem is None:
        if target is not None and target < host:  # syntax newer than the target's Python
            return _builtin_syntax_error(source, max(target, (3, 7)))
        return None
    if target == host or problem[2] == _TOO_MANY_PARENTHESES:
        return problem
    rejected = _libcst_rejects(source)
    if rejected is None:  # no libcst, or code it cannot take safely
        return problem if target is not None and target < host else None
    return problem if rejected else None


def _libcst_rejects(source: str):
    """True when libcst finds a syntax error, False when it parses the code, None when it cannot say."""
    if not _shallow(source):
        return None
    try:
        import libcst
    except ImportError:
        return None
    try:
        libcst.parse_module(source)
    except libcst.ParserSyntaxError:
        return True
    except Exception:  # libcst's own limits: say nothing rather than guess
        return None
    return False


_TOKEN = r"\w+|[^\w\s]|\n"


def _shallow(source: str) -> bool:
    """Whether no logical line of `source` has more than LIBCST_MAX_TOKENS tokens (words, operators, brackets;
    a newline inside brackets does not end a logical line)."""
    depth = tokens = 0
    for match in re.finditer(_TOKEN, source):
        token = match.group()
        if token == "\n":
            if depth == 0:
                tokens = 0
            continue
        if token in "([{":
            depth += 1
        elif token in ")]}" and depth:
            depth -= 1
        tokens += 1
        if tokens > LIBCST_MAX_TOKENS:
            return False
    return True


def _builtin_syntax_error(source: str, feature_version=None):
    import ast

    try:
        ast.parse(source, feature_version=feature_version)
    except SyntaxError as e:
        return e.lineno or 1, e.offset or 1, e.msg
    except (ValueError, RecursionError, MemoryError):
        return None
    return None

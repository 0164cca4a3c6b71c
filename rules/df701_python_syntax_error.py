from dfcheck.rule import Finding, rule
from dfcheck.syntax.nodes import Span


@rule("DF701", "python-syntax-error", "error", tags=("embedded-code",))
def python_syntax_error(model, options):
    """Python code inside a RUN does not parse.

    ## What it does
    Parses the Python that a RUN runs: a heredoc fed to `python`/`python3` (`RUN python3 <<EOF`), a
    heredoc script whose `#!` line names Python, and the code of `python -c '...'` when it is written
    out literally. A syntax error is reported at its line and column inside the Dockerfile.

    Python's own parser finds the error and its position; libcst, which reads the grammar of every
    Python 3 version, confirms it, so code that is valid in a Python other than the one dfcheck runs
    on is not reported. Scripts for `python2` are not checked.

    ## Why is this bad?
    The build fails at that RUN, after every earlier layer was built, or worse, a `|| true` hides
    the failure and the image ships without what the script was meant to do.

    ## Example
    ```dockerfile
    RUN python3 <<EOF
    import json
    print(json.dumps({"ok": True})
    EOF
    ```

    ## Use instead
    ```dockerfile
    RUN python3 <<EOF
    import json
    print(json.dumps({"ok": True}))
    EOF
    ```

    ## Fix safety
    No automatic fix.
    """
    for stage in model.stages:
        for node in stage.find("RUN"):
            for script in model.embedded_scripts(node):
                if script.language != "python" or _python2(script.text):
                    continue
                problem = _syntax_error(script.text)
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
                    problem = _syntax_error(word.value)
                    if problem:
                        line, column, message = problem
                        start, end = word.start, word.end
                        if line == 1 and word.text[1:-1] == word.value:  # plainly quoted: point inside it
                            start = min(word.start + column, word.end - 1)
                            end = start + 1
                        yield Finding(code.span(start, end), f"Python syntax error in `{command.basename} -c`: {message}")


def _python2(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return first.startswith("#!") and "python2" in first


def _syntax_error(source: str):
    """(line, column, message), 1-based, of the first syntax error, or None.

    Python's own parser says where the error is; libcst, which reads the grammar of every Python 3
    version, has the last word on whether it is one (code valid only in another version passes).
    """
    problem = _builtin_syntax_error(source)
    if problem is None:
        return None
    try:
        import libcst
    except ImportError:
        return problem
    try:
        libcst.parse_module(source)
    except libcst.ParserSyntaxError:
        return problem
    except Exception:  # libcst's own limits (deep nesting): say nothing rather than guess
        return None
    return None


def _builtin_syntax_error(source: str):
    import ast

    try:
        ast.parse(source)
    except SyntaxError as e:
        return e.lineno or 1, e.offset or 1, e.msg
    except (ValueError, RecursionError, MemoryError):
        return None
    return None

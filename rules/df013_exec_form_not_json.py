"""DF013 exec-form-not-json."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Options, rule

COMMANDS = ("RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK")


@rule("DF013", "exec-form-not-json", "error")
def exec_form_not_json(model: Model, options: Options) -> Iterator[Finding]:
    """An exec form (`["cmd", "arg"]`) that is not valid JSON silently becomes a shell command.

    ## What it does
    Reports RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD whose arguments look like an exec form (`[` and a
    quote, a closing `]`) but do not parse as a JSON array: single quotes (`['nginx']`), a lone backslash
    (`["C:\\app.exe"]`, where JSON wants `"C:\\\\app.exe"`), a missing comma or quote. BuildKit does not
    reject them: it falls back to shell form and runs `/bin/sh -c '["C:\\app.exe", "run"]'`, which fails
    only when the container starts (or, for RUN, with a puzzling "not found"). A valid JSON array with
    something other than strings in it is a parse error that DF001 reports. The shell's own `[`
    (`RUN [ -f /x ] && ...`, `RUN [ "$A" = b ]`) is not an exec form: it has blanks inside its brackets
    and no commas.

    ## Why is this bad?
    The image builds, and the container then fails to start with `/bin/sh: [C:app.exe,: not found`,
    or, in an image without a shell, with "no such file or directory".

    ## Example
    ```dockerfile
    FROM alpine
    CMD ['nginx', '-g', 'daemon off;']
    ```

    ## Use instead
    ```dockerfile
    FROM alpine
    CMD ["nginx", "-g", "daemon off;"]
    ```

    ## Fix safety
    No automatic fix: whether the author meant an exec form (and which escaping) is for them to say.
    """
    for node in model.instructions:
        target = node.trigger if node.keyword == "ONBUILD" and node.trigger is not None else node
        if target.keyword not in COMMANDS or target.json or target.error:
            continue
        text = target.args_text
        if target.keyword == "HEALTHCHECK":
            word, _, rest = text.partition(" ")
            if word.upper() != "CMD":
                continue
            text = rest.lstrip()
        if not _meant_as_exec_form(text):
            continue
        reason = _why(text)
        start = target.args_offset + target.original[target.args_offset:].find(text)
        yield Finding(target.span_of(start, start + len(text)),
                      f"{target.keyword} arguments start with `[` but are not a valid JSON array ({reason}): "
                      f"BuildKit runs them as a shell command, `/bin/sh -c '{text}'`")


def _meant_as_exec_form(text: str) -> bool:
    """`["a", "b"]`-like text, not the shell's test command (`[ -f x ] && ...`, `[ "$a" = b ]`), which
    needs blanks after `[` and before `]` and separates its words without commas."""
    if not text.startswith("[") or not text.endswith("]"):
        return False
    inner = text[1:-1]
    if not inner.strip() or inner.lstrip()[0] not in "\"'":
        return False
    if not inner[0].isspace() or not inner[-1].isspace():
        return True
    return any(q + "," in inner or q + " ," in inner for q in "\"'")


def _why(text: str) -> str:
    import json

    try:
        json.loads(text)
    except ValueError as e:
        if "'" in text and '"' not in text:
            return "JSON strings take double quotes"
        if "\\" in text:
            return "a backslash must be doubled in JSON"
        return f"{getattr(e, 'msg', 'invalid JSON')} at character {getattr(e, 'pos', 0) + 1}"
    return "not an array of strings"

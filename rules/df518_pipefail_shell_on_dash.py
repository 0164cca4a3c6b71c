"""DF518 pipefail-shell-on-dash."""

import posixpath
from collections.abc import Iterator

from dfcheck.model import Model, dash_pipefail, image_shell
from dfcheck.rule import Edit, Finding, Fix, Options, rule


@rule("DF518", "pipefail-shell-on-dash", "error", fixable="safe", reads=("SHELL", "RUN"))
def pipefail_shell_on_dash(model: Model, options: Options) -> Iterator[Finding]:
    """`SHELL ["/bin/sh", "-o", "pipefail", "-c"]` or `RUN set -o pipefail && ...` on a Debian or Ubuntu release
    whose /bin/sh (dash) rejects `-o pipefail`: the RUN fails.

    ## What it does
    Reports, in a stage whose base image's `/bin/sh` is dash (the Debian and Ubuntu images and the
    official images built on them, as the base-image table knows them, or as the image's name says)
    and whose release is known to have a dash without pipefail (Debian 12 "bookworm" and older,
    Ubuntu 24.04 "noble" and older, from the tag or the base-image table):

    - a SHELL instruction that runs `/bin/sh` (or `sh`, `dash`) with the `pipefail` option
      (`-o pipefail`, `-euxo pipefail`), when a later shell-form RUN, CMD or ENTRYPOINT of the
      stage, or of a stage built FROM it, runs with that SHELL;
    - a `set -o pipefail` (`set -euo pipefail`, ...) in a shell-form RUN that this dash runs (not
      in a `bash -c '...'` string, nor in a heredoc script with its own `#!` line).

    Not reported where the release is not known (`debian:latest`, `ubuntu:rolling`, an official
    image whose table rows span several Debian releases, Ubuntu 24.10) nor on Debian 13 "trixie",
    Ubuntu 25.04 and later, whose dash knows the option.

    ## Why is this bad?
    Debian's dash gained pipefail in its package 0.5.12-7 (Debian 13, Ubuntu 25.04). Every earlier
    dash stops with "Illegal option -o pipefail" before running anything: each RUN using such a
    SHELL fails, a shell-form CMD or ENTRYPOINT fails when the container starts, and `set -o
    pipefail` (a special builtin: its error ends the shell) fails the RUN. BusyBox ash (Alpine)
    and bash know the option.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    SHELL ["/bin/sh", "-o", "pipefail", "-c"]
    RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz
    ```

    ## Use instead
    ```dockerfile
    FROM debian:12-slim
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz
    ```

    ## Fix safety
    For the SHELL, the fix makes its program `/bin/bash`, which every Debian and Ubuntu image has
    (bash is an essential package). It is safe: with dash nothing ran at all. A `set -o pipefail`
    in a RUN gets no fix: running the RUN with bash takes a SHELL instruction, which changes every
    later shell-form instruction of the stage.
    """
    for stage in model.stages:
        nodes = [node for node in stage.instructions if node.keyword in ("SHELL", "RUN") and node.args]
        image = _old_dash(model, stage) if nodes else None
        if image is None:
            continue
        for node in nodes:
            if node.keyword == "RUN":
                yield from _set_pipefail(model, node, image)
                continue
            if not node.json:
                continue
            program = posixpath.basename(node.values[0])
            if program not in ("sh", "dash") or not _pipefail(node.values[1:]):
                continue
            failing = _first_use(model, stage, node)
            if failing is None:
                continue
            where = "the dash of" if program == "sh" else "dash, as in"
            # the later instructions get the shell that runs them, where dash ran nothing
            fix = Fix("safe", [Edit(node.args[0].span, '"/bin/bash"')], "Run the SHELL with /bin/bash",
                      changes=("SHELL",))
            yield Finding(
                node.args[0].span,
                f"{node.values[0]} is {where} `{image}`, which rejects -o pipefail (\"Illegal option -o pipefail\"): "
                f"the {failing.keyword} at line {failing.span.line} and every later shell-form instruction using "
                "this SHELL fail; run it with /bin/bash",
                fix if program == "sh" else None,
            )


def _set_pipefail(model, node, image):
    """`set -o pipefail` in the script a shell-form RUN's dash runs (the SHELL itself without pipefail: a SHELL
    with it is reported at the SHELL)."""
    if node.json or not any("pipefail" in text for text in [node.original] + [h.content for h in node.heredocs]):
        return
    shell = model.shell(node)
    if posixpath.basename(shell[0]) not in ("sh", "dash") or _pipefail(list(shell[1:])):
        return
    for code, command, inner in model.commands(node):
        if code.parent is not None or (code.heredoc is not None and (code is not model.shell_code(node)[0]
                                                                     or code.heredoc.body.startswith("#!"))):
            continue  # run by another shell: `bash -c '...'`, `bash <<EOF`, a `#!` line
        if inner.basename != "set" or not code.exact:
            continue
        words = [word.value for word in inner.args]
        if _pipefail(words):
            yield Finding(code.span(command.start, command.end),
                          f"`{' '.join(['set', *words])}` runs in the dash of `{image}`, which rejects pipefail (\"set: Illegal option -o "
                          "pipefail\"): the RUN stops there; run it with bash: `SHELL [\"/bin/bash\", \"-o\", "
                          "\"pipefail\", \"-c\"]` before it")


def _pipefail(words):
    for i, word in enumerate(words[:-1]):
        if word[:1] in "-+" and word[1:2] != word[:1] and "o" in word and words[i + 1] == "pipefail":
            return True
    return False


def _old_dash(model, stage):
    """The base image, when its /bin/sh is dash and its release's dash is known to have no pipefail, else None."""
    root = model.lineage(stage)[0]
    if root.is_scratch:
        return None
    image = model.base_image(stage) or root.base
    facts = model.base_facts(stage)
    if facts is not None and facts.sh is not None:
        if facts.sh != "dash":
            return None
    elif image_shell(image) != "dash":
        return None
    return image if dash_pipefail(image) is False else None


def _first_use(model, stage, shell):
    """The first shell-form RUN, CMD or ENTRYPOINT after `shell` that runs with it, in the stage or a stage built
    FROM it."""
    value = tuple(shell.values)
    todo = [stage]
    while todo:
        current = todo.pop(0)
        for node in current.instructions:
            if current is stage and node.span.line <= shell.span.line:
                continue
            if node.keyword in ("RUN", "CMD", "ENTRYPOINT") and not node.json and model.shell(node) == value:
                return node
        todo.extend(s for s in model.stages if s.base_stage is current)
    return None

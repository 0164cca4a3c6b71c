"""DF518 pipefail-shell-on-dash."""

import posixpath
from collections.abc import Iterator

from dfcheck.model import Model, image_shell
from dfcheck.rule import Edit, Finding, Fix, Options, rule

# Debian and Ubuntu releases whose dash may be newer than 0.5.12, the last release without pipefail.
_NEWER = ("sid", "unstable", "forky", "rolling", "devel")
_SUITES = ("buster", "bullseye", "bookworm", "trixie", "stretch", "jessie", "focal", "jammy", "noble", "oracular",
           "plucky", "questing", "bionic", "xenial")


@rule("DF518", "pipefail-shell-on-dash", "error", fixable="safe", reads=("SHELL",))
def pipefail_shell_on_dash(model: Model, options: Options) -> Iterator[Finding]:
    """`SHELL ["/bin/sh", "-o", "pipefail", "-c"]` on Debian or Ubuntu, whose /bin/sh (dash) rejects
    `-o pipefail`: every later RUN fails.

    ## What it does
    Reports a SHELL instruction that runs `/bin/sh` (or `sh`, `dash`) with the `pipefail` option
    (`-o pipefail`, `-euxo pipefail`) in a stage whose base image's `/bin/sh` is dash: the Debian
    and Ubuntu images and the official images built on them, as the base-image table knows them
    (or as the image's name says: `debian`, `ubuntu`, a Debian or Ubuntu suite in the tag). Only
    when a later shell-form RUN, CMD or ENTRYPOINT of the stage, or of a stage built FROM it,
    runs with that SHELL. Releases whose dash may be newer (Debian sid or forky, Ubuntu devel)
    are not reported.

    ## Why is this bad?
    dash 0.5.12 (Debian 12 and 13, Ubuntu 24.04) has no pipefail option and stops with
    "sh: 0: Illegal option -o pipefail" before running anything: each RUN using the SHELL fails,
    and a shell-form CMD or ENTRYPOINT fails when the container starts. BusyBox ash (Alpine) and
    bash know the option.

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
    The fix makes the SHELL's program `/bin/bash`, which every Debian and Ubuntu image has (bash is
    an essential package). It is safe: with dash nothing ran at all.
    """
    for stage in model.stages:
        for node in stage.instructions:
            if node.keyword != "SHELL" or not node.json or not node.values:
                continue
            program = posixpath.basename(node.values[0])
            if program not in ("sh", "dash") or not _pipefail(node.values[1:]):
                continue
            image = _dash_image(model, stage) if program == "sh" else "dash"
            if image is None:
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


def _pipefail(words):
    for i, word in enumerate(words[:-1]):
        if word.startswith("-") and not word.startswith("--") and "o" in word and words[i + 1] == "pipefail":
            return True
    return False


def _dash_image(model, stage):
    """The base image, when its /bin/sh is known to be a dash without pipefail, else None."""
    root = model.lineage(stage)[0]
    if root.is_scratch:
        return None
    facts = model.base_facts(stage)
    if facts is not None and facts.sh is not None:
        if facts.sh != "dash":
            return None
    elif image_shell(root.base) != "dash" or not _debian_name(root.base):
        return None
    tag = root.base.rsplit("/", 1)[-1].partition(":")[2].partition("@")[0].lower()
    words = tag.replace(".", "-").split("-")
    if any(w in _NEWER for w in words):
        return None
    if words and words[0].isdigit() and ("ubuntu" in root.base and int(words[0]) >= 26 or
                                         "debian" in root.base and int(words[0]) >= 14):
        return None
    return root.base


def _debian_name(image):
    name = image.lower()
    return "debian" in name or "ubuntu" in name or any(suite in name for suite in _SUITES)


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

"""DF505 sudo-in-run: a RUN command that goes through sudo."""

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Edit, Finding, Fix, Options, rule
from dfcheck.syntax.nodes import Span

from ._shell import is_root, runs, user_at


def _sudo_word(command):
    """The `sudo` word of a command run through it (`sudo x`, `env A=1 sudo x`, `sudo` alone), else None."""
    inner = command.effective()
    if "sudo" not in inner.wrappers and command.basename != "sudo":
        return None
    for word in command.argv:
        if word.value is not None and word.value.rsplit("/", 1)[-1] == "sudo":
            return word
    return None


@rule("DF505", "sudo-in-run", "warning", hadolint=("DL3004",), fixable="unsafe", scope="stage")
def sudo_in_run(model: Model, options: Options) -> Iterator[Finding]:
    """A RUN command uses `sudo`.

    ## What it does
    Reports each command of a RUN that runs through `sudo` (also behind `env`, `nice`, `time` and
    the like). The message says which user the RUN runs as: the stage's last `USER`, or the base
    image's user when the Dockerfile sets none.

    ## Why is this bad?
    As root, sudo does nothing useful, and it has side effects: it must be installed, it resets
    the environment (`PATH` becomes sudo's `secure_path`, `ENV` settings may vanish) and it
    allocates nothing a build can answer when it asks for a password. As another user, it only
    works when the image grants that user passwordless sudo, which stays in the image for
    whoever runs it later. A Dockerfile switches users with `USER`: run the commands that need
    root under `USER root`, and switch back.

    ## Example
    ```dockerfile
    FROM ubuntu:24.04
    RUN sudo apt-get update && sudo apt-get install -y curl
    ```

    ## Use instead
    ```dockerfile
    FROM ubuntu:24.04
    RUN apt-get update && apt-get install -y curl
    ```
    and, after a non-root `USER app`: `USER root`, the RUN, then `USER app`.

    ## Fix safety
    When the RUN runs as root (a `USER root` or `USER 0`, or no USER at all in the Dockerfile)
    and sudo has no options, the fix removes `sudo `. It is unsafe: sudo's reset of the
    environment goes away, and a base image may set a non-root USER the Dockerfile does not show.
    """
    for stage, node in runs(model):
        user = user_at(model, stage, node)
        for code in model.shell_code(node):
            for command in code.script.commands:
                word = _sudo_word(command)
                if word is None:
                    continue
                position = command.argv.index(word)
                plain = position + 1 < len(command.argv) and (command.argv[position + 1].value or "x")[:1] != "-"
                root = user is None or (user[0] is not None and is_root(user[0]))
                if user is None:
                    message = ("`sudo` in a RUN, which runs as the base image's user, root unless the base sets another "
                               "USER: as root, drop sudo; otherwise switch with `USER root` and back")
                elif root:
                    message = (f"`sudo` in a RUN that already runs as root (USER {user[0]} at line "
                               f"{user[1].span.line}): it only resets the environment; drop it")
                else:
                    message = (f"`sudo` in a RUN that runs as {user[0] or 'a variable USER'} (USER at line "
                               f"{user[1].span.line}): put the commands that need root after `USER root`, then "
                               "switch back")
                fix = None
                if root and plain and not node.json and not code.script.has_errors:
                    begin = code.span(word.start, word.start + 1)
                    after = code.span(command.argv[position + 1].start, command.argv[position + 1].start + 1)
                    fix = Fix("unsafe", [Edit(Span(begin.line, begin.column, after.line, after.column), "")],
                              "Remove sudo")
                yield Finding(code.span(word.start, word.end), message, fix)

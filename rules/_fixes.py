"""Edits that the fixes of several rules make (DF101, DF102, DF201, DF202, DF203): whole instructions moved,
inserted or deleted, one command taken out of a RUN or put before another, a flag added after a keyword; and
which Dockerfile frontend features the file can use.

Commands are edited only where the shell reads them as plain steps of one sequence: at the top level of the
RUN's script (not in a subshell, group, condition, loop, function, pipeline or substitution), joined to their
neighbours by `&&`, `;` or a line break. Anything else returns None, and the rule offers no fix.
"""

import re

from dfcheck.rule import Edit
from dfcheck.syntax.nodes import Span

_PLAIN_SEPARATORS = ("&&", ";", "")


def delete_instruction(model, node) -> Edit:
    """An edit removing `node`'s lines (continuation and heredoc lines included)."""
    return delete_lines(model, node.span.line, node.span.end_line)


def delete_with_comments(model, node) -> Edit:
    """An edit removing `node` with the comment block right above it (what it says goes with it), and a blank
    line after it when one is left before it too."""
    lines = model.dockerfile.lines
    first, last = insertion_line(node), node.span.end_line
    if first > 1 and not lines[first - 2].strip() and last < len(lines) and not lines[last].strip():
        last += 1
    return delete_lines(model, first, last)


def delete_lines(model, first: int, last: int) -> Edit:
    """An edit removing lines `first` to `last` with their line ends; the last lines of a file go with the line
    end before them, so that the file keeps its final line end (or its lack of one)."""
    lines = model.dockerfile.lines
    if last < len(lines):
        return Edit(Span(first, 1, last + 1, 1), "")
    if first > 1:
        return Edit(Span(first - 1, len(lines[first - 2]) + 1, last, len(lines[last - 1]) + 1), "")
    return Edit(Span(first, 1, last, len(lines[last - 1]) + 1), "")


def insertion_line(node) -> int:
    """Where a new instruction goes before `node`: above the comment block that belongs to it."""
    line = node.span.line
    for comment in reversed(node.comments):
        if comment.span.end_line != line - 1:
            break
        line = comment.span.line
    return line


def insert_lines(line: int, text: str) -> Edit:
    """An edit inserting whole lines (`text` ends with "\\n") before `line`."""
    return Edit(Span(line, 1, line, 1), text)


def insert_after(model, node, text: str) -> Edit:
    """An edit inserting whole lines (`text` ends with "\\n") right after `node`; after the last line of a file
    that has no final line end, the line end goes first and `text` keeps none."""
    lines = model.dockerfile.lines
    end = node.span.end_line
    if end < len(lines) or model.dockerfile.text.endswith("\n"):
        return insert_lines(end + 1, text)
    return Edit(Span(end, len(lines[end - 1]) + 1, end, len(lines[end - 1]) + 1), "\n" + text[:-1])


def lines_text(model, first: int, last: int) -> str:
    """The source lines `first` to `last`, each with "\\n" (what moving them writes elsewhere)."""
    return "".join(line + "\n" for line in model.dockerfile.lines[first - 1:last])


def flags_text(model, node) -> str | None:
    """The instruction's flags as written (` --mount=... --network=none`), or None when one spans lines."""
    out = ""
    for flag in node.flags:
        span = flag.span
        if span.line != span.end_line:
            return None
        out += " " + model.dockerfile.lines[span.line - 1][span.column - 1:span.end_column - 1]
    return out


def after_keyword(node, text: str) -> Edit:
    """An edit putting ` text` right after the instruction's keyword (a flag: `COPY --chown=app .`)."""
    span = node.keyword_span
    return Edit(Span(span.end_line, span.end_column, span.end_line, span.end_column), " " + text)


def plain(command) -> bool:
    """A command the shell runs as one step of the script's top-level sequence, whatever came before."""
    return not (command.in_subshell or command.in_substitution or command.in_loop or command.in_function
                or command.in_pipeline or command.background or command.negated or command.group_redirects)


def _between(code, start: int, end: int) -> str:
    return code.text[start:end].replace("\\\n", " ").strip()


def _neighbours(code, command):
    """(the command before `command` in the script, the one after), None at either end."""
    commands = [c for c in code.script.commands if not c.in_function]
    index = next((i for i, c in enumerate(commands) if c is command), None)
    if index is None:
        return None, None
    before = commands[index - 1] if index > 0 else None
    after = commands[index + 1] if index + 1 < len(commands) else None
    return before, after


def sequenced(code, command) -> tuple | None:
    """(previous, next) when `command` is a plain step joined to both by `&&`, `;` or a line break; else None."""
    if not code.exact or code.script.has_errors or not plain(command):
        return None
    before, after = _neighbours(code, command)
    if _between(code, before.end if before else 0, command.start) not in _PLAIN_SEPARATORS:
        return None
    if before is not None and (not plain(before) or before.connector not in ("&&", ";")):
        return None
    if after is not None:
        if command.connector not in ("&&", ";") or _between(code, command.end, after.start) not in ("&&", ";"):
            return None
    elif _between(code, command.end, len(code.text)):
        return None  # something after the last command (a heredoc body, `fi`): not a plain end
    return before, after


def remove_command(code, command) -> Edit | None:
    """An edit taking `command` out of the RUN with the separator that joins it, or None when it is not a plain
    step of the sequence (or is its only command: delete the instruction instead)."""
    found = sequenced(code, command)
    if found is None:
        return None
    before, after = found
    if before is None and after is None:
        return None
    if before is None:  # `X && rest`: X and its separator go
        start, end = code.span(command.start, command.start + 1), code.span(after.start, after.start + 1)
        return Edit(Span(start.line, start.column, end.line, end.column), "")
    start, end = code.span(before.end - 1, before.end), code.span(command.end - 1, command.end)
    return Edit(Span(start.end_line, start.end_column, end.end_line, end.end_column), "")


def remove_word(code, command, word) -> Edit | None:
    """An edit taking one argument out of a command, with the blank before it; None when the code's positions
    are not exact or something but blanks precedes it."""
    if not code.exact or word.start <= command.start:
        return None
    before = max((w.end for w in command.argv if w.end <= word.start), default=command.start)
    if code.text[before:word.start].replace("\\\n", " ").strip():
        return None
    start, end = code.span(before, before + 1), code.span(word.end - 1, word.end)
    return Edit(Span(start.line, start.column, end.end_line, end.end_column), "")


def insert_before_command(code, command, text: str) -> Edit | None:
    """An edit running `text` right before `command` (`text && command`), or None when `command` is not a plain
    step of the sequence."""
    if sequenced(code, command) is None:
        return None
    at = code.span(command.start, command.start + 1)
    return Edit(Span(at.line, at.column, at.line, at.column), f"{text} && ")


def append_to_run(code, text: str) -> Edit | None:
    """An edit running `text` after the whole shell code (` && text` after its last command), or None when the
    code does not end with a plain command."""
    commands = [c for c in code.script.commands if not c.in_function]
    if not commands or not code.exact or code.script.has_errors or code.heredoc is not None:
        return None
    last = commands[-1]
    if code.text[last.end:].strip() or last.in_subshell or last.in_loop or last.in_condition \
            or last.in_substitution or last.background:
        return None
    end = code.span(last.end - 1, last.end)
    return Edit(Span(end.end_line, end.end_column, end.end_line, end.end_column), f" && {text}")


def command_text(code, command) -> str | None:
    """The command as one line of shell (continuations joined, their indentation collapsed), or None when it
    spans lines of a heredoc body."""
    text = code.text[command.start:command.end]
    if "\n" in text:
        return None
    return text if "'" in text or '"' in text else re.sub(r"[ \t]{2,}", " ", text)


def run_user_and_shell_same(model, first, second) -> bool:
    """Whether no USER or SHELL instruction of the stage sits between two of its instructions."""
    stage = model.stage_of(first)
    if stage is None or stage is not model.stage_of(second):
        return False
    low, high = sorted((first.span.line, second.span.line))
    return not any(n.keyword in ("USER", "SHELL") and low < n.span.line < high for n in stage.instructions)


# Directories every image has: a COPY into them creates none.
IMAGE_DIRS = frozenset({"/", "/bin", "/sbin", "/etc", "/tmp", "/usr", "/usr/bin", "/usr/sbin", "/usr/local",
                        "/usr/local/bin", "/usr/local/sbin", "/usr/lib", "/usr/share", "/var", "/opt"})


def names_set_between(model, first, second, text: str) -> bool:
    """Whether an ARG or ENV between two instructions of a stage sets a variable that `text` names: moved from
    one to the other, `text` would expand differently."""
    low, high = sorted((first.span.line, second.span.line))
    named = set(_NAMED.findall(text))
    return any(n.keyword in ("ARG", "ENV") and low < n.span.line < high and named & {p.key for p in n.pairs}
               for n in model.stage_of(first).instructions)


_NAMED = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def runs_as_root(model, node) -> bool:
    """Whether a RUN runs as root: the USER in effect says so, or (none set) the base image is known to."""
    user = model.filesystem.user(node)
    if user is not None:
        return user.split(":", 1)[0] in ("root", "0")
    stage = model.stage_of(node)
    facts = model.base_facts(stage) if stage is not None else None
    return facts is not None and facts.runs_as_root is True


# -- what the Dockerfile frontend accepts ---------------------------------------------------------

# Frontend features a fix may use, and the docker/dockerfile version that brought each to the stable channel:
# RUN --mount and COPY --chmod with an octal mode in 1.2 (the frontend built into Docker Engine 20.10 and
# later, when it builds with BuildKit); --chmod with a symbolic mode (`+x`) in 1.14.
FEATURES = {"mount": (1, 2), "chmod": (1, 2), "chmod-symbolic": (1, 14)}
BUILTIN = (1, 2)  # what a file without `# syntax=` may count on
_FRONTEND_IMAGES = ("docker/dockerfile", "docker/dockerfile-upstream")


def frontend_accepts(model, feature: str, node=None) -> bool:
    """Whether the frontend that builds the file accepts `feature` (a key of FEATURES): the builder's own when
    the file names none (`# syntax=`), else the docker/dockerfile image it names; another frontend, unknown.
    With `node`: not in a stage built from a Windows image (its builder has neither)."""
    if node is not None and _windows(model, node):
        return False
    needed = FEATURES[feature]
    directive = model.dockerfile.directive("syntax")
    if directive is None:
        return needed <= BUILTIN
    image = directive.value.strip().split("@", 1)[0]
    name, _, tag = image.rpartition(":")
    if "/" in tag or not name:
        name, tag = image, "latest"
    for prefix in ("docker.io/", "index.docker.io/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    if name not in _FRONTEND_IMAGES:
        return False
    version, _, channel = tag.partition("-")
    if version in ("latest", "labs", "master", "mainline", "1"):
        return True  # the newest release: every feature above
    if version == "experimental" or channel == "experimental":
        return feature == "mount" and (version == "experimental" or _version(version) >= (1, 0))
    return _version(version) >= needed


def _version(text: str) -> tuple:
    parts = text.split(".")
    try:
        return tuple(int(p) for p in parts[:2]) + ((0,) if len(parts) == 1 else ())
    except ValueError:
        return (0, 0)


def _windows(model, node) -> bool:
    from dfcheck.model import image_shell

    stage = model.stage_of(node)
    if stage is None:
        return False
    root = model.lineage(stage)[0]
    return not root.is_scratch and image_shell(root.base) == "windows"


# Flags only BuildKit knows: a file that uses one already needs it (the legacy builder rejects them).
_BUILDKIT_FLAGS = {"RUN": ("mount", "network", "security", "device"),
                   "COPY": ("chmod", "link", "parents", "exclude"), "ADD": ("chmod", "link", "checksum", "exclude",
                                                                           "keep-git-dir", "unpack")}


def needs_buildkit(model) -> bool:
    """Whether the file already builds with BuildKit only: it names a frontend (`# syntax=`), or uses heredocs
    or flags the legacy builder rejects. A fix that brings such syntax is safe only there."""
    if model.dockerfile.directive("syntax") is not None:
        return True
    for node in model.instructions:
        if node.heredocs or any(f.name in _BUILDKIT_FLAGS.get(node.keyword, ()) for f in node.flags):
            return True
    return False

"""DF504 cd-instead-of-workdir: a RUN whose `cd` does the job of WORKDIR, or nothing at all."""

import posixpath
from collections.abc import Iterator

from dfcheck.model import DIRECTORY_MOVES, TEMP_DIRS, Model
from dfcheck.rule import Edit, Finding, Fix, Options, rule
from dfcheck.syntax.nodes import Span

from ._fixes import insert_after
from ._shell import runs

SCRATCH = tuple(sorted(TEMP_DIRS))


def _nested(command):
    return command.in_function or command.in_substitution or command.in_subshell or command.in_loop \
        or command.background


def _target(model, node, inner):
    """The directory `cd` goes to, as WORKDIR would take it (static, or `$VAR` the Dockerfile declares), or None."""
    operands = inner.operands()
    if len(operands) != 1:
        return None  # `cd` alone goes home
    word = operands[0]
    if word.value is not None:
        text = word.value
    else:
        scope = model.scope(node)
        parts = []
        for part in word.parts:
            if isinstance(part, str):
                parts.append(part)
            elif part.kind == "variable" and part.op is None and part.name and scope.declared(part.name):
                parts.append("${" + part.name + "}")
            else:
                return None
        text = "".join(parts)
    if not text or text.startswith(("-", "~")) or word.glob:
        return None
    if word.value is not None and ("$" in text or model.dockerfile.escape in text):
        return None  # a quoted `$` or escape character: WORKDIR would expand it
    return text


def _resolved(model, node, text):
    """The absolute path of a static target; None when it has a variable."""
    if "$" in text:
        return None
    return posixpath.normpath(posixpath.join(model.workdir(node), text))


def _between(code, start, end):
    """Whether only a `&&`, `;` or line break (and blanks, continuations) separates two offsets."""
    return code.text[start:end].replace("\\\n", " ").strip() in ("&&", ";", "")


def _insertion_line(node):
    """Where a new instruction goes before `node`: above the comment block that belongs to it."""
    line = node.span.line
    for comment in reversed(node.comments):
        if comment.span.end_line != line - 1:
            break
        line = comment.span.line
    return line


def _workdir_known(model, node):
    """Whether the Dockerfile says what the WORKDIR is at `node`: an absolute WORKDIR before it in its stage's
    lineage, or a stage built from scratch (else the base image may set one dfcheck cannot see)."""
    stage = model.stage_of(node)
    lineage = model.lineage(stage)
    known = lineage[0].is_scratch
    for owner in lineage:
        for instruction in owner.instructions:
            if instruction is node:
                return known
            if instruction.keyword == "WORKDIR" and instruction.args:
                known = known or model.expand(instruction, instruction.args[0].value).value.startswith("/")
    return known


def _needs_restore(model, node, position):
    """Whether an instruction after `node` (or the image, at the end of the stage) would see the WORKDIR that
    replaces its `cd`: one that works in the working directory before an absolute WORKDIR sets another.
    `position`: the index of `node` in its stage."""
    nodes = model.stage_of(node).instructions
    for i in range(position + 1, len(nodes)):
        other = nodes[i]
        absolute = bool(other.args) and other.args[-1].value.startswith("/")
        if other.keyword == "WORKDIR":
            return not absolute
        if other.keyword in ("RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK", "ONBUILD") or (
                other.keyword in ("COPY", "ADD") and not absolute):
            return True
    return True  # the image keeps the WORKDIR: the container and the stages built FROM it start there


def _restorable(model):
    """(id(RUN) -> the working directory a WORKDIR after it can go back to, id(instruction) -> its index in its
    stage). The directory is the one the Dockerfile sets without variables (after an absolute WORKDIR, or in a
    stage built from scratch), or the base image's when the Dockerfile sets none (scratch's /, or / of an image
    dfcheck's table knows: the model starts every stage in /, another directory is left to the author); no
    entry when unknown. One walk of the file, each stage going on from the end of the stage it is built FROM."""
    out, ends = {}, {}
    positions = {id(n): i for stage in model.stages for i, n in enumerate(stage.instructions)}
    for stage in model.stages:
        base = stage.base_stage
        if base is not None and id(base) in ends:
            set_here, static, known, default = ends[id(base)]
        else:
            root = model.lineage(stage)[0]
            facts = None if root.is_scratch else model.base_facts(stage)
            set_here, static, known = False, True, root.is_scratch
            default = "/" if root.is_scratch or (facts is not None and facts.workdir == "/") else None
        for node in stage.instructions:
            if node.keyword == "RUN":
                value = (model.workdir(node) if static and known else None) if set_here else default
                if value is not None:
                    out[id(node)] = value
            elif node.keyword == "WORKDIR" and node.args:
                set_here, raw = True, node.args[0].value
                if "$" in raw:
                    static = False
                elif raw.startswith("/"):
                    static = True
                known = known or model.expand(node, raw).value.startswith("/")
        ends[id(stage)] = (set_here, static, known, default)
    return out, positions


def _removes(commands, path):
    """Whether a later `rm` deletes `path` or a directory above it."""
    for command in commands:
        inner = command.effective()
        if inner.basename != "rm":
            continue
        for word in inner.operands():
            value = word.value
            if value and value.startswith("/"):
                gone = posixpath.normpath(value)
                if path == gone or path.startswith(gone.rstrip("/") + "/"):
                    return True
    return False


@rule("DF504", "cd-instead-of-workdir", "warning", hadolint=("DL3003",), fixable="depends", scope="stage")
def cd_instead_of_workdir(model: Model, options: Options) -> Iterator[Finding]:
    """A RUN changes directory with `cd` where WORKDIR says it, or ends with a `cd` that does nothing.

    ## What it does
    Reports two uses of `cd` in a RUN:

    - a `cd` that is the last command of the RUN (or of a shell script a RUN heredoc runs). Each
      instruction starts again in the WORKDIR, so the `cd` changes nothing: the classic
      `RUN cd /app` followed by `RUN npm install`, which installs in the wrong directory.
    - a `cd` to a fixed directory that starts the RUN (after `set` options), when every other
      command of the RUN then runs there: nothing later moves again (`cd`, `pushd`, `popd`) or
      deletes that directory. `WORKDIR` says the same thing visibly, and later instructions keep
      it. When the directory already is the WORKDIR, the `cd` is only noise.

    Not reported, because WORKDIR would not do the same: `cd` in a subshell (`(cd src && make)`),
    in a loop, function or command substitution, a `cd` in the middle of a RUN, a RUN that moves
    more than once or removes its directory at the end (`cd /usr/src/x && make install && cd / &&
    rm -rf /usr/src/x`), scratch directories (`/tmp`), and directories computed at run time.
    hadolint's DL3003 reports every `cd`.

    ## Why is this bad?
    A `cd` in a RUN is easy to misread as lasting: the next RUN, COPY or CMD runs in the WORKDIR
    again. WORKDIR is the Dockerfile's way to set the directory, shown by `docker inspect` and
    kept by every following instruction.

    ## Example
    ```dockerfile
    FROM node:22
    COPY . /app
    RUN cd /app && npm ci
    ```

    ## Use instead
    ```dockerfile
    FROM node:22
    COPY . /app
    WORKDIR /app
    RUN npm ci
    ```

    ## Fix safety
    When the RUN is `cd DIR` alone, the fix replaces it with `WORKDIR DIR`; when a leading
    `cd DIR &&` is followed by the rest of the RUN, the fix removes it and puts `WORKDIR DIR`
    before the RUN (above its comments), and after the RUN a `WORKDIR` back to the directory
    before it when a later instruction or the image would otherwise work in DIR (no fix when that
    directory is not known, or set through variables). Both are unsafe: after `RUN cd DIR`, the
    instructions after it now run in DIR, and WORKDIR creates DIR when it is missing where `cd`
    failed. A `cd` into the directory that already is the WORKDIR is removed by a safe fix when
    the Dockerfile sets that WORKDIR (or the stage is built from scratch), by an unsafe one when
    the base image might set another. A `cd` at the end of a longer RUN gets no fix: whether it meant WORKDIR is for the
    author to say; nor does a directory whose name has a quoted `$` or escape character.
    """
    table = []

    def restorable():  # computed once, when a fix needs it (see _restorable)
        if not table:
            table.append(_restorable(model))
        return table[0]

    for stage, node in runs(model):
        for code in model.shell_code(node):
            commands = [c for c in code.script.commands if not c.in_function]
            if not commands or code.script.has_errors:
                continue
            last = commands[-1]
            if last.effective().basename == "cd" and not last.in_substitution and not last.background:
                yield _trailing(model, node, code, commands, last)
                continue
            finding = _leading(model, node, code, commands, restorable)
            if finding is not None:
                yield finding


def _trailing(model, node, code, commands, last):
    inner = last.effective()
    target = _target(model, node, inner)
    shown = code.script.source(last)
    workdir = model.workdir(node)
    fix = None
    if len(commands) == 1 and target is not None and not node.heredocs and not node.json \
            and not last.in_condition and not _nested(last):
        text = f"WORKDIR {target}"
        # what the author meant the `cd` to do: the instructions after it work in the new directory
        fix = Fix("unsafe", [Edit(node.span, text)], f"Replace the RUN with `{text}`", changes=("WORKDIR",))
    advice = f"; to work in {target} from here on, use `WORKDIR {target}`" if target is not None \
        and _resolved(model, node, target) != workdir else ""
    return Finding(
        code.span(last.start, last.end),
        f"`{shown}` is the last command of this RUN, so it changes nothing: the next instruction starts in the "
        f"WORKDIR ({workdir}) again{advice}",
        fix,
    )


def _leading(model, node, code, commands, restorable):
    k = 0
    while k < len(commands) and commands[k].effective().basename == "set" and not _nested(commands[k]):
        k += 1
    if k + 1 >= len(commands):
        return None
    cd = commands[k]
    inner = cd.effective()
    if inner.basename != "cd" or _nested(cd) or cd.in_pipeline or cd.connector not in ("&&", ";"):
        return None
    if cd.in_condition and cd.connector != "&&":
        return None  # `if cd x; then`
    target = _target(model, node, inner)
    if target is None:
        return None
    rest = commands[k + 1:]
    if any(c.effective().basename in DIRECTORY_MOVES for c in rest):
        return None
    path = _resolved(model, node, target)
    if path is not None and (path in SCRATCH or path.startswith(tuple(s + "/" for s in SCRATCH))
                             or _removes(rest, path)):
        return None
    following = commands[k + 1]
    shown = code.script.source(cd)
    removal = None
    if not node.json and _between(code, cd.end, following.start):
        begin, end = code.span(cd.start, cd.start + 1), code.span(following.start, following.start + 1)
        removal = Edit(Span(begin.line, begin.column, end.line, end.column), "")
    workdir = model.workdir(node)
    if path == workdir:
        safety = "safe" if _workdir_known(model, node) else "unsafe"
        fix = Fix(safety, [removal], f"Remove `{shown}`") if removal else None
        return Finding(code.span(cd.start, cd.end),
                       f"`{shown}` goes where the RUN already is: the WORKDIR is {workdir}; drop it", fix)
    fix = None
    if removal is not None:
        line = _insertion_line(node)
        edits = [Edit(Span(line, 1, line, 1), f"WORKDIR {target}\n"), removal]
        description = f"Move `{shown}` to `WORKDIR {target}` before the RUN"
        directories, positions = restorable()
        if _needs_restore(model, node, positions[id(node)]):
            previous = directories.get(id(node))
            edits.append(insert_after(model, node, f"WORKDIR {previous}\n") if previous else None)
            description += f" and `WORKDIR {previous}` after it"
        if None not in edits:
            fix = Fix("unsafe", edits, description)
    return Finding(
        code.span(cd.start, cd.end),
        f"`{shown}` makes the whole RUN work in {target}; say it with `WORKDIR {target}` before the RUN, "
        "which later instructions keep",
        fix,
    )

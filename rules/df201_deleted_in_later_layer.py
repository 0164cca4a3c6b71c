import posixpath
from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Finding, Fix, Options, rule

from ._fixes import IMAGE_DIRS, after_keyword, append_to_run, delete_instruction, delete_lines, \
    delete_with_comments, frontend_accepts, remove_command, remove_word


@rule("DF201", "deleted-in-later-layer", "warning", fixable="unsafe")
def deleted_in_later_layer(model: Model, options: Options) -> Iterator[Finding]:
    """A RUN deletes files that an earlier layer added: they still ship in the image.

    ## What it does
    Follows the layers of the image's stages (the final or `--target` stage and the stages it is
    built `FROM`, also each one a `FROM build-${TARGETARCH}` may name, saying which it assumed)
    and reports a RUN that deletes files or removes packages that an earlier layer
    added: a COPY or ADD, a download, clone or extraction, a package-manager cache, what an install
    or build writes into the project (`node_modules`, `vendor`, `target`), a virtualenv, a file a
    RUN copied or moved (`cp`, `mv`, `install`), compiled (`gcc -o`), archived (`tar -cf`, `zip`)
    or wrote (`> file`, `tee`, `gpg -o`), or packages installed by an earlier RUN. The finding points at
    the deleting command and names the layer that holds the bytes, with their size when the build
    context is at hand.

    An archive unpacked among other files (into `/usr/local`, `/tmp`, the working directory) is
    taken to unpack to the directory its name gives (`foo-1.0/` for `foo-1.0.tar.gz`); the message
    says so unless a `cd` or WORKDIR into that directory confirms it. A download whose name the
    shell computes is some file in its directory, which a later pattern (`rm /tmp/*.tar.gz`) reaches.
    Installers piped into a shell create trees of their own at known places (poetry's in
    `$POETRY_HOME`, rustup's in `~/.cargo` and `~/.rustup`, nvm's in `$NVM_DIR`, uv's, sdkman's, a
    conda installer's `-p` prefix): a later deletion inside them says what it assumed. So do
    repository setup scripts known to run `apt-get update` (NodeSource's `setup_20.x`, Docker's
    get.docker.com, packagecloud's, PGDG's): they leave the apt lists, which a later
    `rm -rf /var/lib/apt/lists/*` does not take out of the image.

    A RUN that unpacks or copies files among those of a directory an earlier layer filled (`tar
    xzf npm.tgz` in the WORKDIR a download went to, `cp -r root/* /`) does not make that directory
    its own: its `rm -rf` of the directory deletes the earlier files too. A deletion in a tree a
    build runs in is taken for the build's own output only when the build ran before it in the RUN:
    `rm -f hc/local_settings.py && ./manage.py collectstatic` deletes a file of the copied tree.

    Deleting in the same RUN that creates the files is fine, and so is waste in builder stages
    the image only copies a few files from: their layers do not ship.

    ## Why is this bad?
    Layers only add. A deletion in a later layer writes a "whiteout" that hides the files; the
    bytes still sit in the earlier layer, are pulled by every `docker pull` and count toward the
    image size. `RUN rm -rf /app/tests` after `COPY . /app` makes the image no smaller.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    COPY . /app
    RUN curl -fsSLo /tmp/tool.tgz https://example.com/tool.tgz && tar -xzf /tmp/tool.tgz -C /opt
    RUN rm -rf /app/tests /tmp/tool.tgz
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim
    COPY src/ /app/src/
    RUN curl -fsSLo /tmp/tool.tgz https://example.com/tool.tgz && tar -xzf /tmp/tool.tgz -C /opt \\
        && rm /tmp/tool.tgz
    ```
    Delete files in the RUN that creates them; keep files out of a COPY with `.dockerignore` or a
    narrower source; use what is only needed during the build through `RUN --mount=type=bind`;
    or build in another stage and copy only the result.

    ## Fix safety
    Two cases get a fix. A file or directory that a COPY (or an ADD that does not extract) brings,
    and that the next RUN uses and deletes with `rm`, is bound into that RUN instead
    (`RUN --mount=type=bind,source=...,target=...,rw`: read-write, as the copy was, the RUN's
    changes thrown away with the mount): the COPY (with the comments above it) and the `rm` go;
    when the RUN does nothing but that `rm`, both go. A download or clone that a later RUN only
    deletes moves its `rm` to the end of the RUN that downloads it. Both are unsafe: the first
    needs a Dockerfile frontend with `RUN --mount` (docker/dockerfile 1.2 and later, or the
    builder's own; BuildKit is the default builder since Docker Engine 23) and leaves no empty
    directory where the COPY made one; the second moves the deletion to another layer.

    No fix is offered when the `rm` deletes more or less than what the layer added, names it by a
    relative path, or is not a plain step of its RUN; when another layer-making instruction stands
    between the COPY and the RUN, the COPY has several sources, a wildcard, `--chown` or
    `--chmod`; when an instruction after the RUN names the directory the COPY went into (it may
    need the directory the COPY made); or when anything between the download and the deletion, or
    the deleting RUN besides its `rm`, names the file or its directory (it may use it).
    """
    from dfcheck.wording import amount, assumptions, format_size, grouped, origin, pronoun, sources

    for group in grouped([w for w in model.waste if w.kind in ("deleted", "packages")]):
        first = group[0]
        op = first.operation
        if first.kind == "packages":
            names = sorted({n for w in group for n in w.operation.names})
            words = pronoun(names)
            example = _EXAMPLES.get(op.manager, "")
            yield Finding(op.span, (
                f"`{op.command}` removes {_names(names)} installed by {sources(group)}: "
                f"{words['their']} files stay in the image; install and remove {words['them']} in the same RUN"
                f"{f' (e.g. `{example}`)' if example else ''}, or build in another stage"))
            continue
        size = amount(group)
        held = f"{format_size(size)} stay in the image" if size is not None else "the bytes stay in the image"
        if any(w.size is None for w in group) and size is not None:
            held = f"at least {held}"
        paths = sorted({w.operation.path for w in group})
        yield Finding(op.span, (
            f"`{op.command}` deletes {_names(paths)} from an earlier layer: {held}, added by {sources(group)}"
            f"{assumptions(group)}; {_advice(group, origin, pronoun(paths))}"), _fix(model, group))


# How to install build tools and remove them in one RUN, per package manager.
_EXAMPLES = {
    "apk": "apk add --virtual .build-deps ... && ... && apk del .build-deps",
    "apt": "apt-get install -y --no-install-recommends gcc && ... && apt-get purge -y --auto-remove gcc",
    "rpm": "dnf install -y gcc && ... && dnf remove -y gcc",
    "pip": "pip install ... && ... && pip uninstall -y ...",
}


def _names(items):
    shown = ", ".join(items[:3])
    return shown + (f" and {len(items) - 3} more" if len(items) > 3 else "")


def _advice(group, origin, words):
    earliest = min(group, key=lambda w: w.added.node.span.line).added
    keyword = earliest.node.keyword
    them = words["them"]
    if keyword in ("COPY", "ADD") and earliest.what in ("COPY", "ADD"):
        return (f"leave {them} out of the copy (.dockerignore or a narrower source), use {them} through "
                "`RUN --mount=type=bind`, or build in another stage")
    if keyword == "ADD" and earliest.what == "download":
        return "download, use and delete it in one RUN, or fetch it in another stage"
    if keyword in ("COPY", "ADD"):
        return "copy only what the image needs, or build in another stage"
    if earliest.what.startswith("copy by "):
        return (f"{words['they']} {words['are']} a copy made by `{earliest.what[8:]}` ({origin(earliest)}); change "
                f"and delete {them} in one RUN, or use {them} through `RUN --mount=type=bind`")
    if earliest.cache:
        return f"clean it in the RUN that creates it ({origin(earliest)})"
    return f"delete {them} in the RUN that creates {them} ({origin(earliest)}), or build in another stage"


# -- the fix ------------------------------------------------------------------------------------------------

_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.@%+:/-")


def _fix(model, group):
    """A bind mount in place of a COPY, or the deletion moved into the RUN that downloads (see Fix safety)."""
    if len(group) != 1:
        return None
    waste = group[0]
    op, added = waste.operation, waste.added
    if op.verb != "rm" or not op.exact or op.shadowed or not waste.whole or op.path != added.path or waste.assumed:
        return None
    located = _rm(model, op)
    if located is None:
        return None
    if added.node.keyword in ("COPY", "ADD") and added.what in ("COPY", "ADD") or added.what.startswith("COPY --from"):
        return _bind(model, waste, *located)
    if added.node.keyword == "RUN" and added.what in ("download", "clone"):
        return _delete_where_made(model, waste, *located)
    return None


def _rm(model, op):
    """(code, rm command, its operand naming the path, the edit taking the path out of the RUN) for the `rm`
    of `op`, or None. The edit is None when the `rm` is all the RUN does."""
    from dfcheck.model import executed

    run = op.node
    if run.json:
        return None
    for code, command in executed(model.shell_code(run)):
        if code.span(command.start, command.end) != op.span:
            continue
        inner = command.effective()
        operands = [w for w in inner.operands() if w.value != "--"]
        named = [w for w in operands if w.value and w.value.startswith("/") and
                 posixpath.normpath(w.value) == op.path]
        if inner.basename != "rm" or len(named) != 1 or code.parent is not None:
            return None
        commands = [c for c in code.script.commands if not c.in_function]
        if len(operands) > 1:
            edit = remove_word(code, inner, named[0])
        elif len(commands) == 1 and len(model.shell_code(run)) == 1:
            edit = False  # the RUN only deletes: it goes
        else:
            edit = remove_command(code, command)
        return None if edit is None else (code, inner, named[0], edit or None)
    return None


def _same_stage_before(model, first, second):
    """The instructions strictly between two of one stage (first before second), one by one (a caller that stops
    at the first one that matters reads no further), or None."""
    stage = model.stage_of(first)
    if stage is None or stage is not model.stage_of(second):
        return None
    nodes = stage.instructions  # in file order, one after another: positions follow from the file's indexes
    i, j = first.index - nodes[0].index, second.index - nodes[0].index
    if not 0 <= i < j < len(nodes) or nodes[i] is not first or nodes[j] is not second:
        return None
    return (nodes[k] for k in range(i + 1, j))


def _bind(model, waste, code, rm, word, rm_edit):
    copy, run, target = waste.added.node, waste.operation.node, waste.added.path
    between = _same_stage_before(model, copy, run)
    if between is None or any(n.keyword in ("RUN", "COPY", "ADD", "WORKDIR") for n in between):
        return None
    if any(f.name not in ("link", "from") for f in copy.flags) or len(copy.args) != 2 or copy.json:
        return None
    if _reads_made_directory(model, run, posixpath.dirname(target)):
        return None
    [source] = model.sources(copy) or [None]
    if source is None or source.span != waste.added.span or source.glob or source.value is None:
        return None
    if rm_edit is None:  # nothing in the RUN but the `rm`: nothing uses what the COPY brought
        edits = [delete_lines(model, copy.span.line, run.span.end_line)] if run.index == copy.index + 1 else \
            [delete_instruction(model, copy), delete_instruction(model, run)]
        return Fix("unsafe", edits,
                   f"Remove the {copy.keyword} at line {copy.span.line} and the RUN that deletes what it copies")
    options = ["type=bind"]
    if source.kind == "stage":
        if not source.stage or "$" in source.stage or not set(source.stage) <= _PLAIN:
            return None
        options += [f"from={source.stage}", f"source={posixpath.normpath(source.value)}"]
    elif source.kind in ("file", "dir", "context"):
        path = posixpath.normpath(source.value.strip("/") or ".")
        if path != ".":
            options.append(f"source={path}")
    else:
        return None
    # Read-write: the RUN may change what it was given (`chmod +x`, a build in a source tree), as it could the
    # copy; the changes are thrown away with the mount.
    options += [f"target={target}", "rw"]
    mount = "--mount=" + ",".join(options)
    if not all(set(o.partition("=")[2] or o) <= _PLAIN for o in options) or not frontend_accepts(model, "mount", run) \
            or any(_overlaps(m, target) for m in _mount_targets(run)):
        return None
    return Fix("unsafe", [delete_with_comments(model, copy), after_keyword(run, mount), rm_edit],
               f"Bind {waste.added.path} into the RUN at line {run.span.line} (`{mount}`) instead of copying it, and "
               f"drop its `rm`")


def _reads_made_directory(model, run, directory):
    """Whether an instruction after `run` (in its stage or one built FROM it) names `directory`, which the COPY
    may have made: a bind mount leaves no directory behind (BuildKit removes the mount point it made)."""
    if directory in IMAGE_DIRS:
        return False
    stage = model.stage_of(run)
    later = stage.instructions[stage.instructions.index(run) + 1:] + [
        n for s in model.built_on(stage) for n in s.instructions]
    return any(directory in t for n in later for t in [n.original] + [h.content for h in n.heredocs])


def _mount_targets(run):
    for flag in run.flags:
        if flag.name == "mount" and flag.value:
            for option in flag.value.split(","):
                key, _, value = option.partition("=")
                if key.strip() in ("target", "dst", "destination"):
                    yield posixpath.normpath(value.strip())


def _overlaps(a, b):
    return a == b or a.startswith(b.rstrip("/") + "/") or b.startswith(a.rstrip("/") + "/")


def _delete_where_made(model, waste, code, rm, word, rm_edit):
    """The `rm` moved to the end of the RUN that downloaded the file, when nothing in between may use it."""
    make, run, path = waste.added.node, waste.operation.node, waste.added.path
    between = _same_stage_before(model, make, run)
    if between is None or make.json:
        return None
    names = (posixpath.basename(path), posixpath.dirname(path).rstrip("/") + "/")
    for node in between:
        if any(n in t for t in [node.original] + [h.content for h in node.heredocs] for n in names):
            return None
    for c in model.shell_code(run):  # the deleting RUN may use the file only through the `rm`
        rest = c.text[:rm.start] + c.text[rm.end:] if c is code else c.text
        if any(n in rest for n in names):
            return None
    codes = model.shell_code(make)
    options = [w.text for w in rm.args if (w.value or "").startswith("-") and w.start < word.start]
    if not codes or not all(set(o) <= _PLAIN for o in options) or not set(word.text) <= _PLAIN:
        return None
    text = " ".join(["rm"] + options + [word.text])
    append = append_to_run(codes[0], text)
    if append is None:
        return None
    edits = [append, rm_edit if rm_edit is not None else delete_instruction(model, run)]
    return Fix("unsafe", edits, f"Delete {path} at the end of the RUN at line {make.span.line} that "
                                f"{'downloads' if waste.added.what == 'download' else 'clones'} it: `{text}`")

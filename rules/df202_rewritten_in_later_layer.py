from dfcheck.rule import Finding, rule


@rule("DF202", "rewritten-in-later-layer", "warning", options={"min-bytes": 0})
def rewritten_in_later_layer(model, options):
    """A RUN changes files of an earlier layer (chown, chmod, mv, sed -i): they ship twice.

    ## What it does
    Follows the layers of the image's stages (the final or `--target` stage and the stages it is
    built `FROM`, also each one a `FROM build-${TARGETARCH}` may name, saying which it assumed)
    and reports `chown`, `chgrp`, `chmod`, `mv`, `sed -i`, `strip` and `touch` commands (also run
    through `find -exec`, `xargs` or `sh -c`), and redirections (`> file`, `>> file`, `tee`,
    `tee -a`), that change files an earlier layer added. The finding points at the command and names
    the layer that added the files, with their size when the build context is at hand.

    A COPY onto files an earlier layer added is reported too: a file replaced by another
    (`COPY a.conf /etc/app.conf` twice), files a broad COPY already brought copied again
    (`COPY . .` then `COPY pyproject.toml .`, or `COPY --chown=app . .`; `COPY --from=build /app`
    then `COPY --from=build /app/VERSION /app/VERSION`), a file a RUN wrote (`yarn add` writes
    package.json). Not the recommended order of DF101: the manifests copied first, the install, then
    the broad COPY that brings them again.

    Changing files in the same RUN that creates them is fine; a non-recursive `chmod` or `chown`
    of a directory changes only the directory itself and is not reported, but `chmod +x dir/*`
    over copied files rewrites each of them. Files `find` picks by mode or owner are not counted.
    Writing a path (`>`, `touch`, a COPY) inside a copied tree whose content is not known is not
    taken to rewrite anything: it may create the file. A source taken for a directory by its name
    (`COPY crontab /etc/crontab`) is a file when a RUN uses it as one: `chmod 0644` (a mode no
    directory is usable with), `sed -i`, `crontab`, `cat`, `.`, a redirection.

    ## Why is this bad?
    A layer stores whole files. Changing the owner, the mode or one byte of a file from an earlier
    layer copies the entire file into the new layer, while the old copy stays in the earlier one:
    `RUN chown -R app /app` after `COPY . /app` doubles the size of `/app` in the image.

    ## Example
    ```dockerfile
    FROM node:20-slim
    COPY . /app
    RUN chown -R node:node /app
    COPY entrypoint.sh /
    RUN chmod +x /entrypoint.sh
    ```

    ## Use instead
    ```dockerfile
    FROM node:20-slim
    COPY --chown=node:node . /app
    COPY --chmod=755 entrypoint.sh /
    ```
    Set owner and mode while copying (`COPY --chown`, `COPY --chmod`), move or edit files in the
    RUN that creates them, or copy them to their final place directly.

    ## Options
    - `min-bytes` (default 0): do not report rewrites whose known size is below this many bytes.

    ## Fix safety
    No automatic fix: `COPY --chown` also sets the owner of the directories COPY creates, which
    a recursive chown of the destination may not have done.
    """
    from dfcheck.model.filesystem import amount, assumptions, format_size, grouped, origin, sources

    minimum = int(options.get("min-bytes", 0) or 0)
    for group in grouped([w for w in model.waste if w.kind == "rewritten"]):
        op = group[0].operation
        size = amount(group)
        if size is not None and size < minimum and all(w.size is not None for w in group):
            continue
        if size is None:
            copy = "a second copy of them goes into this layer"
        else:
            least = "at least " if any(w.size is None for w in group) else ""
            copy = f"a second copy of {least}{format_size(size)} goes into this layer"
        paths = sorted({w.operation.path for w in group})
        shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        yield Finding(op.span, (
            f"`{op.command}` rewrites {shown} from an earlier layer: {copy}, the first stays in {sources(group)}"
            f"{assumptions(group)}; {_advice(group, op.verb, origin)}"))


def _advice(group, verb, origin):
    earliest = min(group, key=lambda w: w.added.node.span.line).added
    from_copy = earliest.node.keyword in ("COPY", "ADD")
    if verb == "COPY":
        if from_copy:
            return "copy them once: leave them out of one of the copies, and set owner and mode in the copy that stays"
        return f"copy them before the RUN that writes them ({origin(earliest)}), or let it write them alone"
    if from_copy and verb in ("chown", "chgrp"):
        return f"set the owner while copying: `{earliest.node.keyword} --chown=...`"
    if from_copy and verb == "chmod":
        return f"set the mode while copying: `{earliest.node.keyword} --chmod=...`"
    if from_copy and verb == "mv":
        return "copy the files to their final path directly"
    if from_copy:
        return "edit the file before copying it, or in a build stage"
    return f"do it in the RUN that creates them ({origin(earliest)})"

from dfcheck.rule import Finding, rule


@rule("DF201", "deleted-in-later-layer", "warning")
def deleted_in_later_layer(model, options):
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
    conda installer's `-p` prefix): a later deletion inside them says what it assumed.

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
    No automatic fix: moving a deletion changes which layer creates what.
    """
    from dfcheck.model.filesystem import amount, assumptions, format_size, grouped, origin, sources

    for group in grouped([w for w in model.waste if w.kind in ("deleted", "packages")]):
        first = group[0]
        op = first.operation
        if first.kind == "packages":
            names = sorted({n for w in group for n in w.operation.names})
            example = _EXAMPLES.get(op.manager, "")
            yield Finding(op.span, (
                f"`{op.command}` removes {_names(names)} installed by {sources(group)}: "
                f"their files stay in the image; install and remove them in the same RUN"
                f"{f' (e.g. `{example}`)' if example else ''}, or build in another stage"))
            continue
        size = amount(group)
        held = f"{format_size(size)} stay in the image" if size is not None else "the bytes stay in the image"
        if any(w.size is None for w in group) and size is not None:
            held = f"at least {held}"
        paths = sorted({w.operation.path for w in group})
        yield Finding(op.span, (
            f"`{op.command}` deletes {_names(paths)} from an earlier layer: {held}, added by {sources(group)}"
            f"{assumptions(group)}; {_advice(group, origin)}"))


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


def _advice(group, origin):
    earliest = min(group, key=lambda w: w.added.node.span.line).added
    keyword = earliest.node.keyword
    if keyword in ("COPY", "ADD") and earliest.what in ("COPY", "ADD"):
        return ("leave them out of the copy (.dockerignore or a narrower source), use them through "
                "`RUN --mount=type=bind`, or build in another stage")
    if keyword == "ADD" and earliest.what == "download":
        return "download, use and delete it in one RUN, or fetch it in another stage"
    if keyword in ("COPY", "ADD"):
        return "copy only what the image needs, or build in another stage"
    if earliest.what.startswith("copy by "):
        return (f"they are a copy made by `{earliest.what[8:]}` ({origin(earliest)}); change and delete them in one "
                "RUN, or use them through `RUN --mount=type=bind`")
    if earliest.cache:
        return f"clean it in the RUN that creates it ({origin(earliest)})"
    return f"delete them in the RUN that creates them ({origin(earliest)}), or build in another stage"

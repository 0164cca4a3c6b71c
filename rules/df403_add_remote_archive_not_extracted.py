"""DF403 add-remote-archive-not-extracted: ADD fetches an archive and nothing unpacks it."""

import posixpath
import re
from collections.abc import Iterator

from dfcheck.model import (ARCHIVE_SUFFIXES, COMPRESSED_SUFFIXES, EXTRACTORS, NOT_USES, TAR_SUFFIXES, Model, split_url,
                           static_parts, unpack_flag)
from dfcheck.rule import Finding, Options, rule


def _normal(text: str) -> str:
    """`${VAR}` written as `$VAR`, so that the two spellings compare equal."""
    return re.sub(r"\$\{(\w+)\}", r"$\1", text)


def _saved_as(model, node, name: str | None) -> tuple[str | None, str | None]:
    """(the path the download is saved at, the directory it lands in), when known."""
    dest_raw = node.args[-1].value
    dest, _, _ = static_parts(model, node, dest_raw)
    if dest is None:
        return None, None
    folder = dest.endswith("/") or len(node.args) > 2
    dest = posixpath.normpath(posixpath.join(model.workdir(node), dest))
    if folder:
        return (posixpath.join(dest, name) if name else None), dest
    return dest, posixpath.dirname(dest)


def _later(model, stage, node):
    """The instructions after `node` in its stage, those of every stage built on it, and the COPY --from
    instructions that take files out of it."""
    index = stage.instructions.index(node)
    yield from stage.instructions[index + 1:]
    for other in model.stages:
        if other is stage:
            continue
        if stage in model.lineage(other):
            yield from other.instructions
        else:
            yield from (r.node for r in other.references if r.stage is stage and r.node.keyword == "COPY")


def _word_texts(script, word):
    return [t for t in (word.value, script.source(word)) if t is not None]


def _handled(model, stage, node, names, directory) -> bool:
    """Whether something after `node` uses the file (by name or path), or extracts in its directory."""
    names = [_normal(n) for n in names if n]
    directory = directory.rstrip("/") if directory and directory != "/" else None

    def names_it(text):
        text = _normal(text)
        return any(n in text for n in names)

    for later in _later(model, stage, node):
        if later.keyword == "COPY" and later.flag("from") is not None:
            if any(names_it(a.value) for a in later.args[:-1]):
                return True  # copied into another stage, on purpose
            continue
        if later.keyword != "RUN":
            continue
        codes = model.shell_code(later)
        if not codes:
            if names_it(later.original) or (directory and directory in later.original):
                return True  # code dfcheck can't read (PowerShell, exec form): assume it uses it
            continue
        for code in codes:
            script = code.script
            for command in script.commands:
                inner = command.effective()
                words = list(inner.argv) + [r.target for r in command.redirects if r.target is not None]
                extractor = inner.basename in EXTRACTORS
                for word in words:
                    texts = _word_texts(script, word)
                    if any(names_it(t) for t in texts) and inner.basename not in NOT_USES:
                        return True
                    if extractor and (word.value is None or (directory and any(
                            t == directory or t.startswith(directory + "/") for t in texts))):
                        return True  # unpacks something in that directory, or something dfcheck can't name
    return False


@rule("DF403", "add-remote-archive-not-extracted", "warning", reads=("ADD",))
def add_remote_archive_not_extracted(model: Model, options: Options) -> Iterator[Finding]:
    """ADD downloads an archive, which it never extracts, and nothing unpacks it.

    ## What it does
    Reports an http(s) source of ADD whose name is an archive (`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`,
    `.tar.xz`, `.zip`, `.7z`, `.gz`, ...) when nothing later in the stage (or in a stage built on
    it) uses the downloaded file: no later command names the file or its path (other than `rm`,
    `chmod`, `ls`, checksum tools and the like), no extracting program (`tar`, `unzip`, `gunzip`,
    `7z`, ...) works in the directory it was saved to, and no `COPY --from` takes it elsewhere.
    `ADD --unpack=true`, which does extract a remote tarball, is fine.

    ## Why is this bad?
    ADD extracts local tar archives but never remote ones: `ADD https://.../app.tar.gz /opt/` leaves
    the compressed file `/opt/app.tar.gz` in the image, not the application. The image ships the
    archive, and whatever expected the unpacked files fails at run time.

    ## Example
    ```dockerfile
    FROM debian:bookworm
    ADD https://nodejs.org/dist/v20.11.0/node-v20.11.0-linux-x64.tar.xz /opt/
    ```

    ## Use instead
    ```dockerfile
    FROM debian:bookworm
    ADD --checksum=sha256:<digest> https://nodejs.org/dist/v20.11.0/node-v20.11.0-linux-x64.tar.xz /tmp/
    RUN tar -xJf /tmp/node-v20.11.0-linux-x64.tar.xz -C /opt && rm /tmp/node-v20.11.0-linux-x64.tar.xz
    ```
    or download and extract in one RUN (`curl -fsSL URL | tar -xJ -C /opt`), so the archive never
    lands in a layer.

    ## Fix safety
    No automatic fix: where the files should go is the author's call.
    """
    for stage in model.stages:
        for node in stage.find("ADD"):
            if len(node.args) < 2:
                continue
            unpack = unpack_flag(model, node)
            for source in model.sources(node):
                if source.kind != "url":
                    continue
                url = source.value if source.value is not None else source.suffix
                path = split_url(url)[2] if source.value is not None else re.split(r"[?#]", url, maxsplit=1)[0]
                tail = path.rsplit("/", 1)[-1]
                if not tail.lower().endswith(ARCHIVE_SUFFIXES):
                    continue
                if unpack and tail.lower().endswith(TAR_SUFFIXES + COMPRESSED_SUFFIXES):
                    continue  # ADD --unpack=true extracts a fetched tarball
                name = tail if source.value is not None or "/" in path else None  # else a variable is in it
                raw_name = re.split(r"[?#]", source.arg.value, maxsplit=1)[0].rsplit("/", 1)[-1]
                saved, directory = _saved_as(model, node, name)
                saved_name = posixpath.basename(saved) if saved else None
                if _handled(model, stage, node, [name, raw_name, saved, saved_name], directory):
                    continue
                where = f"saved as {saved}" if saved else (f"saved in {directory}" if directory else "saved")
                yield Finding(
                    source.arg.span,
                    f"ADD does not extract remote archives: {source.shown} is {where}, and nothing later in "
                    "the stage extracts it",
                )

"""DF402 add-url-without-checksum: a remote ADD source that nothing pins."""

import re
from collections.abc import Iterator

from dfcheck.model import Model, split_url
from dfcheck.rule import Finding, Options, rule

_COMMIT = r"[0-9a-fA-F]{7,64}"  # compiled by `re` on first use: most files add no git source


def git_ref(text: str) -> tuple[str | None, bool]:
    """(the ref a git source asks for, whether it is a commit): from the `#ref[:subdir]` fragment or the
    `?ref=`, `?tag=`, `?branch=`, `?commit=`, `?checksum=` query BuildKit understands."""
    base, _, fragment = text.partition("#")
    from urllib.parse import parse_qs  # here, not at import: most files have no ADD of a URL

    params = parse_qs(split_url(base)[3])
    for key in ("checksum", "commit"):
        for value in params.get(key, ()):
            if re.fullmatch(_COMMIT, value):
                return value, True
    ref = fragment.split(":", 1)[0] if fragment else None
    for key in ("ref", "tag", "branch"):
        if params.get(key):
            ref = params[key][0]
    if not ref:
        return None, False
    return ref, bool(re.fullmatch(_COMMIT, ref))


@rule("DF402", "add-url-without-checksum", "warning", fixable=False, reads=("ADD",))
def add_url_without_checksum(model: Model, options: Options) -> Iterator[Finding]:
    """ADD downloads a file, or clones a repository, that nothing pins.

    ## What it does
    Reports each remote source of an ADD that is not pinned:

    - an http(s) URL without `--checksum=sha256:...`;
    - a git source (`https://host/repo.git`, `git@host:repo.git`, `git://...`) that names no commit:
      no ref at all (the default branch), or a branch or tag (`#main`, `#v1.2`, `?tag=v1.2`). A
      commit (`#<sha>`, `?commit=<sha>`, `?checksum=<sha>`) or `--checksum` pins it and is fine.

    A URL whose scheme is already written (`https://example.com/$VERSION/x.tgz`) is checked even
    when a variable in it is unknown.

    ## Why is this bad?
    Without a checksum the build takes whatever the server returns today: a re-uploaded release, a
    compromised mirror or a truncated download goes unnoticed, and the same Dockerfile builds
    different images. A branch or tag of a git repository moves in the same way.

    ## Example
    ```dockerfile
    FROM alpine
    ADD https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64 /usr/local/bin/gosu
    ```

    ## Use instead
    ```dockerfile
    FROM alpine
    ADD --checksum=sha256:bbc4136d03ab138b1ad66fa4fc051bafc6cc7ffae632b069a53657279a450de3 \\
        https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64 /usr/local/bin/gosu
    ```

    ## Fix safety
    No automatic fix: dfcheck does not download the file to compute its digest.
    """
    for stage in model.stages:
        for node in stage.find("ADD"):
            if len(node.args) < 2 or node.flag("checksum") is not None:
                continue
            for source in model.sources(node):
                if source.kind == "url":
                    yield Finding(
                        source.arg.span,
                        f"{source.shown} is downloaded without --checksum, so a changed or tampered file goes "
                        "unnoticed; add --checksum=sha256:<digest>",
                    )
                elif source.kind == "git":
                    if source.value is not None:
                        ref, commit = git_ref(source.value)
                    elif "#" in source.suffix or "?" in source.suffix:
                        ref, commit = git_ref(source.suffix)  # the ref is written after the variables
                    else:
                        continue  # the ref may be in the unknown part
                    if commit:
                        continue
                    what = f'follows "{ref}", which can move' if ref else "follows the default branch"
                    yield Finding(
                        source.arg.span,
                        f"git source {source.shown} {what}; pin it to a commit (#<commit sha>)",
                    )

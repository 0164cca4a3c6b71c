"""DF604-DF606: the images a build pulls (FROM, `COPY --from=<image>`, `RUN --mount=from=<image>`):
a moving or missing tag, no digest, a registry outside the allowed list.

An image reference is read as Docker reads it: `[registry[:port]/]path[:tag][@digest]`, where the first
component is a registry only when it has a `.` or a `:` or is `localhost`, and Docker Hub is the registry
otherwise (`python` is `docker.io/library/python`). Variables are expanded with the ARGs in scope; a part
whose value is unknown at lint time (an ARG without a default, `$TARGETARCH`) is left undecided, and a
rule only reports what the known parts already decide.
"""

from __future__ import annotations

from collections.abc import Iterator

from dfcheck.model import Model
from dfcheck.rule import Option, Finding, Options, rule

_UNKNOWN = "\x00"  # stands for the value of a variable that is not known when linting
HUB = "docker.io"
_HUB_NAMES = {"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", "hub.docker.com"}


class ImageRef:
    """A parsed image reference. `registry` is normalized ("docker.io" for Docker Hub, however written)."""

    __slots__ = ("name", "registry", "path", "tag", "digest")

    def __init__(self, name: str, registry: str, path: str, tag: str | None, digest: str | None):
        self.name = name  # as written, without tag and digest
        self.registry = registry
        self.path = path  # "library/python" for `python`
        self.tag = tag
        self.digest = digest


def parse_reference(text: str) -> ImageRef:
    name, at, digest = text.partition("@")
    tag = None
    if ":" in name.rsplit("/", 1)[-1]:
        name, tag = name.rsplit(":", 1)
    first, slash, rest = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        registry, path = first.lower(), rest
    else:
        registry, path = HUB, name
    if registry in _HUB_NAMES:
        registry = HUB
    if registry == HUB and "/" not in path:
        path = "library/" + path
    return ImageRef(name, registry, path, tag, digest if at else None)


class Pull:
    """One image the build pulls: where it is written, and its reference with the known variables expanded."""

    __slots__ = ("node", "span", "text", "value", "args")

    def __init__(self, node, span, text, value, args):
        self.node = node
        self.span = span
        self.text = text  # as written
        self.value = value  # expanded; _UNKNOWN where a variable's value is unknown
        self.args = args  # [(name, Variable)] of the ARGs with known values that the expansion used

    def shown(self) -> str:
        """How a message names it: `python:$TAG` (`python:latest` with ARG TAG's default at line 3)."""
        if self.value == self.text:
            return f"`{self.text}`"
        if not self.args:
            return f"`{self.text}` (`{self.value}`)"
        sources = ", ".join(_arg_source(name, var) for name, var in self.args)
        return f"`{self.text}` (`{self.value}` with {sources})"


def _arg_source(name, var) -> str:
    line = var.node.span.line if var.node is not None else None
    return f"ARG {name} at line {line}" if line else f"ARG {name}"


def pulls(model):
    """Every image reference the build pulls, with stage names and `scratch` left out.

    `COPY --from` and `RUN --mount=from=` take a stage name, a named build context or an image; a bare
    word there that is not a stage is as likely a named context or a misspelt stage as an image, so only
    references with a registry, a namespace, a tag or a digest (`/`, `:` or `@`) count as images. A name the
    build gives a named context (Compose's additional_contexts, Bake's contexts) is not an image.
    """
    for stage in model.stages:
        node = stage.node
        if node.error or not node.args:
            continue
        if stage.base_stage is None and stage.base_context is None and not stage.is_scratch:
            pull = _pull(model, node, node.args[0].span, node.args[0].value)
            if pull is not None and pull.value.lower() != "scratch" and model.stage_named(pull.value) is None:
                yield pull
        for node in stage.instructions:
            if node.keyword not in ("COPY", "RUN") or node.error:
                continue
            for flag in node.flags:
                written = _reference_in_flag(flag) if flag.name in ("from", "mount") else None
                if written is None or (flag.name == "from" and node.keyword != "COPY"):
                    continue
                pull = _pull(model, node, flag.span, written)
                if pull is None or model.stage_named(pull.value) is not None or model.named_context(pull.value):
                    continue
                if any(c in pull.value.replace(_UNKNOWN, "") for c in "/:@"):
                    yield pull


def _reference_in_flag(flag):
    if not flag.value:
        return None
    if flag.name == "from":
        return flag.value
    if flag.name == "mount":
        for option in flag.value.split(","):
            key, _, value = option.partition("=")
            if key.strip() == "from" and value:
                return value.strip()
    return None


def _pull(model, node, span, text):
    from dfcheck.syntax.expansion import ExpansionError

    scope = model.scope(node)
    try:
        result = model.lexer.process_word(text, _Values(scope))
    except ExpansionError:
        return None
    if not result.value.strip():
        return None  # nothing but undefined variables: DF004 reports them, BuildKit fails
    args = [(name, scope.get(name)) for name in sorted(result.used)
            if scope.get(name) is not None and scope.get(name).value is not None]
    return Pull(node, span, text, result.value, args)


class _Values:
    """What `_pull` expands with: the known values of the variables in `scope`, and _UNKNOWN for those it
    declares without one; looked up name by name (a table of every name, made per reference, cost more than
    the expansions, most of which use no variable)."""

    __slots__ = ("_scope", "_known")

    def __init__(self, scope):
        self._scope = scope
        self._known = scope.values()

    def __contains__(self, name) -> bool:
        return name in self._known or self._unknown(name)

    def __getitem__(self, name):
        try:
            return self._known[name]
        except KeyError:
            if self._unknown(name):
                return _UNKNOWN
            raise

    def _unknown(self, name) -> bool:
        variable = self._scope.get(name)
        return variable is not None and variable.value is None


def _undecided_tag(value: str) -> bool:
    """True when an unknown value may still add a tag or a digest (it sits in the last path component)."""
    if "@" in value.replace(_UNKNOWN, ""):
        return False
    return _UNKNOWN in value.rsplit("/", 1)[-1]


@rule("DF604", "image-latest-or-untagged", "warning", hadolint=("DL3006", "DL3007"),
      tags=("security", "security-severity:3.0"))
def image_latest_or_untagged(model: Model, options: Options) -> Iterator[Finding]:
    """An image is pulled by the `latest` tag, or by no tag at all (which means `latest`).

    ## What it does
    Reports a FROM image (and an image in `COPY --from=` or `RUN --mount=from=`) that has no tag
    or the tag `latest`, and no digest. Not reported: `scratch`, stage names, references pinned by
    a digest (`@sha256:...`, with or without a tag), and references whose tag depends on an ARG
    with no default (the tag is chosen at build time: dfcheck cannot tell). An ARG default is
    used as the value: `ARG TAG=latest` then `FROM node:$TAG` is reported, `ARG TAG=20.11` is not.

    ## Why is this bad?
    `latest` moves: the same Dockerfile builds on a different base image from one day to the next,
    a new major version or distribution release breaks the build or the application without any
    change in the repository, and the image you tested is not the one you ship. A security fix
    that you need is also not pinned: you cannot tell which base a running image was built on.

    ## Example
    ```dockerfile
    FROM node
    COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/
    ```

    ## Use instead
    ```dockerfile
    FROM node:22.11-bookworm-slim
    COPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/
    ```
    For builds that must be reproducible, add the digest too (`node:22.11-bookworm-slim@sha256:...`,
    see DF605) and let a bot such as Renovate or Dependabot update it.

    ## Fix safety
    No automatic fix: which version to pin is the author's decision.

    ## Relation to other linters
    hadolint DL3006 (untagged) and DL3007 (`latest`); their suppressions silence this rule. hadolint
    reports `FROM $IMAGE` as untagged even when the tag comes in through the variable, and
    `image:latest@sha256:...` as `latest` although the digest pins it; dfcheck does neither.
    """
    for pull in pulls(model):
        if _undecided_tag(pull.value):
            continue
        ref = parse_reference(pull.value)
        if ref.digest is not None:
            continue
        if ref.tag is None:
            yield Finding(pull.span, f"{pull.shown()} has no tag, so it pulls `{ref.name}:latest`, which "
                                     f"changes under you; pin a version tag (`{ref.name}:<version>`) or a "
                                     "digest")
        elif ref.tag == "latest":
            yield Finding(pull.span, f"{pull.shown()} uses the `latest` tag, which changes under you; pin a version "
                                     f"tag (`{ref.name}:<version>`) or a digest")


@rule("DF605", "image-not-pinned-by-digest", "info", enabled=False, tags=("security",))
def image_not_pinned_by_digest(model: Model, options: Options) -> Iterator[Finding]:
    """An image is pulled by tag, not by digest.

    ## What it does
    Reports a FROM image (and an image in `COPY --from=` or `RUN --mount=from=`) without a digest
    (`@sha256:...`). A policy rule for supply-chain pinning, off by default: select it with
    `--select DF605` or in the configuration. `scratch` and stage names are not reported, nor a
    reference whose last part comes from an ARG without a default (it may carry a digest).

    ## Why is this bad?
    A tag is a pointer the publisher (or anyone who takes over their account or registry) can move:
    `python:3.12-slim` today is not `python:3.12-slim` next week. A digest names exactly one image
    content; the build is reproducible and a tampered image cannot slip in under the same tag.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ```

    ## Use instead
    ```dockerfile
    FROM python:3.12-slim@sha256:2b0079146a74e23bf4ae8f6a28e1b484c6292f6fb904cbb51825b4a19812fcd8
    ```
    The tag stays for the reader (Docker ignores it when a digest is given); tools such as Renovate
    or Dependabot keep the digest up to date.

    ## Fix safety
    No automatic fix: finding the digest needs the registry.
    """
    for pull in pulls(model):
        if _undecided_tag(pull.value):
            continue
        ref = parse_reference(pull.value)
        if ref.digest is None:
            tag = ref.tag or "latest"
            yield Finding(pull.span, f"{pull.shown()} is not pinned by digest: the tag `{tag}` can be moved to other "
                                     f"content; pin it as `{ref.name}:{tag}@sha256:<digest>`")


def _allowed(ref: ImageRef, entries) -> bool:
    for entry in entries:
        entry = entry.strip().lower().rstrip("/")
        if not entry:
            continue
        host, _, path = entry.partition("/")
        if host in _HUB_NAMES:
            host = HUB
        if "*" in host:
            if host.startswith("*") and ref.registry.endswith(host[1:]):
                pass
            elif host.endswith("*") and ref.registry.startswith(host[:-1]):
                pass
            else:
                continue
        elif host != ref.registry:
            continue
        if not path or ref.path.lower() == path or ref.path.lower().startswith(path + "/"):
            return True
    return False


@rule("DF606", "untrusted-registry", "error", hadolint=("DL3026",), enabled=False,
      tags=("security", "security-severity:5.5"),
      options=[Option("allowed-registries", list[str], [], "where images may come from; empty: the rule is off")])
def untrusted_registry(model: Model, options: Options) -> Iterator[Finding]:
    """An image comes from a registry that is not in the allowed list.

    ## What it does
    With the option `allowed-registries` set (it is empty by default, and then nothing is
    reported), reports each FROM image, `COPY --from=<image>` and `RUN --mount=from=<image>`
    whose registry is not in the list. Docker Hub is `docker.io` however it is written:
    `python`, `library/python`, `docker.io/library/python` and `index.docker.io/library/python` all
    come from `docker.io`, and the entries `docker.io`, `index.docker.io` and `hub.docker.com` all
    allow it. An entry may be:

    - a registry host, with its port if it has one: `ghcr.io`, `registry.example.com:5000`;
    - a wildcard at either end: `*.example.com` (any subdomain), `registry.example.*`;
    - a registry with a path prefix, to allow part of a registry: `docker.io/library` (the official
      images only), `gcr.io/distroless`.

    `scratch`, stage names and references whose registry comes from an ARG without a default are
    not reported. Off by default: select it and set the option in the configuration.

    ## Why is this bad?
    A base image runs its code in your build and ships its files in your image. An organisation
    that mirrors and scans the images it trusts wants every build to pull from those mirrors only;
    an image from anywhere else bypasses that review.

    ## Example
    ```toml
    [tool.dfcheck]
    extend-select = ["DF606"]
    [tool.dfcheck.options.DF606]
    allowed-registries = ["registry.example.com", "docker.io/library"]
    ```
    ```dockerfile
    FROM ghcr.io/someone/tool:1.0 AS tool
    FROM bitnami/nginx:1.27
    ```

    ## Use instead
    ```dockerfile
    FROM registry.example.com/mirror/tool:1.0 AS tool
    FROM nginx:1.27
    ```

    ## Fix safety
    No automatic fix: the mirror's name is site-specific.

    ## Relation to other linters
    hadolint DL3026 (`--trusted-registry`, `trustedRegistries`); its suppressions silence this rule.
    hadolint compares only the host, so `docker.io/library` or `gcr.io/distroless` cannot be
    allowed on their own, and an explicit `index.docker.io` needs its own entry.

    ## Options
    `allowed-registries` (default `[]`): the registries images may come from; empty disables the rule.
    """
    allowed = options.allowed_registries
    if isinstance(allowed, str):
        allowed = [allowed]
    if not allowed:
        return
    for pull in pulls(model):
        head = pull.value.split("/", 1)[0]
        if _UNKNOWN in head or ("/" not in pull.value and _UNKNOWN in pull.value):
            continue  # the registry part is not known
        ref = parse_reference(pull.value.replace(_UNKNOWN, "x"))
        if _allowed(ref, allowed):
            continue
        where = "Docker Hub (docker.io)" if ref.registry == HUB else ref.registry
        yield Finding(pull.span, f"{pull.shown()} comes from {where}, which is not an allowed registry "
                                 f"({', '.join(allowed)}); pull it from an allowed registry or mirror")

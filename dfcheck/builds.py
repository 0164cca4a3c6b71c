"""The builds a Dockerfile is linted as, and where each of their inputs comes from.

A Dockerfile that Compose services or Bake targets build (`dfcheck.buildfiles`) is linted once per distinct
build they describe: its context, target, build args and named contexts. The command line and the
configuration still win, value by value (`--context`, `--target`, `--build-arg`, `context`, `target`,
`build-args`), so two definitions may become one build. A Dockerfile no definition names is built as the
configuration says (its directory as the context, the last stage), as one build without a name.

    inputs = build_inputs(path, definitions, given)   # what Resolver.inputs does for a linted file
    inputs[0].names       # ("service api", "bake target api"): how findings of this build are labelled
    inputs[0].sources     # {"context": 'compose service "api" (compose.yaml:3)', "arg PYTHON_VERSION": ...}

`describe(path, text, inputs)` is what `--show-settings` and `dfcheck layers` print about them: each build's
inputs and where they come from, and what each stage's base image brings (from dfcheck's table, or guessed).
"""

from __future__ import annotations

import os

from .records import fields_repr

DEFAULT_CONTEXT = "the Dockerfile's directory"
DEFAULT_TARGET = "the last stage"


class Build:
    """One set of build inputs for a Dockerfile."""

    __slots__ = ("names", "origins", "context_dir", "target", "build_args", "named_contexts", "sources")

    def __init__(self, names: tuple, origins: tuple, context_dir: str | None, target: str | None, build_args: dict,
                 named_contexts: dict, sources: dict):
        self.names = names  # ("service api",): the definitions it stands for, as findings name them; () for none
        self.origins = origins  # ('compose service "api" (compose.yaml:3)',): the same, with where they are
        self.context_dir = context_dir
        self.target = target
        self.build_args = build_args  # a value None: set by a definition, not known statically
        self.named_contexts = named_contexts
        self.sources = sources  # "context", "target", "arg NAME", "context NAME" -> where the value comes from

    __repr__ = fields_repr

    @property
    def key(self) -> tuple:
        return (self.context_dir, self.target, tuple(sorted(self.build_args.items(), key=str)),
                tuple(sorted(self.named_contexts.items())))


def build_inputs(path: str | None, definitions: list, given: dict) -> tuple[Build, ...]:
    """The builds of the Dockerfile at `path`: one per distinct build its `definitions` describe, else the one
    `given` describes. `given` holds what the command line and the configuration say, each as (value, source):
    "context", "target" (or None), "build-args" ({name: (value, source)})."""
    context, target, args = given.get("context"), given.get("target"), given.get("build-args", {})
    if not definitions:
        directory = os.path.dirname(os.path.abspath(path)) if path else None
        if context is None and directory and os.path.isdir(directory):
            context = (directory, DEFAULT_CONTEXT)
        sources = {"context": context[1] if context else None,
                   "target": target[1] if target else DEFAULT_TARGET}
        sources.update((f"arg {name}", source) for name, (_, source) in args.items())
        return (Build((), (), context[0] if context else None, target[0] if target else None,
                      {name: value for name, (value, _) in args.items()}, {}, sources),)
    builds: dict[tuple, Build] = {}
    for d in definitions:
        origin = d.origin
        sources = {"context": context[1] if context else origin,
                   "target": target[1] if target else (origin if d.target else DEFAULT_TARGET)}
        build_args = dict(d.args)
        sources.update((f"arg {name}", origin) for name in d.args)
        for name, (value, source) in args.items():
            build_args[name] = value
            sources[f"arg {name}"] = source
        sources.update((f"context {name}", origin) for name in d.contexts)
        build = Build((_name(d),), (origin,), context[0] if context else d.context,
                      target[0] if target else d.target, build_args, dict(d.contexts), sources)
        same = builds.get(build.key)
        if same is None:
            builds[build.key] = build
        else:  # Compose and Bake (or two services) describe the same build: one lint, both names
            same.names += build.names
            same.origins += build.origins
    found = tuple(builds.values())
    names = [n for b in found for n in b.names]
    if len(set(names)) < len(names):  # two files define the same name: say which file
        for b in found:
            b.names = b.origins
    return found


def _name(definition) -> str:
    return f"service {definition.name}" if definition.kind == "compose" else f"bake target {definition.name}"


# ---------------------------------------------------------------- what --show-settings and `layers` print


def describe(path: str, text: str | None, inputs: tuple[Build, ...], *, chosen: int | None = None) -> list[str]:
    """Lines saying how the Dockerfile at `path` is built: each build's inputs with where each comes from, and,
    when its `text` is at hand, what each stage's base image brings. `chosen`: only that build's facts."""
    named = [b for b in inputs if b.names]
    if named:
        lines = [f"{_show(path)} is built as its build files say ({_count(len(named), 'build')}; "
                 "--no-build-files: as configured instead):"]
    else:
        lines = [f"{_show(path)} is built as configured:"]
    for index, build in enumerate(inputs):
        if chosen is not None and index != chosen:
            continue
        if build.names:
            lines.append(f"build {index + 1}, as {' and '.join(build.origins)} says:")
        lines += ["  " + line for line in _inputs(build)]
        if text is not None:
            lines += ["  " + line for line in _base_images(path, text, build)]
    return lines


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _show(path: str) -> str:
    rel = os.path.relpath(path) if path else "-"
    return path if rel.startswith("..") else rel


def _inputs(build: Build) -> list[str]:
    sources = build.sources
    rows = [("context", build.context_dir or "none", sources.get("context")),
            ("target", build.target or "the last stage", sources.get("target"))]
    for name, value in build.build_args.items():
        rows.append((f"arg {name}", "(set, value not known statically)" if value is None else value,
                     sources.get(f"arg {name}")))
    for name, value in build.named_contexts.items():
        rows.append((f"context {name}", value, sources.get(f"context {name}")))
    # what a value of the build's own definition is needs no saying: the line above names it
    return [f"{key} = {_printable(str(value))}"
            + (f"  ({source})" if source and source != value and source not in build.origins else "")
            for key, value, source in rows]


def _base_images(path: str, text: str, build: Build) -> list[str]:
    from .model import build_model
    from .syntax import parse

    try:
        model = build_model(parse(text), path=path, context_dir=build.context_dir, target=build.target,
                            build_args=build.build_args, named_contexts=build.named_contexts)
    except Exception as e:  # the linter reports it; this is only a summary
        return [f"stages: not modelled ({type(e).__name__})"]
    lines = []
    for stage in model.stages:
        if stage.name and model.named_context(stage.name) is not None:
            lines.append(f"{stage.label}: not built, the named context {stage.name} replaces it")
            continue
        if stage.base_stage is not None:
            continue
        lines.append(f"{stage.label}: FROM {_printable(stage.base)}: {_facts(model, stage)}")
    return lines


def _facts(model, stage) -> str:
    """What the stage's base image brings, and where dfcheck knows it from."""
    from .model.runtime import format_argv

    sh, how = model.image_sh(stage)
    if stage.is_scratch:
        return "an empty image: no /bin/sh, no user but root"
    prefix = ""
    if stage.base_context is not None:
        prefix = f"the named context {_printable(stage.base_context)}; "
    facts = model.base_facts(stage)
    if facts is None:
        image = model.base_image(stage)
        what = "not in dfcheck's table" if image else "not an image dfcheck can look up"
        return (f"{prefix}{what}: USER, CMD and ENTRYPOINT unknown; /bin/sh "
                + (f"guessed {sh} from the name" if sh not in ("windows", "none") else f"none ({sh})"))
    known = []
    if facts.runtime:
        known.append(f"{facts.runtime} {facts.runtime_version or '(version unknown)'}")
    if facts.os:
        known.append(f"{facts.os}")
    known.append(f"/bin/sh {facts.sh or 'unknown'}")
    if facts.package_manager is not None:
        known.append(facts.package_manager or "no package manager")
    if facts.user is not None:
        known.append(f"USER {facts.user}" if facts.user else "runs as root")
    for name in ("cmd", "entrypoint"):
        value = getattr(facts, name)
        if value is not None:
            known.append(f"{name.upper()} {format_argv(value)}" if value else f"no {name.upper()}")
    if not facts.exact:
        known.append("a release the table does not have: its OS only")
    sources = "; ".join(_short_source(source) for source in facts.sources[:2])
    if len(facts.sources) > 2:
        sources += f"; {len(facts.sources) - 2} more rows"
    return f"{prefix}{', '.join(known)} (dfcheck's table: {_printable(sources)})"


def _short_source(source: str) -> str:
    """`docker-library/python@4f07059567fa 3.12/bookworm, 2026-12-02`: a table row's source, its commit shortened."""
    where, at, rest = source.partition("@")
    if at and len(rest) > 40 and rest[40] == " ":
        rest = rest[:12] + rest[40:]
    return (where + at + rest).replace("/Dockerfile,", ",")


def _printable(text: str) -> str:
    """One line for the terminal: control characters (the build files' text) escaped."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def show(resolver, path: str | None, text: str | None = None, *, chosen: int | None = None) -> str:
    """`describe` as comment lines, for --show-settings (after the settings) and `dfcheck layers` (before the
    layers); the file is read when its `text` is not given."""
    if text is None and path and path != "-" and os.path.isfile(path):
        from .files import read_source

        text, _ = read_source(path)
    inputs = resolver.inputs(path if path != "-" else None)
    lines = describe(path or "-", text, inputs, chosen=chosen)
    if chosen is not None and len(inputs) > 1:
        others = [", ".join(b.names) for i, b in enumerate(inputs) if i != chosen]
        lines.append(f"(also built as {'; '.join(others)}: pick one with --service NAME or --bake-target NAME)")
    return "#\n" + "".join(f"# {line}\n" for line in lines)


def choose(inputs: tuple[Build, ...], *, service: str | None = None, bake_target: str | None = None) -> int:
    """The index of the build of the Compose service or Bake target named (0 when none is); ValueError when no
    build of the file has that name."""
    if service is None and bake_target is None:
        return 0
    wanted = f"service {service}" if service is not None else f"bake target {bake_target}"
    prefix = f'compose service "{service}"' if service is not None else f'bake target "{bake_target}"'
    for index, build in enumerate(inputs):
        if wanted in build.names or any(origin.startswith(prefix) for origin in build.origins):
            return index
    known = [name for build in inputs for name in build.names]
    raise ValueError(f"no {wanted} builds it" + (f" (its builds: {', '.join(known)})" if known
                                                 else " (no Compose service or Bake target builds it)"))

"""The other commands: `dfcheck rules`, `dfcheck rule CODE`, `dfcheck parse FILE`, `dfcheck layers FILE`,
`dfcheck config --from-hadolint`, `dfcheck lsp`."""

from __future__ import annotations

import os
import sys

from . import UsageError, _parser, _visible
from .lint import _build_options, _notes


# ---------------------------------------------------------------- dfcheck rules / rule CODE


def rules_command(argv: list[str]) -> int:
    p = _parser("dfcheck rules", "List every rule: code, name, default severity, fix, enabled by default, origin, "
                "and the hadolint codes and BuildKit checks it answers to.")
    p.add_argument("--format", choices=("text", "json"), default="text", help="a table or JSON (default: text)")
    args = p.parse_args(argv)
    from ..engine import load_rules

    rules = load_rules()
    if args.format == "json":
        import json

        from ..docs import rule_url

        data = [{"code": r.code, "name": r.name, "severity": r.severity, "fixable": r.fixable, "enabled": r.enabled,
                 "origin": r.origin, "hadolint": list(r.hadolint), "buildkit": list(r.buildkit),
                 "options": r.options, "summary": r.summary, "url": rule_url(r)} for r in rules]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    rows = [("CODE", "NAME", "SEVERITY", "FIXABLE", "ENABLED", "ORIGIN", "HADOLINT", "BUILDKIT")]
    for r in rules:
        fix = r.fixable if isinstance(r.fixable, str) else ("yes" if r.fixable else "no")  # safe, unsafe, depends
        rows.append((r.code, r.name, r.severity, fix, "yes" if r.enabled else "no",
                     r.origin, ",".join(r.hadolint) or "-", ",".join(r.buildkit) or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        sys.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() + "\n")
    return 0


def rule_page(r) -> str:
    from ..docs import rule_text

    return rule_text(r)


def rule_command(argv: list[str]) -> int:
    p = _parser("dfcheck rule", "Show a rule's documentation, by code or name, or by a hadolint code or BuildKit "
                "check name (the pages of the rules that answer to it).")
    p.add_argument("rule", metavar="CODE|NAME")
    args = p.parse_args(argv)
    from ..config import join_notes, rules_for
    from ..engine import load_rules

    notes: list = []
    found = rules_for(args.rule, load_rules(), "dfcheck rule", notes)
    for note in join_notes(notes):
        sys.stderr.write(f"dfcheck: note: {note}\n")
    sys.stdout.write("\n".join(rule_page(r) for r in found))
    return 0


# ---------------------------------------------------------------- dfcheck parse FILE


def _read_argument(path: str) -> str | None:
    """The text of the one file a subcommand takes (`-`: standard input); None after saying why not."""
    from ..files import read_source

    text, problem = read_source(path, sys.stdin.buffer.read() if path == "-" else None)
    if problem is not None:
        sys.stderr.write(_visible(f"{path}: cannot read: {problem}") + "\n")
    return text


def parse_command(argv: list[str]) -> int:
    p = _parser("dfcheck parse", "Print a Dockerfile's syntax tree. Exit status 1 when it has syntax errors.")
    p.add_argument("--format", choices=("buildkit", "json"), default="buildkit",
                   help="buildkit: BuildKit's parser-test dump; json: the tree with spans (default: buildkit)")
    p.add_argument("file", metavar="FILE", help="the Dockerfile (`-`: standard input)")
    args = p.parse_args(argv)
    from ..syntax import parse
    from ..syntax.dump import buildkit_dump, json_tree

    text = _read_argument(args.file)
    if text is None:
        return 2
    dockerfile = parse(text)
    if args.format == "json":
        import json

        try:
            sys.stdout.write(json.dumps(json_tree(dockerfile), indent=2, ensure_ascii=False) + "\n")
        except RecursionError:  # json's encoder recurses once per level of ONBUILD ONBUILD ...
            raise UsageError(f"{args.file}: the syntax tree is nested too deeply to print as JSON") from None
    else:
        sys.stdout.write(buildkit_dump(dockerfile))
    for e in dockerfile.errors:
        sys.stderr.write(_visible(f"{args.file}:{e.span.line}:{e.span.column}: {e.message}") + "\n")
    return 1 if dockerfile.errors else 0


# ---------------------------------------------------------------- dfcheck layers FILE


def layers_command(argv: list[str]) -> int:
    p = _parser("dfcheck layers", "Show, per stage of the image, each layer: what it adds and removes, its "
                "estimated size, its wasted bytes and what invalidates its cache. The file is built as when linting: "
                "as the Compose service or Bake target that builds it says (the first, unless one is picked), with "
                "the configuration (context, target, build-args) and the options given here on top. The text "
                "output starts with how it is built and what its base images bring.")
    p.add_argument("--format", choices=("text", "json"), default="text", help="text table or JSON (default: text)")
    p.add_argument("--context", metavar="DIR", help="the build context (default: the Dockerfile's directory)")
    p.add_argument("--target", metavar="STAGE", help="the stage to build (default: the last one)")
    p.add_argument("--build-arg", metavar="NAME=VALUE", action="append", default=[], help="a build argument's value")
    p.add_argument("--stdin-filename", metavar="NAME", help="with `-`: the file's name, for the configuration")
    pick = p.add_mutually_exclusive_group()
    pick.add_argument("--service", metavar="NAME", help="the build of this Compose service")
    pick.add_argument("--bake-target", metavar="NAME", help="the build of this Bake target")
    pick.add_argument("--no-build-files", action="store_true", help="do not read Compose and Bake files")
    config = p.add_mutually_exclusive_group()
    config.add_argument("--config", metavar="FILE", help="use this configuration file")
    config.add_argument("--no-config", action="store_true", help="ignore configuration files")
    p.add_argument("file", metavar="FILE", help="the Dockerfile (`-`: standard input)")
    args = p.parse_args(argv)
    from ..builds import choose, show
    from ..config import Resolver, parse_table
    from ..engine import load_rules, missing_target
    from ..model import build_model
    from ..model.layers import layers_data
    from ..reporters import layers as reporter
    from ..syntax import parse

    rules = load_rules()
    cli = parse_table(_build_options(args), rules, root=os.getcwd(), where="command line", cli=True)
    resolver = Resolver(rules, cli, config_file=args.config, no_config=args.no_config)
    name = args.stdin_filename if args.file == "-" else args.file
    inputs = resolver.inputs(name)
    try:
        chosen = choose(inputs, service=args.service, bake_target=args.bake_target)
    except ValueError as e:
        raise UsageError(f"{args.file}: {e}") from None
    build = inputs[chosen]
    text = _read_argument(args.file)
    if text is None:
        return 2
    model = build_model(parse(text), path=None if args.file == "-" else args.file, context_dir=build.context_dir,
                        target=build.target, build_args=build.build_args, named_contexts=build.named_contexts)
    _notes(resolver, False)
    problem = missing_target(model, build.target)
    if problem is not None:
        raise UsageError(f"{args.file}: {problem}")
    for e in model.errors:
        sys.stderr.write(_visible(f"{args.file}:{e.span.line}:{e.span.column}: {e.message}") + "\n")
    if args.format == "text":
        sys.stdout.write(show(resolver, name or "-", text, chosen=chosen) + "\n")
    sys.stdout.write(reporter.render(layers_data(model), args.format))
    if model.context_error:
        sys.stderr.write(_visible(f"{args.file}: {model.context_error}") + "\n")
        return 2
    return 0


# ---------------------------------------------------------------- dfcheck config --from-hadolint [FILE]


def config_command(argv: list[str]) -> int:
    p = _parser("dfcheck config", "Move a configuration to dfcheck.")
    p.add_argument("--from-hadolint", nargs="?", const="", metavar="FILE",
                   help="print the [tool.dfcheck] table that a hadolint configuration amounts to (default: "
                        ".hadolint.yaml or .hadolint.yml in the current directory)")
    args = p.parse_args(argv)
    if args.from_hadolint is None:
        p.error("say what to convert: --from-hadolint [FILE]")
    from ..config import HADOLINT_NAMES, read_hadolint
    from ..engine import load_rules
    from ..hadolint import to_toml

    path = args.from_hadolint or next((n for n in HADOLINT_NAMES if os.path.isfile(n)), None)
    if path is None:
        raise UsageError(f"--from-hadolint: no {' or '.join(HADOLINT_NAMES)} in the current directory; name the file")
    if not os.path.isfile(path):
        raise UsageError(f"--from-hadolint {path}: no such file")
    translation, _ = read_hadolint(path, load_rules())  # what is printed must be valid
    sys.stdout.write(to_toml(translation, path))
    return 0


# ---------------------------------------------------------------- dfcheck lsp


def lsp_command(argv: list[str]) -> int:
    import gc

    from ..lsp import main as serve  # pygls is imported there, and only there

    gc.enable()  # a long-running server needs its garbage collected
    return serve(argv)

"""Helpers shared by the rule and model tests."""

import importlib
import io
import os
import pkgutil
import sys

import dfcheck.rules
from dfcheck.cli import main
from dfcheck.model import build_model
from dfcheck.rule import Rule
from dfcheck.syntax import parse


def builtin_rules() -> dict:
    """Code -> Rule for every built-in rule module."""
    found = {}
    for info in pkgutil.iter_modules(dfcheck.rules.__path__):
        module = importlib.import_module(f"dfcheck.rules.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Rule):
                found[value.code] = value
    return found


def model_of(source: str, **options):
    return build_model(parse(source), **options)


def findings(code: str, source: str, **model_options) -> list:
    """The findings of one rule on `source`, as (code, line, column, message) tuples."""
    rule = builtin_rules()[code]
    model = model_of(source, **model_options)
    return [(code, f.span.line, f.span.column, f.message) for f in rule.check(model, rule.options)]


def raw_findings(code: str, source: str, **model_options) -> list:
    rule = builtin_rules()[code]
    return list(rule.check(model_of(source, **model_options), rule.options))


def tree(root, files: dict) -> str:
    """Write `files` (relative posix path -> str or bytes) under `root`, a build context; returns `root`."""
    for path, content in files.items():
        full = os.path.join(root, *path.split("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as handle:
            handle.write(content if isinstance(content, bytes) else content.encode())
    return str(root)


def run(capsys, *argv, stdin=None, monkeypatch=None):
    """Run the command line in-process: (exit status, stdout, stderr); `stdin` bytes need `monkeypatch`."""
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err

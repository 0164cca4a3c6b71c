"""The rule index (rules/_index.py, dfcheck.rule_index): the command line's rules are the real ones, their
modules imported when they run; a rule declared to read some instructions (`Rule.reads`) finds nothing in a
file without them, so the engine does not run it there."""

import re
from pathlib import Path

import pytest
from support import builtin_rules

from dfcheck import engine
from dfcheck.config import Settings, default_settings
from dfcheck.engine import lint_text
from dfcheck.model import build_model
from dfcheck.rule import Finding, Rule, rule
from dfcheck.rule_index import INDEX, index_source, indexed_rules
from dfcheck.rules._index import RULES
from dfcheck.syntax import parse

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "dockerfiles"


def test_the_index_is_up_to_date():
    current = (ROOT / INDEX).read_text(encoding="utf-8")
    assert current == index_source(sorted(builtin_rules().values(), key=lambda r: r.code)), (
        f"{INDEX} is out of date with the rules: run `python -m dfcheck.docs` from the repository root and commit it")


def test_indexed_rules_are_the_rules():
    real = builtin_rules()
    indexed = indexed_rules(RULES)
    assert [r.code for r in indexed] == sorted(real)
    for r in indexed:
        for field in Rule._init:
            if field != "check":
                assert getattr(r, field) == getattr(real[r.code], field), (r.code, field)
        assert r.check.rule() is real[r.code]


def test_an_indexed_rule_runs_its_module_s_check():
    text = "FROM alpine:3.20\nADD https://example.com/app.txt /srv/\nEXPOSE 80/TCP\nMAINTAINER someone\n"
    indexed = {r.code: r for r in indexed_rules(RULES)}
    real = builtin_rules()
    for code in ("DF402", "DF404", "DF409"):
        found = lint_text(text, "Dockerfile", Settings(rules=[indexed[code]], known=list(indexed.values()))).findings
        assert [(f.code, f.span.line, f.message) for f in found] == [
            (f.code, f.span.line, f.message)
            for f in lint_text(text, "Dockerfile", Settings(rules=[real[code]], known=list(real.values()))).findings]
        assert found and found[0].code == code


def test_the_command_line_uses_the_index_and_other_commands_the_modules(monkeypatch):
    monkeypatch.setattr(engine, "_loaded", None)
    monkeypatch.setattr(engine, "_indexed", None)
    indexed = engine.indexed_rules()
    assert all(r.source.startswith("dfcheck.rules.") for r in indexed if r.origin == "dfcheck")
    assert type(indexed[0].check).__name__ == "_Deferred"
    loaded = engine.load_rules()
    assert engine.indexed_rules() is loaded  # once every module is imported, their own rules
    assert [r.code for r in loaded] == [r.code for r in indexed]


# -- Rule.reads --------------------------------------------------------------------------------------------------


@rule("DF999", "exposes", "warning", reads=("EXPOSE",))
def _exposes(model, options):
    """Every EXPOSE."""
    return [Finding(n.span, "exposed") for n in model.instructions if n.keyword == "EXPOSE"]


def _calls(monkeypatch):
    calls = []
    check = _exposes.check
    monkeypatch.setattr(_exposes, "check", lambda model, options: calls.append(1) or check(model, options))
    return calls


def test_a_rule_is_not_run_on_a_file_without_what_it_reads(monkeypatch):
    calls = _calls(monkeypatch)
    settings = Settings(rules=[_exposes], known=[_exposes])
    assert lint_text("FROM alpine:3.20\nRUN true\n", "Dockerfile", settings).findings == []
    assert calls == []
    found = lint_text("FROM alpine:3.20\nexpose 80\n", "Dockerfile", settings).findings
    assert [(f.code, f.span.line) for f in found] == [("DF999", 2)] and calls == [1]


def test_an_onbuild_trigger_counts(monkeypatch):
    calls = _calls(monkeypatch)
    settings = Settings(rules=[_exposes], known=[_exposes])
    lint_text("FROM alpine:3.20\nONBUILD ONBUILD EXPOSE 80\n", "Dockerfile", settings)
    assert calls


def _examples():
    """The Dockerfiles of every built-in rule's page."""
    return [m.group(1) for r in builtin_rules().values()
            for m in re.finditer(r"^```dockerfile[^\n]*\n(.*?)^```", r.doc, re.S | re.M)]


def _keywords(text):
    return engine._keywords(parse(text))


@pytest.mark.parametrize("source", ["examples", "corpus"])
def test_what_a_rule_declares_it_reads_holds(source):
    """Each rule with `reads`, run directly (not through the engine, which would skip it), finds nothing in a
    file without the instructions it names: on every rule page's examples and on the corpus."""
    if source == "corpus":
        if not CORPUS.is_dir():
            pytest.skip("../shared/corpus is not present (fresh clone)")
        files = [(str(p), p.read_text(encoding="utf-8")) for p in sorted(CORPUS.iterdir())]
    else:
        files = [("Dockerfile", text) for text in _examples()]
    declared = [r for r in builtin_rules().values() if r.reads]
    assert {r.code for r in declared} >= {"DF401", "DF404", "DF405", "DF409"}
    checked = 0
    for path, text in files:
        present = _keywords(text)
        rules = [r for r in declared if present.isdisjoint(r.reads)]
        if not rules:
            continue
        model = build_model(parse(text), path=path, context_dir=str(CORPUS) if source == "corpus" else None)
        for r in rules:
            assert list(r.check(model, r.options) or ()) == [], (r.code, path)
            checked += 1
    assert checked > (1000 if source == "corpus" else 50)


def test_the_settings_of_the_command_line_hold_indexed_rules():
    settings = default_settings(engine.indexed_rules())
    assert {r.code for r in settings.rules} <= {r.code for r in settings.known}

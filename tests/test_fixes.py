"""The fix loop (dfcheck.fixes): edits from spans, passes, verification, convergence, line ends, the diff; and
the command line's --fix, --diff and -v on top of it."""

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from dfcheck import engine, fixes
from dfcheck.cli import main
from dfcheck.config import default_settings
from dfcheck.fixes import apply_fixes, fix_text, unified_diff, verified_fixes
from dfcheck.rule import Edit, Finding, Fix, rule
from dfcheck.syntax.nodes import Span
from support import run
from strategies import dockerfile as generated_dockerfile


def finding(line, column, end_line, end_column, text, applicability="safe", code="DF999"):
    span = Span(line, column, end_line, end_column)
    f = Finding(span, "m", Fix(applicability, [Edit(span, text)]))
    f.code = code
    return f


@pytest.fixture(autouse=True)
def no_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)


# ---------------------------------------------------------------- applying edits


def test_edits_replace_insert_and_delete_lines():
    text = "FROM a\nADD x /y\nRUN b \\\n\n  c\n"
    fixed, applied = apply_fixes(text, [
        finding(2, 1, 2, 4, "COPY"),
        finding(4, 1, 5, 1, ""),  # delete the empty line
        finding(1, 7, 1, 7, " AS base"),  # insert at the end of a line
    ])
    assert fixed == "FROM a AS base\nCOPY x /y\nRUN b \\\n  c\n"
    assert len(applied) == 3


def test_overlapping_or_touching_edits_wait_and_unsafe_needs_opt_in():
    text = "WORKDIR app\n"
    first, second = finding(1, 9, 1, 12, "/app"), finding(1, 1, 1, 12, "WORKDIR /srv")
    fixed, applied = apply_fixes(text, [first, second])
    assert (fixed, applied) == ("WORKDIR /srv\n", [second])  # it starts first
    insert, replace = finding(1, 9, 1, 9, "/"), finding(1, 9, 1, 12, "srv")
    assert apply_fixes(text, [insert, replace]) == ("WORKDIR /app\n", [insert])  # touching: the later waits
    unsafe = finding(1, 9, 1, 12, "/x", "unsafe")
    assert apply_fixes(text, [unsafe]) == (text, [])
    assert apply_fixes(text, [unsafe], unsafe=True) == ("WORKDIR /x\n", [unsafe])


def test_crlf_and_bom_are_kept_and_inserted_lines_take_the_line_end_of_their_line():
    text = "\ufeffFROM a\r\nADD x /y\r\n"
    fixed, _ = apply_fixes(text, [finding(2, 1, 2, 4, "COPY"), finding(1, 7, 1, 9, "")])
    assert fixed == "\ufeffFROM a\r\nCOPY x /y\r\n"
    mixed = "FROM a\r\nRUN b\nRUN c\r\n"
    fixed, _ = apply_fixes(mixed, [finding(2, 1, 2, 1, "WORKDIR /x\n"), finding(3, 1, 3, 1, "USER u\n")])
    assert fixed == "FROM a\r\nWORKDIR /x\nRUN b\nUSER u\r\nRUN c\r\n"
    # at the end of a last line without a line end: the file's first line end
    fixed, _ = apply_fixes("FROM a\r\nCMD b", [finding(2, 6, 2, 6, "\nCMD c")])
    assert fixed == "FROM a\r\nCMD b\r\nCMD c"


# ---------------------------------------------------------------- the loop

DOCKERFILE = "FROM python:3.12-slim\nWORKDIR app\nENTRYPOINT python -m app\nCMD [\"--port\", \"8000\"]\n"


def builtin_settings(*codes):
    rules = [r for r in engine.load_rules() if not codes or r.code in codes]
    return default_settings(rules)


def test_two_rules_on_one_instruction_take_turns_and_give_one_valid_entrypoint():
    # DF304 (exec form) and DF305 (`exec ` in front) both fix line 3: one per pass, and the second pass
    # re-lints. The result is an exec-form ENTRYPOINT, never `ENTRYPOINT exec ["python", ...]`.
    outcome = fix_text(DOCKERFILE, "Dockerfile", builtin_settings("DF304", "DF305", "DF405"), unsafe=True)
    assert outcome.text == ("FROM python:3.12-slim\nWORKDIR /app\nENTRYPOINT [\"python\", \"-m\", \"app\"]\n"
                            "CMD [\"--port\", \"8000\"]\n")
    assert sorted(f.code for f in outcome.fixed) == ["DF304", "DF305", "DF405"]
    assert (outcome.notes, outcome.errors, outcome.result.findings) == ([], [], [])
    # DF305's fix alone, then DF304's on what it left: `exec python -m app` is `["python", "-m", "app"]`
    first = fix_text(DOCKERFILE, "Dockerfile", builtin_settings("DF305"), unsafe=True).text
    assert "ENTRYPOINT exec python -m app\n" in first
    second = fix_text(first, "Dockerfile", builtin_settings("DF304"), unsafe=True).text
    assert 'ENTRYPOINT ["python", "-m", "app"]\n' in second


def test_each_pass_takes_one_fix_per_instruction_and_no_edits_that_touch(monkeypatch):
    passes = []
    real = fixes._check

    def spy(before, chosen, path, settings):
        passes.append(sorted((c.finding.code, c.finding.span.line) for c in chosen))
        return real(before, chosen, path, settings)

    monkeypatch.setattr(fixes, "_check", spy)
    text = "FROM debian\nRUN apt-get install curl\nRUN apt-get install vim\nCMD a\nCMD b\nCMD c\n"
    outcome = fix_text(text, "Dockerfile", builtin_settings("DF501", "DF502", "DF301"), unsafe=True)
    assert outcome.text == ("FROM debian\nRUN apt-get install --no-install-recommends -y curl\n"
                            "RUN apt-get install --no-install-recommends -y vim\nCMD c\n")
    # DF501 and DF502 insert at the same point of lines 2 and 3: one of them per pass. The deletions of the
    # CMDs at lines 4 and 5 touch (one ends where the other starts): the second waits.
    assert passes == [
        [("DF301", 4), ("DF501", 2), ("DF501", 3)],
        [("DF301", 4), ("DF502", 2), ("DF502", 3)],
    ]


@rule("DF911", "breaks-the-syntax", "warning", fixable="safe")
def breaks_the_syntax(model, options):
    """Reports every LABEL, with a fix that misspells the keyword."""
    for node in model.dockerfile.instructions:
        if node.keyword == "LABEL":
            yield Finding(node.keyword_span, "a LABEL", Fix("safe", [Edit(node.keyword_span, "LABELL")]))


@rule("DF912", "adds-its-own", "warning", fixable="safe")
def adds_its_own(model, options):
    """Reports every USER, with a fix that adds another USER above it."""
    for node in model.dockerfile.instructions:
        if node.keyword == "USER":
            at = Span(node.span.line, 1, node.span.line, 1)
            yield Finding(node.keyword_span, "a USER", Fix("safe", [Edit(at, "USER nobody\n")]))


@rule("DF913", "never-done", "warning", fixable="safe")
def never_done(model, options):
    """Reports every EXPOSE, with a fix that adds a port, forever."""
    for node in model.dockerfile.instructions:
        if node.keyword == "EXPOSE":
            end = Span(node.span.end_line, node.span.end_column, node.span.end_line, node.span.end_column)
            yield Finding(node.keyword_span, "an EXPOSE", Fix("safe", [Edit(end, " 1")]))


@rule("DF914", "round-in-circles", "warning", fixable="safe")
def round_in_circles(model, options):
    """Reports every STOPSIGNAL, with a fix that swaps two signals."""
    for node in model.dockerfile.instructions:
        if node.keyword == "STOPSIGNAL" and node.args:
            other = "SIGINT" if node.args[0].value == "SIGTERM" else "SIGTERM"
            yield Finding(node.keyword_span, "a STOPSIGNAL", Fix("safe", [Edit(node.args[0].span, other)]))


def settings_with(*extra):
    return default_settings([r for r in engine.load_rules() if r.code in ("DF001", "DF405")] + list(extra))


def test_a_fix_that_breaks_the_syntax_or_adds_a_finding_of_its_rule_is_dropped_and_its_finding_stays():
    text = "FROM scratch\nLABEL a=b\nUSER me\nWORKDIR srv\n"
    outcome = fix_text(text, "Dockerfile", settings_with(breaks_the_syntax, adds_its_own))
    assert outcome.text == "FROM scratch\nLABEL a=b\nUSER me\nWORKDIR /srv\n"  # DF405's fix still applies
    assert [f.code for f in outcome.fixed] == ["DF405"]
    assert outcome.notes == [
        "2:1: DF911 fix not applied: the fixed text would not parse: unknown instruction: LABELL (did you mean "
        "LABEL?) (its line 2)",
        "3:1: DF912 fix not applied: it would add a DF912 finding: a USER (line 4 of the fixed text)",
    ]
    assert [(f.code, f.fix) for f in outcome.result.findings] == [("DF911", None), ("DF912", None)]
    assert outcome.errors == []


def inserts_before_run(code, text, changes=()):
    @rule(code, "inserts-before-run", "warning", fixable="unsafe")
    def check(model, options):
        """Reports every RUN not yet after `text`, with a fix that inserts `text` above it."""
        nodes = model.dockerfile.instructions
        for before, node in zip(nodes, nodes[1:]):
            if node.keyword == "RUN" and before.original != text.strip():
                at = Span(node.span.line, 1, node.span.line, 1)
                yield Finding(node.keyword_span, "a RUN", Fix("unsafe", [Edit(at, text)], changes=changes))
    return check


@pytest.mark.parametrize("inserted, why", [
    ("WORKDIR /x\n", "it changes the WORKDIR of line {} (/x instead of /)"),
    ("USER nobody\n", "it changes the USER of line {} (nobody instead of unset)"),
    ('SHELL ["/bin/bash", "-c"]\n', "it changes the SHELL of line {} (/bin/bash -c instead of /bin/sh -c)"),
    ("ENV A=2\n", "it changes the ENV A of line {}"),
    ("ARG B=1\n", "it changes the ARG B of line {}"),
])
def test_a_fix_that_changes_what_a_later_instruction_sees_is_dropped(inserted, why):
    # Each RUN's fix inserts a line above it: the RUN itself is left as it is (found by its text) and would see
    # what the line sets.
    text = "FROM scratch\nENV A=1\nRUN a\nRUN b\n"
    config = settings_with(inserts_before_run("DF915", inserted))
    outcome = fix_text(text, "Dockerfile", config, unsafe=True)
    assert outcome.text == text
    assert outcome.notes == [f"3:1: DF915 fix not applied: {why.format(3)}",
                             f"4:1: DF915 fix not applied: {why.format(4)}"]


def test_what_a_fix_declares_it_changes_may_change_where_the_text_does_not_name_it():
    text = "FROM scratch\nRUN a\nRUN b\nCOPY x y\n"
    outcome = fix_text(text, "Dockerfile", settings_with(inserts_before_run("DF915", "WORKDIR /x\n", ("WORKDIR",))),
                       unsafe=True)
    assert outcome.text == "FROM scratch\nWORKDIR /x\nRUN a\nWORKDIR /x\nRUN b\nCOPY x y\n"
    # an ARG declared on purpose is not checked in the environment of a RUN, but is where a text names it
    text = "FROM scratch\nRUN a\nRUN b\nLABEL v=$B\n"
    config = settings_with(inserts_before_run("DF915", "ARG B=1\n", ("ARG B",)))
    outcome = fix_text(text, "Dockerfile", config, unsafe=True)
    assert outcome.text == text
    assert outcome.notes[0] == "2:1: DF915 fix not applied: it changes the ARG B of line 4"


@rule("DF916", "moves-run-up", "warning", fixable="unsafe")
def moves_run_up(model, options):
    """Reports a RUN after an ENV, with a fix that moves the RUN above the ENV."""
    nodes = model.dockerfile.instructions
    for before, node in zip(nodes, nodes[1:]):
        if node.keyword == "RUN" and before.keyword == "ENV":
            edits = [Edit(Span(before.span.line, 1, before.span.line, 1), node.original + "\n"),
                     Edit(Span(node.span.line, 1, node.span.line + 1, 1), "")]
            yield Finding(node.keyword_span, "a RUN after an ENV", Fix("unsafe", edits))


def test_a_moved_instruction_is_found_by_its_text_and_must_see_what_it_saw():
    text = "FROM scratch\nENV A=1\nRUN echo\n"
    outcome = fix_text(text, "Dockerfile", settings_with(moves_run_up), unsafe=True)
    assert outcome.text == text
    assert outcome.notes == ["3:1: DF916 fix not applied: it changes the ENV A of line 3"]


@rule("DF917", "sets-workdir-at-the-end", "warning", fixable="unsafe")
def sets_workdir_at_the_end(model, options):
    """Reports a stage's last CMD, with a fix that adds a WORKDIR after it."""
    for node in model.dockerfile.instructions:
        if node.keyword == "CMD":
            at = Span(node.span.line + 1, 1, node.span.line + 1, 1)
            yield Finding(node.keyword_span, "a CMD", Fix("unsafe", [Edit(at, "WORKDIR /srv\n")]))


def test_a_fix_that_changes_what_the_image_keeps_is_dropped():
    text = "FROM scratch AS base\nCMD [\"a\"]\n"
    outcome = fix_text(text, "Dockerfile", settings_with(sets_workdir_at_the_end), unsafe=True)
    assert outcome.text == text
    assert outcome.notes == ["2:1: DF917 fix not applied: it changes the WORKDIR that the stage at line 1 leaves in "
                             "its image (/srv instead of /)"]


def test_df504_and_df101_together_keep_the_copy_in_the_workdir():
    # The two fixes of the report: DF504's WORKDIR must not move the COPY of the context into /app/web.
    text = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN cd /app/web && npm ci\nCMD [\"node\", \"x\"]\n"
    config = default_settings([r for r in engine.load_rules() if r.code in ("DF001", "DF101", "DF504")])
    outcome = fix_text(text, "Dockerfile", config, unsafe=True)
    assert outcome.text == (
        "FROM node:22\nWORKDIR /app\n"
        "COPY web/package.json web/package-lock.json* web/npm-shrinkwrap.json* web/.npmrc* ./web/\n"
        "WORKDIR /app/web\nRUN npm ci\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"x\"]\n")
    assert [f.code for f in outcome.fixed] == ["DF101", "DF504"] and outcome.notes == []


def test_fixes_that_do_not_converge_are_a_bug_named_and_left_out():
    text = "FROM scratch\nEXPOSE 80\nSTOPSIGNAL SIGTERM\nWORKDIR srv\n"
    outcome = fix_text(text, "Dockerfile", settings_with(never_done, round_in_circles))
    assert outcome.text == "FROM scratch\nEXPOSE 80\nSTOPSIGNAL SIGTERM\nWORKDIR /srv\n"
    assert [e.message for e in outcome.errors] == [
        "Dockerfile: internal error: the fixes of DF913 (never-done) do not converge "
        "(they keep changing the file), so none was applied; please report this bug",
        "Dockerfile: internal error: the fixes of DF914 (round-in-circles) do not converge "
        "(they keep changing the file), so none was applied; please report this bug",
    ]
    assert [(f.code, f.fix) for f in outcome.result.findings] == [("DF913", None), ("DF914", None)]


def test_fixes_that_bring_back_an_earlier_text_are_caught_at_once(monkeypatch):
    checks = []
    real = fixes._check
    monkeypatch.setattr(fixes, "_check", lambda *args: checks.append(1) or real(*args))
    text = "FROM scratch\nSTOPSIGNAL SIGTERM\n"
    outcome = fix_text(text, "Dockerfile", settings_with(round_in_circles))
    assert outcome.text == text and len(checks) == 2  # SIGINT, then SIGTERM again: the circle is closed
    assert [e.message.split(": ")[2] for e in outcome.errors] == [
        "the fixes of DF914 (round-in-circles) do not converge (they keep changing the file), so none was "
        "applied; please report this bug"]


def test_fix_text_does_not_change_the_findings_it_was_given():
    text = "FROM scratch\nLABEL a=b\n"
    settings = settings_with(breaks_the_syntax)
    result = engine.lint_text(text, "Dockerfile", settings)
    outcome = fix_text(text, "Dockerfile", settings, result=result)
    assert outcome.result.findings[0].fix is None and result.findings[0].fix is not None


def test_verified_fixes_offer_each_fix_as_the_loop_applies_it():
    text = "FROM scratch\r\nLABEL a=b\r\nRUN cd /app\r\nWORKDIR srv\r\n"
    settings = settings_with(breaks_the_syntax, *[r for r in engine.load_rules() if r.code == "DF504"])
    result = engine.lint_text(text, "Dockerfile", settings)
    fixes_by_code = {f.code: verified_fixes(text, "Dockerfile", settings, result)[id(f)] for f in result.findings}
    assert fixes_by_code["DF911"] is None
    assert fixes_by_code["DF405"].edits[0].text == "/srv"
    # DF504's replacement of the RUN by a WORKDIR, as is; a "\n" in a fix's text becomes this file's "\r\n"
    assert fixes_by_code["DF504"].edits[0].text == "WORKDIR /app"


# ---------------------------------------------------------------- the diff


def test_diff_headers_relative_inside_the_current_directory_and_absolute_without_double_slash(tmp_path,
                                                                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert unified_diff(str(tmp_path / "d" / "Dockerfile"), "a\n", "b\n").startswith(
        "--- a/d/Dockerfile\n+++ b/d/Dockerfile\n")
    outside = os.path.join(os.path.dirname(str(tmp_path)), "elsewhere", "Dockerfile")
    assert unified_diff(outside, "a\n", "b\n").startswith(f"--- a{outside}\n+++ b{outside}\n")
    assert unified_diff('we"ird\tname', "a\n", "b\n").startswith('--- "a/we\\"ird\\tname"\n')


def test_diff_marks_a_last_line_without_a_line_end_and_splits_at_newlines_only():
    assert unified_diff("Dockerfile", "FROM a\nCMD b", "FROM a\nCMD c") == (
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n FROM a\n-CMD b\n\\ No newline at end of file\n"
        "+CMD c\n\\ No newline at end of file\n")
    assert unified_diff("Dockerfile", "RUN a\x0cb\nCMD b\n", "RUN a\x0cb\nCMD c\n") == (
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n RUN a\x0cb\n-CMD b\n+CMD c\n")


_LINE = st.text(st.sampled_from("ab \t\r\x0c\x1c\u2028é\\"), max_size=6)


@pytest.mark.skipif(shutil.which("patch") is None, reason="no patch command")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(_LINE, max_size=6), after=st.lists(_LINE, max_size=6), ends=st.booleans(),
       ends_after=st.booleans(), name=st.sampled_from(["Dockerfile", "my dir/Dockerfile", 'we"ird/Dockerfile']))
def test_patch_applies_every_diff(tmp_path, before, after, ends, ends_after, name):
    old = "\n".join(before) + ("\n" if ends and before else "")
    new = "\n".join(after) + ("\n" if ends_after and after else "")
    work = Path(tempfile.mkdtemp(dir=tmp_path))  # one per example
    target = work / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(old.encode())
    previous = os.getcwd()
    os.chdir(work)
    try:
        diff = unified_diff(name, old, new)
    finally:
        os.chdir(previous)
    if old == new:
        assert diff == ""
        return
    subprocess.run(["patch", "-p1", "--quiet", "--force"], input=diff.encode(), cwd=work, check=True,
                   capture_output=True)
    assert target.read_bytes() == new.encode()


@pytest.mark.skipif(shutil.which("patch") is None, reason="no patch command")
def test_diff_is_what_fix_writes_and_patch_applies_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    files = {
        "app/Dockerfile": "FROM scratch\nWORKDIR srv\nADD a.txt /a\nCMD x\nCMD y",  # no final newline
        "crlf/Dockerfile": "FROM scratch\r\nWORKDIR srv\r\nRUN cd /app\r\n",
        "other/Dockerfile": "FROM scratch\nWORKDIR /ok\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir()
        (tmp_path / name).write_bytes(text.encode())
    shutil.copytree(tmp_path, tmp_path.parent / (tmp_path.name + "-copy"), symlinks=True)
    status, diff, err = run(capsys, "--diff", "--unsafe-fixes", "--no-config", "app", "crlf", "other")
    assert (status, err) == (1, "5 fixes available in 2 files.\n")
    assert diff.startswith("--- a/app/Dockerfile\n+++ b/app/Dockerfile\n")
    assert {name: (tmp_path / name).read_bytes().decode() for name in files} == files  # nothing written
    subprocess.run(["patch", "-p1", "--quiet"], input=diff.encode(), cwd=tmp_path, check=True)
    patched = {name: (tmp_path / name).read_bytes() for name in files}
    copy = tmp_path.parent / (tmp_path.name + "-copy")
    monkeypatch.chdir(copy)
    status, out, err = run(capsys, "--fix", "--unsafe-fixes", "--no-config", "app", "crlf", "other")
    assert err == "Fixed 5 findings in 2 files.\n"
    assert {name: (copy / name).read_bytes() for name in files} == patched
    assert patched["crlf/Dockerfile"] == b"FROM scratch\r\nWORKDIR /srv\r\nWORKDIR /app\r\n"
    assert patched["app/Dockerfile"] == b"FROM scratch\nWORKDIR /srv\nCOPY a.txt /a\nCMD y"


def test_diff_of_an_absolute_path_outside_the_current_directory_applies_from_the_root(tmp_path, monkeypatch,
                                                                                         capsys):
    work = tmp_path / "cwd"
    work.mkdir()
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM scratch\nWORKDIR srv\n")
    monkeypatch.chdir(work)
    status, diff, err = run(capsys, "--diff", "--no-config", str(dockerfile))
    name = str(dockerfile).lstrip("/")
    assert diff == (f"--- a/{name}\n+++ b/{name}\n@@ -1,2 +1,2 @@\n FROM scratch\n-WORKDIR srv\n+WORKDIR /srv\n")


# ---------------------------------------------------------------- the command line


def test_cli_fix_writes_the_file_and_reports_what_is_left(tmp_path, capsys):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM scratch\nMAINTAINER me\nWORKDIR srv\n")
    assert main(["--fix", "--no-config", str(dockerfile)]) == 1
    assert dockerfile.read_text() == "FROM scratch\nMAINTAINER me\nWORKDIR /srv\n"
    out, err = capsys.readouterr()
    assert out == (
        f"{dockerfile}:2:1: DF404 [info] MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors\n"
        "  |\n2 | MAINTAINER me\n  | ^^^^^^^^^^\n\n"
        "Found 1 finding (1 info) in 1 of 1 file.\n1 fixable with `--fix --unsafe-fixes`.\n")
    assert err == "Fixed 1 finding in 1 file.\n"
    assert main(["--fix", "--unsafe-fixes", "--no-config", str(dockerfile)]) == 0
    assert dockerfile.read_text() == 'FROM scratch\nLABEL org.opencontainers.image.authors="me"\nWORKDIR /srv\n'


def test_text_output_marks_what_fix_would_fix(tmp_path, capsys):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM scratch\nMAINTAINER me\nWORKDIR srv\n")
    status, out, err = run(capsys, "--no-config", str(dockerfile))
    assert f"{dockerfile}:2:1: DF404 [info] MAINTAINER" in out and f"{dockerfile}:3:9: DF405 [*] [warning]" in out
    assert out.endswith("Found 2 findings (1 warning, 1 info) in 1 of 1 file.\n"
                        "[*] 1 fixable with `--fix` (1 more with `--unsafe-fixes`).\n")
    status, out, err = run(capsys, "--no-config", "--unsafe-fixes", str(dockerfile))
    assert f"{dockerfile}:2:1: DF404 [*] [info] MAINTAINER" in out
    assert out.endswith("[*] 2 fixable with `--fix --unsafe-fixes`.\n")


def test_cli_fix_on_stdin_prints_the_fixed_text(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"FROM scratch\r\nWORKDIR srv\r\n")))
    assert main(["--fix", "--no-config", "-", "--stdin-filename", "Dockerfile"]) == 0
    out, err = capsys.readouterr()
    assert out == "FROM scratch\r\nWORKDIR /srv\r\n"
    assert err.endswith("Fixed 1 finding in 1 file.\n")


def test_verbose_says_which_fixes_were_not_applied(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(engine, "_loaded", sorted([breaks_the_syntax] + [
        r for r in engine.load_rules() if r.code == "DF405"], key=lambda r: r.code))
    (tmp_path / "Dockerfile").write_text("FROM scratch\nLABEL a=b\nWORKDIR srv\n")
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "--fix", "-v", "--no-config", "Dockerfile")
    assert status == 1
    assert "Dockerfile:2:1: DF911 [warning] a LABEL\n" in out  # no [*]: --fix cannot fix it
    assert err == ("Dockerfile:2:1: DF911 fix not applied: the fixed text would not parse: unknown instruction: "
                   "LABELL (did you mean LABEL?) (its line 2)\nFixed 1 finding in 1 file.\n")


def test_every_output_that_shows_fixes_shows_only_those_fix_would_apply(tmp_path, capsys, monkeypatch):
    # DF911's fix breaks the syntax: --fix drops it, so nothing may offer it; DF405's applies
    monkeypatch.setattr(engine, "_loaded", sorted([breaks_the_syntax] + [
        r for r in engine.load_rules() if r.code == "DF405"], key=lambda r: r.code))
    (tmp_path / "Dockerfile").write_text("FROM scratch\nLABEL a=b\nWORKDIR srv\n")
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "--no-config", "Dockerfile")
    assert "Dockerfile:2:1: DF911 [warning] a LABEL\n" in out
    assert "Dockerfile:3:9: DF405 [*] [warning] WORKDIR" in out and out.endswith("[*] 1 fixable with `--fix`.\n")
    status, out, _ = run(capsys, "--no-config", "--format", "concise", "Dockerfile")
    assert out.splitlines()[:2] == ["Dockerfile:2:1: DF911 [warning] a LABEL",
                                    'Dockerfile:3:9: DF405 [*] [warning] WORKDIR "srv" is relative; use an absolute path']
    status, out, _ = run(capsys, "--no-config", "--statistics", "Dockerfile")
    assert out == "1  DF405  [*] relative-workdir\n1  DF911      breaks-the-syntax\n"
    status, out, _ = run(capsys, "--no-config", "--statistics", "--format", "json", "Dockerfile")
    assert [(r["code"], r["fixable"]) for r in json.loads(out)] == [("DF405", True), ("DF911", False)]
    status, out, _ = run(capsys, "--no-config", "--format", "json", "Dockerfile")
    assert [(f["code"], f["fix"] is not None) for f in json.loads(out)["findings"]] == [
        ("DF911", False), ("DF405", True)]
    # the Python API: the same
    import dfcheck

    for found in (dfcheck.lint("Dockerfile"), dfcheck.lint_text("FROM scratch\nLABEL a=b\nWORKDIR srv\n")):
        assert [(f.code, f.fix and f.fix.edits[0].text) for f in found] == [("DF911", None), ("DF405", "/srv")]


def test_a_fix_that_does_not_converge_ends_with_status_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(engine, "_loaded", [never_done])
    (tmp_path / "Dockerfile").write_text("FROM scratch\nEXPOSE 80\n")
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "--fix", "--no-config", "Dockerfile")
    assert status == 2 and (tmp_path / "Dockerfile").read_text() == "FROM scratch\nEXPOSE 80\n"
    assert err == ("Fixed 0 findings in 0 files.\nDockerfile: internal error: the fixes of DF913 (never-done) do not "
                   "converge (they keep changing the file), so none was applied; please report this bug\n")


# ---------------------------------------------------------------- generated Dockerfiles


def _fixable_settings():
    return default_settings([r for r in engine.load_rules() if r.fixable or r.code == "DF001"])


@pytest.mark.skipif(shutil.which("patch") is None, reason="no patch command")
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(text=generated_dockerfile())
def test_the_loop_on_generated_dockerfiles(tmp_path, text):
    # It converges, the result needs nothing more, CRLF gives the same with its line ends, and patch applies
    # the diff.
    config = _fixable_settings()
    outcome = fix_text(text, "Dockerfile", config, unsafe=True)
    assert outcome.errors == []
    assert fix_text(outcome.text, "Dockerfile", config, unsafe=True).fixed == []
    if "\r" not in text:
        crlf = fix_text(text.replace("\n", "\r\n"), "Dockerfile", config, unsafe=True).text
        assert crlf == outcome.text.replace("\n", "\r\n")
    if outcome.text != text:
        work = Path(tempfile.mkdtemp(dir=tmp_path))
        (work / "Dockerfile").write_bytes(text.encode())
        diff = unified_diff("Dockerfile", text, outcome.text)
        subprocess.run(["patch", "-p1", "--quiet", "--force"], input=diff.encode(), cwd=work, check=True,
                       capture_output=True)
        assert (work / "Dockerfile").read_bytes() == outcome.text.encode()

"""The rules for BuildKit's checks (DF007-DF013, DF406-DF410, DF416), for what breaks a build (DF411-DF415),"""

from dfcheck.config import default_settings

from dfcheck.engine import load_rules, lint_text

from support import findings, tree


def lint(text, build_args=None, context_dir=None):
    settings = default_settings(load_rules())
    settings.build_args = build_args or {}
    settings.context_dir = context_dir
    return [(f.code, f.span.line, f.severity) for f in lint_text(text, "Dockerfile", settings).findings]


CASING = "FROM scratch as base\ncopy a .\n"


def test_check_skip_directive_and_the_build_argument_that_replaces_it():
    assert lint("#check=skip=all\n" + CASING) == []
    assert lint("#check=skip=ConsistentInstructionCasing\n" + CASING) == [("DF008", 2, "warning")]
    # the build argument replaces the directive, as in BuildKit
    assert lint("#check=skip=all\n" + CASING,
                build_args={"BUILDKIT_DOCKERFILE_CHECK": "skip=ConsistentInstructionCasing;error=true"}) == [
        ("DF008", 2, "error")]
    assert lint("#check=error=true\n" + CASING, build_args={"BUILDKIT_DOCKERFILE_CHECK": "skip=all"}) == []


def test_check_error_true_makes_mapped_findings_errors_only():
    assert lint("#check=error=true\nFROM scratch as base\nCOPY a b /d\n") == [
        ("DF008", 2, "error"), ("DF412", 3, "error")]
    assert lint("#check=error=false\nFROM scratch as base\n") == [("DF008", 2, "warning")]


def test_check_skip_above_an_instruction_silences_only_that_instruction():
    src = "FROM scratch\n# check=skip=LegacyKeyValueFormat\nENV A 1\nENV B 2\n"
    assert lint(src) == [("DF406", 4, "warning")]


def test_experimental_directive_turns_on_the_rule_even_under_skip_all(tmp_path):
    root = tree(tmp_path, {".dockerignore": "Dockerfile\n", "Dockerfile": ""})
    body = "FROM scratch\nCOPY Dockerfile .\n"
    assert lint(body, context_dir=root) == []
    assert lint("# check=experimental=CopyIgnoredFile\n" + body, context_dir=root) == [("DF416", 3, "warning")]
    assert lint("# check=skip=all;experimental=CopyIgnoredFile\n" + body, context_dir=root) == [
        ("DF416", 3, "warning")]
    assert findings("DF416", body, context_dir=root) == [
        ("DF416", 2, 6, 'attempting to Copy file "Dockerfile" that is excluded by .dockerignore')]


def test_buildkit_names_and_hadolint_codes_silence_the_new_rules():
    src = "FROM alpine:3.20\n# hadolint ignore=DL3021\nCOPY a b /d\n# hadolint ignore=DL3011\nEXPOSE 70000\nUSER app\n"
    assert lint(src) == []
    assert lint("# check=skip=FromAsCasing,LegacyKeyValueFormat\nFROM alpine:3.20 as a\nENV A 1\nUSER app\n") == []


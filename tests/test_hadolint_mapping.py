"""hadolint's behaviour that needs no command knowledge: instructions inside ONBUILD are linted by the rules
that apply to them (reported at the trigger, saying it runs in the child build), and the hadolint codes
dfcheck's rules answer to."""

from dfcheck.config import default_settings
from dfcheck.engine import lint_text, load_rules
from support import builtin_rules, model_of


def lint(text):
    settings = default_settings(load_rules())
    result = lint_text(text, "Dockerfile", settings)
    assert result.errors == []
    return [(f.code, f.span.line, f.span.column, f.message) for f in result.findings]


ONBUILD = ("FROM python:3.12 AS base\nWORKDIR /app\nONBUILD ADD requirements.txt /app/\n"
           "ONBUILD COPY . .\nONBUILD ENV A b\n")


def test_onbuild_triggers_are_linted_at_the_trigger_with_a_note():
    found = lint(ONBUILD)
    assert ("DF401", 3, 9, "ADD of local sources that are not tar archives does what COPY does; use COPY "
                           "(ONBUILD: this runs in the build of an image FROM this one)") in found
    assert ("DF406", 5, 13, '"ENV key=value" should be used instead of legacy "ENV key value" format '
                            "(ONBUILD: this runs in the build of an image FROM this one)") in found
    # the trigger model starts from the stage's WORKDIR: `COPY . .` is not relative to an unknown directory
    assert not [f for f in found if f[0] == "DF417"]
    # nothing is reported on the stand-in FROM the trigger model starts with
    assert all(f[1] != 3 or f[2] != 1 for f in found)


def test_trigger_fixes_edit_the_trigger_and_suppressions_above_onbuild_apply():
    from dfcheck.fixes import apply_fixes

    settings = default_settings(load_rules())
    result = lint_text("FROM alpine:3.20\nONBUILD ENV A b\n", "Dockerfile", settings)
    fixed, _ = apply_fixes("FROM alpine:3.20\nONBUILD ENV A b\n", result.findings)
    assert fixed == "FROM alpine:3.20\nONBUILD ENV A=b\n"
    assert lint("FROM alpine:3.20\n# hadolint ignore=DL3020\nONBUILD ADD a.txt /a\nUSER app\n") == []


def test_the_trigger_models():
    # a stage that no stage of the file builds on: the build of an image FROM it, its lineage then its triggers
    model = model_of(ONBUILD)
    [child] = model.onbuild
    assert child.onbuild_of is model
    assert [(n.keyword, n.span.line) for n in child.instructions] == [
        ("FROM", 3), ("WORKDIR", 2), ("ADD", 3), ("COPY", 4), ("ENV", 5)]
    assert child.stages[0].base == "python:3.12"
    assert child.workdir(child.instructions[3]) == "/app"
    assert [n for _, n in child.trigger_notes] == [" (ONBUILD: this runs in the build of an image FROM this one)"] * 3
    assert model_of("FROM alpine\nRUN true\n").onbuild == []
    # BuildKit runs a stage's triggers at the start of each stage built FROM it: this build, replayed
    model = model_of(ONBUILD + "FROM base AS app\nRUN true\n")
    [replay] = model.onbuild
    assert [(n.keyword, n.span.line) for n in replay.instructions] == [
        ("FROM", 1), ("WORKDIR", 2), ("ONBUILD", 3), ("ONBUILD", 4), ("ONBUILD", 5), ("FROM", 6), ("ADD", 3),
        ("COPY", 4), ("ENV", 5), ("RUN", 7)]
    app = replay.stages[1]
    assert [n.keyword for n in app.instructions] == ["ADD", "COPY", "ENV", "RUN"]
    assert replay.workdir(app.instructions[1]) == "/app" and replay.target is app
    assert {n for _, n in replay.trigger_notes} == {
        ' (ONBUILD: this runs at the start of stage "app", built FROM this stage)'}


def test_triggers_run_in_a_child_stage_are_linted_there():
    # hadolint's DL3009 and DL3060 specs: the lists the trigger leaves ship in the final stage
    src = ("FROM ubuntu:24.04 AS foo\nONBUILD RUN apt-get update && apt-get install -y --no-install-recommends "
           "python3\nFROM foo\nONBUILD RUN echo hey\n")
    assert [f for f in lint(src) if f[0] == "DF203"] == [(
        "DF203", 2, 13, "`apt-get update` leaves the apt lists (/var/lib/apt/lists) in this layer; remove them in the "
                        "same RUN with `rm -rf /var/lib/apt/lists/*`, or mount it with "
                        "`RUN --mount=type=cache,target=/var/lib/apt/lists` (ONBUILD: this runs at the start of "
                        "stage 1, built FROM this stage)")]
    # run only in a builder stage whose files the image copies: nothing of it ships
    builder = src.replace("FROM foo\nONBUILD RUN echo hey\n", "FROM foo AS build\nRUN make\n"
                          "FROM scratch\nCOPY --from=build /out /out\n")
    assert [f for f in lint(builder) if f[0] == "DF203"] == []
    # a stage no stage builds on: each image FROM it is an image of its own, which ships what the trigger leaves
    alone = src.replace("FROM foo\n", "FROM scratch\n")
    assert [f[3][-59:] for f in lint(alone) if f[0] == "DF203"] == [
        "(ONBUILD: this runs in the build of an image FROM this one)"]


def test_the_child_build_starts_from_what_the_stage_does():
    # the stage's ENV turns pip's cache off for the triggers too
    src = ("FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nONBUILD COPY requirements.txt /app/\n"
           "ONBUILD RUN pip install -r /app/requirements.txt\n")
    assert [f for f in lint(src) if f[0] == "DF203"] == []


def test_hadolint_codes_of_existing_rules():
    rules = builtin_rules()
    mapped = {code: r.code for r in rules.values() for code in r.hadolint}
    assert {c: mapped[c] for c in ("DL3043", "DL3044", "DL3061", "DL3064", "DL3065", "DL3063", "DL3029",
                                   "DL4007", "DL3011", "DL3021", "DL3022", "DL3023", "DL3045", "DL3035")} == {
        "DL3043": "DF001", "DL3044": "DF004", "DL3061": "DF001", "DL3064": "DF601", "DL3065": "DF408",
        "DL3063": "DF010", "DL3029": "DF407", "DL4007": "DF104", "DL3011": "DF411", "DL3021": "DF412",
        "DL3022": "DF414", "DL3023": "DF413", "DL3045": "DF417", "DL3035": "DF515"}


def test_hadolint_codes_of_the_rules_added_for_them():
    rules = builtin_rules()
    mapped = {code: r.code for r in rules.values() for code in r.hadolint}
    assert {c: mapped[c] for c in ("DL3030", "DL3034", "DL3038", "DL3046", "DL4005")} == {
        "DL3030": "DF516", "DL3034": "DF516", "DL3038": "DF516", "DL3046": "DF204", "DL4005": "DF517"}


def test_dl3044_silences_the_same_env_reference():
    src = "FROM alpine:3.20\nENV A=1 B=${A}\nUSER app\n"
    assert [f[0] for f in lint(src)] == ["DF004"]
    assert lint("FROM alpine:3.20\n# hadolint ignore=DL3044\nENV A=1 B=${A}\nUSER app\n") == []


def test_parent_stage_args_are_defined_in_the_child():
    src = "FROM alpine:3.20 AS base\nARG foo=Dockerfile\nFROM base\nCOPY $foo /x\n"
    assert [f for f in lint(src) if f[0] == "DF004"] == []


def test_dl3063_is_the_reserved_stage_name_of_hadolint_2_15():
    # hadolint 2.15.1: "DL3063 stage name should not be a reserved word" (each image ends with a USER: DF609
    # would report an alpine image that never sets one, and DL3063 does not silence DF609)
    assert lint("FROM alpine:3.20 AS scratch\nRUN true\nUSER app\n") == [
        ("DF010", 1, 21, 'stage name should not use the same name as reserved stage "scratch"')]
    assert lint("FROM alpine:3.20 AS scratch\n# hadolint ignore=DL3063\nRUN true\nUSER app\n") == [
        ("DF010", 1, 21, 'stage name should not use the same name as reserved stage "scratch"')]
    assert lint("# hadolint ignore=DL3063\nFROM alpine:3.20 AS scratch\nRUN true\nUSER app\n") == []

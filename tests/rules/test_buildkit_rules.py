"""The rules for BuildKit's checks (DF007-DF013, DF406-DF410, DF416), for what breaks a build (DF411-DF415),
DL3045 and DL3035 (DF417, DF515), and BuildKit's check directive: `# check=skip=` above an instruction,
`error=true`, `experimental=`, the BUILDKIT_DOCKERFILE_CHECK build argument."""

from dfcheck.config import default_settings
from dfcheck.engine import load_rules, lint_text
from support import findings, raw_findings, tree


def lint(text, build_args=None, context_dir=None):
    settings = default_settings(load_rules())
    settings.build_args = build_args or {}
    settings.context_dir = context_dir
    return [(f.code, f.span.line, f.severity) for f in lint_text(text, "Dockerfile", settings).findings]


# -- DF007-DF013 ---------------------------------------------------------------------------------------

def test_df007_stage_name_casing():
    assert findings("DF007", "FROM scratch AS BadStageName\nFROM scratch AS good\n") == [
        ("DF007", 1, 17, "stage name 'BadStageName' should be lowercase")]
    assert findings("DF007", "FROM scratch AS base\nFROM base\n") == []


def test_df008_from_as_casing_follows_the_from_keyword_and_fixes_it():
    [f] = raw_findings("DF008", "FROM scratch as base2\n")
    assert (f.span.line, f.span.column, f.message) == (1, 14, "'as' and 'FROM' keywords' casing do not match")
    assert [(e.span.column, e.text) for e in f.fix.edits] == [(14, "AS")]
    assert findings("DF008", "from scratch AS base\n") == [
        ("DF008", 1, 14, "'AS' and 'from' keywords' casing do not match")]
    assert findings("DF008", "From scratch as base\nFROM scratch AS b\nfrom scratch as c\n") == []


def test_df009_instruction_casing_majority_upper_on_a_tie():
    assert findings("DF009", "FROM scratch\ncopy a /a\nCOPY b /b\n") == [
        ("DF009", 2, 1, "command 'copy' should match the case of the command majority (uppercase)")]
    assert findings("DF009", "from scratch\nCOPY a /a\ncopy b /b\n") == [
        ("DF009", 2, 1, "command 'COPY' should match the case of the command majority (lowercase)")]
    # a mixed-case keyword counts for neither side and is always reported
    [f] = raw_findings("DF009", "frOM scratch\nfrom scratch\n")
    assert (f.span.line, f.fix.edits[0].text) == (1, "from")
    assert findings("DF009", "FROM alpine\nRUN <<'EOT'\nenv\nEOT\n") == []


def test_df010_reserved_stage_names():
    assert findings("DF010", "FROM scratch AS scratch\nFROM scratch AS Context\nFROM scratch AS a\n") == [
        ("DF010", 1, 17, 'stage name should not use the same name as reserved stage "scratch"'),
        ("DF010", 2, 17, 'stage name should not use the same name as reserved stage "context"')]
    assert findings("DF010", "FROM scratch\n") == []


def test_df011_default_arg_gives_an_invalid_image():
    assert findings("DF011", "ARG VERSION\nFROM busybox:$VERSION\n") == [
        ("DF011", 2, 6, 'default value for ARG busybox:$VERSION results in empty or invalid base image name '
                        '("busybox:" without --build-arg)')]
    assert findings("DF011", "ARG IMAGE\nFROM $IMAGE\n", build_args={"IMAGE": "busybox"}) == [
        ("DF011", 2, 6, "default value for ARG $IMAGE results in empty or invalid base image name "
                        "(an empty name without --build-arg)")]
    assert findings("DF011", 'ARG V=""\nFROM busybox:stable${V}\n') == []
    assert findings("DF011", "ARG V=1.36\nFROM busybox:$V\nFROM --platform=$BUILDPLATFORM golang:${V}\n") == []
    assert findings("DF011", "FROM golang:1.22-$TARGETARCH\n") == []


def test_df012_definition_description_is_off_by_default():
    rule = load_rules()
    assert not next(r for r in rule if r.code == "DF012").enabled
    src = "# bar this is the bar\nARG foo=bar\n# base the base\nFROM scratch AS base\n#\nARG x=1\n# a b\n\nARG y=2\n"
    assert findings("DF012", src) == [
        ("DF012", 2, 1, "comment for ARG should follow the format: `# foo <description>`")]
    assert findings("DF012", "FROM scratch\n# some words\nARG a=1 b=2\n") == [
        ("DF012", 3, 1, "comment for ARG should follow the format: `# <arg_key> <description>`")]


def test_df013_exec_form_that_is_not_json():
    src = 'FROM alpine\nCMD ["C:\\app.exe", "run"]\nHEALTHCHECK CMD [\'curl\', \'-f\']\nONBUILD RUN [\'x\']\n'
    assert [(c, line, col) for c, line, col, _ in findings("DF013", src)] == [
        ("DF013", 2, 5), ("DF013", 3, 17), ("DF013", 4, 13)]
    assert findings("DF013", "FROM alpine\nCMD ['nginx']\n") == [(
        "DF013", 2, 5, "CMD arguments start with `[` but are not a valid JSON array (JSON strings take double "
                       "quotes): BuildKit runs them as a shell command, `/bin/sh -c '['nginx']'`")]
    # the shell's test command is no exec form
    assert findings("DF013", 'FROM alpine\nRUN [ -f /x ] && y\nRUN [ "$A" = b ]\nCMD ["ok"]\n') == []


# -- DF406-DF410 ---------------------------------------------------------------------------------------

def test_df406_legacy_key_value_with_safe_fix():
    [env, label] = raw_findings("DF406", "FROM scratch\nENV testkey value\nLABEL key two words\n")
    assert (env.span.line, env.span.column, env.message) == (
        2, 5, '"ENV key=value" should be used instead of legacy "ENV key value" format')
    assert [(e.span.column, e.span.end_column, e.text) for e in env.fix.edits] == [(12, 13, "=")]
    assert label.message == '"LABEL key=value" should be used instead of legacy "LABEL key value" format'
    assert [(e.span.column, e.span.end_column, e.text) for e in label.fix.edits] == [(10, 11, '="'), (20, 20, '"')]
    # quotes inside a value with blanks: no fix, quoting would change them
    [quoted] = raw_findings("DF406", "FROM scratch\nENV A \"x y\" z\n")
    assert quoted.fix is None
    assert findings("DF406", "FROM scratch\nENV a=1 b=2\nLABEL k=v\nARG x\n") == []


def test_df406_fix_gives_the_same_values():
    from dfcheck.fixes import apply_fixes
    from support import model_of

    src = "FROM scratch\nENV A hello world\nENV B $A-x\nLABEL l some label\n"
    fixed, applied = apply_fixes(src, raw_findings("DF406", src))
    assert len(applied) == 3
    assert fixed == 'FROM scratch\nENV A="hello world"\nENV B=$A-x\nLABEL l="some label"\n'
    before, after = model_of(src), model_of(fixed)
    assert before.stages[0].env["A"].value == after.stages[0].env["A"].value == "hello world"
    assert before.stages[0].env["B"].value == after.stages[0].env["B"].value == "hello world-x"
    assert raw_findings("DF406", fixed) == []


def test_df407_constant_platform():
    assert findings("DF407", "FROM --platform=linux/amd64 scratch\n") == [
        ("DF407", 1, 6, 'FROM --platform flag should not use constant value "linux/amd64"')]
    assert findings("DF407", "FROM --platform=linux/amd64 scratch AS my_amd64_stage\n"
                             "FROM --platform=linux/arm64 scratch AS linux\nFROM --platform=$BUILDPLATFORM x\n") == []


def test_df408_redundant_target_platform_with_fix():
    [f] = raw_findings("DF408", "FROM --platform=${TARGETPLATFORM} scratch\n")
    assert (f.span.line, f.span.column, f.message) == (
        1, 6, "setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the default behavior")
    [edit] = f.fix.edits
    assert (edit.span.column, edit.span.end_column, edit.text) == (6, 35, "")
    assert findings("DF408", "FROM --platform=$BUILDPLATFORM a\nFROM --platform=linux/$TARGETARCH b\n") == []


def test_df409_df410_df411_expose():
    src = "FROM alpine\nARG P=9000\nEXPOSE 70000 8080:80 80/TcP 8000-7000 80/http $P abc:80 $UNSET\n"
    assert findings("DF409", src) == [
        ("DF409", 3, 22, "defined protocol '80/TcP' in EXPOSE instruction should be lowercase")]
    assert findings("DF410", src) == [
        ("DF410", 3, 14, "EXPOSE instruction should not define an IP address or host-port mapping, found '8080:80'")]
    assert findings("DF411", src) == [
        ("DF411", 3, 8, "EXPOSE 70000: invalid containerPort: 70000: the build fails"),
        ("DF411", 3, 29, "EXPOSE 8000-7000: invalid containerPort: 8000-7000: the build fails"),
        ("DF411", 3, 39, "EXPOSE 80/http: invalid proto: http: the build fails"),
        ("DF411", 3, 50, "EXPOSE abc:80: invalid hostPort: abc: the build fails")]
    [fix] = [f.fix for f in raw_findings("DF410", "FROM a\nEXPOSE 127.0.0.1:80:80/udp\n")]
    assert fix.edits[0].text == "80/udp"
    assert findings("DF409", "FROM a\nEXPOSE 80/tcp 53/udp 0 65535 1-2/sctp\n") == []
    assert findings("DF411", "FROM a\nEXPOSE 80/tcp 53/udp 0 65535 1-2/sctp\n") == []


# -- DF412-DF415: what breaks the build -------------------------------------------------------------------

def test_df412_several_sources_to_a_file():
    [f] = raw_findings("DF412", "FROM alpine\nCOPY a.txt b.txt /dest\n")
    assert (f.span.line, f.span.column, f.severity or "error") == (2, 18, "error")
    assert f.message.startswith("COPY copies 2 sources to /dest, which does not end with /: the classic builder "
                                "fails (\"When using COPY with more than one source file, the destination must be")
    assert (f.fix.applicability, f.fix.edits[0].text) == ("unsafe", "/")
    assert findings("DF412", "FROM a\nCOPY a b /d/\nCOPY a b .\nCOPY *.jar app.jar\nCOPY a b C:\\\\x\\\\\n") == []


def test_df412_wildcard_with_several_matches_in_the_context(tmp_path):
    root = tree(tmp_path, {"target/a.jar": "a", "target/b.jar": "b", "one/x.jar": "x"})
    src = "FROM alpine\nCOPY target/*.jar app.jar\nCOPY one/*.jar app.jar\n"
    assert [(line, message.split(",")[0]) for _, line, _, message in findings("DF412", src, context_dir=root)] == [
        (2, "COPY copies the wildcard target/*.jar")]


def test_df413_copy_from_itself_or_a_stage_that_needs_it():
    src = ("FROM alpine AS base\nCOPY --from=base /x /x\n"
           "FROM alpine AS a\nCOPY --from=b /y /y\nFROM a AS b\n")
    assert findings("DF413", src) == [
        ("DF413", 2, 6, '--from=base names the stage "base" it is in: BuildKit fails with '
                        '"circular dependency detected on stage: base"'),
        ("DF413", 4, 6, '--from=b names stage "b", which needs this stage (stage "b" -> stage "a"): BuildKit fails '
                        'with "circular dependency detected on stage"')]
    assert findings("DF413", "FROM alpine AS a\nFROM alpine\nCOPY --from=a /x /x\nCOPY --from=0 /y /y\n") == []


def test_df414_unknown_or_later_stage():
    src = ("FROM alpine AS build\nCOPY --from=buld /x /x\nCOPY --from=later /x /x\nCOPY --from=7 /x /x\n"
           "COPY --from=Bad_Name /x /x\nCOPY --from=busybox:1.36 /x /x\nRUN --mount=from=nostage,target=/m true\n"
           "FROM alpine AS later\n")
    got = [(line, f.severity, f.message) for line, f in ((f.span.line, f) for f in raw_findings("DF414", src))]
    assert got == [
        (2, "", "no stage is named buld (did you mean build?): BuildKit pulls the image docker.io/library/buld:latest"),
        (3, "", '--from=later names stage "later", defined later (line 8): BuildKit builds it first, but the '
                "classic builder reads the name as an image"),
        (4, "error", "--from=7: there is no stage 7 (the file has 2): the build fails"),
        (5, "error", "--from=Bad_Name names no stage and is not a valid image reference (repository name must be "
                     "lowercase): the build fails"),
        (7, "", "no stage is named nostage: BuildKit pulls the image docker.io/library/nostage:latest")]
    assert findings("DF414", "FROM alpine AS a\nFROM alpine\nCOPY --from=a /x /x\nCOPY --from=A /x /x\n"
                             "ARG IMG\nCOPY --from=$IMG /x /x\n") == []


def test_df415_and_df305_no_shell_in_scratch():
    src = "FROM scratch\nCOPY app /app\nRUN /app --init\nRUN [\"/app\"]\nCMD /app --serve\n"
    assert findings("DF415", src) == [
        ("DF415", 3, 1, 'shell-form RUN runs /bin/sh -c, but this stage is built FROM scratch and nothing puts a '
                        'shell at /bin/sh: the build fails ("/bin/sh": no such file or directory)')]
    [cmd] = raw_findings("DF305", src)
    assert (cmd.span.line, cmd.severity, cmd.message) == (
        5, "error", "shell-form CMD runs /bin/sh -c, but this stage is built FROM scratch and nothing puts a shell "
                    "at /bin/sh: the container fails to start; use the exec form")
    shell_copied = "FROM scratch\nCOPY --from=busybox:1.36 /bin/busybox /bin/sh\nRUN echo ok\n"
    assert findings("DF415", shell_copied) == []
    assert findings("DF415", "FROM scratch\nADD rootfs.tar.gz /\nRUN echo ok\n") == []
    assert findings("DF415", "FROM scratch\nRUN --mount=from=busybox:1.36,target=/bin echo ok\n") == []
    assert findings("DF415", "FROM alpine\nRUN echo ok\n") == []


# -- DF417, DF515 ------------------------------------------------------------------------------------------

def test_df417_relative_destination_without_workdir():
    src = "FROM python:3.12\nCOPY a .\nWORKDIR /app\nCOPY b .\nFROM scratch\nCOPY c d\n"
    assert findings("DF417", src) == [
        ("DF417", 2, 8, "COPY to the relative destination . without a WORKDIR: where it lands depends on the base "
                        "image's working directory")]
    assert findings("DF417", "FROM a AS p\nWORKDIR /w\nFROM p\nCOPY x y\n") == []


def test_df515_zypper_dist_upgrade():
    got = findings("DF515", "FROM opensuse\nRUN zypper -n dup && zypper --root /x dist-upgrade\nRUN zypper in dup\n")
    assert got == [
        ("DF515", 2, 15, "zypper dup upgrades the whole distribution during the build: the image no longer matches "
                         "its base and differs from build to build"),
        ("DF515", 2, 39, "zypper dist-upgrade upgrades the whole distribution during the build: the image no longer "
                         "matches its base and differs from build to build")]
    assert findings("DF515", "FROM opensuse\nRUN zypper -n up && zypper -n in dup && echo zypper dup\n") == []


# -- BuildKit's check settings ---------------------------------------------------------------------------

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

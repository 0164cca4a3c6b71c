"""The first rules: undefined-variable, duplicate-stage-name, empty-continuation-line,
maintainer-deprecated, relative-workdir."""

from support import findings, raw_findings


def test_df004_global_arg_used_in_stage_without_redeclaring():
    src = "ARG VERSION=1.2\nFROM alpine\nCOPY tool-$VERSION.tgz /opt/\n"
    assert findings("DF004", src) == [(
        "DF004", 3, 11,
        "$VERSION is not defined here: the global ARG VERSION is not visible in a stage until the stage "
        "declares it again with `ARG VERSION`",
    )]
    assert findings("DF004", "ARG VERSION=1.2\nFROM alpine\nARG VERSION\nCOPY tool-$VERSION.tgz /opt/\n") == []


def test_df004_from_sees_only_global_args():
    src = "FROM alpine\nARG TAG=3\nFROM node:${TAG}\n"
    assert findings("DF004", src) == [(
        "DF004", 3, 11,
        "$TAG is not defined here: only global ARGs (declared before the first FROM) can be used in FROM; "
        "$TAG is declared at line 2",
    )]
    assert findings("DF004", "FROM --platform=$BUILDPLATFORM golang\n") == []


def test_df004_typo_and_same_instruction_and_scratch():
    assert findings("DF004", "FROM alpine\nARG VERSION=1\nCOPY app-${VERSOIN}.jar /app/\n") == [
        ("DF004", 3, 10, "$VERSOIN is not defined here: did you mean $VERSION?"),
    ]
    assert findings("DF004", "FROM alpine\nENV A=1 B=$A\n") == [(
        "DF004", 2, 11,
        "$A is not defined here: it is set in this same ENV, whose expansions all see the values from before it",
    )]
    assert findings("DF004", "FROM scratch\nWORKDIR $APP_HOME\n") == [
        ("DF004", 2, 9, "$APP_HOME is not defined here: the stage is built FROM scratch, so no base image defines it"),
    ]


def test_df004_silent_on_names_a_base_image_may_define_and_on_run():
    assert findings("DF004", "FROM openjdk\nWORKDIR $JAVA_HOME\nENV PATH=$PATH:/x\nRUN echo $UNDEFINED\n") == []
    assert findings("DF004", "FROM scratch\nENV PATH=/bin:$PATH\n") == []


def test_df005_duplicate_stage_name_case_insensitive():
    src = "FROM golang AS build\nFROM node AS Build\nFROM scratch AS other\n"
    assert findings("DF005", src) == [
        ("DF005", 2, 14, 'stage name "build" is already used by the stage at line 1'),
    ]
    assert findings("DF005", "FROM a AS x\nFROM b AS y\n") == []


def test_df006_empty_continuation_line_with_fix():
    src = "FROM alpine\nRUN apk add \\\n\n    curl\n"
    [finding] = raw_findings("DF006", src)
    # reported where BuildKit reports NoEmptyContinuation: the instruction's last line
    assert (finding.span.line, finding.span.column, finding.message) == (
        4, 1, "empty continuation line 3 inside the RUN at line 2",
    )
    [edit] = finding.fix.edits
    assert finding.fix.applicability == "safe"
    assert (edit.span.line, edit.span.column, edit.span.end_line, edit.span.end_column, edit.text) == (3, 1, 4, 1, "")


def test_df006_reports_an_instruction_once_with_every_empty_line_fixed():
    src = "FROM alpine\nRUN a \\\n\n  b \\\n\n  c\nRUN d\n"
    [finding] = raw_findings("DF006", src)
    assert (finding.span.line, finding.message) == (6, "empty continuation lines 3, 5 inside the RUN at line 2")
    assert [(e.span.line, e.span.end_line) for e in finding.fix.edits] == [(3, 4), (5, 6)]


def test_df404_maintainer_with_label_fix():
    [finding] = raw_findings("DF404", 'FROM alpine\nMAINTAINER Jane "JD" Doe\n')
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (2, 1, 11)
    assert finding.fix.applicability == "unsafe"
    assert finding.fix.edits[0].text == 'LABEL org.opencontainers.image.authors="Jane \\"JD\\" Doe"'


def test_df405_relative_workdir():
    src = "FROM scratch\nWORKDIR app\nWORKDIR /abs\nWORKDIR $UNKNOWN\n"
    [finding] = raw_findings("DF405", src)
    assert (finding.span.line, finding.span.column, finding.message) == (
        2, 9, 'WORKDIR "app" is relative; use an absolute path',
    )
    assert (finding.fix.applicability, finding.fix.edits[0].text) == ("safe", "/app")
    # after an absolute WORKDIR (here or in a parent stage) a relative one is anchored, as BuildKit decides
    assert raw_findings("DF405", "FROM scratch\nWORKDIR /srv\nWORKDIR app\n") == []
    assert raw_findings("DF405", "FROM scratch AS a\nWORKDIR /app\nFROM a AS b\nWORKDIR subdir/\n") == []
    [finding] = raw_findings("DF405", "FROM node\nWORKDIR app\n")
    assert (finding.fix.applicability, finding.fix.edits[0].text) == ("unsafe", "/app")
    assert raw_findings("DF405", "FROM mcr.microsoft.com/windows\nWORKDIR C:\\\\app\n") == []


def test_df004_arg_of_another_stage():
    src = "FROM alpine AS a\nARG REV=1\nFROM alpine\nLABEL rev=$REV\n"
    assert findings("DF004", src) == [(
        "DF004", 4, 11,
        "$REV is not defined here: the ARG at line 2 is not in scope here (each stage must declare the ARGs it uses)",
    )]


def test_df001_reports_parser_and_structural_errors():
    src = "RUN echo early\nFROM alpine\nCOPY onlyone\nRUN echo still linted\n"
    assert findings("DF001", src) == [
        ("DF001", 3, 1, "COPY requires at least two arguments, but only one was provided. Destination could not be determined"),
        ("DF001", 1, 1, "no build stage in current context"),
    ]

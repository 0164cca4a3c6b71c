"""DF004: undefined variable (rules/df004_undefined_variable.py)."""

from support import findings


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


def test_df004_arg_of_another_stage():
    src = "FROM alpine AS a\nARG REV=1\nFROM alpine\nLABEL rev=$REV\n"
    assert findings("DF004", src) == [(
        "DF004", 4, 11,
        "$REV is not defined here: the ARG at line 2 is not in scope here (each stage must declare the ARGs it uses)",
    )]


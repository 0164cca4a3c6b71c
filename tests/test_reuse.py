"""Findings kept by stage between lints (dfcheck.reuse): a rule declared to read one stage at a time runs again
only on the stages an edit changed (and what they are built on or copy from), and the lint finds exactly what a
lint that keeps nothing finds."""

from __future__ import annotations

import pytest

from dfcheck import reuse
from dfcheck.config import default_settings
from dfcheck.engine import lint_text, load_rules
from dfcheck.rule import Finding, rule

FILE = """\
ARG BASE=alpine:3.20
FROM $BASE AS base
RUN apk add curl
FROM base AS build
RUN make
FROM alpine:3.20 AS tools
RUN apk add git
FROM scratch
COPY --from=build /out /out
"""


@pytest.fixture
def kept():
    """Findings kept between lints, as the language server keeps them; nothing kept afterwards."""
    saved = reuse._kept
    reuse._kept = {}
    yield
    reuse._kept = saved


def _recording(seen: list, scope: str = "stage"):
    @rule("DF990", "every-run", "info", scope=scope)
    def every_run(model, options):
        """Reports every RUN, naming the stage's index and its base image."""
        seen.append([s.index for s in model.stages])
        for stage in model.stages:
            for node in stage.find("RUN"):
                yield Finding(node.keyword_span, f"RUN in stage {stage.index} on {model.root(stage).base}")

    return every_run


def _rows(result):
    return [(f.code, f.span.line, f.span.column, f.message) for f in result.findings]


def test_a_stage_rule_runs_again_only_on_the_stages_an_edit_changed(kept):
    seen = []
    settings = default_settings([_recording(seen)])
    first = lint_text(FILE, "Dockerfile", settings)
    edited = FILE.replace("RUN apk add git", "RUN apk add git make")
    second = lint_text(edited, "Dockerfile", settings)
    assert seen == [[0, 1, 2, 3], [2]]  # stage "tools" alone: nothing is built on it
    assert _rows(second) == _rows(first) == [
        ("DF990", 3, 1, "RUN in stage 0 on alpine:3.20"),
        ("DF990", 5, 1, "RUN in stage 1 on alpine:3.20"),
        ("DF990", 7, 1, "RUN in stage 2 on alpine:3.20"),
    ]


def test_an_edit_to_a_base_stage_lints_the_stages_built_on_it_or_copying_from_it(kept):
    seen = []
    settings = default_settings([_recording(seen)])
    lint_text(FILE, "Dockerfile", settings)
    lint_text(FILE.replace("RUN apk add curl", "RUN apk add curl wget"), "Dockerfile", settings)
    assert seen[1] == [0, 1, 3]  # base, build FROM base, the last stage copying from build; not tools
    lint_text(FILE, "Dockerfile", settings)
    lint_text(FILE.replace("/out /out", "/out /app"), "Dockerfile", settings)
    assert seen[3] == [0, 1, 3]  # the last stage, with the stage it copies from and that one's base


def test_a_global_arg_or_a_line_moved_above_lints_the_stages_again(kept):
    seen = []
    settings = default_settings([_recording(seen)])
    lint_text(FILE, "Dockerfile", settings)
    result = lint_text(FILE.replace("alpine:3.20\n", "debian:12\n", 1), "Dockerfile", settings)
    assert seen[1] == [0, 1, 2, 3]
    assert _rows(result)[:2] == [("DF990", 3, 1, "RUN in stage 0 on debian:12"),
                                 ("DF990", 5, 1, "RUN in stage 1 on debian:12")]
    lint_text(FILE, "Dockerfile", settings)
    moved = lint_text(FILE.replace("RUN make\n", "\nRUN make\n"), "Dockerfile", settings)
    assert seen[3] == [0, 1, 2, 3]  # every stage from build on (their lines moved), and base, which build is on
    assert _rows(moved) == [("DF990", 3, 1, "RUN in stage 0 on alpine:3.20"),
                            ("DF990", 6, 1, "RUN in stage 1 on alpine:3.20"),
                            ("DF990", 8, 1, "RUN in stage 2 on alpine:3.20")]


def test_a_rule_that_reads_the_whole_file_runs_on_every_stage(kept):
    seen = []
    settings = default_settings([_recording(seen, scope="file")])
    lint_text(FILE, "Dockerfile", settings)
    lint_text(FILE.replace("RUN apk add git", "RUN apk add git make"), "Dockerfile", settings)
    assert seen == [[0, 1, 2, 3], [0, 1, 2, 3]]


def test_a_finding_outside_every_stage_lints_the_whole_file_with_the_rule(kept):
    @rule("DF991", "global-args", "info", scope="stage")
    def global_args(model, options):
        """Reports the ARGs before the first FROM (which a rule reading one stage at a time must not)."""
        for node in model.instructions:
            if node.keyword == "ARG" and model.stage_of(node) is None:
                yield Finding(node.keyword_span, "a global ARG")

    settings = default_settings([global_args])
    lint_text(FILE, "Dockerfile", settings)
    result = lint_text(FILE.replace("RUN make", "RUN make all"), "Dockerfile", settings)
    assert _rows(result) == [("DF991", 1, 1, "a global ARG")]


def test_nothing_is_kept_unless_asked():
    assert reuse._kept is None or isinstance(reuse._kept, dict)
    seen = []
    saved = reuse._kept
    reuse._kept = None
    try:
        settings = default_settings([_recording(seen)])
        lint_text(FILE, "Dockerfile", settings)
        lint_text(FILE.replace("RUN apk add git", "RUN apk add git make"), "Dockerfile", settings)
    finally:
        reuse._kept = saved
    assert seen == [[0, 1, 2, 3], [0, 1, 2, 3]]


def test_the_rules_declared_to_read_one_stage_at_a_time():
    declared = [r.code for r in load_rules() if r.scope == "stage"]
    assert declared == ["DF501", "DF502", "DF503", "DF504", "DF505", "DF507", "DF508", "DF509", "DF510", "DF511",
                        "DF512", "DF513", "DF514", "DF516", "DF519", "DF603", "DF608", "DF610"]


def test_scope_must_be_file_or_stage():
    with pytest.raises(ValueError, match="scope must be"):
        rule("DF992", "x", "info", scope="line")

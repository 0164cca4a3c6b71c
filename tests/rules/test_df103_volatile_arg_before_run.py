"""DF103: volatile arg before run (rules/df103_volatile_arg_before_run.py)."""

import pytest

from support import builtin_rules, findings, model_of, raw_findings

from dfcheck.rule import Options

from cache_rules_support import _fixed


def test_df103_volatile_arg_before_runs():
    src = "FROM alpine\nARG VCS_REF\nRUN apk add --no-cache curl\nRUN make\nLABEL org.opencontainers.image.revision=$VCS_REF\n"
    assert findings("DF103", src) == [(
        "DF103", 2, 5,
        "ARG VCS_REF changes with every commit, so the RUN instructions after it (lines 3, 4) miss the cache each "
        "time, though they do not mention it; declare it right before its first use at line 5",
    )]


def test_df103_fix_moves_the_arg():
    src = "FROM alpine\nARG BUILD_DATE\nRUN apk add --no-cache curl\nLABEL built=$BUILD_DATE\n"
    [finding] = raw_findings("DF103", src)
    assert finding.fix.applicability == "unsafe"
    assert [(e.span.line, e.span.column, e.span.end_line, e.span.end_column, e.text) for e in finding.fix.edits] == [
        (2, 1, 3, 1, ""), (4, 1, 4, 1, "ARG BUILD_DATE\n")]


def test_df103_fix_moves_the_arg_with_its_comments_and_the_labels_that_use_it():
    src = "FROM alpine\n# the commit\nARG VCS_REF\nRUN make\n# record it\nRUN echo $VCS_REF > /rev\n"
    assert _fixed("DF103", src) == ["FROM alpine\nRUN make\n# the commit\nARG VCS_REF\n# record it\nRUN echo $VCS_REF > /rev\n"]
    # Only a LABEL uses it, before the RUNs: both go after the last RUN (a file without a final line end keeps none).
    src = "FROM alpine\nARG VCS_REF\nLABEL rev=$VCS_REF\nRUN make\nRUN make install"
    assert _fixed("DF103", src) == ["FROM alpine\nRUN make\nRUN make install\nARG VCS_REF\nLABEL rev=$VCS_REF"]
    # Nothing uses it: after the last RUN.
    src = "FROM alpine\nARG CACHEBUST=1\nRUN apk add curl\nCMD [\"sh\"]\n"
    assert _fixed("DF103", src) == ["FROM alpine\nRUN apk add curl\nARG CACHEBUST=1\nCMD [\"sh\"]\n"]


@pytest.mark.parametrize("src", [
    "FROM alpine\nARG VCS_REF=$DEFAULT_REF\nRUN make\nLABEL rev=$VCS_REF\n",  # a default made of variables
    "FROM alpine\nARG VCS_REF BUILD_DATE\nRUN make\nLABEL rev=$VCS_REF\n",  # several names
    # a LABEL that would expand differently, or set its key in another order
    "FROM alpine\nARG VCS_REF\nLABEL rev=$VCS_REF-$FLAVOR\nENV FLAVOR=slim\nRUN make\n",
    "FROM alpine\nARG VCS_REF\nLABEL rev=$VCS_REF\nLABEL rev=unknown\nRUN make\n",
])
def test_df103_no_fix(src):
    assert {f.fix for f in raw_findings("DF103", src)} == {None}


def test_df103_fine_when_declared_late_or_used_first():
    assert findings("DF103", "FROM alpine\nRUN apk add curl\nARG GIT_SHA\nLABEL sha=$GIT_SHA\n") == []
    assert findings("DF103", "FROM alpine\nARG GIT_SHA\nRUN echo $GIT_SHA > /sha\n") == []
    assert findings("DF103", "FROM alpine\nARG VERSION=1.0\nRUN apk add curl\n") == []
    # Global ARGs are not in the RUN environment.
    assert findings("DF103", "ARG BUILD_DATE\nFROM alpine\nRUN apk add curl\n") == []


def test_df103_unused_and_options():
    assert findings("DF103", "FROM alpine\nARG CACHEBUST=1\nRUN apk add curl\n") == [(
        "DF103", 2, 5,
        "ARG CACHEBUST changes on every build, so the RUN instruction after it (line 3) misses the cache each time, "
        "though it does not mention it; declare it after the last RUN, or drop it if nothing uses it",
    )]
    rule = builtin_rules()["DF103"]
    model = model_of("FROM alpine\nARG MY_STAMP\nRUN make\n")
    assert list(rule.check(model, Options({"names": ["my_stamp"]})))
    assert not list(rule.check(model, rule.options))


def test_df103_label_use_does_not_pin_the_arg():
    src = "FROM python\nARG BUILD_DATE\nLABEL created=$BUILD_DATE\nRUN apt-get update\nRUN pip install x\n"
    [finding] = raw_findings("DF103", src)
    assert (finding.span.line, finding.span.column) == (2, 5)
    assert finding.message == (
        "ARG BUILD_DATE changes on every build, so the RUN instructions after it (lines 4, 5) miss the cache each "
        "time, though they do not mention it; declare it after the last RUN (line 5), with the LABEL that uses it "
        "(line 3)")
    assert _fixed("DF103", src) == [
        "FROM python\nRUN apt-get update\nRUN pip install x\nARG BUILD_DATE\nLABEL created=$BUILD_DATE\n"]


def test_df103_per_build_names_are_recognised_by_their_parts():
    for name in ("CI_JOB_ID", "BUILD_NUM", "GITHUB_RUN_ID", "PIPELINE_TIMESTAMP", "MY_CACHEBUST", "GIT_COMMIT_SHA"):
        assert [(line, col) for _, line, col, _ in findings("DF103", f"FROM x\nARG {name}\nRUN make\n")] == [(2, 5)], name
    for name in ("BUILD_TYPE", "NODE_VERSION", "USER_ID", "RUNTIME", "GIT_BRANCH"):
        assert findings("DF103", f"FROM x\nARG {name}\nRUN make\n") == [], name


def test_df103_names_that_hold_the_commit_or_come_from_a_ci_service():
    for name in ("REF", "DOCKER_GITCOMMIT", "gitCommit", "APP_REVISION", "CIRCLE_SHA1", "TRAVIS_COMMIT",
                 "BITBUCKET_BUILD_NUMBER", "buildNumber", "GIT_COMMIT=unknown"):
        assert [(line, col) for _, line, col, _ in findings("DF103", f"FROM x\nARG {name}\nRUN make\n")] == [(2, 5)], name
    # Stable from one build to the next: a release version, a repository, a branch, a pinned commit, a checksum.
    for name in ("VERSION", "BUILD_VERSION", "GIT_REPO", "BRANCH", "SOURCE_BRANCH", "BUILD_TAGS", "NODE_SHA256",
                 "CI_COMMIT_BRANCH", "TRAVIS_BRANCH",
                 "GOLANG_COMMIT='72aa6db7943024b48c4d41c1fbc32b57b9fa036e'", "PKG_REVISION=1", "SHARED", "PREVIEW"):
        assert findings("DF103", f"FROM x\nARG {name}\nRUN make\n") == [], name


def test_df103_an_env_that_takes_the_arg_carries_it_into_every_later_run():
    src = "FROM alpine\nARG COMMIT\nENV GIT_COMMIT_HASH=$COMMIT\nRUN apk add curl\nRUN echo hi\n"
    assert findings("DF103", src) == [(
        "DF103", 2, 5,
        "ARG COMMIT changes with every commit, so the RUN instructions after it (lines 4, 5) miss the cache each time, "
        "though they do not mention it; ENV GIT_COMMIT_HASH (line 3) carries its value into the environment of every "
        "later RUN; declare the ARG and the ENV after the last RUN",
    )]
    assert {f.fix for f in raw_findings("DF103", src)} == {None}
    # The first RUN that reads the ENV is the use; a LABEL carries nothing into RUNs.
    src = "FROM alpine\nARG BUILD_DATE\nENV BUILT=$BUILD_DATE\nRUN apk add curl\nRUN echo $BUILT > /built\n"
    assert [(line, col, msg.rsplit("; ", 1)[-1]) for _, line, col, msg in findings("DF103", src)] == [
        (2, 5, "declare the ARG and the ENV right before their first use at line 5")]
    assert findings("DF103", "FROM alpine\nARG COMMIT\nLABEL c=$COMMIT\nRUN make\n")[0][3].endswith(
        "declare it after the last RUN (line 4), with the LABEL that uses it (line 3)")
    assert findings("DF103", "FROM alpine\nRUN make\nARG COMMIT\nENV C=$COMMIT\n") == []


def test_df103_hash_and_commit_names():
    for name in ("GIT_BUILD_HASH", "BUILD_HASH", "COMMIT_HASH", "BUILD_COMMIT", "BUILD_DATE", "COMMIT"):
        assert [(line, col) for _, line, col, _ in findings("DF103", f"FROM x\nARG {name}\nRUN make\n")] == [(2, 5)], name
    assert findings("DF103", "FROM x\nARG NODE_SHA256\nRUN make\n") == []


def test_df103_an_env_carries_the_arg_into_the_stages_built_on_it():
    src = ("FROM python:3.12 AS base\nARG COMMIT\nENV APP_COMMIT=$COMMIT\nFROM base AS app\nRUN pip install flask\n"
           "RUN echo $APP_COMMIT > /c\n")
    assert findings("DF103", src) == [(
        "DF103", 2, 5,
        "ARG COMMIT changes with every commit, so the RUN instruction after it (line 5) misses the cache each time, though "
        "it does not mention it; ENV APP_COMMIT (line 3) carries its value into the environment of every later RUN, "
        "also in the stages built on this one; declare the ARG and the ENV in the stage that needs them, right before "
        "their first use",
    )]
    # An ARG alone does not go on into the stages built on its stage.
    assert findings("DF103", "FROM python:3.12 AS base\nARG COMMIT\nFROM base\nRUN pip install flask\n") == []



@pytest.mark.parametrize("name, kind", [
    # every build: a date or time, a build, job, run or pipeline number or id, a per-job token, CACHEBUST
    ("BUILD_DATE", "build"), ("BUILD_TIMESTAMP", "build"), ("CACHEBUST", "build"), ("CI_JOB_TOKEN", "build"),
    ("CI_JOB_ID", "build"), ("CI_PIPELINE_ID", "build"), ("GITHUB_RUN_ID", "build"), ("GITHUB_RUN_NUMBER", "build"),
    ("GITHUB_RUN_ATTEMPT", "build"), ("BUILD_NUMBER", "build"), ("BUILD_ID", "build"), ("TRAVIS_JOB_ID", "build"),
    ("TRAVIS_JOB_NUMBER", "build"), ("BUILDKITE_BUILD_NUMBER", "build"), ("CIRCLE_BUILD_NUM", "build"),
    ("DRONE_BUILD_NUMBER", "build"),
    # every commit: the commit, its hash, revision, reference or date
    ("GIT_SHA", "commit"), ("VCS_REF", "commit"), ("COMMIT_DATE", "commit"), ("SOURCE_DATE_EPOCH", "commit"),
    ("TRAVIS_COMMIT", "commit"), ("CI_COMMIT_SHA", "commit"), ("TRAVIS_PULL_REQUEST_SHA", "commit"),
    ("VITE_COMMIT_HASH", "commit"), ("GIT_COMMIT_DATE", "commit"),
    # every branch, tag, release or pull request: the same for every build of it
    ("TRAVIS_BRANCH", None), ("TRAVIS_TAG", None), ("TRAVIS_PULL_REQUEST", None), ("DRONE_TAG", None),
    ("DRONE_BRANCH", None), ("DRONE_PULL_REQUEST", None), ("CI_COMMIT_BRANCH", None), ("CI_COMMIT_TAG", None),
    ("CI_COMMIT_REF_NAME", None), ("GITHUB_REF", None), ("GITHUB_REF_NAME", None), ("APP_VERSION", None),
    ("POMCHI_TOKEN", None),
])
def test_df103_tells_per_build_per_commit_and_per_branch_values_apart(name, kind):
    from rules.df103_volatile_arg_before_run import volatility

    assert volatility(name) == kind
    found = findings("DF103", f"FROM x\nARG {name}\nRUN make\n")
    if kind is None:
        assert found == []
    else:
        assert [(line, col, msg.split(",")[0]) for _, line, col, msg in found] == [
            (2, 5, f"ARG {name} changes {'on every build' if kind == 'build' else 'with every commit'}")]


def test_df103_a_per_commit_value_is_reported_also_after_a_copy_of_the_context():
    # A commit that changes nothing the build copies (CI settings, ignored files), or a build run again, would find
    # the RUNs after the copy cached but for the ARG.
    src = ("FROM python:3.12\nARG GIT_SHA\nRUN apt-get update && apt-get install -y git\nWORKDIR /app\n"
           "COPY . .\nRUN pip install .\nLABEL rev=$GIT_SHA\n")
    assert findings("DF103", src) == [(
        "DF103", 2, 5,
        "ARG GIT_SHA changes with every commit, so the RUN instructions after it (lines 3, 6) miss the cache each "
        "time, though they do not mention it; declare it right before its first use at line 7",
    )]
    assert _fixed("DF103", src) == [
        "FROM python:3.12\nRUN apt-get update && apt-get install -y git\nWORKDIR /app\nCOPY . .\n"
        "RUN pip install .\nARG GIT_SHA\nLABEL rev=$GIT_SHA\n"]
    # Carried by an ENV that only the last RUN uses: every RUN before it, after the copy too.
    src = ("FROM node:14 AS build\nARG COMMIT_TAG\nENV COMMIT_TAG=${COMMIT_TAG}\nCOPY . /app\nWORKDIR /app\n"
           "RUN yarn --frozen-lockfile && yarn build\nRUN rm -rf src\n"
           "RUN echo \"{\\\"commitTag\\\": \\\"${COMMIT_TAG}\\\"}\" > committag.json\n")
    assert findings("DF103", src) == [(
        "DF103", 2, 5,
        "ARG COMMIT_TAG changes with every commit, so the RUN instructions after it (lines 6, 7) miss the cache each "
        "time, though they do not mention it; ENV COMMIT_TAG (line 3) carries its value into the environment of "
        "every later RUN; declare the ARG and the ENV right before their first use at line 8",
    )]
    # A copy of the whole context before the ARG, or in the stage built on, and a per-build value: the same.
    for src, line in (("FROM x\nCOPY src /app/src\nARG VCS_REF\nRUN make\n", 3),
                      ("FROM x\nARG BUILD_DATE\nCOPY . /app\nRUN make\n", 2),
                      ("FROM x AS base\nCOPY . /app\nFROM base\nARG GIT_SHA\nRUN make\n", 4)):
        assert [(found, col) for _, found, col, _ in findings("DF103", src)] == [(line, 5)], src


def test_df103_a_build_that_reads_the_variable_without_naming_it():
    # The bundler embeds VITE_*, vergen reads VERGEN_*: the build uses them, the ARG is where it must be.
    for src in ("FROM node:20\nWORKDIR /app\nCOPY . .\nARG GITHUB_SHA\nENV VITE_SHA=$GITHUB_SHA\nRUN npm run build\n",
                "FROM rust\nARG COMMIT\nENV VERGEN_GIT_SHA=${COMMIT}\nADD .git /app/.git\nRUN cargo build\n",
                "FROM node:20\nARG NEXT_PUBLIC_BUILD_ID\nRUN npx next build\n"):
        assert findings("DF103", src) == [], src
    # An install reads none of them; nor does a build read a name without its prefix.
    src = "FROM node:20\nARG GITHUB_SHA\nENV VITE_SHA=$GITHUB_SHA\nRUN npm ci\nRUN npm run build\n"
    assert [(line, col, message.split(" miss")[0]) for _, line, col, message in findings("DF103", src)] == [
        (2, 5, "ARG GITHUB_SHA changes with every commit, so the RUN instruction after it (line 4)")]
    src = "FROM node:20\nARG GITHUB_SHA\nENV APP_SHA=$GITHUB_SHA\nRUN npm run build\n"
    assert [(line, col) for _, line, col, _ in findings("DF103", src)] == [(2, 5)]


def test_df103_an_env_of_the_same_name_overrides_the_arg():
    # ENV VITE_COMMIT_HASH=Unknown: the ARG's value never reaches a RUN after it.
    for src in ("FROM node:20\nARG VITE_COMMIT_HASH\nENV VITE_COMMIT_HASH=Unknown\nRUN npm ci\n",
                "FROM node:20\nARG BUILD_DATE\nENV BUILD_DATE=\"$OTHER\"\nRUN npm ci\n"):
        assert findings("DF103", src) == [], src
    # RUNs before the override still see it.
    src = "FROM node:20\nARG BUILD_DATE\nRUN npm ci\nENV BUILD_DATE=none\nRUN make\n"
    assert [(line, col, msg.split(" (")[1].split(")")[0]) for _, line, col, msg in findings("DF103", src)] == [
        (2, 5, "line 3")]
    # An ENV that takes the ARG's value carries it (unchanged behaviour).
    src = "FROM node:20\nARG BUILD_DATE\nENV BUILD_DATE=$BUILD_DATE\nRUN npm ci\n"
    assert [(line, col) for _, line, col, _ in findings("DF103", src)] == [(2, 5)]


def test_df103_the_commit_written_as_a_tag_or_ref_is_per_commit():
    # COMMIT_TAG (`git describe --tags`, a short hash) and GIT_COMMIT_REF name the commit built, though they hold
    # TAG or REF; a CI service's own names (CI_COMMIT_TAG, CI_COMMIT_REF_NAME) are the tag or branch built.
    for name in ("COMMIT_TAG", "GIT_COMMIT_REF", "GIT_COMMIT_TAG"):
        assert findings("DF103", f"FROM alpine\nARG {name}\nRUN apk add curl\nRUN echo ${name}\n") == [(
            "DF103", 2, 5,
            f"ARG {name} changes with every commit, so the RUN instruction after it (line 3) misses the cache each "
            f"time, though it does not mention it; declare it right before its first use at line 4")], name
    for name in ("CI_COMMIT_TAG", "CI_COMMIT_REF_NAME", "DRONE_COMMIT_REF", "COMMIT_BRANCH", "COMMIT_REF_NAME",
                 "GIT_TAG", "COMMIT_VERSION", "COMMIT_TAG=v1.2.3"):
        assert findings("DF103", f"FROM alpine\nARG {name}\nRUN apk add curl\n") == [], name


def test_df103_the_image_creation_time_is_per_build():
    # OCI's org.opencontainers.image.created: the time the image is built.
    for name in ("CREATED", "IMAGE_CREATED", "CREATION_DATE", "CREATED_AT"):
        assert [(line, col, msg.split(",")[0]) for _, line, col, msg in findings(
            "DF103", f"FROM alpine\nARG {name}\nRUN adduser -D app\n")] == [
            (2, 5, f"ARG {name} changes on every build")], name
    for name in ("CREATED_BY", "CREATED_DIR", "RECREATE"):
        assert findings("DF103", f"FROM alpine\nARG {name}\nRUN adduser -D app\n") == [], name


def test_df103_an_arg_given_to_a_build_date_or_revision_label():
    src = ("FROM alpine\nARG STAMP\nARG WHICH\nRUN adduser -D app\n"
           "LABEL org.opencontainers.image.created=${STAMP} org.opencontainers.image.revision=$WHICH\n")
    assert [(line, col, msg.split(",")[0]) for _, line, col, msg in findings("DF103", src)] == [
        (2, 5, "ARG STAMP changes on every build"), (3, 5, "ARG WHICH changes with every commit")]
    # Other labels say nothing of how often their value changes; a default is a value of its own.
    assert findings("DF103", "FROM alpine\nARG STAMP\nRUN adduser -D app\nLABEL org.opencontainers.image.title=$STAMP\n") == []
    assert findings("DF103", "FROM alpine\nARG STAMP=1\nRUN adduser -D app\nLABEL org.label-schema.build-date=$STAMP\n") == []
    # Declared after the last RUN: fine.
    assert findings("DF103", "FROM alpine\nRUN adduser -D app\nARG STAMP\nLABEL org.label-schema.build-date=$STAMP\n") == []

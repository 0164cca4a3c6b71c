"""DF504: cd instead of workdir (rules/df504_cd_instead_of_workdir.py)."""

import pytest

from support import findings, raw_findings

from shell_rules_support import fixed


def test_df504_cd_alone_does_nothing():
    src = "FROM node:22\nCOPY . /app\nRUN cd /app\nRUN npm ci\n"
    assert findings("DF504", src) == [(
        "DF504", 3, 5,
        "`cd /app` is the last command of this RUN, so it changes nothing: the next instruction starts in the "
        "WORKDIR (/) again; to work in /app from here on, use `WORKDIR /app`",
    )]
    assert fixed("DF504", src) == "FROM node:22\nCOPY . /app\nWORKDIR /app\nRUN npm ci\n"


def test_df504_trailing_cd_after_work():
    src = "FROM node\nWORKDIR /app\nRUN npm run build && cd dist\nRUN make && cd /app\n"
    assert findings("DF504", src) == [
        ("DF504", 3, 22, "`cd dist` is the last command of this RUN, so it changes nothing: the next instruction "
                         "starts in the WORKDIR (/app) again; to work in dist from here on, use `WORKDIR dist`"),
        ("DF504", 4, 13, "`cd /app` is the last command of this RUN, so it changes nothing: the next instruction "
                         "starts in the WORKDIR (/app) again"),
    ]
    assert all(f.fix is None for f in raw_findings("DF504", src))


def test_df504_leading_cd_for_the_whole_run():
    src = "FROM node\nCOPY . /app\n# install\nRUN set -eux; cd /app && \\\n    npm ci\n"
    assert findings("DF504", src) == [(
        "DF504", 4, 15,
        "`cd /app` makes the whole RUN work in /app; say it with `WORKDIR /app` before the RUN, which later "
        "instructions keep",
    )]
    # the image would keep /app (node's is /): the fix goes back to / after the RUN
    assert fixed("DF504", src) == (
        "FROM node\nCOPY . /app\nWORKDIR /app\n# install\nRUN set -eux; npm ci\nWORKDIR /\n")
    assert fixed("DF504", src, unsafe=False) == src
    # a later absolute WORKDIR sets the directory again before anything works in it: nothing to go back to
    later = src + "ENV A=1\nCOPY x /opt/x\nWORKDIR /srv\nRUN make\n"
    assert fixed("DF504", later) == (
        "FROM node\nCOPY . /app\nWORKDIR /app\n# install\nRUN set -eux; npm ci\n"
        "ENV A=1\nCOPY x /opt/x\nWORKDIR /srv\nRUN make\n")


def test_df504_fix_keeps_the_working_directory_of_later_instructions():
    # `COPY . .` after the RUN copies into the WORKDIR before it (/src), not into the `cd`'s directory
    src = "FROM alpine\nWORKDIR /src\nRUN cd /src/sub && make\nCOPY . .\n"
    assert fixed("DF504", src) == "FROM alpine\nWORKDIR /src\nWORKDIR /src/sub\nRUN make\nWORKDIR /src\nCOPY . .\n"
    # the directory before the RUN is not known (an image dfcheck does not know, a WORKDIR through a variable):
    # no fix
    for head in ("FROM example/unknown\n", "FROM alpine\nARG D=/src\nWORKDIR $D\n"):
        assert [f.fix for f in raw_findings("DF504", head + "RUN cd /opt && make\nCOPY . .\n")] == [None]


def test_df504_variables_the_dockerfile_declares():
    src = "FROM golang\nENV SRC=/go/src/app\nRUN cd $SRC && go build\nRUN cd \"$HOME/x\" && make\n"
    assert [(line, message.split(";")[0]) for _, line, _, message in findings("DF504", src)] == [
        (3, "`cd $SRC` makes the whole RUN work in ${SRC}")]


def test_df504_cd_into_the_workdir():
    src = "FROM node\nWORKDIR /app\nRUN cd /app; npm test\n"
    assert findings("DF504", src) == [(
        "DF504", 3, 5, "`cd /app` goes where the RUN already is: the WORKDIR is /app; drop it")]
    [finding] = raw_findings("DF504", src)
    assert finding.fix.applicability == "safe"
    assert fixed("DF504", src, unsafe=False) == "FROM node\nWORKDIR /app\nRUN npm test\n"


@pytest.mark.parametrize("run", [
    "(cd /src && make) && echo done",
    "cd /usr/src/x && make && cd / && rm -rf /usr/src/x",
    "cd /usr/src/x && make install && rm -rf /usr/src/x",
    "apt-get update && cd /app && npm ci",
    "cd /tmp && curl -fsSLO https://x/y.tgz",
    "cd \"$(mktemp -d)\" && make",
    "cd && ls",
    "cd - && ls",
    "for d in a b; do cd $d; make; done",
    "if cd /app; then make; fi",
    "cd /app && pushd sub && make",
    "f() { cd /x; }; f; make",
    "X=$(cd /x && pwd) && echo $X",
])
def test_df504_fine(run):
    assert findings("DF504", f"FROM x\nRUN {run}\n") == []


def test_df504_heredoc_exec_form_and_mount():
    src = ("FROM node\nWORKDIR /app\nRUN <<EOF\ncd /app\nnpm ci\nEOF\n"
           'RUN ["sh", "-c", "cd /srv && npm ci"]\n'
           "RUN --mount=type=cache,target=/root/.npm cd /srv && npm ci\n")
    assert [(line, column) for _, line, column, _ in findings("DF504", src)] == [(4, 1), (7, 18), (8, 42)]
    assert fixed("DF504", src, unsafe=False).startswith("FROM node\nWORKDIR /app\nRUN <<EOF\nnpm ci\nEOF\n")
    exec_form = raw_findings("DF504", src)[1]
    assert exec_form.fix is None


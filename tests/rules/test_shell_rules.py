"""Shell and package rules: DF501 apt-without-assume-yes, DF502 apt-install-recommends, DF503 and DF507-DF514
unpinned packages, DF504 cd-instead-of-workdir, DF505 sudo-in-run, DF506 pipe-without-pipefail."""

import pytest

from dfcheck.config import default_settings
from dfcheck.engine import lint_text, load_rules
from dfcheck.fixes import apply_fixes
from support import builtin_rules, findings, raw_findings


def fixed(code, source, unsafe=True):
    """The source after applying the rule's fixes."""
    return apply_fixes(source, raw_findings(code, source), unsafe=unsafe)[0]


def lint(text, select=()):
    settings = default_settings(load_rules())
    settings.rules = tuple(r for r in settings.known if r.enabled or r.code in select)
    return [(f.code, f.span.line, f.span.column) for f in lint_text(text, "Dockerfile", settings).findings
            if f.code.startswith("DF5")]


YES = ('`apt-get install` without -y asks "Do you want to continue?" whenever it does more than asked, and a '
       'build cannot answer: it aborts; add -y')


# -- DF501 apt-without-assume-yes ------------------------------------------------------------------

def test_df501_install_without_yes():
    src = "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends curl\n"
    assert findings("DF501", src) == [("DF501", 2, 23, YES)]


@pytest.mark.parametrize("command", [
    "apt-get install -y curl", "apt-get -y install curl", "apt-get install --yes curl",
    "apt-get install --assume-yes curl", "apt-get install -qy curl", "apt-get -yqq install curl",
    "apt-get -qq install curl", "apt-get -q -q install curl", "apt-get -q=2 install curl",
    "apt-get -o APT::Get::Assume-Yes=true install curl", "apt-get --option=apt::get::assume-yes=1 install curl",
    "apt-get -o quiet=2 install curl", "apt-get install -s curl", "apt-get --dry-run install curl",
    "yes | apt-get install curl", "apt-get install curl < /tmp/answers",
    "apt-get update", "apt-get clean", "apt-get source curl", "apt-cache policy curl",
])
def test_df501_non_interactive_forms(command):
    assert findings("DF501", f"FROM debian\nRUN {command}\n") == []


def test_df501_what_does_not_answer_the_prompt():
    # -q is one level of quiet (level 2 implies -y); DEBIAN_FRONTEND is for debconf; --force-yes is not --yes.
    src = ("FROM debian\nRUN apt-get -q install curl\nRUN DEBIAN_FRONTEND=noninteractive apt-get install curl\n"
           "RUN apt-get install --force-yes curl\nRUN apt-get install curl < /dev/null\n")
    assert [(line, column) for _, line, column, _ in findings("DF501", src)] == [(2, 5), (3, 5), (4, 5), (5, 5)]
    message = findings("DF501", src)[1][3]
    assert message == YES.replace("it aborts;", "it aborts (DEBIAN_FRONTEND only silences debconf, not this prompt);")


def test_df501_debian_frontend_from_env_is_named_too():
    src = "FROM debian\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get install curl\n"
    assert "DEBIAN_FRONTEND only silences debconf" in findings("DF501", src)[0][3]


def test_df501_other_verbs_apt_sudo_env_and_positions():
    src = ("FROM ubuntu\nRUN sudo apt-get remove curl \\\n"
           "    && env LANG=C apt upgrade\n")
    assert findings("DF501", src) == [
        ("DF501", 2, 5, YES.replace("apt-get install", "apt-get remove")),
        ("DF501", 3, 8, YES.replace("apt-get install", "apt upgrade")),
    ]


def test_df501_assume_yes_configured_earlier():
    conf = "RUN echo 'APT::Get::Assume-Yes \"true\";' > /etc/apt/apt.conf.d/90assumeyes\n"
    assert findings("DF501", "FROM debian\n" + conf + "RUN apt-get install curl\n") == []
    # in the same RUN, before the install: fine; after it: too late
    same = "FROM debian\nRUN echo 'APT::Get::Assume-Yes \"1\";' >> /etc/apt/apt.conf && apt-get install curl\n"
    assert findings("DF501", same) == []
    late = "FROM debian\nRUN apt-get install curl && echo 'APT::Get::Assume-Yes \"1\";' > /etc/apt/apt.conf\n"
    assert len(findings("DF501", late)) == 1
    # inherited through FROM <stage>, but not from an unrelated stage
    staged = "FROM debian AS base\n" + conf + "FROM base\nRUN apt-get install curl\nFROM debian\nRUN apt-get install x\n"
    assert [line for _, line, _, _ in findings("DF501", staged)] == [6]
    # a configuration dfcheck cannot read gets the benefit of the doubt
    assert findings("DF501", "FROM debian\nCOPY apt.conf /etc/apt/apt.conf.d/\nRUN apt-get install curl\n") == []
    assert findings("DF501", "FROM debian\nRUN cp /tmp/x /etc/apt/apt.conf.d/\nRUN apt-get install curl\n") == []
    # a configuration about something else does not count
    other = "FROM debian\nRUN echo 'Acquire::Retries \"3\";' > /etc/apt/apt.conf.d/80retries\nRUN apt-get install x\n"
    assert len(findings("DF501", other)) == 1


def test_df501_tee_and_heredoc_writes():
    tee = ("FROM debian\nRUN echo 'APT::Get::Assume-Yes \"true\";' | tee /etc/apt/apt.conf.d/90yes\n"
           "RUN apt-get install curl\n")
    assert findings("DF501", tee) == []
    heredoc = ("FROM debian\nRUN cat > /etc/apt/apt.conf.d/90yes <<EOF\nAPT::Get::Assume-Yes \"true\";\nEOF\n"
               "RUN apt-get install curl\n")
    assert findings("DF501", heredoc) == []


def test_df501_heredoc_run_exec_form_and_mount():
    src = ("FROM debian\nRUN <<EOF\nset -e\napt-get update\napt-get install curl\nEOF\n"
           'RUN ["sh", "-c", "apt-get install curl"]\n'
           "RUN --mount=type=cache,target=/var/cache/apt apt-get install curl\n")
    assert [(line, column) for _, line, column, _ in findings("DF501", src)] == [(5, 1), (7, 18), (8, 46)]
    fixes = [f.fix for f in raw_findings("DF501", src)]
    assert fixes[1] is None  # exec form: JSON escapes make columns inexact


def test_df501_fix():
    src = "FROM debian\nRUN apt-get update && apt-get install curl\nRUN apt-get purge curl\n"
    [install, purge] = raw_findings("DF501", src)
    assert install.fix.applicability == "safe" and purge.fix.applicability == "unsafe"
    assert fixed("DF501", src, unsafe=False) == (
        "FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN apt-get purge curl\n")
    assert fixed("DF501", src) == "FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN apt-get purge -y curl\n"
    heredoc = "FROM debian\nRUN <<EOF\napt-get install curl\nEOF\n"
    assert fixed("DF501", heredoc) == "FROM debian\nRUN <<EOF\napt-get install -y curl\nEOF\n"


# -- DF502 apt-install-recommends ------------------------------------------------------------------

def test_df502_missing_no_install_recommends():
    src = "FROM debian\nRUN apt-get update \\\n && apt-get install -y curl git\n"
    assert findings("DF502", src) == [(
        "DF502", 3, 5,
        "`apt-get install` also installs what curl and git recommend; add --no-install-recommends, and name any "
        "recommended package the image needs",
    )]
    one = findings("DF502", "FROM debian\nRUN apt install -y python3\n")
    assert one[0][3].startswith("`apt install` also installs what python3 recommends;")


@pytest.mark.parametrize("command", [
    "apt-get install -y --no-install-recommends curl",
    "apt-get install -y -o APT::Install-Recommends=false curl",
    "apt-get install -y --install-recommends=no curl",
    "apt-get install -y -f",
    "apt-get -y upgrade",
    "apt-get update",
])
def test_df502_fine(command):
    assert findings("DF502", f"FROM debian\nRUN {command}\n") == []


def test_df502_configuration_written_before():
    conf = "RUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/01norecommends\n"
    assert findings("DF502", "FROM debian\n" + conf + "RUN apt-get install -y curl\n") == []
    same = ("FROM debian\nRUN printf 'APT::Install-Recommends \"0\";\\n' > /etc/apt/apt.conf.d/01norec"
            " && apt-get install -y curl\n")
    assert findings("DF502", same) == []
    heredoc = ("FROM debian\nRUN <<EOF\ncat <<CONF > /etc/apt/apt.conf.d/01norec\nAPT::Install-Recommends \"0\";\n"
               "CONF\napt-get install -y curl\nEOF\n")
    assert findings("DF502", heredoc) == []
    assert findings("DF502", "FROM debian\nENV APT_CONFIG=/etc/my-apt.conf\nRUN apt-get install -y curl\n") == []
    unrelated = "FROM debian\nRUN echo 'x' > /etc/apt/sources.list.d/x.list\nRUN apt-get install -y curl\n"
    assert len(findings("DF502", unrelated)) == 1


def test_df502_fix_is_unsafe():
    src = "FROM debian\nRUN sudo apt-get install -y curl\n"
    [finding] = raw_findings("DF502", src)
    assert finding.fix.applicability == "unsafe"
    assert fixed("DF502", src) == "FROM debian\nRUN sudo apt-get install --no-install-recommends -y curl\n"


# -- DF503, DF507-DF514 unpinned packages ----------------------------------------------------------

def _pinning(code, run):
    return findings(code, f"FROM x\nRUN {run}\n")


def test_df503_apt():
    assert _pinning("DF503", "apt-get install -y curl=7.88.1-10 wget 'lib${X}-dev' $PKGS nginx=${NV} "
                             "foo/bookworm-backports ./x.deb") == [(
        "DF503", 2, 5,
        "`apt-get install` installs wget and lib${X}-dev without a fixed version, so each build gets whatever is "
        "newest that day; pin them (`wget=<version>`)",
    )]
    assert _pinning("DF503", "apt-get install -y -t bookworm-backports curl=8.1 && apt-get update") == []


def test_df507_apk():
    assert _pinning("DF507", "apk add --no-cache --virtual .build-deps gcc musl-dev~1.2 \"nginx=${V}\" ./x.apk") == [(
        "DF507", 2, 5,
        "`apk add` installs gcc without a fixed version, so each build gets whatever is newest that day; pin it "
        "(`gcc=<version>` or `gcc~<major.minor>`)",
    )]
    assert _pinning("DF507", "apk add --no-cache curl=8.12.1-r0 'git>2.40'") == []


def test_df508_pip():
    assert _pinning("DF508", "pip install --no-cache-dir -U pip 'jax[cuda]' torch==2.1 'numpy>=1.26' ./pkg.whl .") == [(
        "DF508", 2, 5,
        "`pip install` installs pip and jax[cuda] without a fixed version, so each build gets whatever is newest "
        "that day; pin them (`pip==<version>`, or a requirements file)",
    )]
    [(_, _, _, message)] = _pinning("DF508", "python3 -m pip install flask git+https://github.com/x/y.git "
                                             "git+https://github.com/x/z.git@v1 'pkg @ https://x/pkg.whl'")
    assert message.startswith("`python3 -m pip install` installs flask and git+https://github.com/x/y.git without")
    assert _pinning("DF508", "pip install -r requirements.txt") == []
    assert _pinning("DF508", "pip install -c constraints.txt flask") == []
    assert len(_pinning("DF508", "pip install -r requirements.txt gunicorn")) == 1
    assert _pinning("DF508", "pip3.12 install \"flask==${FLASK_VERSION}\" $EXTRA && pip uninstall -y x") == []


def test_df508_pip2_paths_and_option_values():
    # hadolint's specs: pip2 is pip; `foo/bar` is a directory (no name on PyPI has a slash)
    assert _pinning("DF508", "pip2 install MySQL_python") == [(
        "DF508", 2, 5, "`pip2 install` installs MySQL_python without a fixed version, so each build gets whatever is "
                       "newest that day; pin it (`MySQL_python==<version>`, or a requirements file)")]
    assert _pinning("DF508", "pip install foo/bar && pip install --root-user-action ignore flask==3.1") == []
    assert _pinning("DF508", "pipx install black") == []  # not pip


def test_df503_a_version_variable_of_another_stage_pins_nothing():
    src = ("ARG GLOBAL_V=1\nFROM debian:12 AS build\nARG CURL_VERSION=7.88\nRUN apt-get install -y curl=${CURL_VERSION}\n"
           "FROM debian:12\nRUN apt-get install -y curl=$CURL_VERSION wget=${GLOBAL_V} \"git-${GIT_VER}\"\n"
           "RUN CURL_VERSION=7.88 && apt-get install -y curl=$CURL_VERSION\n"
           "ARG CURL_VERSION\nRUN apt-get install -y curl=$CURL_VERSION wget=${WGET_VERSION:-1.21}\n")
    assert findings("DF503", src) == [(
        "DF503", 6, 5,
        "`apt-get install` installs curl=$CURL_VERSION, wget=${GLOBAL_V} and \"git-${GIT_VER}\" without a fixed version: "
        "$CURL_VERSION and $GLOBAL_V are empty here, declared in another stage or before FROM but not in this one; "
        "declare them again after this stage's FROM (`ARG CURL_VERSION`)")]
    # declared nowhere in the file (the base image's ENV may set it): the benefit of the doubt, as before
    assert _pinning("DF512", "yum install -y \"git-core-${GIT_VER}\" tomcat-$VERSION") == []


def test_df509_npm_and_global_installs():
    src = ("FROM node\nRUN npm install -g typescript@5 @angular/cli eslint@latest @scope/x@1.0 ./local "
           "git+https://github.com/x/y.git#abc1234 && npm ci && npm install\n"
           "RUN yarn global add nodemon && pnpm add -g pm2@5\n")
    assert findings("DF509", src) == [
        ("DF509", 2, 5, "`npm install` installs @angular/cli and eslint@latest without a fixed version, so each build "
                        "gets whatever is newest that day; pin them (`@angular/cli@<version>`)"),
        ("DF509", 3, 5, "`yarn global add` installs nodemon without a fixed version, so each build gets whatever is "
                        "newest that day; pin it (`nodemon@<version>`)"),
    ]
    assert _pinning("DF509", "yarn add left-pad && pnpm add lodash") == []  # project dependencies: package.json


def test_df510_gem():
    assert _pinning("DF510", "gem install bundler:2.6 rails -- --with-pg-config=/usr/bin/pg_config") == [(
        "DF510", 2, 5,
        "`gem install` installs rails without a fixed version, so each build gets whatever is newest that day; "
        "pin it (`rails:<version>` or `-v <version>`)",
    )]
    assert _pinning("DF510", "gem install -v 7.1.0 rails && gem install ./local.gem") == []
    # `true` is the value of an option gem does not know (hadolint's spec), not a gem
    assert _pinning("DF510", "gem install bundler:2.0.1 --use-system-libraries true") == []
    assert len(_pinning("DF510", "gem install --no-document bundler")) == 1


def test_df511_go():
    src = ("FROM golang\nRUN go install golang.org/x/tools/gopls@latest && go install ./cmd/app "
           "&& go install github.com/a/b@v1.2.3 && go install github.com/c/d\n"
           "RUN go get github.com/x/y && go get github.com/x/z@v1.0.0 && go run gotest.tools/gotestsum@main ./...\n")
    assert findings("DF511", src) == [
        ("DF511", 2, 5, "`go install` installs golang.org/x/tools/gopls@latest without a fixed version, so each build "
                        "gets whatever is newest that day; pin it (`golang.org/x/tools/gopls@<version>`)"),
        ("DF511", 3, 5, "`go get` installs github.com/x/y without a fixed version, so each build gets whatever is "
                        "newest that day; pin it (`github.com/x/y@<version>`)"),
        ("DF511", 3, 62, "`go run` runs gotest.tools/gotestsum@main without a fixed version, so each build gets "
                         "whatever is newest that day; pin it (`gotest.tools/gotestsum@<version>`)"),
    ]


def test_df512_df513_rpm_family():
    src = ('FROM fedora\nRUN yum install -y nginx-1.20.1 java-17-openjdk @core "perl(JSON)" "curl-${V}" '
           "kernel-5.14.0-70.el9.x86_64 ./local.rpm\n"
           "RUN dnf module install -y nodejs:18 && microdnf install -y python3-devel && tdnf install -y vim-9.1\n")
    assert findings("DF512", src) == [(
        "DF512", 2, 5,
        "`yum install` installs java-17-openjdk without a fixed version, so each build gets whatever is newest that "
        "day; pin it (`java-17-openjdk-<version>`)",
    )]
    assert [(line, column) for _, line, column, _ in findings("DF513", src)] == [(3, 40)]
    assert _pinning("DF513", "dnf module install -y nodejs") == [(
        "DF513", 2, 5,
        "`dnf module install` installs nodejs without a fixed version, so each build gets whatever is newest that "
        "day; pin it (`nodejs:<stream>`)",
    )]


def test_df514_zypper():
    assert _pinning("DF514", "zypper -n in -y nginx=1.27 curl pattern:devel_basis 'git>=2.40'") == [(
        "DF514", 2, 5,
        "`zypper in` installs curl without a fixed version, so each build gets whatever is newest that day; pin it "
        "(`curl=<version>`)",
    )]


def test_pinning_defaults_and_severities():
    rules = builtin_rules()
    for code in ("DF503", "DF507", "DF512", "DF513", "DF514"):
        assert (rules[code].enabled, rules[code].severity) == (False, "info")
    for code in ("DF508", "DF509", "DF510", "DF511"):
        assert (rules[code].enabled, rules[code].severity) == (True, "warning")
    hadolint = {code: rules[code].hadolint for code in ("DF503", "DF507", "DF508", "DF509", "DF510", "DF511",
                                                         "DF512", "DF513", "DF514")}
    assert hadolint == {"DF503": ("DL3008",), "DF507": ("DL3018",), "DF508": ("DL3013",), "DF509": ("DL3016",),
                        "DF510": ("DL3028",), "DF511": ("DL3062",), "DF512": ("DL3033",), "DF513": ("DL3041",),
                        "DF514": ("DL3037",)}


def test_hadolint_suppression_silences_only_the_matching_manager():
    src = ("FROM x\n# hadolint ignore=DL3008\nRUN apt-get install -y --no-install-recommends curl "
           "&& pip install flask\n")
    assert lint(src, select=("DF503", "DF508")) == [("DF508", 3, 56)]
    src = "FROM x\n# hadolint ignore=DL3013\nRUN apt-get install -y --no-install-recommends curl && pip install flask\n"
    assert lint(src, select=("DF503", "DF508")) == [("DF503", 3, 5)]


def test_pinning_rules_off_by_default_in_the_engine():
    src = "FROM x\nRUN apk add --no-cache curl && pip install flask\n"
    assert lint(src) == [("DF508", 2, 32)]


# -- DF504 cd-instead-of-workdir -------------------------------------------------------------------

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


# -- DF505 sudo-in-run -----------------------------------------------------------------------------

def test_df505_sudo_as_root_and_as_another_user():
    src = ("FROM ubuntu\nRUN sudo apt-get update && env A=1 sudo -E make\nUSER app\nRUN sudo -u root make install\n"
           "USER 0\nRUN command -v sudo && sudo ls\n")
    assert findings("DF505", src) == [
        ("DF505", 2, 5, "`sudo` in a RUN, which runs as the base image's user, root unless the base sets another "
                        "USER: as root, drop sudo; otherwise switch with `USER root` and back"),
        ("DF505", 2, 36, "`sudo` in a RUN, which runs as the base image's user, root unless the base sets another "
                         "USER: as root, drop sudo; otherwise switch with `USER root` and back"),
        ("DF505", 4, 5, "`sudo` in a RUN that runs as app (USER at line 3): put the commands that need root after "
                        "`USER root`, then switch back"),
        ("DF505", 6, 24, "`sudo` in a RUN that already runs as root (USER 0 at line 5): it only resets the "
                         "environment; drop it"),
    ]
    fixes = [f.fix for f in raw_findings("DF505", src)]
    assert [f and f.applicability for f in fixes] == ["unsafe", None, None, "unsafe"]
    assert fixed("DF505", src).splitlines()[1] == "RUN apt-get update && env A=1 sudo -E make"


def test_df505_not_a_command():
    src = "FROM ubuntu\nRUN apt-get install -y sudo && echo 'app ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers\n"
    assert findings("DF505", src) == []


def test_df505_user_inherited_from_a_stage_heredoc_and_continuation():
    src = "FROM ubuntu AS base\nUSER dev\nFROM base\nRUN <<EOF\nsudo make install\nEOF\nRUN true \\\n  && sudo ls\n"
    assert [(line, column) for _, line, column, _ in findings("DF505", src)] == [(5, 1), (8, 6)]
    assert "runs as dev (USER at line 2)" in findings("DF505", src)[0][3]


# -- DF506 pipe-without-pipefail -------------------------------------------------------------------

DASH = ('/bin/sh of Debian and Ubuntu images is dash, which has no pipefail: put '
        '`SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before this RUN')


def test_df506_download_into_tar_on_debian():
    src = "FROM debian:12\nRUN curl -fsSL https://x/t.tgz | tar -xz && echo ok\n"
    assert findings("DF506", src) == [(
        "DF506", 2, 5,
        "if `curl` fails, the pipeline's status is still `tar`'s, which may succeed on the missing input or blame "
        "the wrong command; " + DASH,
    )]
    assert raw_findings("DF506", src)[0].fix is None  # dash: a SHELL change is for the author


def test_df506_alpine_fix():
    src = "FROM alpine:3.21\nRUN wget -qO- https://x/install.sh | sh\n"
    assert findings("DF506", src) == [(
        "DF506", 2, 5,
        "if `wget` fails, the pipeline's status is still `sh`'s, which may succeed on the missing input or blame the "
        "wrong command; start the RUN with `set -o pipefail &&`",
    )]
    assert fixed("DF506", src) == "FROM alpine:3.21\nRUN set -o pipefail && wget -qO- https://x/install.sh | sh\n"
    assert fixed("DF506", src, unsafe=False) == src


def test_df506_tee():
    src = "FROM fedora\nRUN set -e; make 2>&1 | tee /build.log; echo done\n"
    assert findings("DF506", src) == [(
        "DF506", 2, 13,
        "`tee` succeeds whatever `make` does, so the pipeline hides a failure of `make`; start the RUN with "
        "`set -o pipefail &&`",
    )]


@pytest.mark.parametrize("run", [
    'echo "$SHA256 *go.tgz" | sha256sum -c -',
    "yes | apt-get install x",
    "find / -name '*.pyc' | xargs rm -f",
    "echo 'deb http://x stable main' | tee /etc/apt/sources.list.d/x.list",
    "set -o pipefail && curl -fsSL x | tar -xz",
    "set -euxo pipefail; curl -fsSL x | tar -xz",
    "if curl -s x | grep -q y; then echo; fi",
    "curl x | sh || true",
    "V=$(curl -s api | jq -r .tag) && echo $V",
    "make | tee log; echo done",
    "curl x | sh &",
])
def test_df506_fine(run):
    assert findings("DF506", f"FROM alpine\nRUN {run}\n") == []


def test_df506_shell_with_pipefail_and_shells_without_it():
    src = 'FROM debian\nSHELL ["/bin/bash", "-euxo", "pipefail", "-c"]\nRUN curl x | tar -x\n'
    assert findings("DF506", src) == []
    src = 'FROM debian\nSHELL ["/bin/bash", "-c"]\nRUN curl x | tar -x\n'
    assert findings("DF506", src)[0][3].endswith("start the RUN with `set -o pipefail &&`")
    assert findings("DF506", "FROM scratch\nRUN curl x | tar -x\n") == []
    windows = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN curl x | tar -x\n"
    assert findings("DF506", windows) == []


def test_df506_heredocs_exec_form_and_mount():
    src = ("FROM debian\nRUN <<EOF\n#!/bin/bash -eo pipefail\ncurl x | sh\nEOF\n"
           "RUN bash -e <<EOF\ncurl x | tar -x\nEOF\n"
           'RUN ["bash", "-c", "wget -qO- x | bash"]\n'
           "RUN --mount=type=secret,id=token curl -H @/run/secrets/token x | tar -x\n")
    assert [(line, column, message.split("; ")[1]) for _, line, column, message in findings("DF506", src)] == [
        (7, 1, "put `set -o pipefail` at the top of the script"),
        (9, 20, "start the RUN with `set -o pipefail &&`"),
        (10, 34, DASH),
    ]


def test_df501_df502_not_silenced_by_a_relative_copy_or_copy_all():
    for copy in ("COPY requirements.txt ./", "COPY . .", "COPY . /"):
        src = f"FROM debian\n{copy}\nRUN apt-get update && apt-get install curl\n"
        assert [(code, line) for code, line, _, _ in findings("DF501", src)] == [("DF501", 3)], copy
        assert [(code, line) for code, line, _, _ in findings("DF502", src)] == [("DF502", 3)], copy
    # A tree copied to / may hold etc/apt/apt.conf.d: given the benefit of the doubt.
    assert findings("DF501", "FROM debian\nCOPY rootfs/ /\nRUN apt-get update && apt-get install curl\n") == []
    assert findings("DF502", "FROM debian\nCOPY 99norecommends /etc/apt/apt.conf.d/\nRUN apt-get install -y curl\n") == []


def test_a_backtick_comment_in_a_chain_hides_nothing():
    src = ("FROM debian\nRUN apt-get update \\\n    && `# the tools` \\\n    apt-get install curl \\\n"
           "    && rm -rf /var/lib/apt/lists/*\n")
    assert [(code, line, col) for code, line, col, _ in findings("DF501", src)] == [("DF501", 4, 5)]
    assert findings("DF203", src) == []

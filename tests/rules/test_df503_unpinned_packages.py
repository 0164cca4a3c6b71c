"""DF503: unpinned packages (rules/df503_unpinned_packages.py)."""

from support import findings


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



def test_df519_pecl():
    assert _pinning("DF519", "pecl install -D 'enable-redis-igbinary=\"yes\"' redis xdebug-beta pecl.php.net/apcu "
                             "apcu-5.1.24 pecl.php.net/igbinary-3.2.16 channel://pecl.php.net/memcached-3.3.0 "
                             "./build/amqp-2.1.2.tgz /src/ext/package.xml https://example.com/x.tgz") == [(
        "DF519", 2, 5,
        "`pecl install` installs redis, xdebug-beta and pecl.php.net/apcu without a fixed version, so each build gets "
        "whatever is newest that day; pin them (`redis-<version>`)",
    )]
    # a stability names no version; the advice drops it
    assert _pinning("DF519", "pecl install redis-stable")[0][3].endswith("pin it (`redis-<version>`)")
    assert _pinning("DF519", "pecl install channel://pecl.php.net/redis")[0][3].endswith("pin it (`redis-<version>`)")
    assert _pinning("DF519", "pecl install -f redis-6.1.0 && pecl install redis-6 && pecl run --crazy install") == []
    assert _pinning("DF519", "apt-get install -y php-pecl-redis && pecl channel-update pecl.php.net") == []


def test_df519_answers_to_dl3068():
    from dfcheck.config import default_settings
    from dfcheck.engine import lint_text, load_rules

    settings = default_settings(load_rules())  # on by default
    found = lint_text("FROM php:8.3\nRUN pecl install redis\n", "Dockerfile", settings).findings
    assert [(f.code, f.span.line, f.span.column) for f in found if f.code == "DF519"] == [("DF519", 2, 5)]
    src = "FROM php:8.3\n# hadolint ignore=DL3068\nRUN pecl install redis\n"
    assert [f for f in lint_text(src, "Dockerfile", settings).findings if f.code == "DF519"] == []

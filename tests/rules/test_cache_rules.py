"""Build-cache rules: DF101 copy-before-dependency-install, DF102 apt-update-in-separate-layer,
DF103 volatile-arg-before-run, DF104 context-not-ignored."""


import pytest

from support import builtin_rules, findings, model_of, raw_findings, tree

from dfcheck.rule import Options


def _fixed(code, src, **model_options):
    """The text after applying each finding's fix alone, or None for a finding without one."""
    from dfcheck.fixes import apply_fixes

    return [apply_fixes(src, [f], unsafe=True)[0] if f.fix else None for f in raw_findings(code, src, **model_options)]


# -- DF101 -----------------------------------------------------------------------------------

def test_df101_copy_all_before_npm_ci():
    src = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n"
    assert findings("DF101", src) == [(
        "DF101", 3, 6,
        "COPY . copies the whole build context before `npm ci` at line 4 installs the dependencies: a change to any "
        "copied file runs it again; copy package.json and package-lock.json first and install, then copy the rest",
    )]


def test_df101_manifests_first_is_fine():
    src = "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n"
    assert findings("DF101", src) == []
    src = "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n"
    assert findings("DF101", src) == []


@pytest.mark.parametrize("run, names", [
    ("pip install -r requirements.txt", "requirements.txt"),
    ("pip install --no-cache-dir -r requirements/prod.txt", "requirements/prod.txt"),
    ("python -m pip install .", "pyproject.toml and setup.py"),
    ("poetry install --no-root", "pyproject.toml and poetry.lock"),
    ("pipenv install --deploy", "Pipfile and Pipfile.lock"),
    ("uv sync --frozen", "pyproject.toml and uv.lock"),
    ("yarn install --frozen-lockfile", "package.json and yarn.lock"),
    ("pnpm install", "package.json and pnpm-lock.yaml"),
    ("bundle install", "Gemfile and Gemfile.lock"),
    ("composer install", "composer.json and composer.lock"),
    ("go mod download", "go.mod and go.sum"),
    ("cargo build --release", "Cargo.toml and Cargo.lock"),
    ("mvn -B package", "pom.xml"),
    ("./gradlew build", "build.gradle and settings.gradle"),
    ("dotnet restore", "*.csproj"),
])
def test_df101_ecosystems(run, names):
    [(code, line, column, message)] = findings("DF101", f"FROM x\nWORKDIR /src\nCOPY . .\nRUN {run}\n")
    assert (line, column) == (3, 6)
    assert f"copy {names} first" in message


def test_df101_whole_directory_and_absolute_manifest():
    src = "FROM python\nCOPY app/ /srv/app/\nRUN pip install -r /srv/app/requirements.txt\n"
    [(_, line, column, message)] = findings("DF101", src)
    assert (line, column) == (2, 6)
    assert message.startswith("COPY app/ copies the whole directory app/ before `pip install -r /srv/app/requirements.txt`")
    assert "copy app/requirements.txt first" in message


def test_df101_build_steps_need_no_prefetch_when_done():
    src = "FROM golang\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n"
    assert findings("DF101", src) == []
    [(_, _, _, message)] = findings("DF101", "FROM golang\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n")
    assert "before `go build -o /app .` at line 4 fetches the dependencies" in message
    assert "copy go.mod and go.sum first and run `go mod download`" in message


def test_df101_installs_of_named_packages_need_nothing_copied_and_bind_mounted_manifests_are_fine():
    # An install of named packages reads nothing of the copy: the copy still runs it again on every change.
    assert findings("DF101", "FROM node\nCOPY . /app\nRUN npm install -g typescript\n") == [(
        "DF101", 2, 6, "COPY . copies the whole build context before `npm install -g typescript` at line 3 installs "
                       "packages from a registry, which reads none of it: a change to any copied file runs the "
                       "install again; move the install above the COPY")]
    src = ("FROM debian\nCOPY . /app\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y curl "
           "&& rm -rf /var/lib/apt/lists/*\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(2, 6)]
    # ...unless the RUN may use the copy, or the copy may configure the package manager.
    assert findings("DF101", "FROM python\nCOPY . /app\nRUN pip install flask && python /app/setup.py\n") == []
    assert findings("DF101", "FROM debian\nCOPY apt/ /etc/apt/\nRUN apt-get update && apt-get install -y x\n") == []
    assert findings("DF101", "FROM debian\nCOPY . /app\nRUN apt-get install -y ./app/tool.deb\n") == []
    # Manifests bind-mounted: the install reads nothing the COPY brought, which then only busts its cache.
    src = ("FROM python\nWORKDIR /app\nCOPY . .\n"
           "RUN --mount=type=bind,source=requirements.txt,target=/tmp/r.txt pip install -r /tmp/r.txt\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(3, 6)]
    src = "FROM python\nRUN --mount=type=bind,source=requirements.txt,target=/tmp/r.txt pip install -r /tmp/r.txt\n"
    assert findings("DF101", src) == []


def test_df101_manifests_checked_against_the_context(tmp_path):
    tree(tmp_path, {"package.json": "{}", "yarn.lock": "", "src/index.js": ""})
    [(_, _, _, message)] = findings("DF101", "FROM node\nWORKDIR /app\nCOPY . .\nRUN yarn\n", context_dir=str(tmp_path))
    assert "copy package.json and yarn.lock first" in message
    tree(tmp_path, {"api/App.csproj": "", "api/Lib.csproj": ""})
    src = "FROM sdk\nWORKDIR /src\nCOPY api/ .\nRUN dotnet restore\n"
    [(_, _, _, message)] = findings("DF101", src, context_dir=str(tmp_path))
    assert "copy api/App.csproj and api/Lib.csproj first" in message


def test_df101_reported_once_per_copy():
    src = "FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN yarn install\n"
    assert len(findings("DF101", src)) == 1


def test_df101_fix_copies_the_manifests_and_installs_first():
    # A RUN that only installs moves, with the comments above it.
    src = "FROM python:3.12\nWORKDIR /app\nCOPY . .\n# dependencies\nRUN pip install -r requirements.txt\nCMD [\"app\"]\n"
    assert _fixed("DF101", src) == [
        "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt ./\n# dependencies\nRUN pip install -r requirements.txt\n"
        "COPY . .\nCMD [\"app\"]\n"]
    # Packages from a registry and cleaning outside the project move with it; a requirements file in a
    # subdirectory keeps its place.
    src = ("FROM python:3.12\nWORKDIR /src\nCOPY . .\nRUN apt-get update && apt-get install -y gcc && "
           "pip install -r requirements/prod.txt && rm -rf /var/lib/apt/lists/*\n")
    assert _fixed("DF101", src) == [
        "FROM python:3.12\nWORKDIR /src\nCOPY requirements/prod.txt ./requirements/\nRUN apt-get update && "
        "apt-get install -y gcc && pip install -r requirements/prod.txt && rm -rf /var/lib/apt/lists/*\nCOPY . .\n"]
    # A RUN that does more: the install goes first with the RUN's flags, the rest stays; the COPY's owner is kept.
    # Without the build context, optional files are copied by a wildcard that tolerates their absence.
    src = ("FROM node:20\nWORKDIR /app\nCOPY --chown=node:node . .\n"
           "RUN --mount=type=cache,target=/root/.npm npm ci && npm run build\n")
    assert _fixed("DF101", src) == [
        "FROM node:20\nWORKDIR /app\nCOPY --chown=node:node package.json package-lock.json* npm-shrinkwrap.json* "
        ".npmrc* ./\nRUN --mount=type=cache,target=/root/.npm npm ci\nCOPY --chown=node:node . .\n"
        "RUN --mount=type=cache,target=/root/.npm npm run build\n"]
    [finding] = raw_findings("DF101", src)
    assert finding.fix.description == (
        "Copy package.json, package-lock.json*, npm-shrinkwrap.json* and .npmrc* before the COPY at line 3 and run "
        "`npm ci` before it; the RUN at line 4 keeps the rest (without the build context: the manifests are taken "
        "to name no other file of the project, and `*` copies a file only when the project has it)")
    # A build that fetches while building: the manifests and the fetch-only command go first.
    src = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app ./cmd/app\n"
    assert _fixed("DF101", src) == [
        "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum* ./\nRUN go mod download\nCOPY . .\n"
        "RUN go build -o /out/app ./cmd/app\n"]
    # Manifests named by absolute paths, a `cd` into their directory.
    src = "FROM python\nCOPY . /srv/app\nRUN cd /srv/app && pip install -r requirements.txt\n"
    assert _fixed("DF101", src) == [
        "FROM python\nCOPY requirements.txt /srv/app/\nRUN cd /srv/app && pip install -r requirements.txt\n"
        "COPY . /srv/app\n"]


def test_df101_fix_moves_an_install_of_registry_packages_before_the_copy():
    src = "FROM python\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
    assert _fixed("DF101", src) == [
        "FROM python\nWORKDIR /app\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
        "COPY . .\n"]
    # unless it deletes copied files
    assert _fixed("DF101", src.replace("/var/lib/apt/lists/*", "/app/tmp")) == [None]


def test_df101_fix_with_the_build_context_copies_what_the_project_has(tmp_path):
    context = tree(tmp_path / "node", {"package.json": "{}", "package-lock.json": "{}", "index.js": ""})
    src = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
    assert _fixed("DF101", src, context_dir=context) == [
        "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n"]
    # A requirements file that includes another: both are copied.
    context = tree(tmp_path / "py", {"requirements.txt": "flask\n-r requirements/base.txt\n",
                                     "requirements/base.txt": "requests\n", "app.py": ""})
    src = "FROM python\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
    assert _fixed("DF101", src, context_dir=context) == [
        "FROM python\nWORKDIR /app\nCOPY requirements.txt ./\nCOPY requirements/base.txt ./requirements/\n"
        "RUN pip install -r requirements.txt\nCOPY . .\n"]
    # Yarn 1 (no .yarnrc.yml): the lock file the context has.
    context = tree(tmp_path / "yarn", {"package.json": "{}", "yarn.lock": ""})
    src = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile\n"
    assert _fixed("DF101", src, context_dir=context) == [
        "FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\nCOPY . .\n"]


@pytest.mark.parametrize("files, src", [
    # the manifests name more of the project: an editable install, workspaces, install scripts, a gemspec
    ({"requirements.txt": "-e .\n"}, "FROM python\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"),
    ({"package.json": '{"workspaces": ["web"]}'}, "FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"),
    ({"package.json": '{"scripts": {"postinstall": "patch-package"}}'},
     "FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"),
    ({"Gemfile": "source 'https://rubygems.org'\ngemspec\n"}, "FROM ruby\nWORKDIR /app\nCOPY . .\nRUN bundle install\n"),
    # Yarn 2+ settings, a pnpm workspace, a Go workspace, a main manifest the context does not have
    ({"package.json": "{}", ".yarnrc.yml": "yarnPath: .yarn/releases/yarn.cjs\n"},
     "FROM node\nWORKDIR /app\nCOPY . .\nRUN yarn install\n"),
    ({"package.json": "{}", "pnpm-workspace.yaml": ""}, "FROM node\nWORKDIR /app\nCOPY . .\nRUN pnpm install\n"),
    ({"go.mod": "module x\n", "go.work": ""}, "FROM golang\nWORKDIR /src\nCOPY . .\nRUN go mod download\n"),
    ({"src/app.py": ""}, "FROM python\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"),
])
def test_df101_no_fix_when_the_manifests_are_not_enough(tmp_path, files, src):
    context = tree(tmp_path, files)
    [finding] = raw_findings("DF101", src, context_dir=context)
    assert finding.fix is None


@pytest.mark.parametrize("src", [
    # something between the copy and the install that the install may need, or that changes where it runs
    "FROM python\nWORKDIR /app\nCOPY . .\nWORKDIR /app/x\nRUN pip install -r requirements.txt\n",
    "FROM python\nWORKDIR /app\nCOPY . .\nENV PIP_INDEX_URL=https://pypi.test/\nRUN pip install -r requirements.txt\n",
    "FROM python\nWORKDIR /app\nCOPY . .\nRUN ./configure-pip.sh\nRUN pip install -r requirements.txt\n",
    # installs that need more than the manifests: the project itself, cargo, Maven; Yarn and pnpm unseen
    "FROM python\nWORKDIR /app\nCOPY . .\nRUN pip install .\n",
    "FROM rust\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n",
    "FROM maven\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\n",
    "FROM node\nWORKDIR /app\nCOPY . .\nRUN yarn install\n",
    "FROM node\nWORKDIR /app\nCOPY . .\nRUN pnpm install\n",
    # a RUN that does more, where the install is not its first step
    "FROM node\nWORKDIR /app\nCOPY . .\nRUN echo building && npm ci && npm run build\n",
    "FROM node\nWORKDIR /app\nCOPY . .\nRUN if [ -f package-lock.json ]; then npm ci; else npm install; fi\n",
    # a directory only guessed from its name (no build context)
    "FROM python\nCOPY app /srv/app\nRUN pip install -r /srv/app/requirements.txt\n",
    # the install in a later stage
    "FROM python AS base\nWORKDIR /app\nCOPY . .\nFROM base\nRUN pip install -r requirements.txt\n",
])
def test_df101_no_fix_when_the_install_cannot_move(src):
    assert _fixed("DF101", src) == [None]


# -- DF102 -----------------------------------------------------------------------------------

def test_df102_update_alone_then_install():
    src = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"
    assert findings("DF102", src) == [(
        "DF102", 2, 5,
        "`apt-get update` refreshes the package lists in its own layer, and the install at line 3 runs in another: "
        "when only the install changes, it runs on the cached, stale lists; update and install in the same RUN",
    )]


def test_df102_other_managers_and_child_stages():
    assert [line for _, line, _, _ in findings("DF102", "FROM alpine\nRUN apk update\nRUN apk add curl\n")] == [2]
    assert findings("DF102", "FROM alpine\nRUN apk update\nRUN apk add --no-cache curl\n") == []
    assert [line for _, line, _, _ in findings("DF102", "FROM fedora\nRUN dnf makecache\nRUN dnf install -y git\n")] == [2]
    assert [line for _, line, _, _ in findings("DF102", "FROM suse\nRUN zypper refresh\nRUN zypper install -y git\n")] == [2]
    src = "FROM debian AS base\nRUN apt-get update\nFROM base\nRUN apt-get install -y curl\n"
    assert [line for _, line, _, _ in findings("DF102", src)] == [2]


def test_df102_fine_cases():
    assert findings("DF102", "FROM debian\nRUN apt-get update && apt-get install -y curl\n") == []
    assert findings("DF102", "FROM debian\nRUN apt-get update\nRUN apt-get update && apt-get install -y curl\n") == []
    assert findings("DF102", "FROM debian\nRUN apt-get update\nRUN echo done\n") == []


def test_df102_fix_moves_the_update_into_the_install():
    src = "FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\n"
    assert _fixed("DF102", src) == ["FROM debian\nRUN apt-get update && apt-get install -y curl\n"]
    # In a heredoc script, after `set -e` on its own line; the update's options kept, its continuation joined.
    src = "FROM debian\nRUN apt-get -qq \\\n    update\nRUN <<EOF\nset -e\napt-get install -y x\nEOF\n"
    assert _fixed("DF102", src) == ["FROM debian\nRUN <<EOF\nset -e\napt-get -qq update && apt-get install -y x\nEOF\n"]
    # A RUN that only updated and cleaned the lists goes whole; one that does more loses just the update.
    src = "FROM debian\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y curl\n"
    assert _fixed("DF102", src) == ["FROM debian\nRUN apt-get update && apt-get install -y curl\n"]
    src = ("FROM debian\nRUN echo deb http://x.test/ y main > /etc/apt/sources.list.d/y.list && apt-get update\n"
           "RUN DEBIAN_FRONTEND=noninteractive apt-get install -y y\n")
    assert _fixed("DF102", src) == [
        "FROM debian\nRUN echo deb http://x.test/ y main > /etc/apt/sources.list.d/y.list\n"
        "RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y y\n"]
    # An upgrade needs the lists: its RUN keeps the update, and the install gets its own.
    src = "FROM debian\nRUN apt-get update && apt-get upgrade -y\nRUN apt-get install -y curl\n"
    assert _fixed("DF102", src) == [
        "FROM debian\nRUN apt-get update && apt-get upgrade -y\nRUN apt-get update && apt-get install -y curl\n"]


@pytest.mark.parametrize("src", [
    # the install is not a plain step of its RUN
    "FROM debian\nRUN apt-get update\nRUN if true; then apt-get install -y curl; fi\n",
    "FROM debian\nRUN apt-get update\nRUN (apt-get install -y curl)\n",
    # a USER or SHELL between, or a flag the update needs
    "FROM debian\nRUN apt-get update\nUSER app\nRUN apt-get install -y curl\n",
    "FROM debian\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\nRUN apt-get install -y curl\n",
    # the install is in a stage built FROM this one: other stages may install on these lists too
    "FROM debian AS base\nRUN apt-get update\nFROM base\nRUN apt-get install -y curl\n",
    # `|| true` keeps a failing update from stopping the build: it cannot go in front of the install alone
    "FROM centos\nRUN yum check-update || true\nRUN yum install -y git\n",
    # exec form
    'FROM debian\nRUN ["apt-get", "update"]\nRUN apt-get install -y curl\n',
])
def test_df102_no_fix_when_the_update_cannot_move(src):
    assert _fixed("DF102", src) == [None]


# -- DF103 -----------------------------------------------------------------------------------

def test_df103_volatile_arg_before_runs():
    src = "FROM alpine\nARG VCS_REF\nRUN apk add --no-cache curl\nRUN make\nLABEL org.opencontainers.image.revision=$VCS_REF\n"
    assert findings("DF103", src) == [(
        "DF103", 2, 5,
        "ARG VCS_REF changes on every build, so the RUN instructions after it (lines 3, 4) miss the cache each "
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


# -- DF104 -----------------------------------------------------------------------------------

def test_df104_needs_the_context():
    assert findings("DF104", "FROM node\nCOPY . /app\n") == []


def test_df104_names_what_gets_in(tmp_path):
    tree(tmp_path, {
        ".git/objects/pack": b"\0" * 2048, ".git/HEAD": "ref", "node_modules/a/index.js": "x" * 100,
        "package.json": "{}", "dist/app.js": "y" * 10, "src/index.js": "z", "pkg/__pycache__/m.pyc": "c",
        ".dockerignore": "node_modules\n",
    })
    assert findings("DF104", "FROM node\nWORKDIR /app\nCOPY . .\n", context_dir=str(tmp_path)) == [(
        "DF104", 3, 6,
        "COPY . copies .git (2 files, 2.0 KiB), dist (1 file, 10 B) and pkg/__pycache__ (1 file, 1 B) from the build "
        "context: .dockerignore does not exclude them; they change the cache key of this copy and everything after "
        "it, and go into the image",
    )]


def test_df104_no_dockerignore_and_virtualenvs(tmp_path):
    tree(tmp_path, {"env/pyvenv.cfg": "home = /usr/bin", "env/lib/x.py": "x", "app.py": ""})
    [(_, _, _, message)] = findings("DF104", "FROM python\nCOPY . /app\n", context_dir=str(tmp_path))
    assert message.startswith("COPY . copies env (2 files, 16 B) from the build context: there is no .dockerignore")


def test_df104_fine_when_ignored_or_narrow(tmp_path):
    tree(tmp_path, {".git/HEAD": "ref", "node_modules/a.js": "", "src/a.py": "", "build/x": "",
                    ".dockerignore": ".git\nnode_modules\n"})
    assert findings("DF104", "FROM node\nCOPY . /app\n", context_dir=str(tmp_path)) == []  # no manifest: build/ is source
    assert findings("DF104", "FROM node\nCOPY src /app/src\n", context_dir=str(tmp_path)) == []


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


# -- cache order as real files need it --------------------------------------------------------------------------

def test_df101_a_broad_copy_before_an_install_is_reported_even_when_the_manifest_comes_from_a_narrow_one():
    src = "FROM node:20\nWORKDIR /app\nCOPY . .\nCOPY package.json package-lock.json ./\nRUN npm ci\n"
    assert findings("DF101", src) == [(
        "DF101", 3, 6,
        "COPY . copies the whole build context before `npm ci` at line 5 installs the dependencies (it reads "
        "package.json from the COPY at line 4): a change to any copied file runs it again; copy it after the install",
    )]
    src = "FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY src/ ./src/\nRUN npm ci\nCOPY . .\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(4, 6)]
    # A directory outside the project is not broad for this install (settings of the system, another project).
    src = "FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY config/ /etc/app/\nRUN npm ci\nCOPY . .\n"
    assert findings("DF101", src) == []
    # Local packages copied into the project may be what the install reads.
    src = "FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY packages ./packages\nRUN npm ci\n"
    assert findings("DF101", src) == []


def test_df101_a_directory_named_without_a_slash_is_broad_when_the_manifest_is_under_it():
    for copy, run, names in (
            ("COPY app /deploy/app", "pip install -r /deploy/app/requirements.txt", "app/requirements.txt"),
            ("COPY ./lib /x/lib", "cd /x/lib && npm ci", "lib/package.json and lib/package-lock.json")):
        [(_, line, column, message)] = findings("DF101", f"FROM x\n{copy}\nRUN {run}\n")
        assert (line, column) == (2, 6), copy
        assert f"copy {names} first" in message, message


def test_df101_exec_form_installs():
    src = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN ["npm", "install"]\n'
    assert findings("DF101", src) == [(
        "DF101", 3, 6,
        "COPY . copies the whole build context before `npm install` at line 4 installs the dependencies: a change "
        "to any copied file runs it again; copy package.json and package-lock.json first and install, then copy the rest",
    )]


def test_df102_update_only_commands_of_each_family():
    for update, install in (("yum check-update || true", "yum install -y git"), ("zypper ref", "zypper in -y git"),
                            ("pacman -Syy", "pacman -S --noconfirm git")):
        src = f"FROM x\nRUN {update}\nRUN {install}\n"
        assert [(line, col) for _, line, col, _ in findings("DF102", src)] == [(2, 5)], update


def test_df103_per_build_names_are_recognised_by_their_parts():
    for name in ("CI_JOB_ID", "BUILD_NUM", "GITHUB_RUN_ID", "PIPELINE_TIMESTAMP", "MY_CACHEBUST", "GIT_COMMIT_SHA"):
        assert [(line, col) for _, line, col, _ in findings("DF103", f"FROM x\nARG {name}\nRUN make\n")] == [(2, 5)], name
    for name in ("BUILD_TYPE", "NODE_VERSION", "USER_ID", "RUNTIME", "GIT_BRANCH"):
        assert findings("DF103", f"FROM x\nARG {name}\nRUN make\n") == [], name


def test_df102_an_update_with_an_upgrade_still_leaves_later_installs_stale():
    src = "FROM debian\nRUN apt-get update && apt-get upgrade -y\nRUN apt-get install -y curl\n"
    assert [(line, col) for _, line, col, _ in findings("DF102", src)] == [(2, 5)]


def test_df101_pip_install_of_the_project_by_its_path():
    src = "FROM python\nCOPY . /code\nRUN pip install /code\n"
    assert findings("DF101", src) == [(
        "DF101", 2, 6,
        "COPY . copies the whole build context before `pip install /code` at line 3 fetches the dependencies: a change "
        "to any copied file runs it again; copy pyproject.toml and setup.py first and install, then copy the rest",
    )]
    assert findings("DF101", "FROM python\nCOPY . /code\nRUN pip install /code/dist/app-1.0-py3-none-any.whl\n") == []


# -- what real files still need ---------------------------------------------------------------------------------

def test_df101_a_source_named_like_a_manifest_or_a_wrapper_is_a_file():
    src = "FROM ruby\nWORKDIR /app\nCOPY Gemfile ./\nCOPY vendor ./vendor\nRUN bundle install\nCOPY . .\n"
    assert findings("DF101", src) == []
    src = "FROM ruby\nWORKDIR /app\nADD Gemfile Gemfile.lock ./\nRUN bundle install\nCOPY . .\n"
    assert findings("DF101", src) == []
    src = ("FROM gradle\nWORKDIR /app\nCOPY gradlew .\nCOPY build.gradle settings.gradle ./\n"
           "RUN ./gradlew dependencies\nCOPY src src\nRUN ./gradlew build\n")
    assert findings("DF101", src) == []
    # A directory that holds no manifest of the install is not what busts it; the whole context is.
    src = "FROM ruby\nWORKDIR /app\nCOPY . .\nCOPY Gemfile ./\nRUN bundle install\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(3, 6)]


def test_df101_source_directories_before_a_build_that_fetches_the_dependencies():
    src = "FROM maven:3\nWORKDIR /app\nCOPY pom.xml .\nCOPY src ./src\nRUN mvn package\n"
    assert findings("DF101", src) == [(
        "DF101", 4, 6,
        "COPY src copies the whole directory src before `mvn package` at line 5 fetches the dependencies (it reads "
        "pom.xml from the COPY at line 3): a change to any copied file runs the download again; run "
        "`mvn dependency:go-offline` after the COPY at line 3, then copy the rest",
    )]
    src = "FROM maven:3\nWORKDIR /app\nCOPY src ./src\nCOPY pom.xml .\nRUN ./mvnw -B verify\n"
    [(_, line, column, message)] = findings("DF101", src)
    assert (line, column) == (3, 6)
    assert message.endswith("copy pom.xml first and run `mvn dependency:go-offline`, then copy the rest")
    # The wrapper's directory (gradle/) and vendored dependencies are not sources.
    for copies, run, line in (
            ("COPY build.gradle settings.gradle gradlew ./\nCOPY gradle gradle\nCOPY ./src ./", "./gradlew bootJar", 5),
            ("COPY Cargo.toml Cargo.lock ./\nCOPY /src ./src", "cargo build --release", 4),
            ("COPY go.mod go.sum ./\nCOPY cmd ./cmd\nCOPY vendor ./vendor", "go build -o /bin/app ./cmd", 4),
            ("COPY pyproject.toml poetry.lock ./\nCOPY web/ ./web/", "poetry install", 4),
            ("COPY setup.py .\nCOPY web web", "pip install .", 4),
            ("COPY app.csproj .\nCOPY Controllers Controllers", "dotnet publish -c Release -o /out", 4)):
        src = f"FROM x\nWORKDIR /app\n{copies}\nRUN {run}\n"
        assert [line for _, line, _, _ in findings("DF101", src)] == [line], run


def test_df101_builds_after_a_dependency_only_step_or_with_vendored_dependencies_fetch_nothing():
    for src in (
            "FROM maven\nWORKDIR /app\nCOPY pom.xml .\nRUN mvn dependency:go-offline\nCOPY src ./src\nRUN mvn package\n",
            "FROM gradle\nWORKDIR /app\nCOPY *.gradle ./\nRUN gradle dependencies\nCOPY . .\nRUN gradle build\n",
            "FROM golang:1.22\nWORKDIR /app\nCOPY go.* ./\nRUN go mod download\nCOPY . .\nRUN go build -o /x\n",
            "FROM sdk\nWORKDIR /src\nCOPY *.csproj .\nRUN dotnet restore\nCOPY . .\nRUN dotnet publish -o /out\n",
            "FROM python\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nCOPY . .\n"
            "RUN poetry install --only-root\n",
            # cargo-chef: the recipe is cooked (the dependencies built alone) before the sources come.
            "FROM rust AS chef\nRUN cargo install cargo-chef\nWORKDIR /app\nFROM chef AS planner\nCOPY . .\n"
            "RUN cargo chef prepare --recipe-path recipe.json\nFROM chef AS builder\n"
            "COPY --from=planner /app/recipe.json recipe.json\nRUN cargo chef cook --release --recipe-path recipe.json\n"
            "COPY . .\nRUN cargo build --release\n",
            # Vendored or offline: nothing to fetch.
            "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -mod=vendor -o /x .\n",
            "FROM golang:1.22\nENV GOFLAGS=-mod=vendor\nWORKDIR /app\nCOPY . .\nRUN go build -o /x .\n",
            "FROM rust\nWORKDIR /app\nCOPY . .\nRUN cargo build --release --offline\n",
            "FROM maven\nWORKDIR /app\nCOPY . .\nRUN mvn -o package\n",
            "FROM python\nWORKDIR /app\nCOPY . .\nRUN pip install --no-deps .\n",
            # Fetched into a cache mount: what earlier builds fetched is there.
            "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod go build -o /app\n",
            "FROM maven\nWORKDIR /src\nCOPY pom.xml .\nCOPY src src\nRUN --mount=type=cache,target=/root/.m2 mvn package\n",
            "FROM rust\nENV CARGO_HOME=/usr/local/cargo\nWORKDIR /src\nCOPY . .\n"
            "RUN --mount=type=cache,target=/usr/local/cargo/registry cargo build --release\n"):
        assert findings("DF101", src) == [], src


def test_df101_go_in_a_gopath_layout_reads_no_go_mod():
    # GOPATH era: dependencies come from the imports of the sources, there is no manifest to copy first.
    for src in ("FROM golang\nWORKDIR /go/src/app\nCOPY . .\nRUN go get -d -v ./...\nRUN go install -v ./...\n",
                "FROM golang:1.11\nWORKDIR /app\nCOPY . .\nRUN go build -o /x .\n",
                "FROM golang:1.22\nENV GOPATH=/gopath\nWORKDIR /gopath/src/github.com/x/y\nCOPY . .\n"
                "RUN go get ./... && go build\n"):
        assert findings("DF101", src) == [], src
    # A go.mod in sight, or no `go get`: module mode, wherever the sources are.
    src = "FROM golang\nWORKDIR /go/src/github.com/x/y\nCOPY go.mod go.sum ./\nCOPY . .\nRUN go get ./...\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(4, 6)]
    src = "FROM golang\nWORKDIR /go/src/github.com/x/y\nCOPY . .\nRUN go build -o /x .\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(3, 6)]


def test_df103_names_that_hold_the_commit_or_come_from_a_ci_service():
    for name in ("REF", "DOCKER_GITCOMMIT", "gitCommit", "APP_REVISION", "CIRCLE_SHA1", "TRAVIS_COMMIT",
                 "BITBUCKET_BUILD_NUMBER", "CI_COMMIT_BRANCH", "TRAVIS_BRANCH", "buildNumber", "GIT_COMMIT=unknown"):
        assert [(line, col) for _, line, col, _ in findings("DF103", f"FROM x\nARG {name}\nRUN make\n")] == [(2, 5)], name
    # Stable from one build to the next: a release version, a repository, a branch, a pinned commit, a checksum.
    for name in ("VERSION", "BUILD_VERSION", "GIT_REPO", "BRANCH", "SOURCE_BRANCH", "BUILD_TAGS", "NODE_SHA256",
                 "GOLANG_COMMIT='72aa6db7943024b48c4d41c1fbc32b57b9fa036e'", "PKG_REVISION=1", "SHARED", "PREVIEW"):
        assert findings("DF103", f"FROM x\nARG {name}\nRUN make\n") == [], name


def test_cache_rules_check_every_stage_unless_a_target_is_given():
    src = ("FROM node AS dev\nWORKDIR /app\nCOPY . .\nRUN npm install\n"
           "FROM node AS prod\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(3, 6)]
    assert findings("DF101", src, target="prod") == []
    # A FROM naming a stage through a platform variable builds on each stage it can name.
    src = ("FROM golang:1.22 AS build-amd64\nWORKDIR /src\nCOPY . .\nRUN go build -o /app\n"
           "FROM build-amd64 AS build-arm64\nFROM build-${TARGETARCH} AS final\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src, target="final")] == [(3, 6)]


def test_df101_a_directory_of_the_project_s_own_code_before_an_install():
    for copy in ("COPY src ./src", "COPY src/ ./src/", "COPY ./app ./"):
        src = f"FROM node\nWORKDIR /app\nCOPY package.json ./\n{copy}\nRUN npm ci\n"
        assert findings("DF101", src) == [(
            "DF101", 4, 6,
            f"COPY {copy.split()[1]} copies the whole directory {copy.split()[1]} before `npm ci` at line 5 installs "
            "the dependencies (it reads package.json from the COPY at line 3): a change to any copied file runs it "
            f"again; copy it after the install (assuming {copy.split()[1].rstrip('/')} holds the project's own code, "
            "which the install does not read)")], copy
    # What an install may read: local packages, vendored gems, a gem's lib/, a schema a postinstall script uses.
    for copies in ("COPY packages ./packages\nCOPY prisma ./prisma", "COPY lib ./lib\nCOPY vendor ./vendor"):
        src = f"FROM x\nWORKDIR /app\nCOPY package.json Gemfile ./\n{copies}\nRUN npm ci && bundle install\n"
        assert findings("DF101", src) == [], copies


def test_df103_an_env_that_takes_the_arg_carries_it_into_every_later_run():
    src = "FROM alpine\nARG COMMIT\nENV GIT_COMMIT_HASH=$COMMIT\nRUN apk add curl\nRUN echo hi\n"
    assert findings("DF103", src) == [(
        "DF103", 2, 5,
        "ARG COMMIT changes on every build, so the RUN instructions after it (lines 4, 5) miss the cache each time, "
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


def test_df101_manifests_mounted_not_copied():
    src = ("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/uv \\\n"
           "    --mount=type=bind,source=uv.lock,target=uv.lock \\\n"
           "    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n"
           "    uv sync --frozen --no-install-project\nRUN uv sync --frozen\n")
    assert findings("DF101", src) == [(
        "DF101", 3, 6,
        "COPY . copies the whole build context before `uv sync --frozen --no-install-project` at line 4 installs the "
        "dependencies from the manifests it mounts (pyproject.toml): a change to any copied file runs it again; move "
        "the COPY after the install",
    )]
    src = "FROM node:20\nWORKDIR /app\nCOPY src ./src\nRUN --mount=type=bind,source=package.json,target=package.json npm ci\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(3, 6)]
    # A bind of the whole project reads every file anyway; a build needs the project itself.
    assert findings("DF101", "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN --mount=type=bind,target=. npm ci\n") == []
    assert findings("DF101", "FROM python\nWORKDIR /app\nCOPY . .\n"
                             "RUN --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --frozen\n") == []


def test_df101_a_dummy_build_after_the_manifests_fetches_the_dependencies():
    src = ("FROM rust:1.80\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\n"
           "RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release && rm -rf src\n"
           "COPY . .\nRUN cargo build --release\n")
    assert findings("DF101", src) == []
    src = "FROM maven:3\nWORKDIR /src\nCOPY pom.xml .\nRUN mvn -B package\nCOPY src ./src\nRUN mvn -B package\n"
    assert findings("DF101", src) == []
    # With sources copied before it, the first build is no prefetch.
    src = "FROM rust:1.80\nWORKDIR /app\nCOPY Cargo.toml ./\nCOPY src ./src\nRUN cargo build\nCOPY . .\nRUN cargo build\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(4, 6), (6, 6)]


def test_df101_the_projects_own_install_after_its_dependencies():
    for first, later in (("pip install -r requirements.txt", "pip install --user ."),
                         ("pip install -r requirements.txt", "pip install -e ."),
                         ("poetry install --no-root", "pip install ."),
                         ("pipenv install --system --deploy", "pip install --no-deps ."),
                         ("uv sync --no-install-project", "uv sync")):
        src = (f"FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt pyproject.toml poetry.lock Pipfile uv.lock ./\n"
               f"RUN {first}\nCOPY . .\nRUN {later}\n")
        assert findings("DF101", src) == [], (first, later)


def test_df101_workspace_members_and_directories_of_other_projects_are_not_broad():
    src = ("FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nCOPY apps/web apps/web\n"
           "COPY packages/ui packages/ui\nRUN yarn install --frozen-lockfile\nCOPY . .\nRUN yarn build\n")
    assert findings("DF101", src) == []
    src = ("FROM node:20\nWORKDIR /srv\nCOPY static ./static\nCOPY frontend/package.json frontend/\n"
           "RUN cd frontend && npm ci\n")
    assert findings("DF101", src) == []
    # A code directory of the project itself is.
    src = "FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY web ./web\nRUN npm ci\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(4, 6)]


def test_df101_a_registry_install_after_a_broad_copy_says_to_move_the_install():
    assert findings("DF101", "FROM alpine:3.20\nWORKDIR /app\nCOPY . .\nRUN apk add --no-cache git\n") == [(
        "DF101", 3, 6,
        "COPY . copies the whole build context before `apk add --no-cache git` at line 4 installs packages from a "
        "registry, which reads none of it: a change to any copied file runs the install again; move the install above "
        "the COPY",
    )]


def test_df101_requirements_mounted_from_a_directory_outside_the_project():
    src = ("FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN --mount=type=bind,source=requirements,target=/tmp/req \\\n"
           "    pip install -r /tmp/req/base.txt\n")
    assert findings("DF101", src) == [(
        "DF101", 3, 6,
        "COPY . copies the whole build context before `pip install -r /tmp/req/base.txt` at line 4 installs the "
        "dependencies from the manifests it mounts (/tmp/req): a change to any copied file runs it again; move the "
        "COPY after the install",
    )]


def test_df101_a_code_directory_the_context_shows_to_be_a_workspace_member(tmp_path):
    tree(tmp_path, {"Cargo.toml": "[workspace]\n", "Cargo.lock": "", "api/Cargo.toml": "[package]\n",
                    "api/src/lib.rs": "", "web/index.html": ""})
    src = ("FROM rust:1.80\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\nCOPY api ./api\nCOPY web ./web\n"
           "RUN cargo fetch\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src, context_dir=str(tmp_path))] == [(5, 6)]


def test_df101_an_install_from_the_same_manifest_again_after_the_broad_copy():
    src = "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm install\n"
    assert findings("DF101", src) == []
    # Another manifest, only in the broad COPY: reported.
    src = ("FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n"
           "RUN pip install -r requirements-dev.txt\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(5, 6)]


def test_df103_an_env_carries_the_arg_into_the_stages_built_on_it():
    src = ("FROM python:3.12 AS base\nARG COMMIT\nENV APP_COMMIT=$COMMIT\nFROM base AS app\nRUN pip install flask\n"
           "RUN echo $APP_COMMIT > /c\n")
    assert findings("DF103", src) == [(
        "DF103", 2, 5,
        "ARG COMMIT changes on every build, so the RUN instruction after it (line 5) misses the cache each time, though "
        "it does not mention it; ENV APP_COMMIT (line 3) carries its value into the environment of every later RUN, "
        "also in the stages built on this one; declare the ARG and the ENV in the stage that needs them, right before "
        "their first use",
    )]
    # An ARG alone does not go on into the stages built on its stage.
    assert findings("DF103", "FROM python:3.12 AS base\nARG COMMIT\nFROM base\nRUN pip install flask\n") == []


def test_df101_an_asset_directory_is_no_cache_buster_for_a_subproject():
    src = ("FROM python:3.12\nWORKDIR /app\nCOPY backend/requirements.txt backend/\nCOPY static ./static\n"
           "RUN pip install -r backend/requirements.txt\n")
    assert findings("DF101", src) == []
    # Requirement files in a directory of their own are the project's: its code directories are still reported.
    src = ("FROM python:3.12\nWORKDIR /app\nCOPY requirements/prod.txt requirements/\nCOPY src ./src\n"
           "RUN pip install -r requirements/prod.txt\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(4, 6)]


def test_df101_a_directory_of_requirement_files_is_the_copy_of_the_manifests():
    for copy, run in (("COPY ./requirements .", "pip install -r production.txt"),
                      ("COPY requirements /app/requirements", "pip install -r requirements/production.txt")):
        assert findings("DF101", f"FROM python:3.12\nWORKDIR /app\n{copy}\nRUN {run}\nCOPY . .\n") == [], copy

"""DF101: copy before dependency install (rules/df101_copy_before_dependency_install.py)."""

import pytest

from support import findings, raw_findings, tree

from cache_rules_support import _fixed


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


def test_df101_installs_of_named_packages_read_no_manifest_and_bind_mounted_manifests_are_fine():
    # An install of named packages from a registry is no install from manifests: the COPY before it is not DF101's.
    for src in ("FROM node\nCOPY . /app\nRUN npm install -g typescript\n",
                "FROM debian\nCOPY . /app\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y curl "
                "&& rm -rf /var/lib/apt/lists/*\n",
                "FROM alpine:3.20\nWORKDIR /app\nCOPY . .\nRUN apk add --no-cache git\n",
                "FROM golang:1.10.0\nWORKDIR /app\nADD . .\nRUN chmod +x /app/configure\nRUN apt -y install curl git bash\n"):
        assert findings("DF101", src) == [], src
    # The install from manifests after it is: the message names that one.
    src = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN apk add --no-cache python3 make g++\nRUN npm ci\n"
    assert [(line, col, message.split(" at line")[0]) for _, line, col, message in findings("DF101", src)] == [
        (3, 6, "COPY . copies the whole build context before `npm ci`")]
    # Manifests bind-mounted: the install reads nothing the COPY brought, which then only busts its cache.
    src = ("FROM python\nWORKDIR /app\nCOPY . .\n"
           "RUN --mount=type=bind,source=requirements.txt,target=/tmp/r.txt pip install -r /tmp/r.txt\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(3, 6)]
    src = "FROM python\nRUN --mount=type=bind,source=requirements.txt,target=/tmp/r.txt pip install -r /tmp/r.txt\n"
    assert findings("DF101", src) == []


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


def test_df101_pip_install_of_the_project_by_its_path():
    src = "FROM python\nCOPY . /code\nRUN pip install /code\n"
    assert findings("DF101", src) == [(
        "DF101", 2, 6,
        "COPY . copies the whole build context before `pip install /code` at line 3 fetches the dependencies: a change "
        "to any copied file runs it again; copy pyproject.toml and setup.py first and install, then copy the rest",
    )]
    assert findings("DF101", "FROM python\nCOPY . /code\nRUN pip install /code/dist/app-1.0-py3-none-any.whl\n") == []


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
    # The wrapper's directory (gradle/) and directories of dependencies are not sources (a Go vendor/ directory
    # means the build fetches nothing at all: see below).
    for copies, run, line in (
            ("COPY build.gradle settings.gradle gradlew ./\nCOPY gradle gradle\nCOPY ./src ./", "./gradlew bootJar", 5),
            ("COPY Cargo.toml Cargo.lock ./\nCOPY /src ./src", "cargo build --release", 4),
            ("COPY go.mod go.sum ./\nCOPY cmd ./cmd\nCOPY third_party ./third_party", "go build -o /bin/app ./cmd", 4),
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



def test_df101_a_go_project_seen_to_vendor_its_dependencies_fetches_nothing(tmp_path):
    # Since Go 1.14 a build uses vendor/modules.txt by itself: a project is seen to vendor when an earlier go
    # command ran with -mod=vendor, when a COPY brings its vendor directory, or when the context holds it.
    for src in ("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go test -mod=vendor ./...\nRUN go build -o /app ./cmd\n",
                "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go vet -mod vendor ./... && go build -o /app ./cmd\n",
                "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nCOPY vendor ./vendor\nCOPY . .\nRUN go build\n",
                "FROM golang:1.22\nWORKDIR /go/src/x\nCOPY . .\nRUN GO111MODULE=off go build -o /app\n"):
        assert findings("DF101", src) == [], src
    # The context shows vendor/modules.txt.
    tree(tmp_path, {"go.mod": "module x\n\ngo 1.22\n", "vendor/modules.txt": "# x\n", "main.go": "package main\n"})
    src = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n"
    assert findings("DF101", src, context_dir=str(tmp_path)) == []
    # Before Go 1.14 a vendor directory is read only with -mod=vendor.
    src = "FROM golang:1.13\nENV GO111MODULE=on\nWORKDIR /src\nCOPY vendor ./vendor\nCOPY . .\nRUN go build\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(5, 6)]


def test_df101_dependency_only_steps_before_the_broad_copy():
    for src in (
            # `pnpm fetch` reads only the lock file; the install after the broad COPY takes the packages from the store.
            "FROM node:20\nWORKDIR /app\nCOPY pnpm-lock.yaml ./\nRUN pnpm fetch --prod\nCOPY . .\n"
            "RUN pnpm install -r --offline --prod\n",
            "FROM node:20\nWORKDIR /app\nCOPY pnpm-lock.yaml ./\nRUN pnpm fetch\nCOPY . .\nRUN pnpm install -f --prefer-offline\n",
            # node_modules installed in another stage from the manifests: the install after the broad COPY finds it.
            "FROM node:20 AS deps\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n"
            "FROM node:20\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY . .\n"
            "RUN yarn install --frozen-lockfile && yarn build\n",
            # npm ci into a cache mount, go mod download from bind-mounted manifests.
            "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci\nCOPY . .\n"
            "RUN npm run build\n",
            "FROM golang:1.22\nWORKDIR /src\nRUN --mount=type=bind,source=go.mod,target=go.mod "
            "--mount=type=bind,source=go.sum,target=go.sum go mod download\nCOPY . .\nRUN go build -o /app .\n"):
        assert findings("DF101", src) == [], src
    # `pnpm fetch` after the broad COPY is reported, naming the lock file it reads.
    src = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN pnpm fetch\n"
    assert findings("DF101", src) == [(
        "DF101", 3, 6,
        "COPY . copies the whole build context before `pnpm fetch` at line 4 installs the dependencies: a change to "
        "any copied file runs it again; copy pnpm-lock.yaml first and install, then copy the rest")]
    # `npm ci` deletes node_modules and installs everything again: copied node_modules do not help it.
    src = ("FROM node:20 AS deps\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nFROM node:20\nWORKDIR /app\n"
           "COPY --from=deps /app/node_modules ./node_modules\nCOPY . .\nRUN npm ci && npm run build\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(8, 6)]


def test_df101_builds_of_the_project_itself_after_its_dependencies():
    for src in (
            # A distribution of the project fetches none of its dependencies.
            "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN python setup.py bdist_wheel\n",
            "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN python3 setup.py sdist && python3 setup.py build\n",
            # The dependencies installed from the manifests first: installing the project fetches nothing more.
            "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n"
            "RUN python setup.py install\n",
            "FROM python:3.12\nWORKDIR /app\nCOPY setup.py .\nRUN pip install -e \".[server]\"\nCOPY src src\n"
            "RUN python setup.py install\n",
            "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN uv pip install --system --no-deps .\n",
            # Wheels a stage built from the requirements: they bring the dependencies.
            "FROM python:3.12 AS builder\nCOPY requirements.txt .\nRUN pip wheel -r requirements.txt -w /wheels\n"
            "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN --mount=type=bind,from=builder,source=/wheels,target=/wheels "
            "pip install --user /wheels/* && pip install --user .\n"):
        assert findings("DF101", src) == [], src
    # Without an earlier dependency step, `setup.py install` downloads install_requires.
    src = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN python setup.py install\n"
    assert findings("DF101", src) == [(
        "DF101", 3, 6,
        "COPY . copies the whole build context before `python setup.py install` at line 4 fetches the dependencies: "
        "a change to any copied file runs it again; copy setup.py and setup.cfg first and install, then copy the rest")]


@pytest.mark.parametrize("install", [
    'pip install ".[server]"', "pip install '.[dev,test]'", 'pip install -e ".[all]"', 'pip install "./[x]"',
    'uv pip install --system ".[x]"', "pip3 --no-cache-dir install '.[server]'",
    # The same RUN also installs system packages, which is no reason to let it go.
    'apk add --no-cache python3 && python3 -m ensurepip && pip3 --no-cache-dir install ".[server]"',
])
def test_df101_the_project_with_extras(install):
    src = f"FROM python:3.12-alpine\nADD . /app/\nWORKDIR /app/\nRUN {install}\n"
    [(code, line, column, message)] = findings("DF101", src)
    assert (code, line, column) == ("DF101", 2, 5)
    assert message.startswith(f"ADD . copies the whole build context before `")
    assert "fetches the dependencies: a change to any copied file runs it again; copy pyproject.toml" in message


def test_df101_modules_of_a_multi_module_jvm_build(tmp_path):
    # One COPY per module, sources included, before the build with no dependency-only step: each is reported, and
    # the message names the module's build file the dependency step would need. The root pom.xml is copied onto
    # the working directory, which exists: it goes into it.
    src = ("FROM maven:3\nENV GEN_DIR /opt/gen\nWORKDIR ${GEN_DIR}\nCOPY ./modules/core ${GEN_DIR}/modules/core\n"
           "COPY ./modules/cli ${GEN_DIR}/modules/cli\nCOPY ./pom.xml ${GEN_DIR}\nRUN mvn -am -pl modules/cli package\n")
    assert findings("DF101", src) == [(
        "DF101", line, 6,
        f"COPY ./modules/{name} copies the whole directory ./modules/{name} before `mvn -am -pl modules/cli package` "
        f"at line 7 fetches the dependencies (it reads pom.xml from the COPY at line 6): a change to any copied file "
        f"runs the download again; copy pom.xml and ./modules/{name}/pom.xml first and run "
        f"`mvn dependency:go-offline`, then copy the rest") for line, name in ((4, "core"), (5, "cli"))]
    src = "FROM gradle:8\nWORKDIR /app\nCOPY settings.gradle build.gradle ./\nCOPY lib lib\nRUN gradle build\n"
    assert [(line, col, msg.split("; ", 1)[1]) for _, line, col, msg in findings("DF101", src)] == [(
        4, 6, "run `gradle dependencies` after the COPY at line 3 with lib/build.gradle copied too (it needs only the "
              "build files), then copy the rest")]
    # With the build context, a workspace's member test does not swallow a Maven module: still reported.
    tree(tmp_path, {"pom.xml": "<project/>", "module-a/pom.xml": "<project/>", "module-a/src/A.java": ""})
    src = "FROM maven:3\nWORKDIR /app\nCOPY pom.xml .\nCOPY module-a module-a\nRUN mvn package\n"
    assert [(line, col, msg.split("; ", 1)[1]) for _, line, col, msg in findings(
        "DF101", src, context_dir=str(tmp_path))] == [(
            4, 6, "run `mvn dependency:go-offline` after the COPY at line 3 with module-a/pom.xml copied too (it needs "
                  "only the build files), then copy the rest")]
    # A dependency-only step first: the modules are fine.
    src = ("FROM maven:3\nWORKDIR /app\nCOPY pom.xml .\nCOPY module-a/pom.xml module-a/\nRUN mvn dependency:go-offline\n"
           "COPY module-a module-a\nRUN mvn package\n")
    assert findings("DF101", src) == []


def test_df101_requirements_found_by_a_loop():
    # The loop's variable stands for each file its one glob matches; `cd "$(dirname "$ext")"` goes to each one's
    # directory. The install reads only those files: the assumption is stated.
    for run, line in (('for r in extensions/*/requirements.txt; do pip install -r "$r"; done', 4),
                      ('for ext in /app/extensions/*/requirements.txt; do cd "$(dirname "$ext")"; '
                       'pip3 install -r requirements.txt; done', 4)):
        src = f"FROM python:3.10\nWORKDIR /app\nCOPY . /app/\nRUN {run}\n"
        [(code, at, column, message)] = findings("DF101", src)
        assert (code, at, column) == ("DF101", 3, 6)
        assert message.endswith(
            "installs the dependencies: a change to any copied file runs it again; copy extensions/*/requirements.txt "
            "first and install, then copy the rest (assuming it reads only the files extensions/*/requirements.txt "
            "matches)"), message
    # A variable the Dockerfile sets is known too.
    src = "FROM python:3.10\nENV REQS=requirements/prod.txt\nWORKDIR /app\nCOPY . /app/\nRUN pip install -r $REQS\n"
    assert [(line, col, msg.rsplit("; ", 1)[1]) for _, line, col, msg in findings("DF101", src)] == [
        (4, 6, "copy requirements/prod.txt first and install, then copy the rest")]


def test_df101_an_install_from_a_manifest_the_run_wrote_itself_does_not_stand_for_the_projects():
    # The skeleton's composer.json, downloaded by the RUN: the project's own comes with COPY . and its install
    # needs only composer.json and composer.lock.
    src = ("FROM php:7\nWORKDIR /srv/app\nRUN php -r \"copy('https://x/composer.json', 'composer.json');\" "
           "&& composer install --no-scripts\nCOPY . .\nRUN composer install --optimize-autoloader\n")
    assert findings("DF101", src) == [(
        "DF101", 4, 6,
        "COPY . copies the whole build context before `composer install --optimize-autoloader` at line 5 installs the "
        "dependencies: a change to any copied file runs it again; copy composer.json and composer.lock first and "
        "install, then copy the rest")]


def test_df101_cargo_install_path_fetches_like_cargo_build():
    # `cargo install --path .` reads Cargo.toml and Cargo.lock and fetches: with no `cargo fetch` after the
    # manifests, the COPY of the context (or of the sources) before it runs the download again.
    src = ("FROM rust:1.75\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\nCOPY . .\n"
           "RUN cargo install --locked --path .\n")
    assert findings("DF101", src) == [(
        "DF101", 4, 6,
        "COPY . copies the whole build context before `cargo install --locked --path .` at line 5 fetches the "
        "dependencies: a change to any copied file runs it again; copy Cargo.toml and Cargo.lock first and run "
        "`cargo fetch`, then copy the rest")]
    src = "FROM rust:1.75\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\nCOPY src ./src\nRUN cargo install --path .\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(4, 6)]
    # After a dependency-only step, nothing.
    src = ("FROM rust:1.75\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\nRUN cargo fetch\nCOPY . .\n"
           "RUN cargo install --path .\n")
    assert findings("DF101", src) == []


def test_df101_a_file_named_without_an_extension_is_not_a_source_directory():
    # rust-toolchain, Makefile, LICENSE: files; `scripts` copied into `.` shows no sign of being a directory. A
    # code directory's name (`src`) or a destination of the same name (`COPY lib ./lib`) does.
    src = ("FROM rust:1.75\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\nCOPY rust-toolchain .\nCOPY Makefile .\n"
           "COPY LICENSE .\nCOPY scripts .\nCOPY lib ./lib\nCOPY src ./src\nRUN cargo install --path .\n")
    assert [(line, col, message.split(" before ")[0]) for _, line, col, message in findings("DF101", src)] == [
        (8, 6, "COPY lib copies the whole directory lib"), (9, 6, "COPY src copies the whole directory src")]
    src = "FROM rust:1.75\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\nCOPY rust-toolchain .\nRUN cargo build\n"
    assert findings("DF101", src) == []


def test_df101_an_install_in_a_working_directory_not_written_down_runs_where_the_project_was_copied():
    # No WORKDIR, no cd, an image whose working directory dfcheck does not know: the install finds its manifest
    # where the COPY put the project, the only place it can be.
    src = "FROM some/unknown-image\nCOPY . /srv/app\nRUN composer install\n"
    assert findings("DF101", src) == [(
        "DF101", 2, 6,
        "COPY . copies the whole build context before `composer install` at line 3 installs the dependencies: a "
        "change to any copied file runs it again; copy composer.json and composer.lock first and install, then copy "
        "the rest (assuming the install runs in /srv/app, where the COPY put the project: the base image's working "
        "directory is not known)")]
    assert _fixed("DF101", src) == [None]  # a fix would run the install in the unknown directory again
    [(_, line, column, message)] = findings("DF101", "FROM some/unknown-image\nCOPY . /srv/app\nRUN go build -o /x .\n")
    assert (line, column) == (2, 6)
    assert message.endswith("(assuming the build runs in /srv/app, where the COPY put the project: the base image's "
                            "working directory is not known)")
    # Configuration copied elsewhere holds no project.
    src = ("FROM some/unknown-image\nCOPY docker/nginx /etc/nginx\nCOPY config /config\nCOPY . /var/www\n"
           "RUN composer install\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(4, 6)]
    # In a stage built on the one that copied the project too.
    src = "FROM some/unknown-image AS base\nCOPY . /srv/app\nFROM base\nRUN bundle install\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(2, 6)]


@pytest.mark.parametrize("src", [
    # the working directory is known: the image's (python has none: /), a WORKDIR, a cd
    "FROM python:3.12\nCOPY . /srv/app\nRUN pip install -r requirements.txt\n",
    "FROM some/unknown-image\nWORKDIR /x\nCOPY . /srv/app\nRUN composer install\n",
    # the project may be in more than one place
    "FROM some/unknown-image\nCOPY . /srv/app\nCOPY web /var/www\nRUN composer install\n",
    "FROM some/unknown-image\nCOPY . /srv/app\nCOPY composer.json /opt/\nRUN composer install\n",
    # the manifests copied first, where the project goes: the usual order
    "FROM some/unknown-image\nCOPY requirements.txt /srv/app/\nRUN pip install -r requirements.txt\nCOPY . /srv/app\n",
    # an absolute manifest the COPY does not bring
    "FROM some/unknown-image\nCOPY . /srv/app\nRUN pip install -r /requirements.txt\n",
])
def test_df101_no_assumed_working_directory(src):
    assert findings("DF101", src) == []


def test_df101_assumed_working_directory_with_the_build_context(tmp_path):
    # The context has the manifest where the COPY puts the project: reported; it has none there: not assumed.
    src = "FROM some/unknown-image\nCOPY . /srv/app\nRUN composer install\n"
    context = tree(tmp_path / "php", {"composer.json": "{}", "composer.lock": "{}", "index.php": ""})
    assert [(line, col) for _, line, col, _ in findings("DF101", src, context_dir=context)] == [(2, 6)]
    context = tree(tmp_path / "other", {"index.php": ""})
    assert findings("DF101", src, context_dir=context) == []


def test_df101_manifests_copied_together_with_sources():
    # The code copied with the manifests runs the install again on every change to it.
    assert findings("DF101", "FROM node:20\nWORKDIR /app\nCOPY package*.json *.js ./\nRUN npm ci\n") == [(
        "DF101", 3, 20,
        "COPY *.js copies source files together with package.json before `npm ci` at line 4 installs the "
        "dependencies: a change to any of them runs it again; copy package.json and package-lock.json alone first "
        "and install, then copy the rest")]
    assert findings("DF101", "FROM golang:1.22\nWORKDIR /app\nCOPY go.mod go.sum *.go ./\nRUN go build -o /x .\n") == [(
        "DF101", 3, 20,
        "COPY *.go copies source files together with go.mod before `go build -o /x .` at line 4 fetches the "
        "dependencies: a change to any of them runs it again; copy go.mod and go.sum alone first and run "
        "`go mod download`, then copy the rest")]
    src = "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt src/*.py ./\nRUN pip install -r requirements.txt\n"
    assert [(line, col, message.split(" before ")[0]) for _, line, col, message in findings("DF101", src)] == [
        (3, 23, "COPY src/*.py copies source files together with requirements.txt")]


@pytest.mark.parametrize("src", [
    # manifests, build scripts, dotfiles and tools' configuration are no code of the project
    "FROM python:3.12\nWORKDIR /app\nCOPY setup.py requirements.txt ./\nRUN pip install -r requirements.txt\n",
    "FROM node:20\nWORKDIR /app\nCOPY package.json .eslintrc.js vite.config.ts ./\nRUN npm ci\n",
    "FROM rust:1\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock build.rs ./\nRUN cargo fetch\n",
    # a file named one by one is no broad content (nor a script the install's RUN runs, which it needs)
    "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt app.py ./\nRUN pip install -r requirements.txt\n",
    "FROM node:20-alpine\nWORKDIR /server\nCOPY index.js package* /server\nRUN npm ci --only=production\n",
    "FROM python:3.12\nCOPY requirements.txt install_deps.py /\nRUN pip install -r /requirements.txt && "
    "python /install_deps.py\n",
    # the code copied after the install
    "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\nCOPY app.py ./\n",
    # a dependency-only step first
    "FROM golang:1.22\nWORKDIR /app\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY *.go ./\nRUN go build -o /x .\n",
])
def test_df101_manifests_copied_with_files_that_are_not_code(src):
    assert findings("DF101", src) == []


def test_df101_manifests_copied_together_with_sources_the_context_does_not_have(tmp_path):
    context = tree(tmp_path, {"package.json": "{}", "index.js": ""})
    src = "FROM node:20\nWORKDIR /app\nCOPY package.json *.js ./\nRUN npm install\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src, context_dir=context)] == [(3, 19)]
    src = "FROM node:20\nWORKDIR /app\nCOPY package.json *.ts ./\nRUN npm install\n"
    assert findings("DF101", src, context_dir=context) == []


def test_df101_a_whole_source_tree_from_another_stage():
    # The stage copied the whole context to /app: copying /app from it is as broad as copying the context.
    src = ("FROM node:20 AS frontend\nWORKDIR /app\nCOPY . .\nRUN yarn build\n"
           "FROM php:8\nWORKDIR /srv\nCOPY --from=frontend /app .\nRUN composer install\n")
    assert findings("DF101", src) == [(
        "DF101", 7, 22,
        'COPY --from=frontend /app copies the whole build context stage "frontend" copied to /app at line 3 before '
        "`composer install` at line 8 installs the dependencies: a change to any copied file runs it again; copy "
        "composer.json and composer.lock first and install, then copy the rest")]
    assert _fixed("DF101", src) == [None]
    src = ("FROM node AS docs\nCOPY . /src\nFROM nginx\nCOPY --from=docs /src /var/www\nWORKDIR /var/www\n"
           "RUN yarn install\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(4, 18)]
    # With the manifests copied first, the stage's tree is the broad copy before the install.
    src = ("FROM rust AS src\nWORKDIR /app\nCOPY . .\nFROM rust\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\n"
           "COPY --from=src /app .\nRUN cargo build --release\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(7, 17)]


@pytest.mark.parametrize("src", [
    # a part of the tree (a build's output), not the project
    "FROM node AS frontend\nWORKDIR /app\nCOPY . .\nRUN yarn build\nFROM php:8\nWORKDIR /srv\n"
    "COPY --from=frontend /app/dist ./public\nCOPY composer.json composer.lock ./\nRUN composer install\n",
    # the stage copied only the manifests
    "FROM node AS deps\nWORKDIR /app\nCOPY package.json .\nFROM node\nWORKDIR /srv\nCOPY --from=deps /app .\n"
    "RUN yarn install\n",
    # the stage pruned the tree to the manifests (`find . -type f ! -name ... -delete`)
    "FROM python:3.10 AS deps\nWORKDIR /src\nCOPY . .\n"
    "RUN find ./ -type f -not -name 'requirements*.txt' -print | xargs rm -f\n"
    "FROM python:3.10\nWORKDIR /src\nCOPY --from=deps /src .\nRUN pip install -r requirements.txt\nCOPY . .\n",
])
def test_df101_a_copy_from_another_stage_that_is_not_the_whole_project(src):
    assert findings("DF101", src) == []


def test_df101_a_copy_from_a_stage_this_one_is_built_on():
    # The stage's own COPY of the context is already in place: it is what busts the install, and is reported.
    src = "FROM node AS base\nWORKDIR /app\nCOPY . .\nFROM base\nCOPY --from=base /app /app\nRUN npm ci\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(3, 6)]


def test_df101_an_install_and_the_build_in_one_run():
    # The install part needs only the manifests: the COPY of the context before the RUN busts it.
    src = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install && yarn build\n"
    assert findings("DF101", src) == [(
        "DF101", 3, 6,
        "COPY . copies the whole build context before `yarn install` at line 4 installs the dependencies: a change "
        "to any copied file runs it again; copy package.json and yarn.lock first and install, then copy the rest")]
    src = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(3, 6)]
    assert _fixed("DF101", src) == [
        "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json* npm-shrinkwrap.json* .npmrc* ./\n"
        "RUN npm ci\nCOPY . .\nRUN npm run build\n"]
    # After a dependency-only step, the same RUN is the usual order.
    src = ("FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\nCOPY . .\n"
           "RUN yarn install && yarn build\n")
    assert findings("DF101", src) == []


def test_df101_cargo_install_of_the_local_crate():
    # `cargo install --path ./` builds the local crate, fetching what Cargo.toml and Cargo.lock list: the manifests
    # copied first do not help when only registry installs (`cargo install diesel_cli`) ran before the broad COPY.
    src = ("FROM rust:1\nWORKDIR /app\nCOPY Plume/Cargo.toml Plume/Cargo.lock ./\nRUN cargo install diesel_cli\n"
           "COPY Plume/. .\nRUN cargo install --path ./ --force\n")
    assert findings("DF101", src) == [(
        "DF101", 5, 6,
        "COPY Plume/. copies the whole directory Plume/. before `cargo install --path ./ --force` at line 6 fetches "
        "the dependencies: a change to any copied file runs it again; copy Plume/Cargo.toml and Plume/Cargo.lock "
        "first and run `cargo fetch`, then copy the rest")]
    # After `cargo fetch` from the manifests alone, the install of the local crate is the usual order.
    src = ("FROM rust:1\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\nRUN cargo fetch\nCOPY . .\n"
           "RUN cargo install --path .\n")
    assert findings("DF101", src) == []


def test_df101_a_directory_of_the_context_that_holds_the_install_s_project():
    # The whole src tree holds src/frontend, whose manifests the install reads: a change to the backend's files runs
    # it again, wherever the tree goes in the image.
    src = ("FROM python:3.12\nWORKDIR /app\nCOPY ./src /app/src\nCOPY src/frontend /tmp/src/frontend\n"
           "WORKDIR /tmp/src/frontend\nRUN npm ci && npm run build\n")
    assert findings("DF101", src) == [
        ("DF101", 4, 6,
         "COPY src/frontend copies the whole directory src/frontend before `npm ci` at line 6 installs the "
         "dependencies: a change to any copied file runs it again; copy src/frontend/package.json and "
         "src/frontend/package-lock.json first and install, then copy the rest"),
        ("DF101", 3, 6,
         "COPY ./src copies the whole directory ./src before `npm ci` at line 6 installs the dependencies (it reads "
         "package.json from the COPY at line 4): a change to any copied file runs it again; copy it after the "
         "install")]
    # A sibling directory of the project is none of its business; nor is the manifest's own directory copied alone.
    src = ("FROM node\nCOPY src/backend /srv/backend\nCOPY src/frontend/package.json /tmp/web/\nWORKDIR /tmp/web\n"
           "RUN npm ci\n")
    assert findings("DF101", src) == []


def test_df101_a_source_directory_named_from_the_context_root():
    # `COPY /server ...` copies the context's server/ directory: the project's own code by its name.
    src = "FROM node:20-alpine\nWORKDIR /srv\nCOPY package* /srv\nCOPY /server /srv/server\nRUN npm ci --only=production\n"
    assert findings("DF101", src) == [(
        "DF101", 4, 6,
        "COPY /server copies the whole directory /server before `npm ci --only=production` at line 5 installs the "
        "dependencies (it reads package.json from the COPY at line 3): a change to any copied file runs it again; "
        "copy it after the install (assuming /server holds the project's own code, which the install does not "
        "read)")]
    src = "FROM node:20-alpine\nWORKDIR /srv\nCOPY package* /srv\nCOPY /packages /srv/packages\nRUN npm ci\n"
    assert findings("DF101", src) == []


def test_df101_a_copy_from_a_stage_that_does_not_bring_the_manifest():
    # The composer stage put only composer.json, composer.lock and vendor/ in /var/www/html: its copy brings no
    # package.json, so npm install reads the one `COPY . .` brought, and that COPY is the broad one.
    src = ("FROM php:8.2 AS base\nWORKDIR /var/www/html\nCOPY composer.json composer.lock ./\n"
           "RUN composer install --no-dev\nFROM node:20 AS assets\nWORKDIR /app\nCOPY . .\n"
           "COPY --from=base /var/www/html .\nRUN npm install\nRUN npm run build\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(7, 6)]
    # A stage that did put a package.json there (a copy of it, or a RUN that writes where it is not said) brings it.
    for step in ("COPY package.json ./", "RUN ./generate.sh $TARGET", "RUN python gen.py", "RUN git clone $REPO ."):
        src = (f"FROM node:20 AS base\nWORKDIR /srv\n{step}\nFROM node:20\nWORKDIR /app\nCOPY . .\n"
               "COPY --from=base /srv .\nRUN npm install\n")
        assert findings("DF101", src) == [], step


def test_df101_a_whole_tree_passed_on_from_stage_to_stage():
    # docs copied the context to /usr/src/app/shaarli, composer copied that tree, node copied composer's: each copy
    # is the whole project before an install that needs only its manifests. composer's image does not say its
    # working directory: `cd shaarli` is taken to go where the copy put the project, and the finding says so.
    src = ("FROM python:3-alpine AS docs\nADD . /usr/src/app/shaarli\nRUN cd /usr/src/app/shaarli && make htmldoc\n"
           "FROM composer:latest AS composer\nCOPY --from=docs /usr/src/app/shaarli /app/shaarli\n"
           "RUN cd shaarli && composer --prefer-dist --no-dev install\n"
           "FROM node:18-alpine AS node\nCOPY --from=composer /app/shaarli shaarli\n"
           "RUN cd shaarli && yarnpkg install && yarnpkg run build\n")
    assert findings("DF101", src) == [
        ("DF101", 5, 18,
         'COPY --from=docs /usr/src/app/shaarli copies the whole build context stage "docs" copied to '
         "/usr/src/app/shaarli at line 2 before `composer --prefer-dist --no-dev install` at line 6 installs the "
         "dependencies: a change to any copied file runs it again; copy composer.json and composer.lock first and "
         "install, then copy the rest (assuming the install runs in /app/shaarli, where the COPY put the project: "
         "the base image's working directory is not known)"),
        ("DF101", 8, 22,
         'COPY --from=composer /app/shaarli copies the whole build context stage "composer" copied to /app/shaarli '
         "at line 5 before `yarnpkg install` at line 9 installs the dependencies: a change to any copied file runs "
         "it again; copy package.json and yarn.lock first and install, then copy the rest")]
    # An absolute `cd`, or a directory no copy put the project in, assumes nothing.
    for run in ("cd /shaarli && composer install", "cd other && composer install"):
        src = ("FROM php AS docs\nADD . /usr/src/app/shaarli\nFROM composer:latest\n"
               f"COPY --from=docs /usr/src/app/shaarli /app/shaarli\nRUN {run}\n")
        assert findings("DF101", src) == [], run


def test_df101_a_python_install_of_the_project_with_a_cache_mount():
    # The pip cache spares the downloads, not the install of every dependency into the environment.
    src = ("FROM ubuntu:22.04\nWORKDIR /opt/invokeai\nCOPY invokeai ./invokeai\nCOPY pyproject.toml ./\n"
           "RUN --mount=type=cache,target=/root/.cache/pip \\\n"
           "    if [ \"$GPU\" = cuda ]; then pip install -e \".[xformers]\"; else pip install -e \".\"; fi\n")
    assert findings("DF101", src) == [(
        "DF101", 3, 6,
        "COPY invokeai copies the whole directory invokeai before `pip install -e \".[xformers]\"` at line 5 fetches "
        "the dependencies (it reads pyproject.toml from the COPY at line 4): a change to any copied file runs the "
        "download again; copy pyproject.toml first and install, then copy the rest")]


def test_df101_a_restore_from_a_project_file_copied_under_its_own_name():
    # `dotnet restore` reads *.csproj: the one copied as App.csproj is it, so the publish after `COPY App/. .` finds
    # the packages restored.
    src = ("FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /source\nCOPY App/App.csproj App.csproj\n"
           "RUN dotnet restore\nCOPY App/. .\nRUN dotnet publish --output /app/ --configuration Release\n")
    assert findings("DF101", src) == []
    src = ("FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /source\nCOPY App/. .\n"
           "RUN dotnet publish --output /app/ --configuration Release\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(3, 6)]


def test_df101_a_build_of_the_dependencies_alone_with_placeholder_sources():
    # The dummy-main idiom: the RUN writes the crate's main.rs itself (and deletes it after), or `cargo new` did;
    # the directories copied before are local crates the dependencies need, and the build after COPY . . finds them.
    for src in ("FROM rust:1.65\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\nCOPY server_derive server_derive\n"
                "COPY server/Cargo.toml server/\nRUN mkdir server/src && echo 'fn main() {}' > server/src/main.rs && "
                "cargo build --release && rm -rf server/src\nCOPY . .\nRUN cargo build --release --frozen\n",
                "FROM rust\nRUN USER=root cargo new --bin /app\nWORKDIR /app\nCOPY ./Cargo.* ./\nCOPY ./macros ./macros\n"
                "RUN cargo build --release\nCOPY . .\nRUN cargo build --release\n"):
        assert findings("DF101", src) == [], src
    # Without placeholders, or with the real sources copied over them, the build fetches while building the project.
    src = "FROM rust:1.65\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\nCOPY macros macros\nRUN cargo build --release\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(4, 6)]
    src = "FROM rust\nRUN cargo new --bin /app\nWORKDIR /app\nCOPY Cargo.toml ./\nCOPY src ./src\nRUN cargo build\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(5, 6)]


def test_df101_a_manifest_the_dockerfile_creates():
    # `go mod init` fails where a go.mod is: the module's go.mod is the RUN's own, there is none to copy first.
    src = "FROM golang\nWORKDIR /app\nADD . .\nRUN go mod init\nRUN go get -dR\nRUN go build\n"
    assert findings("DF101", src) == []
    src = "FROM golang\nWORKDIR /app\nADD . .\nRUN go get -dR\nRUN go build\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(3, 5)]


@pytest.mark.parametrize("deps, copy", [
    # a virtualenv the other stage made and installed the requirements into
    ("RUN python -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nCOPY requirements.txt .\n"
     "RUN pip install -r requirements.txt\n", "COPY --from=deps /opt/venv /opt/venv\n"),
    # a user install (`~/.local`), and the interpreter's own site-packages
    ("WORKDIR /app\nCOPY requirements.txt .\nRUN pip install --user -r requirements.txt\n",
     "COPY --from=deps /root/.local /root/.local\n"),
    ("WORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
     "COPY --from=deps /usr/local/lib/python3.12/site-packages /usr/local/lib/python3.12/site-packages\n"),
])
def test_df101_a_python_environment_another_stage_installed_the_dependencies_into(deps, copy):
    # The project installs itself after its dependencies came in place: no download to keep cached.
    for install in ("pip install -e . --user --no-cache-dir", "pip install -e /app[postgresql] -c /app/requirements.txt"):
        src = f"FROM python:3.12-slim AS deps\n{deps}\nFROM python:3.12-slim\nWORKDIR /app\n{copy}COPY . /app\nRUN {install}\n"
        assert findings("DF101", src) == [], (copy, install)


def test_df101_a_python_environment_without_the_dependencies_is_no_prefetch():
    # The other stage installed named tools only (no manifest), or copied nothing Python installed into.
    tools = ("FROM python:3.12-slim AS tools\nRUN python -m venv /opt/venv && /opt/venv/bin/pip install black\n"
             "FROM python:3.12-slim\nWORKDIR /app\nCOPY --from=tools /opt/venv /opt/venv\nCOPY . /app/\n"
             "RUN pip install --no-cache-dir -e .\n")
    other = ("FROM python:3.12-slim AS deps\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
             "FROM python:3.12-slim\nWORKDIR /app\nCOPY --from=deps /app/requirements.txt /tmp/\nCOPY . /app/\n"
             "RUN pip install --no-cache-dir -e .\n")
    for src, line in ((tools, 6), (other, 8)):
        assert [(code, line, col) for code, line, col, _ in findings("DF101", src)] == [("DF101", line, 6)]


def test_df101_a_constraints_file_pins_a_build_of_the_project():
    # `-c` names no requirement: with the project it is a build of the project, as without it.
    src = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install -e '/app[pg]' -c /app/requirements.txt\n"
    assert findings("DF101", src) == [(
        "DF101", 3, 6,
        "COPY . copies the whole build context before `pip install -e '/app[pg]' -c /app/requirements.txt` at line 4 "
        "fetches the dependencies: a change to any copied file runs it again; copy pyproject.toml and setup.py first "
        "and install, then copy the rest")]
    # With requirement files or named packages the file pins, it is read like them.
    src = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install -r req.txt -c constraints.txt\n"
    assert [msg.split(":")[0] for _, _, _, msg in findings("DF101", src)] == [
        "COPY . copies the whole build context before `pip install -r req.txt -c constraints.txt` at line 4 installs "
        "the dependencies"]
    src = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install -c constraints.txt flask\n"
    assert [line for _, line, _, _ in findings("DF101", src)] == [3]


def test_df101_an_editable_install_names_a_local_project():
    # `-e` takes a local directory or a VCS URL, never a name on PyPI.
    src = "FROM python:3.12-slim\nADD biodepot biodepot\nRUN pip3 install -e biodepot\n"
    assert [(code, line, col, msg.split(":")[0]) for code, line, col, msg in findings("DF101", src)] == [(
        "DF101", 2, 5, "ADD biodepot copies the whole directory biodepot before `pip3 install -e biodepot` at line 3 "
                       "fetches the dependencies")]
    assert findings("DF101", "FROM python:3.12-slim\nCOPY . /app\nRUN pip install -e git+https://github.com/o/r.git#egg=r\n") == []


def test_df101_the_dependencies_of_one_project_are_not_another_projects():
    # orange3's requirements, installed with it, are not biodepot's: its build fetches its own.
    src = ("FROM python:3.12-slim\nCOPY orange3 /orange3\nRUN pip install -r /orange3/requirements.txt && pip install "
           "-e /orange3\nADD biodepot /biodepot\nRUN pip install -e /biodepot\n")
    assert [(line, msg.split(":")[0]) for _, line, _, msg in findings("DF101", src)] == [
        (2, "COPY orange3 copies the whole directory orange3 before `pip install -r /orange3/requirements.txt` at line 3 "
            "installs the dependencies"),
        (4, "ADD biodepot copies the whole directory biodepot before `pip install -e /biodepot` at line 5 fetches the "
            "dependencies")]
    # Requirements copied on their own are for whatever the stage builds; those of a project are for it and what
    # is inside it.
    for src in (
            "FROM python:3.12-slim\nCOPY requirements.txt /tmp/\nRUN pip install -r /tmp/requirements.txt\n"
            "COPY . /app\nRUN pip install -e /app\n",
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
            "COPY . .\nRUN pip install -e . && pip install -e ./plugins/extra\n",
            "FROM python:3.12-slim\nCOPY app /app\nRUN pip install -r /app/requirements.txt\nRUN pip install "
            "-e /app/lib\n"):
        assert [line for _, line, _, _ in findings("DF101", src)] == ([2] if "COPY app" in src else []), src


def test_df101_a_dotnet_build_reads_the_projects_beside_its_own():
    # .NET projects reference their siblings by relative path (`../../Paprika/Paprika.csproj`): with no restore step,
    # a change to any file of one copied beside the project runs the restore again.
    src = ("FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY src/Nethermind src/Nethermind\nCOPY src/Paprika src/Paprika\n"
           "RUN dotnet publish src/Nethermind/Nethermind.Runner -c release -o /publish\n")
    assert findings("DF101", src)[1] == (
        "DF101", 3, 6,
        "COPY src/Paprika copies the whole directory src/Paprika before `dotnet publish "
        "src/Nethermind/Nethermind.Runner...` at line 4 fetches the dependencies (it reads *.csproj from the COPY at "
        "line 2): a change to any copied file runs the download again; copy the *.csproj files it holds first too and "
        "run `dotnet restore`, then copy the rest")
    # Not a directory under another top directory, nor after a restore, nor for builds that name no siblings.
    assert [line for _, line, _, _ in findings("DF101", src.replace("src/Paprika src/Paprika", "tools /tools"))] == [2]
    assert findings("DF101", "FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY src/App/App.csproj src/App/\n"
                             "RUN dotnet restore src/App/App.csproj\nCOPY src/App src/App\nCOPY src/Lib src/Lib\n"
                             "RUN dotnet publish src/App -o /publish\n") == []
    assert [line for _, line, _, _ in findings("DF101", "FROM golang:1.22\nCOPY src/app src/app\nCOPY src/lib src/lib\n"
                                                        "RUN cd src/app && go build -o /app .\n")] == [2]


def test_df101_an_install_in_a_build_output_reads_what_the_build_wrote():
    # The production install of the built server runs where the build wrote its package.json: it has to follow it.
    build = ("FROM oven/bun:1\nWORKDIR /usr/src/app\nCOPY package.json bun.lock ./\nRUN bun install\nCOPY . .\n"
             "RUN npx nx run-many --target=build\nRUN cd dist/packages/server/api && bun install --production\n")
    assert findings("DF101", build) == []
    # With no build in between, or in a directory no build writes to, the manifest is the copied one.
    assert [line for _, line, _, _ in findings("DF101", build.replace("RUN npx nx run-many --target=build\n", ""))] == [5]
    assert [line for _, line, _, _ in findings("DF101", build.replace("cd dist/", "cd "))] == [5]



def test_df101_a_manifest_the_context_holds_under_an_output_directory_is_copied(tmp_path):
    # A dist/ committed with its package.json: the COPY brings it, and the install reads it from there.
    context = tree(tmp_path, {"package.json": "{}", "bun.lock": "", "dist/api/package.json": "{}", "src/x.ts": ""})
    src = ("FROM oven/bun:1\nWORKDIR /app\nCOPY package.json bun.lock ./\nRUN bun install\nCOPY . .\n"
           "RUN bun run build\nRUN cd dist/api && bun install --production\n")
    assert [line for _, line, _, _ in findings("DF101", src, context_dir=context)] == [5]

"""The command catalog: one entry per tool, read by the filesystem effects and the rules."""

from dfcheck.model.commands import CACHES, TOOLS, action, lookup
from dfcheck.model.shell import parse_shell


def command(text):
    return parse_shell(text).commands[0].effective()


def roles(text):
    found = action(command(text))
    return (found.manager, found.role, found.verb, [w.value for w in found.targets]) if found else None


def test_lookup_normalizes_the_program():
    tool, pip = lookup(command("python3 -W ignore -m pip install flask"))
    assert tool.name == "pip" and [w.value for w in pip.argv] == ["pip", "install", "flask"]
    assert lookup(command("pip3.12 install x"))[0].name == "pip"
    # the module name attached to -m
    tool, pip = lookup(command("/opt/conda/bin/python -mpip install -r requirements.txt"))
    assert tool.name == "pip" and [w.value for w in pip.argv] == ["-mpip", "install", "-r", "requirements.txt"]
    assert roles("python3 -mpip install flask") == ("pip", "install", "install", ["flask"])
    assert lookup(command("sudo -E /usr/bin/apt-get install -y curl"))[0].name == "apt"
    assert lookup(command("python3 script.py"))[0].name == "installer"  # a script may be a known installer
    assert lookup(command("frobnicate")) is None


def test_package_manager_actions():
    assert roles("apt-get -o Dpkg::Options::=--force-confold install -y curl") == ("apt", "install", "install", ["curl"])
    assert roles("apt-get update") == ("apt", "update", "update", [])
    assert roles("apk add --virtual .deps gcc") == ("apk", "install", "add", ["gcc"])
    assert roles("dnf module install -y nodejs:18") == ("dnf", "install", "module", ["nodejs:18"])
    assert roles("zypper --non-interactive refresh") == ("zypper", "update", "refresh", [])
    assert roles("pip uninstall -y x") == ("pip", "remove", "uninstall", ["x"])
    assert action(command("apk add --no-cache curl")).no_cache is True
    assert action(command("apk add --update curl")).refresh is True
    assert action(command("echo install")) is None


def test_every_cache_says_how_to_avoid_it():
    assert {"apt", "apk", "pip", "npm", "yarn", "go", "gomod", "maven", "gradle"} <= set(CACHES)
    for cache in CACHES.values():
        assert cache.avoid and cache.path and cache.what
    # One entry per tool, whatever name it runs under.
    assert TOOLS["apt-get"] is TOOLS["aptitude"] and TOOLS["pip3"] is TOOLS["pip"]


# -- wrappers: what a RUN runs through sh -c, su -c, xargs, find -exec, env, time, nice, exec ----------------

from support import findings, raw_findings  # noqa: E402


def test_sh_c_strings_are_read_in_place():
    src = "FROM debian\nRUN bash -c 'apt-get update && apt-get install -y curl'\n"
    [finding] = raw_findings("DF203", src)
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (2, 14, 28)  # `apt-get update`
    assert finding.message.startswith("`apt-get update` leaves the apt lists (/var/lib/apt/lists)")
    # The clean-up inside the string counts, and the string's `cd` stays inside it.
    src = ("FROM debian\nWORKDIR /w\nRUN sh -ec 'cd /tmp && apt-get update && apt-get install -y x "
           "&& rm -rf /var/lib/apt/lists/*' && curl -O https://e.com/a.tgz\n")
    assert findings("DF203", src) == []
    model = model_of(src)
    assert [a.path for a in model.filesystem.effects(model.instructions[-1]).added] == ["/w/a.tgz"]


def test_su_c_and_exec_form_are_read():
    src = 'FROM node\nRUN su node -c "umask 0002 && npm install -g eslint"\n'
    assert findings("DF509", src) == [(
        "DF509", 2, 31, "`npm install` installs eslint without a fixed version, so each build gets whatever is "
                        "newest that day; pin it (`eslint@<version>`)")]
    src = 'FROM python\nRUN ["pip", "install", "flask"]\n'
    assert [(line, col) for _, line, col, _ in findings("DF508", src)] == [(2, 6)]
    [finding] = raw_findings("DF203", src)
    assert finding.fix is None  # no edit inside a JSON array


def test_env_time_nice_exec_are_stripped():
    assert findings("DF203", "FROM python\nRUN env PIP_NO_CACHE_DIR=1 pip install flask\n") == []
    src = "FROM node\nWORKDIR /app\nCOPY . .\nRUN time nice -n 5 npm ci\n"
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(3, 6)]


def test_find_exec_and_xargs_rewrite_what_find_lists():
    src = "FROM alpine\nCOPY lib /usr/local/lib/app\nRUN find /usr/local/lib/app -name '*.so' | xargs strip\n"
    [(_, line, column, message)] = findings("DF202", src)
    assert (line, column) == (3, 44)
    assert message.startswith("`xargs strip` rewrites /usr/local/lib/app from an earlier layer")
    src = "FROM alpine\nCOPY app /app\nRUN find /app -type f -exec chmod 644 {} +\n"
    assert [(line, col) for _, line, col, _ in findings("DF202", src)] == [(3, 5)]
    # Files chosen by their mode or owner: nothing says an earlier layer has any.
    assert findings("DF202", "FROM alpine\nCOPY app /app\nRUN find / -perm /6000 -type f -exec chmod a-s {} \\;\n") == []


def model_of(src):
    from support import model_of as build

    return build(src)


# -- tools the catalog covers ---------------------------------------------------------------------------------

def added_by(src, index=-1):
    model = model_of(src)
    return [(a.path, a.what) for a in model.filesystem.effects(model.instructions[index]).added]


def test_pacman_roles_caches_and_stale_databases():
    assert roles("pacman -Sy") == ("pacman", "update", "-Sy", [])
    assert roles("pacman -S --noconfirm git") == ("pacman", "install", "-S", ["git"])
    assert roles("pacman -Syu --noconfirm git") == ("pacman", "upgrade", "-Syu", ["git"])
    assert roles("pacman -Scc --noconfirm") == ("pacman", "clean", "-Scc", [])
    assert roles("pacman -Rns --noconfirm git") == ("pacman", "remove", "-Rns", ["git"])
    assert findings("DF102", "FROM archlinux\nRUN pacman -Sy\nRUN pacman -S --noconfirm git\n") == [(
        "DF102", 2, 5, "`pacman -Sy` refreshes the package lists in its own layer, and the install at line 3 runs in "
                       "another: when only the install changes, it runs on the cached, stale lists; update and install "
                       "in the same RUN")]
    assert findings("DF102", "FROM archlinux\nRUN pacman -Sy\nRUN pacman -Syu --noconfirm git\n") == []
    assert added_by("FROM archlinux\nRUN pacman -Syu --noconfirm git\n") == [
        ("/var/lib/pacman/sync", "pacman sync databases"), ("/var/cache/pacman/pkg", "pacman package cache")]
    assert added_by("FROM archlinux\nRUN pacman -Syu --noconfirm git && pacman -Scc --noconfirm "
                    "&& rm -rf /var/lib/pacman/sync/*\n") == []


def test_conda_composer_nvm_bun_caches():
    assert added_by("FROM conda\nENV CONDA_DIR=/opt/conda\nRUN mamba install -y numpy && mamba clean --all -f -y\n") == []
    assert added_by("FROM conda\nRUN conda env create -f environment.yml\n") == [
        ("/opt/conda/pkgs", "conda package cache")]
    assert added_by("FROM php\nWORKDIR /app\nRUN php composer.phar install --no-dev\n") == [
        ("/app/vendor", "vendor"), ("/root/.cache/composer", "Composer cache")]
    assert added_by("FROM php\nENV COMPOSER_HOME=/tmp\nRUN /usr/bin/composer install -d /srv --no-cache\n") == [
        ("/srv/vendor", "vendor")]
    assert added_by("FROM d\nENV NVM_DIR=/usr/local/nvm\nRUN . $NVM_DIR/nvm.sh && nvm install 20\n") == [
        ("/usr/local/nvm/.cache", "nvm download cache"), ("/usr/local/nvm/versions/node", "node versions")]
    assert added_by("FROM d\nRUN . ~/.nvm/nvm.sh && nvm install 20 && nvm cache clear\n") == [
        ("/root/.nvm/versions/node", "node versions")]
    assert added_by("FROM oven/bun\nWORKDIR /app\nRUN bun install --no-cache\n") == [("/app/node_modules", "node_modules")]


def test_what_installs_and_builds_write_into_the_project():
    assert added_by("FROM node\nWORKDIR /app\nRUN npm ci --cache /tmp/c && rm -rf /tmp/c\n") == [
        ("/app/node_modules", "node_modules")]
    # A global install writes no node_modules into the project, but into the global one.
    assert added_by("FROM node\nRUN npm install -g typescript && npm cache clean --force\n") == [
        ("/usr/local/lib/node_modules/typescript", "global packages")]
    assert added_by("FROM node\nWORKDIR /app\nRUN yarn install --modules-folder /deps && yarn cache clean\n") == [
        ("/deps", "node_modules")]
    assert added_by("FROM python\nRUN pip install --no-cache-dir -t /opt/deps -r req.txt\n") == [
        ("/opt/deps", "pip --target")]
    assert added_by("FROM ruby\nWORKDIR /app\nRUN bundle install --deployment\n") == [
        ("/app/vendor/bundle", "bundle --path")]
    assert added_by("FROM rust\nWORKDIR /src\nENV CARGO_HOME=/usr/local/cargo\nRUN cargo build --release\n") == [
        ("/usr/local/cargo/registry", "Cargo registry"), ("/src/target", "build output")]
    assert added_by("FROM golang\nRUN go build -o /out/app ./cmd/app && go clean -cache -modcache\n") == [
        ("/out/app", "build output")]


def caches_of(src):
    model = model_of(src)
    return [a.path for a in model.filesystem.effects(model.instructions[-1]).added if a.cache]


def test_cache_locations_follow_the_environment_the_run_sees():
    # The base image's ENV: rust's CARGO_HOME, golang's GOPATH, composer's COMPOSER_HOME
    assert caches_of("FROM rust:1.85\nWORKDIR /src\nRUN cargo build\n") == ["/usr/local/cargo/registry"]
    assert caches_of("FROM rust:1.85-alpine AS b\nFROM b\nWORKDIR /src\nRUN cargo fetch\n") == [
        "/usr/local/cargo/registry"]
    assert caches_of("FROM debian\nWORKDIR /src\nRUN cargo build\n") == ["/root/.cargo/registry"]
    assert caches_of("FROM golang:1.22\nWORKDIR /src\nRUN go mod download\n") == ["/go/pkg/mod"]
    assert caches_of("FROM composer:2\nWORKDIR /app\nRUN composer install\n") == ["/tmp/cache"]
    # ENV in the Dockerfile wins over the image's, and the first variable set of a cache wins
    assert caches_of("FROM rust\nENV CARGO_HOME=/opt/cargo\nWORKDIR /src\nRUN cargo build\n") == [
        "/opt/cargo/registry"]
    assert caches_of("FROM debian\nENV GOPATH=/gp:/other\nWORKDIR /src\nRUN go mod download\n") == ["/gp/pkg/mod"]
    assert caches_of("FROM debian\nENV GOMODCACHE=/mods GOPATH=/gp\nWORKDIR /src\nRUN go mod download\n") == [
        "/mods"]
    assert caches_of("FROM php\nENV COMPOSER_HOME=/c COMPOSER_CACHE_DIR=/cc\nWORKDIR /a\nRUN composer install\n") \
        == ["/cc"]
    # XDG_CACHE_HOME moves every cache kept under ~/.cache; a tool's own variable still wins
    xdg = "FROM python\nENV XDG_CACHE_HOME=/xdg\nWORKDIR /app\n"
    assert caches_of(xdg + "RUN pip install flask\n") == ["/xdg/pip"]
    assert caches_of(xdg + "RUN go build -o /app .\n") == ["/xdg/go-build", "/root/go/pkg/mod"]
    assert caches_of(xdg + "RUN yarn install\n") == ["/xdg/yarn"]
    assert caches_of(xdg + "RUN uv sync\n") == ["/xdg/uv"]
    assert caches_of(xdg + "RUN poetry install\n") == ["/xdg/pypoetry"]
    assert caches_of(xdg + "RUN composer install\n") == ["/xdg/composer"]
    assert caches_of(xdg + "ENV PIP_CACHE_DIR=/pipc\nRUN pip install flask\n") == ["/pipc"]
    # the other variables of the catalog, and the home of the USER (or HOME) the RUN runs as
    assert caches_of("FROM node\nENV npm_config_cache=/npmc\nWORKDIR /app\nRUN npm ci\n") == ["/npmc"]
    assert caches_of("FROM node\nENV YARN_CACHE_FOLDER=/yc\nWORKDIR /app\nRUN yarn install\n") == ["/yc"]
    assert caches_of("FROM node\nENV PNPM_HOME=/pnpm\nWORKDIR /app\nRUN pnpm install\n") == ["/pnpm/store"]
    assert caches_of("FROM eclipse-temurin\nENV GRADLE_USER_HOME=/gh\nWORKDIR /app\nRUN gradle build\n") == [
        "/gh/caches"]
    assert caches_of("FROM eclipse-temurin\nENV MAVEN_OPTS='-Xmx1g -Dmaven.repo.local=/m2'\nWORKDIR /app\n"
                     "RUN mvn package\n") == ["/m2"]
    assert caches_of("FROM maven\nWORKDIR /app\nRUN mvn -Dmaven.repo.local=.m2 package\n") == ["/app/.m2"]
    assert caches_of("FROM maven\nUSER app\nWORKDIR /app\nRUN mvn package\n") == ["/home/app/.m2/repository"]
    assert caches_of("FROM node\nUSER node\nENV HOME=/srv\nWORKDIR /app\nRUN npm ci\n") == ["/srv/.npm"]
    assert caches_of("FROM node\nUSER node\nWORKDIR /app\nRUN npm ci\n") == ["/home/node/.npm"]


def test_bundle_path_is_where_bundle_install_writes():
    assert added_by("FROM ruby\nENV BUNDLE_PATH=/gems\nWORKDIR /app\nRUN bundle install\n") == [
        ("/gems", "bundle --path")]


def test_file_tools_add_what_they_write():
    src = ("FROM debian\nWORKDIR /src\nRUN mkdir -p /opt/tool && cp -r conf /etc/app && cp a.conf b.conf /etc/x/ "
           "&& install -m 755 run.sh /usr/local/bin && install -d /var/run/app && ln -s /opt/tool/bin/tool /usr/local/bin "
           "&& touch /var/log/app.log && gunzip /tmp/data.gz && 7z x pkg.7z -o/opt/pkg\n")
    assert added_by(src) == [
        ("/opt/tool", "directory"), ("/etc/app", "copy by cp"), ("/etc/x/a.conf", "copy by cp"),
        ("/etc/x/b.conf", "copy by cp"), ("/usr/local/bin/run.sh", "copy by install"), ("/var/run/app", "directory"),
        ("/usr/local/bin/tool", "link"), ("/var/log/app.log", "file written"), ("/tmp/data", "decompressed"),
        ("/opt/pkg", "extract")]


def test_go_reads_go_mod_only_in_module_mode():
    src = "FROM golang:{}\nWORKDIR /go/src/app\nCOPY . .\nRUN go build -o /app .\n"
    assert findings("DF101", src.format("1.12")) == []  # GOPATH mode: no go.mod is read
    assert [(line, col) for _, line, col, _ in findings("DF101", src.format("1.22-alpine"))] == [(3, 6)]
    assert [(line, col) for _, line, col, _ in findings("DF101", src.format("1.12").replace(
        "WORKDIR", "ENV GO111MODULE=on\nWORKDIR"))] == [(4, 6)]


def test_pip_wheel_and_download_read_requirement_files():
    for run in ("pip wheel --no-cache-dir -r requirements.txt -w /wheels",
                "pip download -d /pkgs -r requirements.txt", "php composer.phar install",
                "/usr/local/bin/composer install --no-dev"):
        src = f"FROM python\nWORKDIR /app\nCOPY . .\nRUN {run}\n"
        assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(3, 6)], run


def test_poetry_only_root_and_no_cache():
    src = "FROM python\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root --no-cache\n" \
          "COPY . .\nRUN poetry install --only-root\n"
    assert findings("DF101", src) == []
    assert findings("DF203", src) == []
    [(_, line, col, message)] = findings("DF203", "FROM python\nRUN poetry install --no-root\n")
    assert message.startswith("`poetry install --no-root` leaves the poetry cache (/root/.cache/pypoetry)")


def test_project_directories_named_by_options():
    def deps(run):
        model = model_of(f"FROM x\nWORKDIR /app\nRUN {run}\n")
        return [(d.ecosystem, d.step, d.path(d.manifests[0])) for d in
                model.filesystem.effects(model.instructions[-1]).dependencies]

    assert deps("mvn -f /srv/api/pom.xml -B package") == [("maven", "build", "/srv/api/pom.xml")]
    assert deps("./gradlew -p api build") == [("gradle", "build", "/app/api/build.gradle")]
    assert deps("cargo build --manifest-path core/Cargo.toml") == [("cargo", "build", "/app/core/Cargo.toml")]
    assert deps("cargo install --path plume-cli --force") == [("cargo", "build", "/app/plume-cli/Cargo.toml")]
    assert deps("cargo install --path=./ --locked") == [("cargo", "build", "/app/Cargo.toml")]
    assert deps("cargo install diesel_cli --no-default-features") == []  # a crate from the registry
    # The values of a Node manager's options are no package names; yarnpkg is yarn (Debian's name for it).
    assert deps("npm install --include dev") == [("npm", "install", "/app/package.json")]
    assert deps("pnpm install --filter web --frozen-lockfile") == [("pnpm", "install", "/app/package.json")]
    assert deps("yarnpkg install") == [("yarn", "install", "/app/package.json")]
    assert deps("npm install --include dev typescript") == []  # a named package
    assert deps("poetry -C backend install --no-root") == [("poetry", "install", "/app/backend/pyproject.toml")]
    assert deps("dotnet restore src/Api/Api.csproj") == [("dotnet", "install", "/app/src/Api/Api.csproj")]
    assert deps("python setup.py install") == [("setuptools", "build", "/app/setup.py")]
    assert deps("go get -d -v ./...") == [("go", "install", "/app/go.mod")]
    assert added_by("FROM node\nWORKDIR /app\nRUN npm prune --production\n") == []
    model = model_of("FROM node\nWORKDIR /app\nRUN npm ci\nRUN npm prune --production\n")
    [waste] = model.waste
    assert (waste.operation.command, waste.added.what, waste.whole) == ("npm prune --production", "node_modules", False)


def test_tools_that_write_the_file_an_option_names():
    src = ("FROM debian\nWORKDIR /src\nRUN gcc -O2 -o /usr/bin/nnp nnp.c && clang -onative main.c && zip -r /tmp/site "
           "www && 7z a /tmp/x.7z /etc && tar -czf /tmp/a.tgz /etc && curl -fsSL https://x/k | gpg --dearmor -o "
           "/usr/share/keyrings/k.gpg && openssl req -x509 -nodes -out /etc/ssl/c.pem -keyout k.pem\n")
    assert added_by(src) == [
        ("/usr/bin/nnp", "build output"), ("/src/native", "build output"), ("/tmp/site.zip", "archive"),
        ("/tmp/x.7z", "archive"), ("/tmp/a.tgz", "archive"), ("/usr/share/keyrings/k.gpg", "file written"),
        ("/etc/ssl/c.pem", "file written")]
    assert added_by("FROM python\nWORKDIR /app\nRUN python3 -m venv /opt/venv && uv venv\n") == [
        ("/opt/venv", "virtualenv"), ("/app/.venv", "virtualenv")]
    assert added_by("FROM python\nRUN pip install --no-cache-dir --prefix=/install -r r.txt\n") == [
        ("/install", "pip --prefix")]


def test_what_a_compiler_wrote_is_rewritten_or_deleted_later():
    src = "FROM alpine\nRUN gcc -o /usr/bin/nnp nnp.c\nRUN chmod +s /usr/bin/nnp\n"
    assert findings("DF202", src) == [(
        "DF202", 3, 5,
        "`chmod +s /usr/bin/nnp` rewrites /usr/bin/nnp from an earlier layer: a second copy of it goes into this "
        "layer, the first stays in RUN at line 2; do it in the RUN that creates it (RUN at line 2)")]
    src = "FROM alpine\nRUN zip -r /tmp/b /etc\nRUN rm /tmp/b.zip\n"
    assert [(line, col) for _, line, col, _ in findings("DF201", src)] == [(3, 5)]


def test_what_global_installs_write():
    def added(src):
        return [(p, w) for p, w in added_by(src) if w in ("global packages", "skeleton project", "file edited")]

    assert added("FROM node:20\nRUN npm install -g typescript@5 @angular/cli@17 ./local\n") == [
        ("/usr/local/lib/node_modules/typescript", "global packages"),
        ("/usr/local/lib/node_modules/@angular/cli", "global packages")]
    assert added("FROM node:20\nENV NPM_CONFIG_PREFIX=/home/node/.npm-global\nRUN npm i -g pm2\n") == [
        ("/home/node/.npm-global/lib/node_modules/pm2", "global packages")]
    assert added("FROM python:3.12-slim@sha256:abc\nRUN pip install --no-cache-dir flask\n") == [
        ("/usr/local/lib/python3.12/site-packages", "global packages")]
    assert added("FROM python:3.12\nRUN pip install --user flask\n") == [
        ("/root/.local/lib/python3.12/site-packages", "global packages")]
    assert added("FROM python:3.12\nRUN pip install -t /deps flask\n") == []
    assert added("FROM debian\nRUN pip install flask\n") == []  # the version, and so the path, is not known
    # pip upgrading itself in the python image also writes its scripts beside python; not for a user install.
    assert added("FROM python:3.11-slim\nRUN pip3 install --upgrade pip setuptools\n") == [
        ("/usr/local/lib/python3.11/site-packages", "global packages"), ("/usr/local/bin/pip", "global packages"),
        ("/usr/local/bin/pip3", "global packages"), ("/usr/local/bin/pip3.11", "global packages")]
    assert ("/usr/local/bin/pip", "global packages") not in added("FROM python:3.11\nUSER app\nRUN pip install -U pip\n")
    assert added("FROM python:3.11\nRUN pip install --user -U pip\n") == [
        ("/root/.local/lib/python3.11/site-packages", "global packages")]
    assert added("FROM ruby:3.3\nRUN gem install bundler -v 2.5\n") == [("/usr/local/bundle", "global packages")]
    assert added("FROM golang:1.22\nRUN go install github.com/a/b/cmd/tool/v2@latest\n") == [
        ("/go/bin/tool", "global packages")]
    assert added("FROM php\nRUN composer create-project laravel/laravel app\n") == [
        ("/app", "skeleton project")]
    assert added("FROM debian\nRUN sed -i 's/a/b/' /etc/x.conf\n") == [("/etc/x.conf", "file edited")]


def test_aria2c_downloads_and_setup_scripts_that_refresh_apt_lists():
    assert added_by("FROM debian\nWORKDIR /src\nRUN aria2c -x 4 -d /tmp/x https://e.com/a.tgz https://e.com/b.zip\n") == [
        ("/tmp/x/a.tgz", "download"), ("/tmp/x/b.zip", "download")]
    assert added_by("FROM debian\nWORKDIR /src\nRUN aria2c -o tool.tgz https://e.com/dl?id=1\n") == [
        ("/src/tool.tgz", "download")]
    model = model_of("FROM debian\nRUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -\n")
    [lists] = model.filesystem.effects(model.instructions[-1]).added
    assert (lists.path, lists.cache, lists.assumed) == (
        "/var/lib/apt/lists", "apt", "the NodeSource setup script runs apt-get update")


def test_a_base_image_env_directory_names_paths():
    assert added_by("FROM php:8.3-fpm\nRUN echo x=1 > $PHP_INI_DIR/conf.d/x.ini\n") == [
        ("/usr/local/etc/php/conf.d/x.ini", "file written")]
    # Set by the Dockerfile: its own value wins.
    assert added_by("FROM php:8.3-fpm\nENV PHP_INI_DIR=/etc/php\nRUN echo x=1 > $PHP_INI_DIR/conf.d/x.ini\n") == [
        ("/etc/php/conf.d/x.ini", "file written")]


def test_commands_that_create_a_project_s_manifest():
    assert added_by("FROM golang\nWORKDIR /app\nRUN go mod init example.com/app\n") == [("/app/go.mod", "manifest created")]
    assert added_by("FROM node\nWORKDIR /app\nRUN npm init -y\n") == [("/app/package.json", "manifest created")]
    assert added_by("FROM rust\nRUN cargo new --bin /app\n") == [
        ("/app/Cargo.toml", "manifest created"), ("/app/src/main.rs", "file written")]
    assert added_by("FROM rust\nWORKDIR /w\nRUN cargo init --lib\n") == [
        ("/w/Cargo.toml", "manifest created"), ("/w/src/lib.rs", "file written")]

"""Layer rules: DF201 deleted-in-later-layer, DF202 rewritten-in-later-layer, DF203 package-cache-in-layer."""


import pytest

from support import builtin_rules, findings, raw_findings, tree

from dfcheck.rule import Options


MiB = 1024 * 1024


# -- DF201 -----------------------------------------------------------------------------------

def test_df201_download_deleted_in_a_later_run():
    src = "FROM debian\nRUN curl -fsSLo /tmp/tool.tgz https://e.com/tool.tgz && tar -xzf /tmp/tool.tgz -C /opt/tool\nRUN rm /tmp/tool.tgz\n"
    assert findings("DF201", src) == [(
        "DF201", 3, 5,
        "`rm /tmp/tool.tgz` deletes /tmp/tool.tgz from an earlier layer: the bytes stay in the image, added by RUN "
        "at line 2; delete them in the RUN that creates them (RUN at line 2), or build in another stage",
    )]


def test_df201_create_and_delete_in_the_same_run_is_fine():
    src = "FROM debian\nRUN curl -fsSLo /tmp/tool.tgz https://e.com/tool.tgz && tar -xzf /tmp/tool.tgz -C /opt && rm /tmp/tool.tgz\n"
    assert findings("DF201", src) == []


def test_df201_sizes_from_a_real_context(tmp_path):
    tree(tmp_path, {"app/main.py": "x" * 1000, "app/tests/big.bin": b"\0" * (3 * MiB), "app/tests/t.py": "t" * 24})
    src = "FROM python:3.12\nCOPY app /app\nRUN rm -rf /app/tests\n"
    assert findings("DF201", src, context_dir=str(tmp_path)) == [(
        "DF201", 3, 5,
        "`rm -rf /app/tests` deletes /app/tests from an earlier layer: 3.0 MiB stay in the image, added by COPY "
        "at line 2; leave them out of the copy (.dockerignore or a narrower source), use them through "
        "`RUN --mount=type=bind`, or build in another stage",
    )]
    # Nothing the context has is deleted: no finding.
    assert findings("DF201", "FROM python:3.12\nCOPY app /app\nRUN rm -rf /app/build\n", context_dir=str(tmp_path)) == []


def test_df201_dockerignore_exceptions_count_in_the_size(tmp_path):
    tree(tmp_path, {
        ".dockerignore": "data\n!data/keep.bin\n",
        "data/keep.bin": b"\0" * (2 * MiB), "data/drop.bin": b"\0" * (5 * MiB), "main.py": "print()",
    })
    src = "FROM python:3.12\nWORKDIR /srv\nCOPY . .\nRUN rm -rf data\n"
    [(code, line, column, message)] = findings("DF201", src, context_dir=str(tmp_path))
    assert (line, column) == (4, 5)
    assert "2.0 MiB stay in the image, added by COPY at line 3" in message


def test_df201_deletion_in_a_child_stage_of_a_base_stage():
    src = ("FROM node:20 AS base\nWORKDIR /app\nRUN git clone https://github.com/o/site.git\n"
           "FROM base AS final\nRUN rm -rf /app/site\n")
    assert [(c, line, col) for c, line, col, _ in findings("DF201", src)] == [("DF201", 5, 5)]
    assert "added by RUN at line 3" in findings("DF201", src)[0][3]


def test_df201_builder_stage_waste_is_not_reported():
    src = ("FROM golang AS build\nRUN curl -o /tmp/x.tgz https://e.com/x.tgz\nRUN rm /tmp/x.tgz\n"
           "FROM alpine\nCOPY --from=build /go/bin/app /app\n")
    assert findings("DF201", src) == []
    # ...unless the builder is the target.
    assert len(findings("DF201", src, target="build")) == 1


def test_df201_cache_and_bind_mounts_are_not_reported():
    src = ("FROM debian\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n"
           "RUN --mount=type=cache,target=/var/lib/apt/lists rm -rf /var/lib/apt/lists/*\n"
           "RUN --mount=type=bind,source=pkg.tgz,target=/tmp/pkg.tgz tar -xzf /tmp/pkg.tgz -C /opt/pkg && rm -f /tmp/pkg.tgz\n")
    assert findings("DF201", src) == []
    assert findings("DF203", src) == []


def test_df201_packages_removed_in_a_later_layer():
    src = ("FROM alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev\nRUN make\n"
           "RUN apk del .build-deps\n")
    assert findings("DF201", src) == [(
        "DF201", 4, 5,
        "`apk del .build-deps` removes .build-deps installed by RUN at line 2: their files stay in the image; install "
        "and remove them in the same RUN (e.g. `apk add --virtual .build-deps ... && ... && apk del .build-deps`), or "
        "build in another stage",
    )]
    assert findings("DF201", "FROM alpine\nRUN apk add --no-cache --virtual .d gcc && make && apk del .d\n") == []


def test_df201_cache_cleaned_in_a_later_layer():
    src = "FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n"
    [(_, line, column, message)] = findings("DF201", src)
    assert (line, column) == (3, 5)
    assert message.endswith("added by RUN at line 2; clean it in the RUN that creates it (RUN at line 2)")
    assert findings("DF203", src) == []  # DF201 says it; DF203 stays quiet


def test_df201_fix_binds_what_a_copy_brings_for_the_run_that_deletes_it():
    # The devcontainers pattern: a script copied, run and deleted with other files; instructions between are kept.
    src = ("FROM debian\n\n# Copy scripts to execute\nCOPY add-notice.sh /tmp/library-scripts/\n\nENV LANG=C.UTF-8\n"
           "RUN apt-get update && bash /tmp/library-scripts/add-notice.sh \\\n"
           "    && rm -rf /var/lib/apt/lists/* /tmp/library-scripts/add-notice.sh\n")
    assert _fixed("DF201", src) == [
        "FROM debian\n\nENV LANG=C.UTF-8\n"
        "RUN --mount=type=bind,source=add-notice.sh,target=/tmp/library-scripts/add-notice.sh,rw apt-get update && "
        "bash /tmp/library-scripts/add-notice.sh \\\n    && rm -rf /var/lib/apt/lists/*\n"]
    # A whole source tree, the context root itself, a file from another stage.
    src = "FROM debian\nCOPY . /tmp/src\nRUN cd /tmp/src && make install && rm -rf /tmp/src\n"
    assert _fixed("DF201", src) == ["FROM debian\nRUN --mount=type=bind,target=/tmp/src,rw cd /tmp/src && make install\n"]
    src = "FROM debian\nCOPY --from=build /out/app.deb /tmp/\nRUN dpkg -i /tmp/app.deb && rm /tmp/app.deb\n"
    assert _fixed("DF201", src) == [
        "FROM debian\nRUN --mount=type=bind,from=build,source=/out/app.deb,target=/tmp/app.deb,rw dpkg -i /tmp/app.deb\n"]
    # A RUN that only deletes: nothing used the file, both go.
    assert _fixed("DF201", "FROM debian\nCOPY x.sh /tmp/\nRUN rm /tmp/x.sh\n") == ["FROM debian\n"]


def test_df201_fix_moves_the_deletion_of_a_download_into_the_run_that_downloads_it():
    src = ("FROM debian\nRUN git clone https://x.test/x.git /src/x && make -C /src/x install\n"
           "RUN apt-get purge -y git && rm -rf /src/x\n")
    assert _fixed("DF201", src) == [
        "FROM debian\nRUN git clone https://x.test/x.git /src/x && make -C /src/x install && rm -rf /src/x\n"
        "RUN apt-get purge -y git\n"]


@pytest.mark.parametrize("src", [
    # the download is used after its RUN: by a RUN between, or by the deleting RUN itself
    "FROM debian\nRUN curl -fsSLo /tmp/t.deb https://x.test/t.deb\nRUN dpkg -i /tmp/*.deb\nRUN rm /tmp/t.deb\n",
    "FROM debian\nRUN curl -fsSLo /tmp/t.tgz https://x.test/t.tgz\nRUN tar -xzf /tmp/t.tgz && rm /tmp/t.tgz\n",
    # a layer between the COPY and the RUN, a COPY with --chmod or a wildcard, a deletion of more than was copied
    "FROM debian\nCOPY x.sh /tmp/\nRUN chmod +x /tmp/x.sh\nRUN /tmp/x.sh && rm /tmp/x.sh\n",
    "FROM debian\nCOPY --chmod=755 x.sh /tmp/\nRUN /tmp/x.sh && rm /tmp/x.sh\n",
    "FROM debian\nCOPY scripts/*.sh /tmp/s/\nRUN /tmp/s/a.sh && rm -rf /tmp/s\n",
    "FROM debian\nCOPY x.sh /tmp/s/\nRUN /tmp/s/x.sh && rm -rf /tmp/s\n",
    # a relative path, an `rm` that is not a plain step, a frontend without RUN --mount
    "FROM debian\nWORKDIR /tmp\nCOPY x.sh .\nRUN ./x.sh && rm x.sh\n",
    "FROM debian\nCOPY x.sh /tmp/\nRUN /tmp/x.sh && (rm /tmp/x.sh)\n",
    "# syntax=docker/dockerfile:1.1\nFROM debian\nCOPY x.sh /tmp/\nRUN /tmp/x.sh && rm /tmp/x.sh\n",
    # something the layer added is only partly deleted
    "FROM debian\nCOPY . /app\nRUN rm -rf /app/tests\n",
])
def test_df201_no_fix(src):
    assert [f.fix for f in raw_findings("DF201", src)] == [None]


# -- DF202 -----------------------------------------------------------------------------------

def test_df202_chown_after_copy_with_size(tmp_path):
    tree(tmp_path, {"site/index.html": "x" * (1536 * 1024), "entrypoint.sh": "#!/bin/sh\n"})
    src = "FROM nginx\nCOPY site /usr/share/nginx/html\nRUN chown -R nginx:nginx /usr/share/nginx/html\n"
    assert findings("DF202", src, context_dir=str(tmp_path)) == [(
        "DF202", 3, 5,
        "`chown -R nginx:nginx /usr/share/nginx/html` rewrites /usr/share/nginx/html from an earlier layer: a second "
        "copy of 1.5 MiB goes into this layer, the first stays in COPY at line 2; set the owner while copying: "
        "`COPY --chown=...`",
    )]


def test_df202_chmod_mv_sed_and_what_is_fine():
    src = "FROM alpine\nCOPY entrypoint.sh /entrypoint.sh\nRUN chmod +x /entrypoint.sh\n"
    assert [m.split(": ")[-1] for _, _, _, m in findings("DF202", src)] == ["`COPY --chmod=755`"]
    src = "FROM alpine\nRUN git clone https://e.com/r /src/r\nRUN mv /src/r /opt/r\n"
    [(_, line, _, message)] = findings("DF202", src)
    assert line == 3 and message.endswith("do it in the RUN that creates them (RUN at line 2)")
    src = "FROM alpine\nCOPY nginx.conf /etc/nginx/nginx.conf\nRUN sed -i 's/80/8080/' /etc/nginx/nginx.conf\n"
    assert len(findings("DF202", src)) == 1
    # A non-recursive chmod of a directory changes only the directory; the same RUN is fine.
    assert findings("DF202", "FROM alpine\nCOPY app /app\nRUN chmod 755 /app\n") == []
    assert findings("DF202", "FROM alpine\nRUN curl -o /x https://e/x && chmod +x /x\n") == []
    assert findings("DF202", "FROM alpine\nCOPY --chmod=755 run.sh /run.sh\n") == []


def test_df202_min_bytes_option(tmp_path):
    tree(tmp_path, {"run.sh": "echo hi\n"})
    rule = builtin_rules()["DF202"]
    from support import model_of

    model = model_of("FROM alpine\nCOPY run.sh /run.sh\nRUN chmod +x /run.sh\n", context_dir=str(tmp_path))
    assert len(list(rule.check(model, Options({"min-bytes": 0})))) == 1
    assert list(rule.check(model, Options({"min-bytes": 1024}))) == []


def test_df202_rewrite_in_base_stage_reported_for_the_child_only_when_shipped():
    src = "FROM alpine AS base\nCOPY app /app\nFROM base AS dev\nRUN chown -R dev /app\nFROM alpine\nCOPY --from=dev /app /app\n"
    assert findings("DF202", src) == []
    assert [(line, col) for _, line, col, _ in findings("DF202", src, target="dev")] == [(4, 5)]


# -- DF203 -----------------------------------------------------------------------------------

def test_df202_fix_sets_owner_and_mode_while_copying():
    # A file into a directory every image has, nothing else in the RUN: safe when the file already needs BuildKit.
    src = "FROM debian\nCOPY entrypoint.sh /entrypoint.sh\nRUN chown app:app /entrypoint.sh && chmod 755 /entrypoint.sh\n"
    [finding] = raw_findings("DF202", src)
    assert (finding.fix.applicability, finding.fix.description) == (
        "unsafe", "Set the owner and the mode while copying: `COPY --chown=app:app --chmod=755` at line 2")
    assert _fixed("DF202", src) == ["FROM debian\nCOPY --chown=app:app --chmod=755 entrypoint.sh /entrypoint.sh\n"]
    assert raw_findings("DF202", "# syntax=docker/dockerfile:1\n" + src)[0].fix.applicability == "safe"
    # `chown user` keeps the group COPY gives; a symbolic mode with a frontend that takes it; a variable COPY
    # expands the same.
    src = "FROM debian\nCOPY app.conf /etc/\nRUN chown app /etc/app.conf\n"
    assert _fixed("DF202", src) == ["FROM debian\nCOPY --chown=app:0 app.conf /etc/\n"]
    src = "# syntax=docker/dockerfile:1.14\nFROM debian\nCOPY run.sh /usr/local/bin/\nRUN chmod +x /usr/local/bin/run.sh\n"
    assert _fixed("DF202", src) == ["# syntax=docker/dockerfile:1.14\nFROM debian\nCOPY --chmod=+x run.sh /usr/local/bin/\n"]
    src = "FROM debian\nARG USERNAME=vscode\nCOPY . /home/app\nRUN chown -R $USERNAME:$USERNAME /home/app && make\n"
    assert _fixed("DF202", src) == ["FROM debian\nARG USERNAME=vscode\nCOPY --chown=$USERNAME:$USERNAME . /home/app\n"
                                    "RUN make\n"]
    # An ADD that unpacks nothing takes the flag as well.
    src = "FROM ubuntu\nRUN rm -rf /etc/nginx\nADD etc /etc/nginx\nRUN chown -R root:root /etc/nginx\n"
    assert _fixed("DF202", src) == ["FROM ubuntu\nRUN rm -rf /etc/nginx\nADD --chown=root:root etc /etc/nginx\n"]
    # A directory a WORKDIR made keeps the owner the RUN gave it.
    src = "FROM node\nWORKDIR /app\nCOPY . .\nRUN chown -R node:node /app\n"
    assert _fixed("DF202", src) == ["FROM node\nWORKDIR /app\nCOPY --chown=node:node . .\nRUN chown node:node /app\n"]


@pytest.mark.parametrize("src", [
    # a layer between, a RUN that starts with something else, a path that is not exactly the COPY's files
    "FROM debian\nCOPY . /app\nRUN make\nRUN chown -R app /app\n",
    "FROM debian\nCOPY . /app\nRUN make -C /app && chown -R app /app\n",
    "FROM debian\nCOPY . /app\nRUN chown -R app /app/src\n",
    "FROM debian\nCOPY a.sh b.sh /usr/local/bin/\nRUN chmod 755 /usr/local/bin/a.sh\n",
    "FROM debian\nADD rootfs.tar.gz /opt/app\nRUN chown -R app /opt/app\n",  # unpacked: owners from the archive
    # files an earlier layer put in the directory, which the recursive command changed too
    "FROM debian\nRUN mkdir -p /app/data\nCOPY . /app\nRUN chown -R app /app\n",
    # what COPY cannot say: a symbolic mode without a frontend that takes it, `user:` (the login group), a
    # shell variable, a relative path, a reference file
    "FROM debian\nCOPY run.sh /usr/local/bin/\nRUN chmod +x /usr/local/bin/run.sh\n",
    "FROM debian\nCOPY app.conf /etc/\nRUN chown app: /etc/app.conf\n",
    "FROM debian\nCOPY app.conf /etc/\nRUN U=app && chown $U /etc/app.conf\n",
    "FROM debian\nWORKDIR /etc\nCOPY app.conf .\nRUN chown app app.conf\n",
    "FROM debian\nCOPY app.conf /etc/\nRUN chown --reference=/etc/passwd /etc/app.conf\n",
])
def test_df202_no_fix(src):
    assert [f.fix for f in raw_findings("DF202", src)] == [None]


def test_df203_apt_lists_with_fix():
    src = "FROM debian\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"
    [finding] = raw_findings("DF203", src)
    assert (finding.span.line, finding.span.column) == (2, 5)
    assert finding.message == (
        "`apt-get update` leaves the apt lists (/var/lib/apt/lists) in this layer; remove them in the same RUN with "
        "`rm -rf /var/lib/apt/lists/*`, or mount it with `RUN --mount=type=cache,target=/var/lib/apt/lists`")
    assert finding.fix.applicability == "safe"
    [edit] = finding.fix.edits
    assert (edit.span.line, edit.span.column, edit.text) == (2, 70, " && rm -rf /var/lib/apt/lists/*")


def test_df203_no_fix_removes_the_lists_a_later_install_needs():
    src = "FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y vim\n"
    [finding] = raw_findings("DF203", src)
    assert finding.fix is None  # the install at line 3 would fail without them
    src = "FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN apt-get update && apt-get install -y vim\n"
    assert [f.fix.applicability for f in raw_findings("DF203", src)] == ["safe", "safe"]


def test_df203_flags_for_pip_and_apk():
    [finding] = raw_findings("DF203", "FROM python\nRUN pip install -r requirements.txt\n")
    assert finding.message.startswith("`pip install -r requirements.txt` leaves the pip cache (/root/.cache/pip)")
    [edit] = finding.fix.edits
    assert (edit.span.line, edit.span.column, edit.text) == (2, 16, " --no-cache-dir")
    [finding] = raw_findings("DF203", "FROM alpine\nRUN apk add curl\n")
    assert finding.fix.edits[0].text == " --no-cache" and finding.fix.edits[0].span.column == 12
    [finding] = raw_findings("DF203", "FROM alpine\nRUN apk update && apk add curl\n")
    assert finding.fix is None and finding.span.column == 5


def test_df203_each_manager():
    cases = {
        "FROM fedora:40\nRUN dnf install -y git\n": "dnf cache (/var/cache/dnf)",
        # Fedora 41 and later run dnf5 as dnf; its cache moved
        "FROM fedora\nRUN dnf install -y git\n": "dnf5 cache (/var/cache/libdnf5)",
        "FROM fedora:40\nRUN dnf5 install -y git\n": "dnf5 cache (/var/cache/libdnf5)",
        "FROM rockylinux:9\nRUN dnf rei -y git\n": "dnf cache (/var/cache/dnf)",
        "FROM rockylinux:9\nRUN dnf up-min -y\n": "dnf cache (/var/cache/dnf)",
        "FROM centos\nRUN yum install -y git\n": "yum cache (/var/cache/yum)",
        "FROM opensuse/leap\nRUN zypper install -y git\n": "zypper cache (/var/cache/zypp)",
        "FROM node\nRUN npm install -g pnpm\n": "npm cache (/root/.npm)",
        "FROM node\nRUN yarn install\n": "yarn cache (/usr/local/share/.cache/yarn)",
        "FROM golang\nRUN go build -o /bin/app .\n": "Go build cache (/root/.cache/go-build)",
    }
    for src, what in cases.items():
        assert any(what in m for _, _, _, m in findings("DF203", src)), src


def _fixed(code, src, **model_options):
    """The text after applying each finding's fix alone, or None for a finding without one."""
    from dfcheck.fixes import apply_fixes

    return [apply_fixes(src, [f], unsafe=True)[0] if f.fix else None for f in raw_findings(code, src, **model_options)]


def test_df203_a_cache_without_a_flag_or_a_clean_command_gets_a_cache_mount():
    src = "FROM rust:1.80\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\nCMD [\"/src/target/release/app\"]\n"
    [finding] = raw_findings("DF203", src)
    assert (finding.fix.applicability, finding.fix.description) == (
        "unsafe", "Keep the Cargo registry in a cache mount: `RUN --mount=type=cache,target=/root/.cargo/registry`")
    assert _fixed("DF203", src) == [src.replace("RUN cargo", "RUN --mount=type=cache,target=/root/.cargo/registry cargo")]
    # after `# syntax=` naming a frontend that has RUN --mount
    for syntax in ("docker/dockerfile:1", "docker/dockerfile:1.4-labs", "docker.io/docker/dockerfile:1.2@sha256:ab",
                   "docker/dockerfile-upstream:master", "docker/dockerfile:1.0-experimental"):
        assert raw_findings("DF203", f"# syntax={syntax}\n{src}")[0].fix is not None, syntax


@pytest.mark.parametrize("src", [
    # a later instruction runs the tool, or names the cache
    "FROM maven:3\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\nCMD [\"mvn\", \"spring-boot:run\"]\n",
    "FROM maven:3 AS build\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\nFROM build\nRUN ls /root/.m2/repository\n",
    # an earlier layer filled the directory the mount would hide
    "FROM golang:1.22\nUSER root\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /app . && go clean -cache\n",
    # a frontend without RUN --mount, or one dfcheck does not know
    "# syntax=docker/dockerfile:1.1\nFROM rust\nWORKDIR /src\nCOPY . .\nRUN cargo build\n",
    "# syntax=example.com/my/frontend:2\nFROM rust\nWORKDIR /src\nCOPY . .\nRUN cargo build\n",
    # a cache outside /root, and a base image not known to run as root
    "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app . && go clean -cache\n",
])
def test_df203_no_cache_mount_when_something_needs_the_cache(src):
    assert not any(f.fix and "cache mount" in f.fix.description for f in raw_findings("DF203", src))


def test_df203_fine_cases():
    assert findings("DF203", "FROM debian\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n") == []
    assert findings("DF203", "FROM alpine\nRUN apk add --no-cache curl\n") == []
    assert findings("DF203", "FROM python\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n") == []
    assert findings("DF203", "FROM python\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n") == []
    assert findings("DF203", "FROM centos\nRUN yum install -y git && yum clean all\n") == []
    # A builder stage the image only copies from:
    assert findings("DF203", "FROM golang AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n") == []


# -- dfcheck layers ----------------------------------------------------------------------------

def test_layers_report_text_and_json(tmp_path):
    import json

    from dfcheck.model.layers import layers_data
    from dfcheck.reporters.layers import render
    from support import model_of

    tree(tmp_path, {"app/main.py": "x" * 1024, "app/tests/big.bin": b"\0" * (2 * MiB), "requirements.txt": "flask\n"})
    src = ("FROM python:3.12 AS build\nRUN pip wheel flask -w /wheels\n"
           "FROM python:3.12-slim AS base\nARG VERSION=1\nRUN apt-get update && apt-get install -y curl\n"
           "WORKDIR /srv\nCOPY app app\n"
           "FROM base\nCOPY --from=build /wheels /wheels\nRUN rm -rf app/tests && chown -R nobody app\n")
    model = model_of(src, context_dir=str(tmp_path))
    data = layers_data(model)
    assert [s["name"] for s in data["stages"]] == ["base", None]  # the builder does not ship
    base, final = data["stages"]
    assert [(r["line"], r["size"], r["wasted"]) for r in base["layers"]] == [
        (5, None, None), (6, 0, 0), (7, 2 * MiB + 1024, 2 * MiB + 1024)]
    assert base["layers"][0]["adds"] == ["apt lists /var/lib/apt/lists", "apt packages: curl"]
    assert base["layers"][0]["cache_key"] == ["ARG VERSION"]
    assert base["layers"][2]["cache_key"] == ["context app: 2 files, 2.0 MiB"]
    assert final["layers"][0]["cache_key"] == ["stage build"]
    assert final["layers"][1]["removes"] == ["-/srv/app/tests", "chown /srv/app"]
    assert final["layers"][1]["size"] == 1024  # main.py copied up by chown
    assert data["totals"]["wasted"] == 2 * MiB + 1024 and data["totals"]["wasted_complete"] is False
    text = render(layers_data(model))
    assert 'stage 1 "base": FROM python:3.12-slim (line 3)' in text
    assert "   7  COPY app app" in text
    assert "image total: 5 layers, 2.0 MiB+ added, 2.0 MiB+ wasted (base image not counted)" in text
    assert json.loads(render(layers_data(model), "json")) == data


def test_layers_subcommand(tmp_path, capsys):
    import json

    from dfcheck.cli import main

    tree(tmp_path, {"Dockerfile": "FROM alpine\nCOPY data /data\nRUN rm -rf /data/big\n", "data/big/x.bin": b"\0" * 2048,
                    "data/small": "s"})
    assert main(["layers", str(tmp_path / "Dockerfile")]) == 0
    out = capsys.readouterr().out
    assert f"(target 0; context {tmp_path})" in out and "total: 2 layers, 2.0 KiB+ added, 2.0 KiB wasted" in out
    assert main(["layers", "--format", "json", "--context", str(tmp_path / "data"), str(tmp_path / "Dockerfile")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["context"] == str(tmp_path / "data") and data["stages"][0]["layers"][0]["size"] is None


def test_a_file_changed_and_deleted_by_the_same_run_is_a_deletion():
    src = "FROM debian\nCOPY setup.sh /tmp/\nRUN chmod +x /tmp/setup.sh && /tmp/setup.sh && rm -f /tmp/setup.sh\n"
    assert findings("DF202", src) == []
    assert findings("DF201", src) == [(
        "DF201", 3, 48,
        "`rm -f /tmp/setup.sh` deletes /tmp/setup.sh from an earlier layer: the bytes stay in the image, added by COPY "
        "at line 2; leave them out of the copy (.dockerignore or a narrower source), use them through "
        "`RUN --mount=type=bind`, or build in another stage",
    )]


# -- what a RUN adds, as real files need it -------------------------------------------------------------------

def test_mv_and_cp_destinations_are_added_by_their_run():
    src = ("FROM debian\nRUN curl -fsSLo /tmp/tool https://e.com/tool && mv /tmp/tool /usr/local/bin/tool\n"
           "RUN chmod +x /usr/local/bin/tool\n")
    assert findings("DF202", src) == [(
        "DF202", 3, 5,
        "`chmod +x /usr/local/bin/tool` rewrites /usr/local/bin/tool from an earlier layer: a second copy of them "
        "goes into this layer, the first stays in RUN at line 2; do it in the RUN that creates them (RUN at line 2)",
    )]
    src = "FROM debian\nRUN git clone https://e.com/r /src && cp -r /src/conf /etc/app\nRUN rm -rf /etc/app\n"
    assert [(line, col) for _, line, col, _ in findings("DF201", src)] == [(3, 5)]


def test_an_archive_unpacked_among_other_files_is_tied_to_its_top_directory():
    src = ("FROM debian\nWORKDIR /tmp\nRUN curl -fsSLO https://e.com/foo-1.0.tar.gz && tar xzf foo-1.0.tar.gz "
           "&& rm foo-1.0.tar.gz\nRUN rm -rf /tmp/foo-1.0\n")
    assert findings("DF201", src) == [(
        "DF201", 4, 5,
        "`rm -rf /tmp/foo-1.0` deletes /tmp/foo-1.0 from an earlier layer: the bytes stay in the image, added by RUN "
        "at line 3 (assuming the archive unpacks to foo-1.0/); delete them in the RUN that creates them (RUN at "
        "line 3), or build in another stage",
    )]
    # A cd into it, or a WORKDIR (also through a link), says it does unpack there.
    confirmed = src.replace("&& rm foo-1.0.tar.gz", "&& cd foo-1.0 && ./configure && make install")
    assert "assuming" not in findings("DF201", confirmed)[0][3]
    src = ("FROM debian\nRUN curl -fsSL https://e.com/node-v20.11.0-linux-x64.tar.xz | tar -xJ -C /usr/local "
           "&& ln -s /usr/local/node-v20.11.0-linux-x64 /usr/local/node\nWORKDIR /usr/local/node\n"
           "RUN chown -R app /usr/local/node-v20.11.0-linux-x64\n")
    [(_, line, column, message)] = findings("DF202", src)
    assert (line, column) == (4, 5) and "assuming" not in message and "the first stays in RUN at line 2" in message
    # `--strip-components` merges the files among others: nothing to tie them to.
    assert findings("DF201", src.replace("tar -xJ", "tar -xJ --strip-components=1").replace(
        "RUN chown -R app", "RUN rm -rf")) == []


def test_what_an_install_writes_into_the_project_is_rewritten_by_a_later_mv():
    src = "FROM node\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nRUN mv node_modules /deps/\n"
    assert findings("DF202", src) == [(
        "DF202", 5, 5,
        "`mv node_modules /deps/` rewrites /app/node_modules from an earlier layer: a second copy of them goes into "
        "this layer, the first stays in RUN at line 4; do it in the RUN that creates them (RUN at line 4)",
    )]
    assert findings("DF202", "FROM node\nWORKDIR /app\nRUN npm ci && mv node_modules /deps/\n") == []
    src = "FROM php\nWORKDIR /srv\nRUN composer install\nRUN rm -rf vendor\n"
    assert [(line, col) for _, line, col, _ in findings("DF201", src)] == [(4, 5)]


def test_chmod_of_everything_in_a_directory_rewrites_the_copied_files():
    src = "FROM debian\nCOPY bin/ /usr/local/bin/\nRUN chmod a+x /usr/local/bin/*\n"
    assert findings("DF202", src) == [(
        "DF202", 3, 5,
        "`chmod a+x /usr/local/bin/*` rewrites /usr/local/bin/* from an earlier layer: a second copy of them goes into "
        "this layer, the first stays in COPY at line 2; set the mode while copying: `COPY --chmod=755`",
    )]
    assert [(line, col) for _, line, col, _ in findings("DF202", "FROM a\nCOPY app /app\nRUN chmod +x /app/*\n")] == [
        (3, 5)]


def test_a_cleanup_that_also_removes_its_own_files_reaches_earlier_layers():
    src = "FROM alpine\nRUN apk update\nRUN apk add curl && rm -rf /var/cache/apk/*\n"
    assert findings("DF201", src) == [(
        "DF201", 3, 21,
        "`rm -rf /var/cache/apk/*` deletes /var/cache/apk/* from an earlier layer: the bytes stay in the image, added "
        "by RUN at line 2; clean it in the RUN that creates it (RUN at line 2)",
    )]
    assert findings("DF201", "FROM alpine\nRUN apk add --no-cache git\nRUN apk add curl && rm -rf /var/cache/apk/*\n") == []
    src = "FROM debian\nRUN apt-get update\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n"
    assert [(line, col) for _, line, col, _ in findings("DF201", src)] == [(3, 47)]


def test_downloads_of_unknown_name_are_files_in_their_directory():
    src = "FROM debian\nWORKDIR /tmp\nRUN wget $(cat /etc/url) && curl -fsSLO \"$ASSET_URL\"\nRUN rm -f /tmp/*.tar.gz\n"
    [(_, line, column, message)] = findings("DF201", src)
    assert (line, column) == (4, 5) and "added by RUN at line 3" in message
    # A plain name says nothing about which file that was.
    assert findings("DF201", src.replace("/tmp/*.tar.gz", "/tmp/notes.txt")) == []


def test_a_glob_copy_brings_files_not_the_whole_directory():
    src = "FROM node\nWORKDIR /app\nCOPY package*.json ./\nRUN rm -rf /app/build\n"
    assert findings("DF201", src) == []
    [(_, line, column, message)] = findings("DF202", "FROM node\nWORKDIR /app\nCOPY package*.json ./\n"
                                                     "RUN chown -R node /app\n")
    assert (line, column) == (4, 5) and "the first stays in COPY at line 3" in message


def test_tar_into_a_directory_named_by_a_variable_is_not_the_working_directory():
    src = "FROM debian\nWORKDIR /srv\nRUN tar -xzf /tmp/x.tgz -C $DEST\nRUN rm -rf /srv/x\n"
    assert findings("DF201", src) == []
    model_src = "FROM debian\nWORKDIR /srv\nRUN tar -xzf /tmp/x.tgz -C $DEST\n"
    from support import model_of

    model = model_of(model_src)
    effects = model.filesystem.effects(model.instructions[-1])
    assert effects.added == [] and effects.unknown == ["`tar -C $DEST`: the directory depends on the shell"]


def test_nvm_downloads_are_a_cache():
    src = "FROM debian\nENV NVM_DIR=/usr/local/nvm\nRUN . $NVM_DIR/nvm.sh && nvm install 20\n"
    [(_, line, column, message)] = findings("DF203", src)
    assert (line, column) == (3, 26)
    assert message == ("`nvm install 20` leaves the nvm download cache (/usr/local/nvm/.cache) in this layer; run `nvm "
                       "cache clear` in the same RUN, or mount it with `RUN --mount=type=cache,target=/usr/local/nvm/.cache`")
    assert findings("DF203", src.replace("install 20", "install 20 && nvm cache clear")) == []


# -- precision ---------------------------------------------------------------------------------------------------

def test_an_install_and_a_purge_in_one_run_cancel_out():
    src = ("FROM debian\nRUN apt-get update && apt-get install -y gcc && make && apt-get purge -y gcc "
           "&& rm -rf /var/lib/apt/lists/*\nRUN apt-get purge -y gcc\n")
    assert findings("DF201", src) == []
    # An install left in its layer is still waste when a later RUN purges it.
    src = "FROM debian\nRUN apt-get update && apt-get install -y gcc\nRUN apt-get purge -y gcc\n"
    assert [(line, col) for _, line, col, _ in findings("DF201", src)] == [(3, 5)]


def test_what_a_build_in_a_clone_made_is_not_the_clone_s():
    src = "FROM debian\nRUN git clone https://e.com/r /src\nRUN cd /src && ./configure && make && rm -rf /src/build\n"
    assert findings("DF201", src) == []
    # Built in a RUN of its own and deleted in a later one: reported, saying what it assumed.
    src = "FROM debian\nRUN git clone https://e.com/r /src\nRUN cd /src && make\nRUN rm -rf /src/build\n"
    assert findings("DF201", src) == [(
        "DF201", 4, 5,
        "`rm -rf /src/build` deletes /src/build from an earlier layer: the bytes stay in the image, added by RUN at "
        "line 2 (assuming it came with the clone, not from a build run in it since); delete them in the RUN that "
        "creates them (RUN at line 2), or build in another stage",
    )]


def test_three_unbraced_variables_in_one_word_resolve():
    src = "FROM debian\nENV U=u P=tool V=1.0\nRUN curl -fsSLo /home/$U/$P-$V.tgz https://e.com/t.tgz\nRUN rm /home/u/tool-1.0.tgz\n"
    [(_, line, column, message)] = findings("DF201", src)
    assert (line, column) == (4, 5) and "deletes /home/u/tool-1.0.tgz" in message


def test_a_source_taken_for_a_directory_says_so_when_it_matters():
    src = "FROM python\nCOPY app /app\nRUN rm -rf /app/tests\n"
    assert findings("DF201", src) == [(
        "DF201", 3, 5,
        "`rm -rf /app/tests` deletes /app/tests from an earlier layer: the bytes stay in the image, added by COPY at "
        "line 2 (assuming app is a directory); leave them out of the copy (.dockerignore or a narrower source), use "
        "them through `RUN --mount=type=bind`, or build in another stage",
    )]
    assert "assuming" not in findings("DF202", "FROM python\nCOPY app /app\nRUN chown -R x /app\n")[0][3]


def test_df201_advice_for_removed_packages_speaks_the_manager_s_language():
    src = "FROM debian\nRUN apt-get update && apt-get install -y gcc\nRUN apt-get purge -y gcc\n"
    assert findings("DF201", src)[0][3] == (
        "`apt-get purge -y gcc` removes gcc installed by RUN at line 2: their files stay in the image; install and "
        "remove them in the same RUN (e.g. `apt-get install -y --no-install-recommends gcc && ... && apt-get purge -y "
        "--auto-remove gcc`), or build in another stage")


def test_a_file_changed_inside_a_copied_tree():
    src = "FROM python\nCOPY . /app\nRUN chmod +x /app/start.sh\n"
    [(_, line, column, message)] = findings("DF202", src)
    assert (line, column) == (3, 5) and message.startswith("`chmod +x /app/start.sh` rewrites /app/start.sh")
    # A directory's own mode, or a file a build may have made since, is not a file of the copy.
    assert findings("DF202", "FROM python\nCOPY . /app\nRUN chmod 777 /app/uploads\n") == []
    assert findings("DF202", "FROM node\nWORKDIR /app\nCOPY . .\nRUN npm run build\nRUN chmod +x /app/dist/cli.js\n") == []


def test_an_archive_unpacked_into_the_home_directory_is_tied_to_its_top_directory():
    src = ("FROM debian\nRUN useradd -m app\nUSER app\nRUN curl -fsSLo /tmp/sdk-2.1.tgz https://e.com/sdk-2.1.tgz "
           "&& tar -xzf /tmp/sdk-2.1.tgz -C $HOME && rm /tmp/sdk-2.1.tgz\nRUN rm -rf /home/app/sdk-2.1\n")
    [(_, line, column, message)] = findings("DF201", src)
    assert (line, column) == (5, 5) and "(assuming the archive unpacks to sdk-2.1/)" in message


def test_layers_of_every_stage_a_from_through_a_variable_may_build_on():
    src = ("ARG TARGETOS\nFROM alpine AS runner-linux\nCOPY big.tar.gz /tmp/\nFROM alpine AS runner-windows\n"
           "FROM runner-$TARGETOS\nRUN rm /tmp/big.tar.gz\n")
    assert findings("DF201", src) == [(
        "DF201", 6, 5,
        "`rm /tmp/big.tar.gz` deletes /tmp/big.tar.gz from an earlier layer: the bytes stay in the image, added by "
        "COPY at line 3 (assuming `FROM runner-$TARGETOS` at line 5 builds on stage \"runner-linux\"); leave them "
        "out of the copy (.dockerignore or a narrower source), use them through `RUN --mount=type=bind`, or build "
        "in another stage")]
    # Whichever stage it builds on, the waste is the same: nothing is assumed.
    src = ("FROM alpine AS base\nCOPY big.tar.gz /tmp/\nFROM base AS flavor-a\nFROM base AS flavor-b\n"
           "FROM flavor-${FLAVOR}\nRUN rm /tmp/big.tar.gz\n")
    [(_, line, _, message)] = findings("DF201", src)
    assert line == 6 and "assuming" not in message


# -- what real files still need: writes, copies over copies, files taken for directories -----------------------

def test_df202_redirections_and_tee_rewrite_what_an_earlier_layer_added():
    src = "FROM alpine\nWORKDIR /\nRUN echo a > /tmp/expected\nRUN echo b > tmp/expected\n"
    assert findings("DF202", src) == [(
        "DF202", 4, 5,
        "`echo b > tmp/expected` rewrites /tmp/expected from an earlier layer: a second copy of them goes into this "
        "layer, the first stays in RUN at line 3; do it in the RUN that creates them (RUN at line 3)")]
    src = "FROM alpine\nRUN cp /etc/x.conf /etc/y.conf\nRUN echo g >> /etc/y.conf\n"
    assert [(line, col) for _, line, col, _ in findings("DF202", src)] == [(3, 5)]
    src = "FROM alpine\nCOPY x.conf /etc/x.conf\nRUN echo a | tee -a /etc/x.conf >/dev/null\n"
    assert [(line, col) for _, line, col, _ in findings("DF202", src)] == [(3, 14)]
    # Written in the RUN that created it, or written inside a copied tree whose content is not known: nothing.
    assert findings("DF202", "FROM alpine\nRUN echo a > /tmp/x && echo b >> /tmp/x\n") == []
    assert findings("DF202", "FROM alpine\nCOPY . /app\nRUN echo x > /app/.env && touch /app/db.sqlite3\n") == []


def test_df202_touch_of_an_existing_file_copies_it_up():
    src = "FROM alpine\nCOPY x.log /var/log/x.log\nRUN sh -c 'touch /var/log/x.log'\n"
    assert findings("DF202", src) == [(
        "DF202", 3, 12,
        "`touch /var/log/x.log` rewrites /var/log/x.log from an earlier layer: a second copy of them goes into this "
        "layer, the first stays in COPY at line 2; edit the file before copying it, or in a build stage")]
    assert findings("DF202", "FROM alpine\nRUN touch /var/log/x.log\n") == []


def test_df202_a_copy_over_what_an_earlier_layer_added():
    src = "FROM python\nWORKDIR /app\nCOPY . .\nCOPY pyproject.toml .\n"
    assert findings("DF202", src) == [(
        "DF202", 4, 6,
        "`COPY pyproject.toml` rewrites /app/pyproject.toml from an earlier layer: a second copy of them goes into "
        "this layer, the first stays in COPY at line 3; copy them once: leave them out of one of the copies, and set "
        "owner and mode in the copy that stays")]
    for src, where in (
            ("FROM python\nWORKDIR /app\nCOPY . .\nCOPY --chown=app:app . .\n", (4, 22)),
            ("FROM x\nCOPY --from=build /app /app\nCOPY --from=build /app/.git_sha /app/.git_sha\n", (3, 19)),
            ("FROM x\nCOPY a.conf /etc/app.conf\nCOPY b.conf /etc/app.conf\n", (3, 6)),
            ("FROM node\nWORKDIR /app\nRUN yarn add left-pad\nCOPY package.json ./\n", (4, 6))):
        assert [(line, col) for _, line, col, _ in findings("DF202", src)] == [where], src
    src = "FROM x AS conda\nFROM x AS build\nFROM y\nCOPY --from=conda /opt/conda /opt/conda\nCOPY --from=build /opt/conda /opt/conda\n"
    [(_, line, _, message)] = findings("DF202", src)
    assert line == 5 and "(assuming both copies of /opt/conda hold the same files)" in message
    # The manifests first and the rest after is DF101's advice; files into a directory; other trees, other files.
    for src in ("FROM node\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n",
                "FROM nginx\nRUN mkdir /docker-entrypoint.d\nCOPY a.sh /docker-entrypoint.d\nCOPY b.sh /docker-entrypoint.d\n",
                "FROM x\nCOPY a.txt /tmp\nCOPY b.txt /tmp\n",
                "FROM x\nCOPY --from=a /build/ /usr/local/bin\nCOPY --from=b /build/ /usr/local/bin\n",
                "FROM node\nWORKDIR /app\nCOPY . .\nCOPY --from=build /app/dist ./dist\n",
                "FROM x\nCOPY src/ /app/\nCOPY tests/ /app/\n"):
        assert findings("DF202", src) == [], src


def test_df202_with_the_context_a_copy_over_files_it_knows(tmp_path):
    tree(tmp_path, {"app.py": "x" * 10, "dist/index.js": "y" * 100})
    src = "FROM node\nWORKDIR /app\nCOPY . .\nCOPY --from=build /app/dist ./dist\n"
    [(_, line, _, message)] = findings("DF202", src, context_dir=str(tmp_path))
    assert line == 4 and "a second copy of 100 B goes into this layer" in message


def test_a_source_taken_for_a_directory_is_a_file_when_a_run_uses_it_as_one():
    src = "FROM alpine\nCOPY crontab /etc/crontab\nRUN chmod 0644 /etc/crontab\n"
    assert findings("DF202", src) == [(
        "DF202", 3, 5,
        "`chmod 0644 /etc/crontab` rewrites /etc/crontab from an earlier layer: a second copy of them goes into this "
        "layer, the first stays in COPY at line 2; set the mode while copying: `COPY --chmod=0644`")]
    for run in ("sed -i s/a/b/ /etc/app/cfg", "crontab /etc/app/cfg && chmod 600 /etc/app/cfg",
                ". /etc/app/cfg && chown app /etc/app/cfg", "chmod a-x /etc/app/cfg", "chmod -x /etc/app/cfg"):
        src = f"FROM alpine\nCOPY cfg /etc/app/cfg\nRUN {run}\n"
        assert [line for _, line, _, _ in findings("DF202", src)] == [3], run
    # A mode with execute bits is a directory's as much as a program's: the copied directory itself only.
    assert findings("DF202", "FROM alpine\nCOPY bin /opt/bin\nRUN chmod 755 /opt/bin\n") == []


def test_df201_packages_installed_and_removed_across_runs_whatever_the_spelling():
    src = "FROM bitnami/minideb\nRUN install_packages ca-certificates curl\nRUN apt-get autoremove --purge -y curl\n"
    assert findings("DF201", src) == [(
        "DF201", 3, 5,
        "`apt-get autoremove --purge -y curl` removes curl installed by RUN at line 2: their files stay in the image; "
        "install and remove them in the same RUN (e.g. `apt-get install -y --no-install-recommends gcc && ... && "
        "apt-get purge -y --auto-remove gcc`), or build in another stage")]
    for install, remove in (
            ('echo "curl git" | xargs apt-get install -y', "apt-get purge -y curl"),
            ('pip install "transformers[torch]==4.40"', "pip uninstall -y transformers"),
            ("pip install 'x>=1'", "pip uninstall -y x"),
            ('uv pip install "git+https://github.com/o/tok.git@main#egg=tok[a,b]"', "pip uninstall -y tok"),
            ("npm ci", "npm prune --production")):
        src = f"FROM x\nWORKDIR /app\nRUN {install}\nRUN {remove}\n"
        assert [(line, col) for _, line, col, _ in findings("DF201", src)] == [(4, 5)], install


def test_df201_inside_the_trees_installers_create():
    src = "FROM python\nRUN curl -sSL https://install.python-poetry.org | python3 -\nRUN rm -rf /root/.local/share/pypoetry/cache\n"
    assert findings("DF201", src) == [(
        "DF201", 3, 5,
        "`rm -rf /root/.local/share/pypoetry/cache` deletes /root/.local/share/pypoetry/cache from an earlier layer: "
        "the bytes stay in the image, added by RUN at line 2 (assuming the poetry installer puts it in "
        "/root/.local/share/pypoetry); delete them in the RUN that creates them (RUN at line 2), or build in another "
        "stage")]
    for install, remove in (
            ("curl https://sh.rustup.rs -sSf | sh -s -- -y", "rm -rf /root/.rustup/toolchains/x/share/doc"),
            ("curl -o- https://raw.githubusercontent.com/nvm-sh/nvm/v0.39.7/install.sh | bash", "rm -rf /opt/nvm/.git"),
            ("curl -LsSf https://astral.sh/uv/install.sh | sh", "rm /root/.local/bin/uvx"),
            ('curl -s "https://get.sdkman.io" | bash', "rm -rf /root/.sdkman/tmp"),
            ("bash /tmp/installer.sh -b -p /opt/conda", "rm -rf /opt/conda/pkgs"),
            ("sh rustup-init.sh -y", "rm -rf /root/.cargo/registry")):
        src = f"FROM x\nENV NVM_DIR=/opt/nvm\nRUN {install}\nRUN {remove}\n"
        assert [(line, col) for _, line, col, _ in findings("DF201", src)] == [(4, 5)], install
    # Cleaned in the RUN that installed, or a script of unknown doing: nothing.
    assert findings("DF201", "FROM x\nRUN curl https://sh.rustup.rs | sh -s -- -y && rm -rf /root/.rustup/x\n") == []
    assert findings("DF201", "FROM x\nRUN curl https://example.com/setup.sh | bash\nRUN rm -rf /root/.cache\n") == []


def test_inside_a_tree_copied_from_another_stage_the_finding_says_what_it_assumed():
    src = "FROM python\nCOPY --from=builder /opt/app/ /opt/app/\nRUN rm /opt/app/x/settings.py\n"
    assert findings("DF201", src) == [(
        "DF201", 3, 5,
        "`rm /opt/app/x/settings.py` deletes /opt/app/x/settings.py from an earlier layer: the bytes stay in the "
        "image, added by COPY at line 2 (assuming the copied tree holds it); copy only what the image needs, or build "
        "in another stage")]
    src = "FROM python\nCOPY --from=builder /opt/app /opt/app\nRUN chmod 600 /opt/app/y.cfg\n"
    [(_, line, _, message)] = findings("DF202", src)
    assert line == 3 and "(assuming /opt/app is a directory and the copied tree holds it)" in message
    # A name with a dot is a directory's when something is done inside it.
    src = "FROM python\nCOPY --from=builder /root/.local /root/.local\nRUN rm -rf /root/.local/lib/python3.12/x\n"
    [(_, line, _, message)] = findings("DF201", src)
    assert line == 3 and "(assuming /root/.local is a directory that holds it)" in message


def test_df201_apk_virtual_packages_installed_and_removed_in_one_run_cancel_out():
    for run in ("apk add --no-cache --virtual=.bd gcc musl-dev && make && apk del --no-network .bd",
                "apk add -t .bd gcc && make && apk del --purge .bd",
                "apk add --virtual .bd gcc && make && apk --no-cache del .bd",
                'apk add --no-cache --virtual .bd gcc && d="$(scanelf)" && apk add --virtual .rundeps $d && apk del .bd'):
        assert findings("DF201", f"FROM alpine\nRUN {run}\nRUN apk del .bd gcc\n") == [], run
    # Installed by an earlier RUN and removed by a later one: the files stay.
    src = "FROM alpine\nRUN apk add --no-cache -t .bd gcc\nRUN make && apk del .bd\n"
    assert [(line, col) for _, line, col, _ in findings("DF201", src)] == [(3, 13)]


def test_get_pip_keeps_pip_s_cache_unless_told_not_to():
    src = "FROM python\nRUN curl -sS https://bootstrap.pypa.io/get-pip.py | python3\nRUN rm -rf /root/.cache/pip\n"
    assert [(line, col) for _, line, col, _ in findings("DF201", src)] == [(3, 5)]
    src = "FROM python\nRUN python get-pip.py --no-cache-dir\nRUN rm -rf /root/.cache/pip\n"
    assert findings("DF201", src) == []
def test_df203_apt_archives_once_docker_clean_is_deleted():
    # The official Debian images delete downloaded .debs (docker-clean): a Dockerfile that deletes that file keeps
    # them in /var/cache/apt/archives, which a cache mount on the lists alone does not cover.
    src = ("FROM debian:12\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\n"
           "RUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y python3\n")
    assert findings("DF203", src) == [(
        "DF203", 3, 62, "`apt-get install -y python3` leaves the apt package cache (/var/cache/apt/archives) in this "
                        "layer; run `apt-get clean` in the same RUN (the image's docker-clean was deleted), or mount it "
                        "with `RUN --mount=type=cache,target=/var/cache/apt/archives`")]
    [finding] = raw_findings("DF203", src)
    assert finding.fix.edits[0].text == " && apt-get clean"
    both = ("FROM debian:12\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\n"
            "RUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt \\\n"
            "    apt-get update && apt-get install -y python3\n")
    assert findings("DF203", both) == []
    cleaned = ("FROM debian:12\nRUN rm -rf /etc/apt/apt.conf.d/* && apt-get update && apt-get install -y curl "
               "&& apt-get clean && rm -rf /var/lib/apt/lists/*\n")
    assert findings("DF203", cleaned) == []
    kept = "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
    assert findings("DF203", kept) == []  # docker-clean still there


def test_df203_pip2_and_not_pipx():
    assert [f[3][:40] for f in findings("DF203", "FROM python:2.7\nRUN pip2 install MySQL_python\n")] == [
        "`pip2 install MySQL_python` leaves the p"]
    assert findings("DF203", "FROM python:3.12\nRUN pipx install black && pip install foo/bar\n") == []


def test_df203_dnf5_cache_is_cleaned_by_removing_it():
    assert findings("DF203", "FROM fedora:42\nRUN dnf install -y git && rm -rf /var/cache/libdnf5\n") == []
    assert findings("DF203", "FROM fedora:40\nRUN dnf install -y git && rm -rf /var/cache/dnf\n") == []
    assert findings("DF203", "FROM fedora:42\nRUN dnf install -y git && dnf clean all\n") == []



def test_df202_capabilities_attributes_and_times_copy_the_file_up():
    src = ("FROM debian:12\nCOPY app /usr/local/bin/app\nRUN setcap cap_net_bind_service=+ep /usr/local/bin/app\n"
           "COPY data.txt /srv/data.txt\nRUN touch -d 2020-01-01 /srv/data.txt\n"
           "COPY run.sh /run.sh\nRUN chattr +i /run.sh\n")
    assert [(line, col, msg.split(" from ")[0]) for _, line, col, msg in findings("DF202", src)] == [
        (3, 5, "`setcap cap_net_bind_service=+ep /usr/local/bin/app` rewrites /usr/local/bin/app"),
        (5, 5, "`touch -d 2020-01-01 /srv/data.txt` rewrites /srv/data.txt"),
        (7, 5, "`chattr +i /run.sh` rewrites /run.sh")]
    src = "FROM debian:12\nCOPY x.bin /x.bin\nRUN setfattr -n user.k -v 1 /x.bin\nRUN setcap -r /x.bin\n"
    assert [(line, col) for _, line, col, _ in findings("DF202", src)] == [(3, 5), (4, 5)]


def test_df202_git_commands_rewrite_an_earlier_clone():
    src = ("FROM alpine/git\nRUN git clone https://example.com/foo/bar.git /src\n"
           "RUN cd /src && git fetch && git reset --hard origin/main\nRUN git -C /src checkout v1.2\n")
    assert findings("DF202", src) == [
        ("DF202", 3, 29, "`git reset --hard origin/main` rewrites /src from an earlier layer: a second copy of them goes "
                         "into this layer, the first stays in RUN at line 2 (assuming `git reset` changes files of the "
                         "repository; which ones is not known); do it in the RUN that creates them (RUN at line 2)"),
        ("DF202", 4, 5, "`git -C /src checkout v1.2` rewrites /src from an earlier layer: a second copy of them goes "
                        "into this layer, the first stays in RUN at line 2 (assuming `git checkout` changes files of "
                        "the repository; which ones is not known); do it in the RUN that creates them (RUN at line 2)")]
    src = "FROM alpine/git\nCOPY . /src\nWORKDIR /src\nRUN git submodule update --init\nRUN git pull\n"
    assert [(line, col) for _, line, col, _ in findings("DF202", src)] == [(4, 5), (5, 5)]
    # In the RUN that clones, a soft reset, a fetch or a status: nothing of an earlier layer.
    src = ("FROM alpine/git\nRUN git clone https://e.com/a.git /a && cd /a && git checkout v1\n"
           "RUN cd /a && git fetch && git reset --soft HEAD~1 && git status\n")
    assert findings("DF202", src) == []


def test_df202_appending_to_a_file_of_a_tree_from_another_image():
    src = ("FROM debian:12\nCOPY --from=ensemblorg/ensembl-vep /opt/vep /opt/vep\n"
           "RUN echo 'export X=1' >> /opt/vep/.profile\nRUN echo y > /opt/vep/new.txt\n")
    assert findings("DF202", src) == [(
        "DF202", 3, 5, "`echo 'export X=1' >> /opt/vep/.profile` rewrites /opt/vep/.profile from an earlier layer: a "
                       "second copy of them goes into this layer, the first stays in COPY at line 2 (assuming /opt/vep "
                       "is a directory and the copied tree holds it, and `>>` appends to it); edit the file before "
                       "copying it, or in a build stage")]


def test_df202_runtime_directories_inside_a_guessed_copy_are_not_the_copys():
    src = "FROM ruby:3\nWORKDIR /app\nCOPY ./tmp /app/tmp\nRUN chown -R app:app /app/tmp/cache /app/tmp/pids\n"
    assert findings("DF202", src) == []
    src = "FROM ruby:3\nWORKDIR /app\nCOPY ./lib /app/lib\nRUN chown -R app:app /app/lib/x\n"
    assert [(line, col) for _, line, col, _ in findings("DF202", src)] == [(4, 5)]


def test_df202_runtime_directories_the_context_lists_are_reported(tmp_path):
    (tmp_path / "tmp" / "cache").mkdir(parents=True)
    (tmp_path / "tmp" / "cache" / "a.bin").write_bytes(b"x" * 10)
    src = "FROM ruby:3\nWORKDIR /app\nCOPY ./tmp /app/tmp\nRUN chown -R app:app /app/tmp/cache\n"
    assert [(line, col) for _, line, col, _ in findings("DF202", src, context_dir=str(tmp_path))] == [(4, 5)]


def test_df202_a_narrow_copy_then_a_broad_one_with_no_install_between():
    src = "FROM python:3.12\nWORKDIR /code\nCOPY Pipfile /code/\nCOPY . /code/\n"
    assert findings("DF202", src) == [(
        "DF202", 4, 6, "`COPY .` rewrites /code/Pipfile from an earlier layer: a second copy of them goes into this "
                       "layer, the first stays in COPY at line 3; copy them once: leave them out of one of the copies, "
                       "and set owner and mode in the copy that stays")]
    # An install (or any RUN naming the file) in between is the manifest-first order.
    for run in ("pip install pipenv && pipenv install --system", "sh -c 'cat Pipfile'"):
        assert findings("DF202", f"FROM python:3.12\nWORKDIR /code\nCOPY Pipfile /code/\nRUN {run}\nCOPY . /code/\n") \
            == [], run
    assert findings("DF202", "FROM node\nWORKDIR /app\nCOPY package*.json ./\nCOPY . .\n") == []


def test_df202_df201_global_package_directories():
    src = ("FROM node:20\nRUN npm install -g typescript@5 @angular/cli\n"
           "RUN chown -R node:node /usr/local/lib/node_modules\n")
    assert findings("DF202", src) == [(
        "DF202", 3, 5, "`chown -R node:node /usr/local/lib/node_modules` rewrites /usr/local/lib/node_modules from an "
                       "earlier layer: a second copy of them goes into this layer, the first stays in RUN at line 2; "
                       "do it in the RUN that creates them (RUN at line 2)")]
    src = "FROM node:20\nRUN npm i -g typescript\nRUN rm -rf /usr/local/lib/node_modules/typescript\n"
    assert [(line, col) for _, line, col, _ in findings("DF201", src)] == [(3, 5)]
    for src in ("FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n"
                "RUN chmod -R a+r /usr/local/lib/python3.12/site-packages\n",
                "FROM ruby:3.3\nRUN gem install bundler\nRUN chown -R app /usr/local/bundle\n",
                "FROM golang:1.22\nRUN go install github.com/go-delve/delve/cmd/dlv@latest\nRUN chmod +x /go/bin/dlv\n",
                "FROM node:20\nRUN yarn global add serve\nRUN chown -R node /usr/local/share/.config/yarn/global\n",
                "FROM node:20\nENV PNPM_HOME=/pnpm\nRUN pnpm add -g serve\nRUN chown -R node /pnpm\n",
                "FROM composer:2\nENV COMPOSER_HOME=/composer\nRUN composer global require phpunit/phpunit\n"
                "RUN chown -R www-data /composer\n"):
        assert [line for _, line, _, _ in findings("DF202", src)] == [src.count("\n")], src
    # One file of site-packages, of packages whose directories are not known: not reported; in a virtualenv nothing.
    assert findings("DF201", "FROM python:3.12\nRUN pip install flask\nRUN rm -rf "
                             "/usr/local/lib/python3.12/site-packages/flask\n") == []
    assert findings("DF202", "FROM python:3.12\nENV VIRTUAL_ENV=/venv\nRUN pip install flask\n"
                             "RUN chmod -R a+r /usr/local/lib/python3.12/site-packages\n") == []


def test_df202_a_copy_over_a_tree_an_earlier_run_made(tmp_path):
    src = ("FROM python:3.12 AS builder\nRUN python -m venv /venv\nFROM python:3.12\nRUN python -m venv /build\n"
           "COPY --from=builder /venv /build\n")
    assert findings("DF202", src) == [(
        "DF202", 5, 21, "`COPY --from=builder /venv` rewrites /build from an earlier layer: a second copy of them goes "
                        "into this layer, the first stays in RUN at line 4; copy them before the RUN that writes them "
                        "(RUN at line 4), or let it write them alone")]
    # From an image, or onto node_modules an install wrote: what the copied tree holds is assumed.
    src = "FROM node:20\nWORKDIR /app\nRUN npm ci\nCOPY --from=example/app:1 /app /app\n"
    assert [(line, col, msg.split(" (assuming ")[1].split(")")[0]) for _, line, col, msg in findings("DF202", src)] \
        == [(4, 27, "the copied tree holds node_modules")]
    src = "FROM php:8\nRUN composer create-project laravel/laravel /var/www\nCOPY . /var/www\n"
    assert [(line, col, msg.split(" (assuming ")[1].split(")")[0]) for _, line, col, msg in findings("DF202", src)] \
        == [(3, 6, "the copied tree replaces files of the skeleton project")]
    # A file edited by sed -i in an earlier layer, then copied over.
    src = "FROM debian\nRUN sed -i 's/a/b/' /etc/foo.conf\nCOPY foo.conf /etc/foo.conf\n"
    assert [(line, col) for _, line, col, _ in findings("DF202", src)] == [(3, 6)]
    # The context copied over node_modules: only when the context has it (a .dockerignore usually leaves it out).
    src = "FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\n"
    assert findings("DF202", src) == []
    tree(tmp_path, {"package.json": "{}", "node_modules/x/index.js": "x"})
    assert [(line, col) for _, line, col, _ in findings("DF202", src, context_dir=str(tmp_path))] == [(5, 6)]
    (tmp_path / ".dockerignore").write_text("node_modules\n")
    assert findings("DF202", src, context_dir=str(tmp_path)) == []


def test_df202_git_in_a_copied_repository_advises_bringing_it_at_its_revision():
    src = "FROM debian\nCOPY . /app\nWORKDIR /app\nRUN git submodule update --init\n"
    assert findings("DF202", src)[0][3].endswith(
        "(assuming `git submodule` changes files of the repository; which ones is not known); bring the repository at "
        "the revision it needs (update it before copying it, or in a build stage)")


def test_df202_appending_to_a_file_an_earlier_run_wrote_through_the_base_image_variable():
    # php's image sets PHP_INI_DIR=/usr/local/etc/php: both RUNs name the same file through it.
    src = ("FROM php:8.2-apache\nRUN echo memory_limit=1G > $PHP_INI_DIR/conf.d/memory-limit.ini\n"
           "RUN echo upload_max_filesize=64M >> $PHP_INI_DIR/conf.d/memory-limit.ini\n")
    assert findings("DF202", src) == [(
        "DF202", 3, 5,
        "`echo upload_max_filesize=64M >> $PHP_INI_DIR/conf.d/memory-limit.ini` rewrites "
        "/usr/local/etc/php/conf.d/memory-limit.ini from an earlier layer: a second copy of them goes into this "
        "layer, the first stays in RUN at line 2; do it in the RUN that creates them (RUN at line 2)",
    )]
    # Another image does not set the variable: the path is not known.
    assert findings("DF202", src.replace("php:8.2-apache", "debian:12")) == []


def test_df202_a_group_redirection_writes_the_file_a_later_run_appends_to():
    src = "FROM debian:12\nRUN { echo a; echo b; } > /etc/app.conf\nRUN echo c >> /etc/app.conf\nRUN touch /etc/app.conf\n"
    assert [f[:3] for f in findings("DF202", src)] == [("DF202", 3, 5), ("DF202", 4, 5)]
    assert "`echo c >> /etc/app.conf` rewrites /etc/app.conf from an earlier layer" in findings("DF202", src)[0][3]
    # Written and appended to in one RUN: one layer, nothing twice.
    assert findings("DF202", "FROM debian:12\nRUN { echo a; } > /etc/app.conf && echo c >> /etc/app.conf\n") == []


def test_df202_chmod_of_a_program_the_dockerfile_runs_from_a_broad_copy():
    # No context: `COPY . /` merges into the root, but the Dockerfile runs /entrypoint.sh, so the copy brought it.
    src = "FROM debian:12\nCOPY . /\nRUN chmod +x /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n"
    assert findings("DF202", src) == [(
        "DF202", 3, 5,
        "`chmod +x /entrypoint.sh` rewrites /entrypoint.sh from an earlier layer: a second copy of them goes into this "
        "layer, the first stays in COPY at line 2 (assuming the copied tree holds /entrypoint.sh, which the Dockerfile "
        "runs); set the mode while copying: `COPY --chmod=755`",
    )]
    # Not run by the Dockerfile: nothing says the copy holds it.
    assert findings("DF202", "FROM debian:12\nCOPY . /\nRUN chmod +x /entrypoint.sh\n") == []
    # A name without a dot in a copied tree is a program when a RUN or CMD runs it (`sh ./x` too).
    for run in ('CMD ["/app/start"]', "RUN /app/start --init", 'CMD ["sh", "./start"]'):
        src = f"FROM debian:12\nWORKDIR /app\nCOPY . /app\nRUN chmod +x /app/start\n{run}\n"
        assert [(f[1], f[2], "(assuming the copied tree holds /app/start, which the Dockerfile runs)" in f[3])
                for f in findings("DF202", src)] == [(4, 5, True)], run
    assert findings("DF202", "FROM debian:12\nCOPY . /app\nRUN chmod +x /app/start\n") == []
    # Made by a build in the same RUN: not the copy's.
    src = "FROM debian:12\nCOPY . /src\nRUN cd /src && make && chmod +x /src/bin/app\nCMD [\"/src/bin/app\"]\n"
    assert findings("DF202", src) == []


def test_df202_chmod_of_a_single_file_copied_into_a_directory_of_programs():
    for copy in ("COPY app/bin/tool /usr/local/bin/tool", "COPY app/bin/tool /usr/local/bin/",
                 "COPY --from=build /src/tool /usr/local/bin/"):
        src = f"FROM debian:12 AS build\nRUN true\nFROM debian:12\n{copy}\nRUN chmod +x /usr/local/bin/tool\n"
        assert findings("DF202", src) == [(
            "DF202", 5, 5,
            "`chmod +x /usr/local/bin/tool` rewrites /usr/local/bin/tool from an earlier layer: a second copy of them "
            "goes into this layer, the first stays in COPY at line 4; set the mode while copying: `COPY --chmod=755`",
        )], copy
    # Another name in the directory, or a directory that is not one of programs: not known to be the copy's file.
    assert findings("DF202", "FROM debian:12\nCOPY app/bin/tool /usr/local/bin/\nRUN chmod +x /usr/local/bin/x\n") == []
    assert findings("DF202", "FROM debian:12\nCOPY scripts /scripts\nRUN chmod +x /scripts\n") == []


def test_df201_apt_lists_a_repository_setup_script_refreshed():
    src = ("FROM debian:12\nRUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs\n"
           "RUN rm -rf /var/lib/apt/lists/*\n")
    assert findings("DF201", src) == [(
        "DF201", 3, 5,
        "`rm -rf /var/lib/apt/lists/*` deletes /var/lib/apt/lists/* from an earlier layer: the bytes stay in the image, "
        "added by RUN at line 2 (assuming the NodeSource setup script runs apt-get update); clean it in the RUN that "
        "creates it (RUN at line 2)",
    )]
    # The script downloaded first and run by name; Docker's install script.
    for run in ("curl -fsSLo nodesource_setup.sh https://deb.nodesource.com/setup_lts.x && bash nodesource_setup.sh",
                "curl -fsSL https://get.docker.com | sh"):
        assert [f[1:3] for f in findings("DF201", src.replace(src.split("\n")[1], f"RUN {run}"))] == [(3, 5)], run
    # Cleaned in the same RUN: nothing left for the later one to hide.
    src = src.replace("nodejs\n", "nodejs && rm -rf /var/lib/apt/lists/*\n")
    assert findings("DF201", src) == []


def test_df203_apt_lists_a_repository_setup_script_leaves_say_the_assumption():
    src = "FROM debian:12\nRUN curl -fsSL https://get.docker.com | sh\n"
    assert findings("DF203", src) == [(
        "DF203", 2, 41,
        "`sh` leaves the apt lists (/var/lib/apt/lists) in this layer (assuming the Docker install script runs "
        "apt-get update); remove them in the same RUN with `rm -rf /var/lib/apt/lists/*`, or mount it with "
        "`RUN --mount=type=cache,target=/var/lib/apt/lists`",
    )]


@pytest.mark.parametrize("download", [
    "curl -fsSL -o /tmp/x/npm.tgz https://e.com/npm.tgz",
    "wget -q -P /tmp/x https://e.com/npm.tgz",
    "wget -qO /tmp/x/npm.tgz https://e.com/npm.tgz",
    "curl --output-dir /tmp/x -fsSLO https://e.com/npm.tgz",
    "aria2c -x 4 -d /tmp/x https://e.com/npm.tgz",
])
def test_df201_a_download_into_a_directory_a_later_run_deletes(download):
    src = f"FROM debian:12\nRUN {download}\nRUN rm -rf /tmp/x\n"
    assert findings("DF201", src) == [(
        "DF201", 3, 5,
        "`rm -rf /tmp/x` deletes /tmp/x from an earlier layer: the bytes stay in the image, added by RUN at line 2; "
        "delete them in the RUN that creates them (RUN at line 2), or build in another stage",
    )]
    assert findings("DF201", f"FROM debian:12\nRUN {download} && rm -rf /tmp/x\n") == []


def test_df202_a_copy_from_a_stage_into_a_tree_an_earlier_copy_brought_is_not_guessed_a_rewrite():
    # Next.js's standalone output leaves .next/static and public out; the second copy brings them. A tree
    # copied from a stage is not known to hold a path under it, so a later copy there is no rewrite.
    src = ("FROM node:20 AS installer\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\n"
           "FROM node:20\nWORKDIR /app\nCOPY --from=installer /app/apps/web/.next/standalone ./\n"
           "COPY --from=installer /app/apps/web/.next/static ./apps/web/.next/static\n"
           "COPY --from=installer /app/apps/web/public ./apps/web/public\n")
    assert findings("DF202", src) == []


def test_df202_appending_to_the_ini_file_docker_php_ext_enable_wrote():
    src = ("FROM php:8.2-fpm\nRUN pecl install xdebug && docker-php-ext-enable xdebug\n"
           "RUN echo xdebug.mode=debug >> $PHP_INI_DIR/conf.d/docker-php-ext-xdebug.ini\n")
    assert findings("DF202", src) == [(
        "DF202", 3, 5,
        "`echo xdebug.mode=debug >> $PHP_INI_DIR/conf.d/docker-php-ext-xdebug.ini` rewrites "
        "/usr/local/etc/php/conf.d/docker-php-ext-xdebug.ini from an earlier layer: a second copy of them goes into "
        "this layer, the first stays in RUN at line 2; do it in the RUN that creates them (RUN at line 2)",
    )]
    # docker-php-ext-install enables what it builds; another ini file is a new file.
    src = "FROM php:8.2-fpm\nRUN docker-php-ext-install -j$(nproc) opcache\nRUN echo x >> $PHP_INI_DIR/conf.d/{}.ini\n"
    assert [f[1:3] for f in findings("DF202", src.format("docker-php-ext-opcache"))] == [(3, 5)]
    assert findings("DF202", src.format("opcache")) == []

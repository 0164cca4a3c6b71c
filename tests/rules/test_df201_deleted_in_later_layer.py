"""DF201: deleted in later layer (rules/df201_deleted_in_later_layer.py)."""

import pytest

from support import findings, raw_findings, tree

from layer_rules_support import MiB, _fixed


def test_df201_download_deleted_in_a_later_run():
    src = "FROM debian\nRUN curl -fsSLo /tmp/tool.tgz https://e.com/tool.tgz && tar -xzf /tmp/tool.tgz -C /opt/tool\nRUN rm /tmp/tool.tgz\n"
    assert findings("DF201", src) == [(
        "DF201", 3, 5,
        "`rm /tmp/tool.tgz` deletes /tmp/tool.tgz from an earlier layer: the bytes stay in the image, added by RUN "
        "at line 2; delete it in the RUN that creates it (RUN at line 2), or build in another stage",
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
        "at line 2; leave it out of the copy (.dockerignore or a narrower source), use it through "
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
        "`apk del .build-deps` removes .build-deps installed by RUN at line 2: its files stay in the image; install "
        "and remove it in the same RUN (e.g. `apk add --virtual .build-deps ... && ... && apk del .build-deps`), or "
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


def test_df201_and_df202_say_it_for_one_path_or_package_and_them_for_several():
    src = "FROM debian\nRUN apt-get update && apt-get install -y gcc make\nRUN apt-get purge -y gcc make\n"
    assert findings("DF201", src)[0][3].startswith(
        "`apt-get purge -y gcc make` removes gcc, make installed by RUN at line 2: their files stay in the image; "
        "install and remove them in the same RUN")
    src = "FROM debian\nRUN cp -r /etc/a /opt/a && cp -r /etc/b /opt/b\nRUN rm -rf /opt/a /opt/b\n"
    assert findings("DF201", src) == [(
        "DF201", 3, 5, "`rm -rf /opt/a /opt/b` deletes /opt/a, /opt/b from an earlier layer: the bytes stay in the "
                       "image, added by RUN at line 2; they are a copy made by `cp` (RUN at line 2); change and delete "
                       "them in one RUN, or use them through `RUN --mount=type=bind`")]
    src = "FROM debian\nRUN cp -r /etc/a /opt/a\nRUN rm -rf /opt/a\n"
    assert findings("DF201", src) == [(
        "DF201", 3, 5, "`rm -rf /opt/a` deletes /opt/a from an earlier layer: the bytes stay in the image, added by "
                       "RUN at line 2; it is a copy made by `cp` (RUN at line 2); change and delete it in one RUN, or "
                       "use it through `RUN --mount=type=bind`")]
    src = "FROM debian\nCOPY a.sh b.sh /usr/local/bin/\nRUN chmod +x /usr/local/bin/a.sh /usr/local/bin/b.sh\n"
    assert findings("DF202", src) == [(
        "DF202", 3, 5, "`chmod +x /usr/local/bin/a.sh /usr/local/bin/b.sh` rewrites /usr/local/bin/a.sh, "
                       "/usr/local/bin/b.sh from an earlier layer: a second copy of them goes into this layer, the "
                       "first stays in COPY at line 2; set the mode while copying: `COPY --chmod=755`")]
    src = "FROM debian\nCOPY a.sh /usr/local/bin/\nRUN chmod +x /usr/local/bin/a.sh\n"
    assert findings("DF202", src) == [(
        "DF202", 3, 5, "`chmod +x /usr/local/bin/a.sh` rewrites /usr/local/bin/a.sh from an earlier layer: a second "
                       "copy of it goes into this layer, the first stays in COPY at line 2; set the mode while "
                       "copying: `COPY --chmod=755`")]


def test_df201_advice_for_removed_packages_speaks_the_manager_s_language():
    src = "FROM debian\nRUN apt-get update && apt-get install -y gcc\nRUN apt-get purge -y gcc\n"
    assert findings("DF201", src)[0][3] == (
        "`apt-get purge -y gcc` removes gcc installed by RUN at line 2: its files stay in the image; install and "
        "remove it in the same RUN (e.g. `apt-get install -y --no-install-recommends gcc && ... && apt-get purge -y "
        "--auto-remove gcc`), or build in another stage")


def test_df201_packages_installed_and_removed_across_runs_whatever_the_spelling():
    src = "FROM bitnami/minideb\nRUN install_packages ca-certificates curl\nRUN apt-get autoremove --purge -y curl\n"
    assert findings("DF201", src) == [(
        "DF201", 3, 5,
        "`apt-get autoremove --purge -y curl` removes curl installed by RUN at line 2: its files stay in the image; "
        "install and remove it in the same RUN (e.g. `apt-get install -y --no-install-recommends gcc && ... && "
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
        "/root/.local/share/pypoetry); delete it in the RUN that creates it (RUN at line 2), or build in another "
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


def test_df201_apk_virtual_packages_installed_and_removed_in_one_run_cancel_out():
    for run in ("apk add --no-cache --virtual=.bd gcc musl-dev && make && apk del --no-network .bd",
                "apk add -t .bd gcc && make && apk del --purge .bd",
                "apk add --virtual .bd gcc && make && apk --no-cache del .bd",
                'apk add --no-cache --virtual .bd gcc && d="$(scanelf)" && apk add --virtual .rundeps $d && apk del .bd'):
        assert findings("DF201", f"FROM alpine\nRUN {run}\nRUN apk del .bd gcc\n") == [], run
    # Installed by an earlier RUN and removed by a later one: the files stay.
    src = "FROM alpine\nRUN apk add --no-cache -t .bd gcc\nRUN make && apk del .bd\n"
    assert [(line, col) for _, line, col, _ in findings("DF201", src)] == [(3, 13)]


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
        "delete it in the RUN that creates it (RUN at line 2), or build in another stage",
    )]
    assert findings("DF201", f"FROM debian:12\nRUN {download} && rm -rf /tmp/x\n") == []



@pytest.mark.parametrize("download", [
    "mkdir /tmp/x && cd /tmp/x && curl -fsSLo npm.tgz https://e.com/npm.tgz",
    "cd /tmp/x && wget https://e.com/npm.tgz",
    "curl -fsSL https://e.com/npm.tgz -o npm.tgz",
])
def test_df201_a_download_into_the_working_directory_deleted_by_a_run_that_unpacks_there(download):
    """What a RUN unpacks into a directory an earlier layer wrote to is merged among those files: its own
    `rm -rf` of the directory deletes the earlier download too."""
    src = (f"FROM node:20-alpine\nRUN mkdir -p /tmp/x\nWORKDIR /tmp/x\nRUN {download}\n"
           "RUN tar -xzf npm.tgz && cd package && node bin/npm-cli.js install -g npm && cd / && rm -rf /tmp/x\n")
    assert findings("DF201", src) == [(
        "DF201", 5, 85,
        "`rm -rf /tmp/x` deletes /tmp/x from an earlier layer: the bytes stay in the image, added by RUN at line 4; "
        "delete it in the RUN that creates it (RUN at line 4), or build in another stage",
    )]
    # Downloaded, unpacked and deleted in one RUN: nothing of it reaches a layer.
    one = f"FROM node:20-alpine\nWORKDIR /tmp/x\nRUN {download} && tar -xzf npm.tgz && cd / && rm -rf /tmp/x\n"
    assert findings("DF201", one) == []


def test_df201_a_copy_of_unknown_names_into_a_directory_does_not_hide_what_a_copy_brought():
    """`cp -r .dev/root/* /` merges files of unknown names into /: a later `rm -rf .dev` of the same RUN still
    deletes what the COPY brought."""
    src = "FROM alpine:3\nWORKDIR /app\nCOPY . ./\nRUN cp -r .dev/docker/root/* / && rm -rf .dev\n"
    assert findings("DF201", src) == [(
        "DF201", 4, 35,
        "`rm -rf .dev` deletes /app/.dev from an earlier layer: the bytes stay in the image, added by COPY at line 3; "
        "leave it out of the copy (.dockerignore or a narrower source), use it through `RUN --mount=type=bind`, "
        "or build in another stage",
    )]
    # A copy of known names made by the RUN itself is still the RUN's own.
    assert findings("DF201", "FROM alpine:3\nRUN cp -r /etc/skel /tmp/skel && rm -rf /tmp/skel\n") == []


def test_df201_a_removal_before_the_build_of_its_own_run_deletes_what_the_copy_brought():
    """`rm -f hc/local_settings.py && ./manage.py collectstatic`: the build runs after the removal, so what is
    removed is not its output but a file of the copied tree (assumed: the tree comes from another stage)."""
    src = ("FROM python:3.12 AS builder\nCOPY . /opt/hc/\nFROM python:3.12-slim\nWORKDIR /opt/hc\n"
           "COPY --from=builder /opt/hc/ /opt/hc/\n"
           "RUN rm -f /opt/hc/hc/local_settings.py && ./manage.py collectstatic --noinput\n")
    assert findings("DF201", src) == [(
        "DF201", 6, 5,
        "`rm -f /opt/hc/hc/local_settings.py` deletes /opt/hc/hc/local_settings.py from an earlier layer: the bytes "
        "stay in the image, added by COPY at line 5 (assuming the copied tree holds it); copy only what the image "
        "needs, or build in another stage",
    )]
    # Built first, then removed: the build's own output, in the same RUN.
    after = src.replace("rm -f /opt/hc/hc/local_settings.py && ./manage.py collectstatic --noinput",
                        "./manage.py collectstatic --noinput && rm -f /opt/hc/hc/local_settings.py")
    assert findings("DF201", after) == []

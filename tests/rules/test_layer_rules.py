"""Layer rules: DF201 deleted-in-later-layer, DF202 rewritten-in-later-layer, DF203 package-cache-in-layer."""

from support import findings, tree

from layer_rules_support import MiB


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
        "at line 2; leave it out of the copy (.dockerignore or a narrower source), use it through "
        "`RUN --mount=type=bind`, or build in another stage",
    )]


def test_mv_and_cp_destinations_are_added_by_their_run():
    src = ("FROM debian\nRUN curl -fsSLo /tmp/tool https://e.com/tool && mv /tmp/tool /usr/local/bin/tool\n"
           "RUN chmod +x /usr/local/bin/tool\n")
    assert findings("DF202", src) == [(
        "DF202", 3, 5,
        "`chmod +x /usr/local/bin/tool` rewrites /usr/local/bin/tool from an earlier layer: a second copy of it "
        "goes into this layer, the first stays in RUN at line 2; do it in the RUN that creates it (RUN at line 2)",
    )]
    src = "FROM debian\nRUN git clone https://e.com/r /src && cp -r /src/conf /etc/app\nRUN rm -rf /etc/app\n"
    assert [(line, col) for _, line, col, _ in findings("DF201", src)] == [(3, 5)]


def test_an_archive_unpacked_among_other_files_is_tied_to_its_top_directory():
    src = ("FROM debian\nWORKDIR /tmp\nRUN curl -fsSLO https://e.com/foo-1.0.tar.gz && tar xzf foo-1.0.tar.gz "
           "&& rm foo-1.0.tar.gz\nRUN rm -rf /tmp/foo-1.0\n")
    assert findings("DF201", src) == [(
        "DF201", 4, 5,
        "`rm -rf /tmp/foo-1.0` deletes /tmp/foo-1.0 from an earlier layer: the bytes stay in the image, added by RUN "
        "at line 3 (assuming the archive unpacks to foo-1.0/); delete it in the RUN that creates it (RUN at "
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
        "`mv node_modules /deps/` rewrites /app/node_modules from an earlier layer: a second copy of it goes into "
        "this layer, the first stays in RUN at line 4; do it in the RUN that creates it (RUN at line 4)",
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
        "line 2 (assuming it came with the clone, not from a build run in it since); delete it in the RUN that "
        "creates it (RUN at line 2), or build in another stage",
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
        "line 2 (assuming app is a directory); leave it out of the copy (.dockerignore or a narrower source), use "
        "it through `RUN --mount=type=bind`, or build in another stage",
    )]
    assert "assuming" not in findings("DF202", "FROM python\nCOPY app /app\nRUN chown -R x /app\n")[0][3]


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
        "COPY at line 3 (assuming `FROM runner-$TARGETOS` at line 5 builds on stage \"runner-linux\"); leave it "
        "out of the copy (.dockerignore or a narrower source), use it through `RUN --mount=type=bind`, or build "
        "in another stage")]
    # Whichever stage it builds on, the waste is the same: nothing is assumed.
    src = ("FROM alpine AS base\nCOPY big.tar.gz /tmp/\nFROM base AS flavor-a\nFROM base AS flavor-b\n"
           "FROM flavor-${FLAVOR}\nRUN rm /tmp/big.tar.gz\n")
    [(_, line, _, message)] = findings("DF201", src)
    assert line == 6 and "assuming" not in message


def test_a_source_taken_for_a_directory_is_a_file_when_a_run_uses_it_as_one():
    src = "FROM alpine\nCOPY crontab /etc/crontab\nRUN chmod 0644 /etc/crontab\n"
    assert findings("DF202", src) == [(
        "DF202", 3, 5,
        "`chmod 0644 /etc/crontab` rewrites /etc/crontab from an earlier layer: a second copy of it goes into this "
        "layer, the first stays in COPY at line 2; set the mode while copying: `COPY --chmod=0644`")]
    for run in ("sed -i s/a/b/ /etc/app/cfg", "crontab /etc/app/cfg && chmod 600 /etc/app/cfg",
                ". /etc/app/cfg && chown app /etc/app/cfg", "chmod a-x /etc/app/cfg", "chmod -x /etc/app/cfg"):
        src = f"FROM alpine\nCOPY cfg /etc/app/cfg\nRUN {run}\n"
        assert [line for _, line, _, _ in findings("DF202", src)] == [3], run
    # A mode with execute bits is a directory's as much as a program's: the copied directory itself only.
    assert findings("DF202", "FROM alpine\nCOPY bin /opt/bin\nRUN chmod 755 /opt/bin\n") == []


def test_inside_a_tree_copied_from_another_stage_the_finding_says_what_it_assumed():
    src = "FROM python\nCOPY --from=builder /opt/app/ /opt/app/\nRUN rm /opt/app/x/settings.py\n"
    assert findings("DF201", src) == [(
        "DF201", 3, 5,
        "`rm /opt/app/x/settings.py` deletes /opt/app/x/settings.py from an earlier layer: the bytes stay in the "
        "image, added by COPY at line 2 (assuming the copied tree holds it); copy only what the image needs, or build "
        "in another stage")]
    src = "FROM python\nCOPY --from=builder /opt/app /opt/app\nRUN chmod 600 /opt/app/y.cfg\n"
    [(_, line, _, message)] = findings("DF202", src)
    assert line == 3 and ("(assuming /opt/app is a directory and the copied tree holds it: the build would fail if "
                          "the COPY did not bring it)") in message
    src = "FROM python\nCOPY --from=builder /opt/app /opt/app\nRUN chmod 600 /opt/app/y.cfg || true\n"
    [(_, line, _, message)] = findings("DF202", src)
    assert line == 3 and "(assuming /opt/app is a directory and the copied tree holds it)" in message
    # A name with a dot is a directory's when something is done inside it.
    src = "FROM python\nCOPY --from=builder /root/.local /root/.local\nRUN rm -rf /root/.local/lib/python3.12/x\n"
    [(_, line, _, message)] = findings("DF201", src)
    assert line == 3 and "(assuming /root/.local is a directory that holds it)" in message


def test_get_pip_keeps_pip_s_cache_unless_told_not_to():
    src = "FROM python\nRUN curl -sS https://bootstrap.pypa.io/get-pip.py | python3\nRUN rm -rf /root/.cache/pip\n"
    assert [(line, col) for _, line, col, _ in findings("DF201", src)] == [(3, 5)]
    src = "FROM python\nRUN python get-pip.py --no-cache-dir\nRUN rm -rf /root/.cache/pip\n"
    assert findings("DF201", src) == []


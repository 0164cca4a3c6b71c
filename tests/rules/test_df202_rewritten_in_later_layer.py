"""DF202: rewritten in later layer (rules/df202_rewritten_in_later_layer.py)."""

import pytest

from support import builtin_rules, findings, raw_findings, tree

from dfcheck.rule import Options

from layer_rules_support import _fixed


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
    assert line == 3 and message.endswith("do it in the RUN that creates it (RUN at line 2)")
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


def test_df202_redirections_and_tee_rewrite_what_an_earlier_layer_added():
    src = "FROM alpine\nWORKDIR /\nRUN echo a > /tmp/expected\nRUN echo b > tmp/expected\n"
    assert findings("DF202", src) == [(
        "DF202", 4, 5,
        "`echo b > tmp/expected` rewrites /tmp/expected from an earlier layer: a second copy of it goes into this "
        "layer, the first stays in RUN at line 3; do it in the RUN that creates it (RUN at line 3)")]
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
        "`touch /var/log/x.log` rewrites /var/log/x.log from an earlier layer: a second copy of it goes into this "
        "layer, the first stays in COPY at line 2; edit the file before copying it, or in a build stage")]
    assert findings("DF202", "FROM alpine\nRUN touch /var/log/x.log\n") == []


def test_df202_a_copy_over_what_an_earlier_layer_added():
    src = "FROM python\nWORKDIR /app\nCOPY . .\nCOPY pyproject.toml .\n"
    assert findings("DF202", src) == [(
        "DF202", 4, 6,
        "`COPY pyproject.toml` rewrites /app/pyproject.toml from an earlier layer: a second copy of it goes into "
        "this layer, the first stays in COPY at line 3; copy it once: leave it out of one of the copies, and set "
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
        ("DF202", 3, 29, "`git reset --hard origin/main` rewrites /src from an earlier layer: a second copy of it goes "
                         "into this layer, the first stays in RUN at line 2 (assuming `git reset` changes files of the "
                         "repository; which ones is not known); do it in the RUN that creates it (RUN at line 2)"),
        ("DF202", 4, 5, "`git -C /src checkout v1.2` rewrites /src from an earlier layer: a second copy of it goes "
                        "into this layer, the first stays in RUN at line 2 (assuming `git checkout` changes files of "
                        "the repository; which ones is not known); do it in the RUN that creates it (RUN at line 2)")]
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
                       "second copy of it goes into this layer, the first stays in COPY at line 2 (assuming /opt/vep "
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
        "DF202", 4, 6, "`COPY .` rewrites /code/Pipfile from an earlier layer: a second copy of it goes into this "
                       "layer, the first stays in COPY at line 3; copy it once: leave it out of one of the copies, "
                       "and set owner and mode in the copy that stays")]
    # An install (or any RUN naming the file) in between is the manifest-first order.
    for run in ("pip install pipenv && pipenv install --system", "sh -c 'cat Pipfile'"):
        assert findings("DF202", f"FROM python:3.12\nWORKDIR /code\nCOPY Pipfile /code/\nRUN {run}\nCOPY . /code/\n") \
            == [], run


def test_df202_a_pattern_copied_alone_then_a_broad_copy_with_no_install_between():
    # `package*.json` matches package.json: the broad COPY brings it again (with `--chown`, with another owner).
    for src, line, column in (("FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nCOPY --chown=node:node . .\n"
                               "CMD [\"node\", \"index.js\"]\n", 4, 24),
                              ("FROM node:20\nWORKDIR /app\nCOPY package*.json ./\n# RUN npm ci\nCOPY . .\n", 5, 6)):
        assert findings("DF202", src) == [(
            "DF202", line, column,
            "`COPY .` rewrites /app/package*.json from an earlier layer: a second copy of them goes into this layer, "
            "the first stays in COPY at line 3; copy them once: leave them out of one of the copies, and set owner "
            "and mode in the copy that stays")], src
    # A RUN in between that installs from the manifests, or reads a file the pattern matches: the manifest-first
    # order. A pattern the broad COPY does not reach, or one from another stage: other files.
    for src in ("FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n",
                "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN jq -r .version package.json\nCOPY . .\n",
                "FROM node:20\nWORKDIR /app\nCOPY requirements*.txt ./\nRUN pip install -r requirements-dev.txt\n"
                "COPY . .\n",
                "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nCOPY src/ ./src/\n",
                "FROM node:20\nWORKDIR /app\nCOPY --from=build /app/package*.json ./\nCOPY . .\n"):
        assert findings("DF202", src) == [], src


def test_df202_df201_global_package_directories():
    src = ("FROM node:20\nRUN npm install -g typescript@5 @angular/cli\n"
           "RUN chown -R node:node /usr/local/lib/node_modules\n")
    assert findings("DF202", src) == [(
        "DF202", 3, 5, "`chown -R node:node /usr/local/lib/node_modules` rewrites /usr/local/lib/node_modules from an "
                       "earlier layer: a second copy of it goes into this layer, the first stays in RUN at line 2; "
                       "do it in the RUN that creates it (RUN at line 2)")]
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
        "DF202", 5, 21, "`COPY --from=builder /venv` rewrites /build from an earlier layer: a second copy of it goes "
                        "into this layer, the first stays in RUN at line 4; copy it before the RUN that writes it "
                        "(RUN at line 4), or let that RUN write it alone")]
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
        "/usr/local/etc/php/conf.d/memory-limit.ini from an earlier layer: a second copy of it goes into this "
        "layer, the first stays in RUN at line 2; do it in the RUN that creates it (RUN at line 2)",
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
        "`chmod +x /entrypoint.sh` rewrites /entrypoint.sh from an earlier layer: a second copy of it goes into this "
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
    # Not run, but the RUN fails without it: the copy holds it (see the test of operands that must exist).
    assert [(f[1], f[2]) for f in findings("DF202", "FROM debian:12\nCOPY . /app\nRUN chmod +x /app/start\n")] == \
        [(3, 5)]
    assert findings("DF202", "FROM debian:12\nCOPY . /app\nRUN chmod +x /app/start || true\n") == []
    # Made by a build in the same RUN: not the copy's.
    src = "FROM debian:12\nCOPY . /src\nRUN cd /src && make && chmod +x /src/bin/app\nCMD [\"/src/bin/app\"]\n"
    assert findings("DF202", src) == []


def test_df202_chmod_of_a_single_file_copied_into_a_directory_of_programs():
    for copy in ("COPY app/bin/tool /usr/local/bin/tool", "COPY app/bin/tool /usr/local/bin/",
                 "COPY --from=build /src/tool /usr/local/bin/"):
        src = f"FROM debian:12 AS build\nRUN true\nFROM debian:12\n{copy}\nRUN chmod +x /usr/local/bin/tool\n"
        assert findings("DF202", src) == [(
            "DF202", 5, 5,
            "`chmod +x /usr/local/bin/tool` rewrites /usr/local/bin/tool from an earlier layer: a second copy of it "
            "goes into this layer, the first stays in COPY at line 4; set the mode while copying: `COPY --chmod=755`",
        )], copy
    # Another name in the directory, or a directory that is not one of programs: not known to be the copy's file.
    assert findings("DF202", "FROM debian:12\nCOPY app/bin/tool /usr/local/bin/\nRUN chmod +x /usr/local/bin/x\n") == []
    assert findings("DF202", "FROM debian:12\nCOPY scripts /scripts\nRUN chmod +x /scripts\n") == []


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
        "/usr/local/etc/php/conf.d/docker-php-ext-xdebug.ini from an earlier layer: a second copy of it goes into "
        "this layer, the first stays in RUN at line 2; do it in the RUN that creates it (RUN at line 2)",
    )]
    # docker-php-ext-install enables what it builds; another ini file is a new file.
    src = "FROM php:8.2-fpm\nRUN docker-php-ext-install -j$(nproc) opcache\nRUN echo x >> $PHP_INI_DIR/conf.d/{}.ini\n"
    assert [f[1:3] for f in findings("DF202", src.format("docker-php-ext-opcache"))] == [(3, 5)]
    assert findings("DF202", src.format("opcache")) == []



def test_df202_chown_of_the_working_directory_after_a_copy_into_it_and_an_install():
    """`chown -R caddy .` with WORKDIR /app after `COPY . ./`: the copied tree, though the same RUN installs
    vendor/ into it and copies files of unknown names elsewhere."""
    src = ("FROM alpine:3\nWORKDIR /app\nCOPY . ./\n"
           "RUN composer install --no-dev && cp -r .dev/docker/root/* / && chown -R caddy:caddy .\n")
    assert findings("DF202", src) == [(
        "DF202", 4, 64,
        "`chown -R caddy:caddy .` rewrites /app from an earlier layer: a second copy of it goes into this layer, "
        "the first stays in COPY at line 3; set the owner while copying: `COPY --chown=...`",
    )]
    # The tree this RUN made itself: its own.
    assert findings("DF202", "FROM alpine:3\nWORKDIR /app\nRUN composer install && chown -R app vendor\n") == []


@pytest.mark.parametrize("copy", ["COPY target/*.jar app.jar", "ARG JAR_FILE=target/*.jar\nCOPY ${JAR_FILE} app.jar"])
def test_df202_a_pattern_copied_to_a_file_name_is_that_file(copy):
    """`COPY target/*.jar app.jar` (the Spring Boot pattern) copies the one jar it matches to /app.jar: a later
    `touch /app.jar` (WORKDIR /) copies it up again."""
    src = f"FROM eclipse-temurin:21\n{copy}\nRUN bash -c 'touch /app.jar'\n"
    line = src.count("\n")
    assert findings("DF202", src) == [(
        "DF202", line, 14,
        f"`touch /app.jar` rewrites /app.jar from an earlier layer: a second copy of it goes into this layer, the "
        f"first stays in COPY at line {line - 1}; edit the file before copying it, or in a build stage",
    )]
    assert [f[1:3] for f in findings("DF202", src.replace("touch /app.jar", "touch app.jar"))] == [(line, 14)]
    # A destination not named like the files is a directory they go into: touching it changes no copied file.
    assert findings("DF202", src.replace("app.jar\n", "/app\n").replace("/app.jar", "/app")) == []
    assert findings("DF202", "FROM nginx\nCOPY conf/*.conf /etc/nginx/conf.d\nRUN touch /etc/nginx/conf.d\n") == []


def test_df202_a_file_touched_again_in_a_later_run():
    """`touch` gives a file an earlier RUN made a new time: the file is copied up, empty or not."""
    src = ("FROM debian:12\nRUN touch /var/log/cron.log\nRUN apt-get update && apt-get install -y cron\n"
           "RUN touch /var/log/cron.log\n")
    assert findings("DF202", src) == [(
        "DF202", 4, 5,
        "`touch /var/log/cron.log` rewrites /var/log/cron.log from an earlier layer: a second copy of it goes into "
        "this layer, the first stays in RUN at line 2; do it in the RUN that creates it (RUN at line 2)",
    )]
    # Touched twice in one RUN, a directory made and touched later, a link made and touched later: nothing copied up.
    assert findings("DF202", "FROM debian:12\nRUN touch /var/log/cron.log && touch /var/log/cron.log\n") == []
    assert findings("DF202", "FROM debian:12\nRUN mkdir -p /var/log/app\nRUN touch /var/log/app\n") == []
    assert findings("DF202", "FROM debian:12\nRUN touch /a.log\nRUN rm /a.log && touch /a.log\n") == []


def test_df202_chmod_of_a_binary_copied_from_a_stage_under_a_name_with_variables():
    """`COPY --from=builder /brp-$TARGETARCH /usr/local/bin/proxy`: whatever the source's name, the copy lands at
    the destination it names, a program in a directory of programs."""
    src = ("FROM rust:1 AS builder\nRUN cargo build --release && cp target/release/proxy /brp-amd64\n"
           "FROM alpine:3\nCOPY --from=builder /brp-$TARGETARCH /usr/local/bin/proxy\n"
           "RUN chmod a+x /usr/local/bin/proxy\n")
    assert findings("DF202", src) == [(
        "DF202", 5, 5,
        "`chmod a+x /usr/local/bin/proxy` rewrites /usr/local/bin/proxy from an earlier layer: a second copy of it "
        "goes into this layer, the first stays in COPY at line 4; set the mode while copying: `COPY --chmod=755`",
    )]
    # Into a directory (a trailing slash): the name it gets there is not known.
    assert findings("DF202", src.replace("/usr/local/bin/proxy\nRUN", "/usr/local/bin/\nRUN")) == []


@pytest.mark.parametrize("unpack, path", [
    ("cd /opt && curl -fsSLO https://e.com/nifi-1.2.zip && unzip nifi-1.2.zip && rm nifi-1.2.zip",
     "/opt/nifi-1.2/conf/env.sh"),
    ("curl -fsSL https://e.com/app.tar.gz | tar xz -C /opt/app", "/opt/app/conf/env.sh"),
    ("curl -fsSLo /tmp/n.zip https://e.com/nifi-1.2.zip && unzip /tmp/n.zip -d /opt && rm /tmp/n.zip"
     " && mv /opt/nifi-1.2 /opt/nifi", "/opt/nifi/conf/env.sh"),
])
@pytest.mark.parametrize("verb", [">", ">>"])
def test_df202_a_write_into_an_unpacked_tree_says_it_assumes_the_archive_holds_the_file(unpack, path, verb):
    src = f"FROM debian:12\nRUN {unpack}\nRUN echo 'export X=1' {verb} {path}\n"
    assumed = "the archive unpacks to nifi-1.2/ and " if "cd /opt" in unpack else ""
    assert findings("DF202", src) == [(
        "DF202", 3, 5,
        f"`echo 'export X=1' {verb} {path}` rewrites {path} from an earlier layer: a second copy of it goes into "
        f"this layer, the first stays in RUN at line 2 (assuming {assumed}the archive holds {path}); do it in the RUN "
        f"that creates it (RUN at line 2)",
    )]
    # The writing RUN makes the file's directory itself: a file of its own, not of the archive.
    conf = path.rsplit("/", 1)[0]
    mine = src.replace(f"RUN echo 'export X=1' {verb}", f"RUN mkdir -p {conf} && echo 'export X=1' {verb}")
    assert findings("DF202", mine) == []
    # Into a tree of unknown content that is no archive's (a COPY of the context): it may create the file.
    assert findings("DF202", f"FROM debian:12\nCOPY app /opt/app\nRUN echo x {verb} /opt/app/conf/env.sh\n") == []


@pytest.mark.parametrize("narrow", [
    "COPY .yarnrc.yml ./\nCOPY .yarn ./.yarn\nCOPY package.json yarn.lock ./",
    "COPY .npmrc package.json package-lock.json ./",
    "COPY package.json yarn.lock ./\nCOPY patches ./patches\nCOPY prisma/schema.prisma ./prisma/",
    "COPY package.json yarn.lock ./\nCOPY apps/web/package.json apps/web/playwright.config.ts ./apps/web/",
])
def test_df202_the_manifest_first_pattern_is_not_a_rewrite(narrow):
    """What an install needs (manifests, lock files, package-manager settings, yarn's release and plugins, patches,
    the prisma schema, and whatever is copied along with a manifest), copied before the install and again by the
    broad COPY after it: that is how the build cache is kept (DF101), not a rewrite."""
    install = "npm ci" if ".npmrc" in narrow else "yarn install --immutable"
    src = f"FROM node:20\nWORKDIR /app\n{narrow}\nRUN {install}\nCOPY . .\nRUN yarn build\n"
    assert findings("DF202", src) == []
    # Copied alone with no RUN in between that reads it: only paid twice.
    alone = "FROM node:20\nWORKDIR /app\nCOPY .npmrc ./\nCOPY . .\n"
    assert findings("DF202", alone) == [(
        "DF202", 4, 6,
        "`COPY .` rewrites /app/.npmrc from an earlier layer: a second copy of it goes into this layer, the first "
        "stays in COPY at line 3; copy it once: leave it out of one of the copies, and set owner and mode in the "
        "copy that stays",
    )]


@pytest.mark.parametrize("copy", ["COPY java.security $JAVA_HOME/conf/security/java.security",
                                  "COPY java.security* ${JAVA_HOME}/conf/security/java.security"])
def test_df202_a_copy_onto_a_file_every_jdk_holds_after_copying_the_jdk_from_its_image(copy):
    """The JDK eclipse-temurin keeps in /opt/java/openjdk has conf/security/java.security (every JDK from 9 on):
    copying one over it after copying the JDK from the image ships both."""
    src = (f"FROM debian:12\nENV JAVA_HOME=/opt/java/openjdk\nCOPY --from=eclipse-temurin:21 $JAVA_HOME $JAVA_HOME\n"
           f"{copy}\n")
    assert findings("DF202", src) == [(
        "DF202", 4, 6,
        f"`COPY {copy.split()[1]}` rewrites /opt/java/openjdk/conf/security/java.security from an earlier layer: a "
        "second copy of it goes into this layer, the first stays in COPY at line 3 (assuming the JDK of "
        "eclipse-temurin:21 holds /opt/java/openjdk/conf/security/java.security, as every JDK does); copy it once: "
        "leave it out of one of the copies, and set owner and mode in the copy that stays",
    )]
    # A file not every JDK holds, a JDK 8 (no conf/security), a directory the image is not known for, a stage's tree.
    assert findings("DF202", src.replace("conf/security/java.security", "conf/security/custom.policy")) == []
    assert findings("DF202", src.replace("eclipse-temurin:21", "eclipse-temurin:8-jdk")) == []
    assert findings("DF202", src.replace("JAVA_HOME=/opt/java/openjdk", "JAVA_HOME=/opt/java")) == []
    staged = src.replace("FROM debian:12", "FROM eclipse-temurin:21 AS jdk\nFROM debian:12").replace(
        "eclipse-temurin:21 $JAVA_HOME", "jdk $JAVA_HOME")
    assert findings("DF202", staged) == []


@pytest.mark.parametrize("copy, chmod", [
    ("COPY --from=build /out/server /server", "chmod +x /server"),
    ("COPY --from=build /out/server /opt/bin/", "chmod u+x /opt/bin/server"),
    ("COPY --from=build /out/server /usr/local/bin/", "chmod a+x /usr/local/bin/server"),
])
def test_df202_chmod_of_a_file_the_stage_copied_from_made(copy, chmod):
    """The stage copied from made /out/server as a file (`go build -o`): the copy is a file, whatever its name."""
    src = f"FROM golang:1.22 AS build\nRUN go build -o /out/server .\nFROM debian:12\n{copy}\nRUN {chmod}\n"
    path = chmod.split()[-1]
    mode = "755" if "u+x" not in chmod else "..."
    assert findings("DF202", src) == [(
        "DF202", 5, 5,
        f"`{chmod}` rewrites {path} from an earlier layer: a second copy of it goes into this layer, the first stays "
        f"in COPY at line 4; set the mode while copying: `COPY --chmod={mode}`",
    )]
    # Nothing tells what the stage made there: a name without an extension may be a directory, whose mode alone
    # changes.
    unknown = "FROM golang:1.22 AS build\nRUN make\nFROM debian:12\nCOPY --from=build /out/server /server\n"
    assert findings("DF202", unknown + "RUN chmod +x /server\n") == []


def test_df202_a_broad_copy_over_a_file_a_run_wrote_from_one_the_context_holds():
    """`.ruby-version` trimmed by a RUN into the project directory, then `COPY . .` brings the context's own
    `.ruby-version` again (the earlier COPY shows the context holds it): both copies ship."""
    src = ("FROM ubuntu:24.04\nWORKDIR /usr/src/app\nCOPY .ruby-version .ruby-version.raw\n"
           "RUN tr -d '\\r\\t ' < .ruby-version.raw > .ruby-version\nRUN rbenv install $(cat .ruby-version)\n"
           "COPY . /usr/src/app/\n")
    assert findings("DF202", src) == [(
        "DF202", 6, 6,
        "`COPY .` rewrites /usr/src/app/.ruby-version from an earlier layer: a second copy of it goes into this "
        "layer, the first stays in RUN at line 4; copy it before the RUN that writes it (RUN at line 4), or let "
        "that RUN write it alone",
    )]
    # Nothing says the context holds the file the RUN wrote; or the file is a lock file an install rewrote.
    assert findings("DF202", "FROM alpine\nWORKDIR /app\nRUN echo 1.0 > VERSION\nCOPY . .\n") == []
    lock = "FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install > yarn.lock\nCOPY . .\n"
    assert [f[1] for f in findings("DF202", lock)] == [4]  # the redirection itself, not the COPY


def test_df202_a_copy_named_through_a_build_argument():
    # The COPY's file and the RUN's operand are the same text through the same build argument: the same file,
    # whether the argument has a default or not.
    src = ("FROM debian:12\nARG SCOPE\nWORKDIR /app\nCOPY scripts/${SCOPE}-entrypoint.sh ./\n"
           "RUN chmod +x ./${SCOPE}-entrypoint.sh\nENTRYPOINT ./${SCOPE}-entrypoint.sh\n")
    assert findings("DF202", src) == [(
        "DF202", 5, 5, "`chmod +x ./${SCOPE}-entrypoint.sh` rewrites /app/${SCOPE}-entrypoint.sh from an earlier "
                       "layer: a second copy of it goes into this layer, the first stays in COPY at line 4; set the "
                       "mode while copying: `COPY --chmod=755`")]
    src = "FROM debian:12\nARG SCOPE=web\nWORKDIR /app\nCOPY scripts/${SCOPE}-entrypoint.sh ./\nRUN chmod +x ./$SCOPE-entrypoint.sh\n"
    assert [(line, col, msg.split(" from ")[0]) for _, line, col, msg in findings("DF202", src)] == [
        (5, 5, "`chmod +x ./$SCOPE-entrypoint.sh` rewrites /app/web-entrypoint.sh")]
    # Another variable, one the shell sets, one that may be an absolute path, an ENV of unknown value: not known to
    # be the same file.
    for run in ("chmod +x ./${OTHER}-entrypoint.sh", "SCOPE=$(cat /etc/scope) && chmod +x ./${SCOPE}-entrypoint.sh",
                "export SCOPE=\"$(cat /etc/scope)\" && chmod +x ./${SCOPE}-entrypoint.sh",
                "chmod +x ${SCOPE}-entrypoint.sh"):
        src = f"FROM debian:12\nARG SCOPE\nARG OTHER\nWORKDIR /app\nCOPY scripts/${{SCOPE}}-entrypoint.sh ./\nRUN {run}\n"
        assert findings("DF202", src) == [], run
    # An ENV that passes the argument on (`ENV SCOPE=${SCOPE}`, in this stage or the one it is built on) has its
    # value: the same file; an ENV made of more than the argument, or set again between, is not known to be.
    for env in ("ARG S\nENV SCOPE=$S\n", "ARG SCOPE\nENV SCOPE=${SCOPE}\n", 'ARG SCOPE\nENV SCOPE="${SCOPE}"\n'):
        src = (f"FROM debian:12 AS base\n{env}FROM base\nWORKDIR /app\nCOPY scripts/${{SCOPE}}-entrypoint.sh ./\n"
               "RUN chmod +x ./${SCOPE}-entrypoint.sh\n")
        assert [(line, col, msg.split(" from ")[0]) for _, line, col, msg in findings("DF202", src)] == [
            (7, 5, "`chmod +x ./${SCOPE}-entrypoint.sh` rewrites /app/${%s}-entrypoint.sh" % env[4:env.index("\n")])
        ], env
    for env in ("ARG S\nENV SCOPE=$S-web\n", "ARG S\nARG T\nENV SCOPE=$S$T\n", "ENV SCOPE=$UNDECLARED\n"):
        src = (f"FROM debian:12\n{env}WORKDIR /app\nCOPY scripts/${{SCOPE}}-entrypoint.sh ./\n"
               "RUN chmod +x ./${SCOPE}-entrypoint.sh\n")
        assert findings("DF202", src) == [], env
    src = ("FROM debian:12\nARG S\nENV SCOPE=$S\nWORKDIR /app\nCOPY scripts/${SCOPE}-entrypoint.sh ./\n"
           "ENV SCOPE=$S-x\nRUN chmod +x ./${SCOPE}-entrypoint.sh\n")
    assert findings("DF202", src) == []


def test_df202_an_operand_the_command_needs_is_in_the_earlier_copy():
    # chmod, chown, sed -i, strip fail the RUN when the file is not there: the tree an earlier layer added holds it.
    src = "FROM debian:12\nWORKDIR /app\nADD . .\nRUN chmod +x /app/configure && make\n"
    assert findings("DF202", src) == [(
        "DF202", 4, 5, "`chmod +x /app/configure` rewrites /app/configure from an earlier layer: a second copy of it "
                       "goes into this layer, the first stays in ADD at line 3 (assuming the copied tree holds it: the "
                       "build would fail if the ADD did not bring it); set the mode while copying: `ADD --chmod=755`")]
    src = "FROM debian:12\nRUN git clone https://github.com/x/repo.git\nRUN chmod +x ./repo/dir/*\n"
    assert findings("DF202", src) == [(
        "DF202", 3, 5, "`chmod +x ./repo/dir/*` rewrites /repo/dir/* from an earlier layer: a second copy of them goes "
                       "into this layer, the first stays in RUN at line 2 (assuming the clone holds them: the build "
                       "would fail if the clone did not bring them); do it in the RUN that creates them (RUN at line 2)")]
    for run in ("sed -i s/a/b/ /app/config.yml", "strip bin/tool"):
        src = f"FROM debian:12\nWORKDIR /app\nCOPY . /app\nRUN {run}\n"
        [(_, line, column, message)] = findings("DF202", src)
        assert (line, column) == (4, 5) and "(assuming the copied tree holds it: the build would fail if the COPY " \
            "did not bring it)" in message, run
    # The failure tolerated or skipped (`|| true`, `;`, an `if`, a pipe, `sh -c`), a command that does not need the
    # file (`touch -c`), a name that may be a directory's (`chown`, `chmod 777`), or a path of the base image: the
    # copy is not known to hold it.
    for run in ("chmod +x /app/configure || true", "chmod +x /app/configure; echo done",
                "if [ -f configure ]; then chmod +x configure; fi", "chmod +x configure | tee log",
                "sh -c 'chmod +x configure'", "touch -c /app/configure", "chown app /app/data",
                "chmod 777 /app/uploads", "chmod +x /usr/local/bin/*", "chmod +x /opt/tool/*"):
        src = f"FROM debian:12\nWORKDIR /app\nADD . .\nRUN {run}\n"
        assert findings("DF202", src) == [], run


def test_df202_composer_dump_autoload_regenerates_a_vendor_directory_an_earlier_layer_brought():
    src = ("FROM composer:2 AS vendor\nWORKDIR /app\nCOPY composer.json composer.lock ./\nRUN composer install --no-dev\n"
           "FROM php:8.2-fpm\nWORKDIR /app\nCOPY --from=vendor /app/vendor ./vendor\nCOPY . .\n"
           "RUN composer dump-autoload --optimize\n")
    assert findings("DF202", src) == [(
        "DF202", 9, 5, "`composer dump-autoload --optimize` rewrites /app/vendor/autoload.php, /app/vendor/composer from "
                       "an earlier layer: a second copy of them goes into this layer, the first stays in COPY at line 7 "
                       "(assuming /app/vendor is a directory and the copied tree holds it); run `composer "
                       "dump-autoload --optimize` where they are made, before copying them")]
    for earlier, flags in (("RUN composer install --no-dev", "-o"), ("COPY vendor/ ./vendor/", "--classmap-authoritative"),
                           ("COPY vendor/ ./vendor/", "")):
        src = f"FROM php:8.2-fpm\nWORKDIR /app\n{earlier}\nRUN composer dump-autoload {flags}\n"
        assert [(line, col, msg.split(" from ")[0]) for _, line, col, msg in findings("DF202", src)] == [
            (4, 5, f"`composer dump-autoload {flags}".rstrip() + "` rewrites /app/vendor/autoload.php, "
                                                               "/app/vendor/composer")], src
    # A tree copied from a stage whose composer install made vendor/ in it holds vendor/.
    src = ("FROM composer:2 AS base\nWORKDIR /var/www/html\nCOPY composer.json composer.lock ./\nRUN composer install\n"
           "FROM php:8.2-fpm\nWORKDIR /var/www/html\nCOPY --from=base /var/www/html .\nRUN composer dump-autoload\n")
    assert findings("DF202", src) == [(
        "DF202", 8, 5, "`composer dump-autoload` rewrites /var/www/html/vendor/autoload.php, /var/www/html/vendor/composer"
                       " from an earlier layer: a second copy of them goes into this layer, the first stays in COPY at "
                       "line 7 (assuming the copied tree holds it); run `composer dump-autoload` where they are made, "
                       "before copying them")]
    deleted = src.replace("RUN composer install\n", "RUN composer install\nRUN rm -rf vendor\n")
    assert findings("DF202", deleted) == []
    # A copy of the context whose content is not known (also through a stage that copied it and made no vendor/),
    # the install in the same RUN, or another project: not the earlier layer's vendor directory.
    src = ("FROM composer:2 AS base\nWORKDIR /var/www/html\nCOPY . .\nRUN mkdir -p storage\n"
           "FROM php:8.2-fpm\nWORKDIR /var/www/html\nCOPY --from=base /var/www/html .\nRUN composer dump-autoload\n")
    assert findings("DF202", src) == []
    for src in ("FROM php:8.2-fpm\nWORKDIR /app\nCOPY . .\nRUN composer dump-autoload -o\n",
                "FROM php:8.2-fpm\nWORKDIR /app\nCOPY . .\nRUN composer install && composer dump-autoload -o\n",
                "FROM php:8.2-fpm\nCOPY vendor/ /srv/vendor/\nWORKDIR /app\nRUN composer dump-autoload -o\n"):
        assert findings("DF202", src) == [], src


_HELD = "(assuming the base stage still holds what it copied there from the build context)"


def test_df202_a_broad_copy_brings_again_what_the_stage_copied_from_took_from_the_context():
    # The base stage copied composer.json and composer.lock from the context into /var/www/html; the image copies
    # that tree, then the whole context, which brings both files again from the same place.
    base = "FROM php:8.2 AS base\nWORKDIR /var/www/html\nCOPY composer.json composer.lock ./\nRUN composer install\n"
    src = base + "FROM php:8.2\nWORKDIR /var/www/html\nCOPY --from=base /var/www/html .\nCOPY . .\n"
    assert findings("DF202", src) == [(
        "DF202", 8, 6, "`COPY .` rewrites /var/www/html/composer.json, /var/www/html/composer.lock from an earlier "
                       f"layer: a second copy of them goes into this layer, the first stays in COPY at line 7 {_HELD}; "
                       "copy them once: leave them out of one of the copies, and set owner and mode in the copy that "
                       "stays")]
    # A RUN in between may read them (the manifests first, an install, then the rest); the stage deleted one, wrote
    # it with a RUN, or took it from another place of the context; an image rather than a stage: not known.
    for other in (src.replace("COPY . .", "RUN composer validate\nCOPY . ."),
                  src.replace("RUN composer install", "RUN composer install && rm composer.lock"),
                  src.replace("COPY composer.json composer.lock ./", "COPY app/composer.json app/composer.lock ./"),
                  src.replace("COPY . .", "COPY --exclude=composer.* . ."),
                  src.replace("COPY composer.json composer.lock ./\nRUN composer install",
                              "RUN composer init -n --name a/b && composer install"),
                  "FROM php:8.2\nWORKDIR /var/www/html\nCOPY --from=composer:2 /var/www/html .\nCOPY . .\n"):
        assert [f[1:3] for f in findings("DF202", other)] == ([] if "rm composer.lock" not in other else [(8, 6)])
    [(_, _, _, message)] = findings("DF202", src.replace("RUN composer install", "RUN composer install && "
                                                                                 "rm composer.lock"))
    assert message.startswith("`COPY .` rewrites /var/www/html/composer.json from")


def test_df202_a_narrow_copy_over_a_tree_whose_stage_copied_the_same_place_of_the_context():
    # The builder copied libs and the manifests from the context into /app; the image copies its /app, then the same
    # context paths to the same places.
    src = ("FROM python:3.11 AS builder\nWORKDIR /app\nCOPY libs /app/libs\nCOPY srv/poetry.lock srv/pyproject.toml "
           "/app/srv/\nRUN cd srv && poetry install\n\nFROM python:3.11\nCOPY --from=builder /app /app\n"
           "RUN mkdir -p /app/libs\nCOPY libs /app/libs\nCOPY srv/poetry.lock srv/pyproject.toml /app/srv/\n")
    held = "the builder stage still holds what it copied there from the build context)"
    assert [(line, col, msg.split(": ")[0], held in msg) for _, line, col, msg in findings("DF202", src)] == [
        (10, 6, "`COPY libs` rewrites /app/libs from an earlier layer", True),
        (11, 6, "`COPY srv/poetry.lock` rewrites /app/srv/poetry.lock from an earlier layer", True),
        (11, 22, "`COPY srv/pyproject.toml` rewrites /app/srv/pyproject.toml from an earlier layer", True)]
    # From another place of the context: libs/ is not known to be the same tree, but the two files the builder
    # still holds at those very paths are replaced all the same.
    other = src.replace("COPY libs /app/libs\nCOPY srv/poetry.lock srv/", "COPY vendor/libs /app/libs\n"
                        "COPY other/poetry.lock other/", 1)
    made = "the builder stage still holds the /app/srv/{} it made)"
    assert [(line, col, made.format(msg.split(" rewrites ")[1].split("/")[-1].split(" ")[0]) in msg)
            for _, line, col, msg in findings("DF202", other)] == [(11, 6, True), (11, 22, True)]
    # A tree the builder's RUN made there, or one it deleted: not known to be the same.
    for other in (src.replace("COPY libs /app/libs\nCOPY srv/poetry.lock srv/pyproject.toml /app/srv/\nRUN",
                              "RUN git clone https://e.com/libs /app/libs && cp -r /app/libs/srv /app/srv &&", 1),
                  src.replace("poetry install", "poetry install && rm -rf /app/libs /app/srv/poetry.lock "
                                                "/app/srv/pyproject.toml")):
        assert findings("DF202", other) == [], other


def test_df202_a_copy_from_a_stage_over_a_directory_an_earlier_copy_of_the_context_brought():
    # The builder copied sandbox/pyodide from the context (and built in it); the image copied all of sandbox first.
    src = ("FROM node:22 AS builder\nCOPY sandbox/pyodide /grist/sandbox/pyodide\nRUN cd /grist/sandbox/pyodide && "
           "make setup\n\nFROM node:22-slim\nCOPY sandbox /grist/sandbox\n"
           "COPY --from=builder /grist/sandbox/pyodide /grist/sandbox/pyodide\n")
    [(_, line, col, message)] = findings("DF202", src)
    assert (line, col) == (7, 21) and message.startswith(
        "`COPY --from=builder /grist/sandbox/pyodide` rewrites /grist/sandbox/pyodide from an earlier layer") and \
        "(assuming sandbox is a directory and the builder stage still holds what it copied there from the build " \
        "context)" in message
    # What the builder built inside a directory it copied (client/dist after `COPY client` and a build) is not known
    # to be in the context, which the broad copy took whole: neither copy names it.
    built = ("FROM node:20 AS front\nCOPY client /front/client\nRUN cd /front/client && npm ci && npm run build\n\n"
             "FROM python:3.11\nCOPY . /app\nCOPY --from=front /front/client/dist /app/client/dist\n")
    assert findings("DF202", built) == []


def test_df202_a_directory_from_a_stage_after_a_file_of_it_from_the_same_stage():
    # The file copied first from the builder is in the directory copied next from the same place of the builder.
    src = ("FROM node:20 AS builder\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\nFROM node:20-slim\n"
           "WORKDIR /app\nCOPY --from=builder /app/build/server.js ./build/server.js\n"
           "COPY --from=builder /app/build ./build\n")
    assert findings("DF202", src) == [(
        "DF202", 9, 21, "`COPY --from=builder /app/build` rewrites /app/build/server.js from an earlier layer: a "
                        "second copy of it goes into this layer, the first stays in COPY at line 8; copy it once: leave "
                        "it out of one of the copies, and set owner and mode in the copy that stays")]
    # From another stage (or another place), or read by a RUN in between: not reported.
    other = src.replace("COPY --from=builder /app/build ./build", "COPY --from=other /app/build ./build")
    assert findings("DF202", "FROM node:20 AS other\n" + other) == []
    assert findings("DF202", src.replace("COPY --from=builder /app/build ./", "RUN node build/server.js --check\n"
                                                                            "COPY --from=builder /app/build ./")) == []


def test_df202_python_files_from_a_stage_over_the_pip_this_stage_upgraded():
    # `pip install --upgrade pip setuptools` wrote pip's and setuptools' directories in the python image's
    # site-packages and pip's scripts beside python; the builder's copies of both directories bring them again:
    # the builder upgraded them too, and pip (with its scripts) is in every python image.
    run = "RUN pip3 install --upgrade pip setuptools\n"
    copies = ("COPY --from=builder /usr/local/lib/python3.11 /usr/local/lib/python3.11\n"
              "COPY --from=builder /usr/local/bin /usr/local/bin\n")
    src = f"FROM python:3.11-slim AS builder\n{run}RUN pip3 install poetry\n\nFROM python:3.11-slim\n{run}{copies}"
    assert [(line, col, msg.split(" from ")[0]) for _, line, col, msg in findings("DF202", src)] == [
        (7, 21, "`COPY --from=builder /usr/local/lib/python3.11` rewrites /usr/local/lib/python3.11/site-packages/pip, "
                "/usr/local/lib/python3.11/site-packages/setuptools"),
        (8, 21, "`COPY --from=builder /usr/local/bin` rewrites /usr/local/bin/pip, /usr/local/bin/pip3, "
                "/usr/local/bin/pip3.11")]
    assert findings("DF202", src)[0][3].endswith(
        "a second copy of them goes into this layer, the first stays in RUN at line 6; copy them before the RUN that "
        "writes them (RUN at line 6), or let that RUN write them alone")
    only_pip = f"FROM python:3.11-slim AS builder\nRUN pip3 install poetry\n\nFROM python:3.11-slim\n{run}{copies}"
    assert [msg.split(" from ")[0].split(" rewrites ")[1] for _, _, _, msg in findings("DF202", only_pip)] == [
        "/usr/local/lib/python3.11/site-packages/pip", "/usr/local/bin/pip, /usr/local/bin/pip3, /usr/local/bin/pip3.11"]
    # A builder that is no python image and installed nothing there, a virtualenv, a user install, or a copy of the
    # builder's files to another place: nothing known to be the same.
    for other in (only_pip.replace("FROM python:3.11-slim AS builder\nRUN pip3 install poetry",
                                   "FROM debian:12 AS builder\nRUN apt-get install -y python3"),
                  only_pip.replace(run, "ENV VIRTUAL_ENV=/venv\n" + run),
                  only_pip.replace("--upgrade pip", "--user --upgrade pip"),
                  only_pip.replace(copies, "COPY --from=builder /usr/local/lib/python3.11 /opt/py\n"
                                           "COPY --from=builder /usr/local/bin /opt/bin\n")):
        assert findings("DF202", other) == [], other


def test_df202_a_tree_from_a_stage_over_what_it_copied_from_the_same_place_of_the_context():
    # The assets stage (built on dev) copied ./meta into /usr/src/app; the image copies ./meta there, then the assets
    # tree, which brings ./meta's files again. What the stage deleted inside (node_modules) leaves the rest.
    src = ("FROM node:16 AS dev_base\nWORKDIR /usr/src/app\nFROM dev_base AS dev\nCOPY ./meta .\nCOPY ./deps .\n"
           "RUN pnpm install\nFROM dev AS assets\nRUN rm -rf node_modules\nFROM dev_base AS prod\nCOPY ./meta .\n"
           "COPY --from=assets /usr/src/app .\n")
    assert findings("DF202", src) == [(
        "DF202", 11, 20, "`COPY --from=assets /usr/src/app` rewrites /usr/src/app from an earlier layer: a second copy "
                         "of it goes into this layer, the first stays in COPY at line 10 (assuming the assets stage "
                         "still holds what it copied there from the build context); copy it once: leave it out of one "
                         "of the copies, and set owner and mode in the copy that stays")]
    # A RUN in between (an install from the manifests copied first), a stage that emptied the directory, or another
    # place of the context: not reported.
    for other in (src.replace("COPY ./meta .\nCOPY --from", "COPY ./meta .\nRUN pnpm install\nCOPY --from"),
                  src.replace("RUN rm -rf node_modules", "RUN rm -rf /usr/src/app/*"),
                  src.replace("COPY ./meta .\nCOPY --from", "COPY ./other .\nCOPY --from")):
        assert findings("DF202", other) == [], other


def test_df202_a_directory_copied_and_then_again_with_the_directory_above_it():
    # node_modules from the builder, then the builder's whole /app; src from the context, then the whole context.
    src = ("FROM node:20 AS builder\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM node:20-slim\n"
           "WORKDIR /app\nCOPY --from=builder /app/node_modules ./node_modules\nCOPY --from=builder /app ./\n")
    assert findings("DF202", src) == [(
        "DF202", 8, 21, "`COPY --from=builder /app` rewrites /app/node_modules from an earlier layer: a second copy of "
                        "it goes into this layer, the first stays in COPY at line 7; copy it once: leave it out of one "
                        "of the copies, and set owner and mode in the copy that stays")]
    assert [f[1:3] for f in findings("DF202", "FROM node:20\nWORKDIR /app\nCOPY src ./src\nCOPY . .\n")] == [(4, 6)]
    # A RUN in between may read the directory (workspace packages an install needs, whatever their name): the
    # manifest-first pattern; another stage, or another place, is not the same directory.
    for other in ("FROM node:20\nWORKDIR /app\nCOPY packages ./packages\nCOPY package.json yarn.lock ./\n"
                  "RUN yarn install\nCOPY . .\n",
                  src.replace("COPY --from=builder /app ./", "RUN node -e 1\nCOPY --from=builder /app ./"),
                  "FROM node:20 AS other\n" + src.replace("COPY --from=builder /app ./", "COPY --from=other /app ./"),
                  "FROM node:20\nWORKDIR /app\nCOPY lib ./src\nCOPY . .\n"):
        assert findings("DF202", other) == [], other


def test_df202_dos2unix_converts_a_copied_file_in_place():
    src = "FROM alpine\nRUN apk add dos2unix\nCOPY entrypoint.sh /\nRUN dos2unix /entrypoint.sh && chmod +x /entrypoint.sh\n"
    assert findings("DF202", src) == [(
        "DF202", 4, 5, "`dos2unix /entrypoint.sh` rewrites /entrypoint.sh from an earlier layer: a second copy of it "
                       "goes into this layer, the first stays in COPY at line 3; edit the file before copying it, or in "
                       "a build stage")]
    assert [f[1:3] for f in findings("DF202", src.replace("dos2unix", "unix2dos -q"))] == [(4, 5)]
    # Into a new file (-n), or only reporting (-i): the copied file stays as it is.
    for run in ("dos2unix -n /entrypoint.sh /run.sh", "dos2unix -i /entrypoint.sh"):
        assert findings("DF202", f"FROM alpine\nCOPY entrypoint.sh /\nRUN {run}\n") == [], run


def test_df202_two_stages_that_copied_the_same_place_of_the_context():
    # The assets stage copied public/ from the context, the app stage the whole context: the image takes assets'
    # public, then app's /app, which holds the same public/ again.
    src = ("FROM node:20 AS assets\nCOPY public /app/public\nRUN cd /app/public && npx svgo -r .\n"
           "FROM node:20 AS app\nCOPY . /app\nRUN cd /app && npm ci\n"
           "FROM node:20-slim\nCOPY --from=assets /app/public /app/public\nCOPY --from=app /app /app\n")
    [(_, line, col, message)] = findings("DF202", src)
    assert (line, col) == (9, 17) and message.startswith(
        "`COPY --from=app /app` rewrites /app/public from an earlier layer") and \
        "(assuming the app and assets stages still hold what they copied there from the build context)" in message
    # Neither stage names public/ (app copies it within the context, assets within a directory): not known to exist.
    assert findings("DF202", src.replace("COPY public /app/public", "COPY web /app")) == []


def test_df202_an_onbuild_copy_of_the_context_is_another_builds_context():
    # The trigger runs in the build of an image FROM this one, with that build's context: `COPY . /` there does not
    # bring what `ADD . /` here brought. In this same build (a stage FROM it), it does.
    from dfcheck.config import default_settings
    from dfcheck.engine import lint_text, load_rules

    settings = default_settings(load_rules())

    def linted(src):  # through the engine, which lints the builds that run the triggers
        return [(f.span.line, f.span.column, f.message.split(" from ")[0])
                for f in lint_text(src, "Dockerfile", settings).findings if f.code == "DF202"]

    assert linted("FROM busybox\nONBUILD COPY . /\nADD . /\n") == []
    assert linted("FROM busybox AS base\nONBUILD COPY . /srv\nADD . /srv\nFROM base\nRUN true\n") == [
        (2, 14, "`COPY .` rewrites /srv")]


def test_df202_a_tree_from_a_stage_built_on_the_one_an_earlier_copy_took_it_from():
    # post is FROM builder: its /app/packages holds the common-i18n builder had, which the image copied first.
    src = ("FROM node:20 AS builder\nWORKDIR /app\nCOPY . .\nRUN pnpm install && pnpm build\n"
           "FROM builder AS post\nRUN pnpm install --prod\n"
           "FROM node:20-slim\nWORKDIR /app\n"
           "COPY --from=builder /app/packages/common-i18n/ ./packages/common-i18n/\n"
           "COPY --from=post /app/packages ./packages\n")
    assert findings("DF202", src) == [(
        "DF202", 10, 18,
        "`COPY --from=post /app/packages` rewrites /app/packages/common-i18n from an earlier layer: a second copy of "
        "it goes into this layer, the first stays in COPY at line 9 (assuming the post stage is built on builder and "
        "still holds /app/packages/common-i18n); copy it once: leave it out of one of the copies, and set owner and "
        "mode in the copy that stays")]
    # A stage not built on builder, or one that deleted it, is not known to hold it.
    assert findings("DF202", src.replace("FROM builder AS post", "FROM node:20 AS post")) == []
    assert findings("DF202", src.replace("--prod\n", "--prod && rm -rf /app/packages/common-i18n\n", 1)) == []


def test_df202_a_tree_copied_into_one_a_stage_put_there():
    # The tree stage copied the production vendor/ into /app/src: the test stage copies that src, then another
    # vendor/ onto its vendor/.
    src = ("FROM php:8.3-apache AS base\n"
           "FROM base AS vendor\nWORKDIR /app\nCOPY composer.json composer.lock ./\nRUN composer install --no-dev\n"
           "FROM base AS devvendor\nWORKDIR /app\nCOPY composer.json composer.lock ./\nRUN composer install\n"
           "FROM base AS tree\nWORKDIR /app\nCOPY src ./src\nCOPY --from=vendor /app/vendor ./src/vendor\n"
           "FROM base AS test\nWORKDIR /workspace\nCOPY --from=tree /app/src ./src\n"
           "COPY --from=devvendor /app/vendor ./src/vendor\n")
    [(_, line, col, message)] = findings("DF202", src)
    assert (line, col) == (17, 23) and message.startswith(
        "`COPY --from=devvendor /app/vendor` rewrites /workspace/src/vendor from an earlier layer") and \
        "the tree stage's /app/src/vendor and the copied tree hold files at the same paths" in message
    # The stage did not put vendor/ there: what its src holds is not known.
    assert findings("DF202", src.replace("COPY --from=vendor /app/vendor ./src/vendor\n", "")) == []
    # One file inside it: not known to be one the stage's vendor/ holds.
    assert findings("DF202", src.replace("COPY --from=devvendor /app/vendor ./src/vendor",
                                         "COPY autoload.php ./src/vendor/autoload.php")) == []


def test_df202_a_patched_file_copied_deep_into_a_copied_tree():
    # The context is not at hand: a file copied under its own name to a path it names in full, two directories or
    # more inside the copied tree, is taken to replace the tree's own (a patched file over the original).
    src = ("FROM ubuntu:22.04\nCOPY orange3 orange3\nRUN pip3 install -e orange3\n"
           "COPY patches/schemeedit.py /orange3/Orange/canvas/document/schemeedit.py\n")
    assert findings("DF202", src) == [(
        "DF202", 4, 6,
        "`COPY patches/schemeedit.py` rewrites /orange3/Orange/canvas/document/schemeedit.py from an earlier layer: "
        "a second copy of it goes into this layer, the first stays in COPY at line 2 (assuming orange3 is a directory "
        "and the copied tree holds /orange3/Orange/canvas/document/schemeedit.py: a file copied under its own name "
        "onto a path deep inside it replaces the one there); copy it once: leave it out of one of the copies, and "
        "set owner and mode in the copy that stays")]
    # Near cases: one directory down (a settings file the context leaves out may be new), another name, a
    # destination directory, a tree copied into a directory the image shares, a file of another stage.
    for other in (src.replace("/orange3/Orange/canvas/document/schemeedit.py", "/orange3/Orange/schemeedit.py"),
                  "FROM python:3.12\nWORKDIR /app/backend\nCOPY ./backend .\nCOPY ./.env ./backend/.env\n",
                  src.replace("document/schemeedit.py\n", "document/editor.py\n"),
                  src.replace("document/schemeedit.py\n", "document/\n"),
                  "FROM ubuntu:22.04\nADD bin/tool /\nCOPY conf/app/conf.d/app.yaml /etc/app/conf.d/app.yaml\n",
                  src.replace("COPY patches/", "COPY --from=patcher /out/")):
        assert findings("DF202", other) == [], other


def test_df202_an_account_changed_again_in_a_later_run():
    # chsh rewrote /etc/passwd at line 2 (the base image's file: not counted); changing it again copies it up again.
    src = ("FROM php:8-apache\nRUN chsh -s /bin/bash www-data\nRUN composer install\n"
           "RUN chsh -s /usr/sbin/nologin www-data\n")
    assert findings("DF202", src) == [(
        "DF202", 4, 5,
        "`chsh -s /usr/sbin/nologin www-data` rewrites /etc/passwd from an earlier layer: a second copy of it goes "
        "into this layer, the first stays in RUN at line 2; do it in the RUN that creates it (RUN at line 2)")]
    # usermod changes the user's line too; new supplementary groups go into /etc/group.
    assert [m.split(" from ")[0] for _, _, _, m in findings(
        "DF202", "FROM debian\nRUN usermod -s /bin/bash www-data\nRUN usermod -d /srv www-data\n"
                 "RUN usermod -aG tty www-data\nRUN usermod -a -G audio www-data\n")] == [
        "`usermod -d /srv www-data` rewrites /etc/passwd", "`usermod -a -G audio www-data` rewrites /etc/group"]
    # One change, changes in one RUN, a change only listing shells, or accounts created one after the other (the
    # group then the user, each in its RUN: the usual sequence) are not counted.
    for other in ("FROM debian\nRUN chsh -s /bin/bash www-data\n",
                  "FROM debian\nRUN chsh -s /bin/bash www-data && usermod -d /srv www-data\n",
                  "FROM debian\nRUN chsh -l\nRUN chsh -s /bin/bash www-data\n",
                  "FROM debian\nRUN usermod -aG tty www-data\nRUN chsh -s /bin/bash www-data\n",
                  "FROM debian\nRUN groupadd app\nRUN useradd -g app app\nRUN chsh -s /bin/bash app\n"):
        assert findings("DF202", other) == [], other

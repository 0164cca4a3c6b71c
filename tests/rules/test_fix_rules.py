"""Every rule's fix, checked against BuildKit's own parser: after `--fix --unsafe-fixes`, only the instruction
meant to change has changed, in the way meant. Each case gives the text before and after, and what BuildKit
sees removed and added (keyword, exec form, flags, arguments, heredoc bodies); the same case in CRLF must
give the same instructions, its line ends kept."""

import difflib
import sys
from pathlib import Path

import pytest

from dfcheck import engine
from dfcheck.config import default_settings
from dfcheck.fixes import fix_text
from dfcheck.model import build_model
from dfcheck.syntax import parse


ROOT = Path(__file__).resolve().parents[2]


def _dockerfile_package():
    if not (sys.platform == "linux" and __import__("platform").machine() in ("x86_64", "AMD64")):
        pytest.skip("BuildKit's parser (the `dockerfile` package) has wheels for Linux x86-64 only")
    return pytest.importorskip("dockerfile", reason="BuildKit's parser: the `dockerfile` package (test extra)")


def I(cmd, *value, json=False, flags=(), heredocs=()):  # noqa: E743 - an instruction as BuildKit parses it
    return (cmd, json, tuple(flags), tuple(value), tuple(heredocs))


# (rule, before, after, BuildKit's instructions removed, those added)
CASES = [
    ("DF008", "FROM alpine:3.20 as base\nRUN true\n", "FROM alpine:3.20 AS base\nRUN true\n",
     [I("FROM", "alpine:3.20", "as", "base")], [I("FROM", "alpine:3.20", "AS", "base")]),
    ("DF009", "FROM alpine\nRUN a\nRUN b\nrun c\n", "FROM alpine\nRUN a\nRUN b\nRUN c\n",
     [], []),  # BuildKit reads keywords in any case
    ("DF006", "FROM a\nRUN echo a && \\\n\n    echo b\n", "FROM a\nRUN echo a && \\\n    echo b\n",
     [], []),  # the builder skipped the empty line anyway: no instruction changes
    ("DF101", "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n",
     "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json* npm-shrinkwrap.json* .npmrc* ./\nRUN npm ci\n"
     "COPY . .\nRUN npm run build\n",
     [I("RUN", "npm ci && npm run build")],
     [I("COPY", "package.json", "package-lock.json*", "npm-shrinkwrap.json*", ".npmrc*", "./"), I("RUN", "npm ci"),
      I("RUN", "npm run build")]),
    ("DF102", "FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\n",
     "FROM debian\nRUN apt-get update && apt-get install -y curl\n",
     [I("RUN", "apt-get update"), I("RUN", "apt-get install -y curl")],
     [I("RUN", "apt-get update && apt-get install -y curl")]),
    ("DF103", "FROM alpine\nARG VCS_REF\nRUN apk add curl\nRUN make\nLABEL rev=$VCS_REF\n",
     "FROM alpine\nRUN apk add curl\nRUN make\nARG VCS_REF\nLABEL rev=$VCS_REF\n",
     [I("ARG", "VCS_REF")], [I("ARG", "VCS_REF")]),  # moved, not changed
    ("DF105", "FROM python\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y curl\n",
     "FROM python\nWORKDIR /app\nRUN apt-get update && apt-get install -y curl\nCOPY . .\n",
     [I("RUN", "apt-get update && apt-get install -y curl")],
     [I("RUN", "apt-get update && apt-get install -y curl")]),  # moved, not changed
    ("DF201", "FROM node\nCOPY assets.tgz /tmp/\nRUN tar -xzf /tmp/assets.tgz -C /app && rm /tmp/assets.tgz\n",
     "FROM node\nRUN --mount=type=bind,source=assets.tgz,target=/tmp/assets.tgz,rw tar -xzf /tmp/assets.tgz -C /app\n",
     [I("COPY", "assets.tgz", "/tmp/"), I("RUN", "tar -xzf /tmp/assets.tgz -C /app && rm /tmp/assets.tgz")],
     [I("RUN", "tar -xzf /tmp/assets.tgz -C /app",
        flags=["--mount=type=bind,source=assets.tgz,target=/tmp/assets.tgz,rw"])]),
    ("DF201", "FROM debian\nRUN curl -fsSLo /tmp/t.deb https://x.test/t.deb && dpkg -i /tmp/t.deb\nRUN rm -f /tmp/t.deb\n",
     "FROM debian\nRUN curl -fsSLo /tmp/t.deb https://x.test/t.deb && dpkg -i /tmp/t.deb && rm -f /tmp/t.deb\n",
     [I("RUN", "curl -fsSLo /tmp/t.deb https://x.test/t.deb && dpkg -i /tmp/t.deb"), I("RUN", "rm -f /tmp/t.deb")],
     [I("RUN", "curl -fsSLo /tmp/t.deb https://x.test/t.deb && dpkg -i /tmp/t.deb && rm -f /tmp/t.deb")]),
    ("DF202", "FROM debian\nCOPY entrypoint.sh /usr/local/bin/\nRUN chmod 755 /usr/local/bin/entrypoint.sh\n",
     "FROM debian\nCOPY --chmod=755 entrypoint.sh /usr/local/bin/\n",
     [I("COPY", "entrypoint.sh", "/usr/local/bin/"), I("RUN", "chmod 755 /usr/local/bin/entrypoint.sh")],
     [I("COPY", "entrypoint.sh", "/usr/local/bin/", flags=["--chmod=755"])]),
    ("DF202", "FROM node\nWORKDIR /app\nCOPY . .\nRUN chown -R node:node /app\n",
     "FROM node\nWORKDIR /app\nCOPY --chown=node:node . .\nRUN chown node:node /app\n",
     [I("COPY", ".", "."), I("RUN", "chown -R node:node /app")],
     [I("COPY", ".", ".", flags=["--chown=node:node"]), I("RUN", "chown node:node /app")]),
    ("DF203", "FROM debian\nRUN apt-get update && apt-get install -y curl\n",
     "FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
     [I("RUN", "apt-get update && apt-get install -y curl")],
     [I("RUN", "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*")]),
    ("DF203", "FROM python\nRUN bash <<EOF\npip install flask\nEOF\n",
     "FROM python\nRUN bash <<EOF\npip install --no-cache-dir flask\nEOF\n",
     [I("RUN", "bash <<EOF", heredocs=["pip install flask\n"])],
     [I("RUN", "bash <<EOF", heredocs=["pip install --no-cache-dir flask\n"])]),
    ("DF203", "FROM rust:1.80\nUSER root\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n",
     "FROM rust:1.80\nUSER root\nWORKDIR /src\nCOPY . .\n"
     "RUN --mount=type=cache,target=/usr/local/cargo/registry cargo build --release\n",
     [I("RUN", "cargo build --release")],
     [I("RUN", "cargo build --release", flags=["--mount=type=cache,target=/usr/local/cargo/registry"])]),
    ("DF301", "FROM a\n# first\nCMD [\"one\"]\nCMD two\n", "FROM a\n# first\nCMD two\n",
     [I("CMD", "one", json=True)], []),
    ("DF302", "FROM a\nENTRYPOINT [\"x\"]\nENTRYPOINT [\"y\"]\n", "FROM a\nENTRYPOINT [\"y\"]\n",
     [I("ENTRYPOINT", "x", json=True)], []),
    ("DF303", "FROM a\nHEALTHCHECK CMD a \\\n  --flag\nHEALTHCHECK NONE\n", "FROM a\nHEALTHCHECK NONE\n",
     [("HEALTHCHECK", False, (), ("CMD", "a   --flag"), ())], []),
    ("DF304", "FROM python\nENTRYPOINT python -m app\nCMD [\"--port\", \"8000\"]\n",
     "FROM python\nENTRYPOINT [\"python\", \"-m\", \"app\"]\nCMD [\"--port\", \"8000\"]\n",
     [I("ENTRYPOINT", "python -m app")], [I("ENTRYPOINT", "python", "-m", "app", json=True)]),
    ("DF305", "FROM debian\nENTRYPOINT cd /srv && python -m app\n",
     "FROM debian\nENTRYPOINT cd /srv && exec python -m app\n",
     [I("ENTRYPOINT", "cd /srv && python -m app")], [I("ENTRYPOINT", "cd /srv && exec python -m app")]),
    ("DF306", "FROM node\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD node server.js\n",
     "FROM node\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"node\", \"server.js\"]\n",
     [I("CMD", "node server.js")], [I("CMD", "node", "server.js", json=True)]),
    ("DF307", "FROM python AS app\nCMD [\"python\", \"-m\", \"app\"]\nFROM app\nENTRYPOINT [\"tini\", \"--\"]",
     "FROM python AS app\nCMD [\"python\", \"-m\", \"app\"]\nFROM app\nENTRYPOINT [\"tini\", \"--\"]\n"
     "CMD [\"python\", \"-m\", \"app\"]",
     [], [I("CMD", "python", "-m", "app", json=True)]),
    ("DF401", "FROM a\nADD --chown=1:1 a.txt b.py /app/\n", "FROM a\nCOPY --chown=1:1 a.txt b.py /app/\n",
     [I("ADD", "a.txt", "b.py", "/app/", flags=["--chown=1:1"])],
     [I("COPY", "a.txt", "b.py", "/app/", flags=["--chown=1:1"])]),
    ("DF404", 'FROM a\nMAINTAINER Jane "J" Doe <jane@example.com> $HOME\n',
     'FROM a\nLABEL org.opencontainers.image.authors="Jane \\"J\\" Doe <jane@example.com> \\$HOME"\n',
     [I("MAINTAINER", 'Jane "J" Doe <jane@example.com> $HOME')],
     [I("LABEL", "org.opencontainers.image.authors", '"Jane \\"J\\" Doe <jane@example.com> \\$HOME"')]),
    ("DF405", "FROM scratch\nWORKDIR app/../web\n", "FROM scratch\nWORKDIR /web\n",
     [I("WORKDIR", "app/../web")], [I("WORKDIR", "/web")]),
    ("DF406", "FROM alpine\nENV APP_HOME /app\n", "FROM alpine\nENV APP_HOME=/app\n",
     [], []),  # the same name and value for BuildKit
    ("DF408", "FROM --platform=$TARGETPLATFORM alpine\n", "FROM alpine\n",
     [I("FROM", "alpine", flags=["--platform=$TARGETPLATFORM"])], [I("FROM", "alpine")]),
    ("DF409", "FROM alpine\nEXPOSE 80/TCP\n", "FROM alpine\nEXPOSE 80/tcp\n",
     [I("EXPOSE", "80/TCP")], [I("EXPOSE", "80/tcp")]),
    ("DF410", "FROM alpine\nEXPOSE 8080:80\n", "FROM alpine\nEXPOSE 80\n",
     [I("EXPOSE", "8080:80")], [I("EXPOSE", "80")]),
    ("DF412", "FROM alpine\nCOPY a.txt b.txt /dest\n", "FROM alpine\nCOPY a.txt b.txt /dest/\n",
     [I("COPY", "a.txt", "b.txt", "/dest")], [I("COPY", "a.txt", "b.txt", "/dest/")]),
    ("DF501", "FROM debian\nRUN apt-get update && apt-get install \\\n    curl\n",
     "FROM debian\nRUN apt-get update && apt-get install -y \\\n    curl\n",
     [I("RUN", "apt-get update && apt-get install     curl")],
     [I("RUN", "apt-get update && apt-get install -y     curl")]),
    ("DF502", "FROM debian\nRUN apt-get install -y curl\n",
     "FROM debian\nRUN apt-get install --no-install-recommends -y curl\n",
     [I("RUN", "apt-get install -y curl")], [I("RUN", "apt-get install --no-install-recommends -y curl")]),
    ("DF504", "FROM node\n# build it\nRUN cd /app && npm ci\n",
     "FROM node\nWORKDIR /app\n# build it\nRUN npm ci\nWORKDIR /\n",  # the image keeps node's WORKDIR
     [I("RUN", "cd /app && npm ci")], [I("WORKDIR", "/app"), I("RUN", "npm ci"), I("WORKDIR", "/")]),
    ("DF504", "FROM alpine\nWORKDIR /src\nRUN cd web && make\nCOPY . .\n",  # the COPY still copies into /src
     "FROM alpine\nWORKDIR /src\nWORKDIR web\nRUN make\nWORKDIR /src\nCOPY . .\n",
     [I("RUN", "cd web && make")], [I("WORKDIR", "web"), I("RUN", "make"), I("WORKDIR", "/src")]),
    ("DF504", "FROM alpine\nWORKDIR /src\nRUN cd web && make\nWORKDIR /out\nCOPY . .\n",  # set again: no return
     "FROM alpine\nWORKDIR /src\nWORKDIR web\nRUN make\nWORKDIR /out\nCOPY . .\n",
     [I("RUN", "cd web && make")], [I("WORKDIR", "web"), I("RUN", "make")]),
    ("DF504", "FROM node\nRUN --network=none cd /app\n", "FROM node\nWORKDIR /app\n",
     [I("RUN", "cd /app", flags=["--network=none"])], [I("WORKDIR", "/app")]),
    ("DF505", "FROM debian\nUSER root\nRUN sudo apt-get update\n", "FROM debian\nUSER root\nRUN apt-get update\n",
     [I("RUN", "sudo apt-get update")], [I("RUN", "apt-get update")]),
    ("DF204", "FROM debian\nRUN useradd -u 123456 -m app\n", "FROM debian\nRUN useradd -l -u 123456 -m app\n",
     [I("RUN", "useradd -u 123456 -m app")], [I("RUN", "useradd -l -u 123456 -m app")]),
    ("DF516", "FROM rockylinux:9\nRUN dnf install httpd && dnf clean all\n",
     "FROM rockylinux:9\nRUN dnf install -y httpd && dnf clean all\n",
     [I("RUN", "dnf install httpd && dnf clean all")], [I("RUN", "dnf install -y httpd && dnf clean all")]),
    ("DF518", 'FROM debian:12\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN a | b\n',
     'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\n',
     [I("SHELL", "/bin/sh", "-o", "pipefail", "-c", json=True)],
     [I("SHELL", "/bin/bash", "-o", "pipefail", "-c", json=True)]),
    ("DF506", "FROM alpine\nRUN --mount=type=cache,target=/c curl -fsSL https://x.test/t.tgz | tar -xz\n",
     "FROM alpine\nRUN --mount=type=cache,target=/c set -o pipefail && curl -fsSL https://x.test/t.tgz | tar -xz\n",
     [I("RUN", "curl -fsSL https://x.test/t.tgz | tar -xz", flags=["--mount=type=cache,target=/c"])],
     [I("RUN", "set -o pipefail && curl -fsSL https://x.test/t.tgz | tar -xz",
        flags=["--mount=type=cache,target=/c"])]),
]


def _settings(code):
    return default_settings([r for r in engine.load_rules() if r.code in (code, "DF001")])


def _instructions(dockerfile, text):
    out = []
    for c in dockerfile.parse_string(text):
        value = tuple(v.replace("\r", "") for v in c.value)
        out.append((c.cmd.upper(), c.json, tuple(c.flags), value,
                    tuple(h.content.replace("\r", "") for h in c.heredocs)))
    return out


def _changes(dockerfile, before, after):
    """(instructions of `before` removed or changed, instructions of `after` added or changed)."""
    old, new = _instructions(dockerfile, before), _instructions(dockerfile, after)
    removed, added = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


@pytest.mark.parametrize("code, before, after, removed, added", CASES, ids=[f"{c[0]}-{i}" for i, c in
                                                                              enumerate(CASES)])
def test_a_rule_s_fix_changes_only_its_instruction_as_meant(code, before, after, removed, added):
    dockerfile = _dockerfile_package()
    outcome = fix_text(before, "Dockerfile", _settings(code), unsafe=True)
    assert [f.code for f in outcome.fixed] == [code]
    assert outcome.text == after
    assert (outcome.notes, outcome.errors) == ([], [])
    assert _changes(dockerfile, before, after) == (removed, added)
    crlf = fix_text(before.replace("\n", "\r\n"), "Dockerfile", _settings(code), unsafe=True)
    assert crlf.text == after.replace("\n", "\r\n")


def test_every_fixable_rule_has_a_case_and_its_fixes_are_as_safe_as_it_says():
    fixable = {r.code: r.fixable for r in engine.load_rules() if r.fixable and r.origin == "dfcheck"}
    assert set(fixable) == {c[0] for c in CASES}
    for code, before, *_ in CASES:
        for f in engine.lint_text(before, "Dockerfile", _settings(code)).findings:
            if f.code == code and f.fix is not None:
                assert fixable[code] in (f.fix.applicability, "depends"), (code, f.fix.applicability)


# (rule, a Dockerfile it reports, why a fix would change what an instruction sees): no fix is offered.
NO_FIX = [
    ("DF101", "FROM node:20\nWORKDIR /app\nCOPY . .\nENV NODE_ENV=production\nRUN npm ci\n",
     "moved above the ENV, npm ci would install the development dependencies too"),
    ("DF101", "FROM node:20\nCOPY . /app\nWORKDIR /app\nRUN npm ci\n", "moved above the WORKDIR, it runs in /"),
    ("DF101", "FROM node:20\nWORKDIR /app\nCOPY . .\nUSER node\nRUN npm ci\n", "it would run as root"),
    ("DF102", "FROM debian\nRUN apt-get update -o Acquire::http::Proxy=$P\nARG P=http://x\n"
              "RUN apt-get install -y curl\n", "the update would see $P set"),
    ("DF102", "FROM debian\nRUN apt-get update\nUSER app\nRUN apt-get install -y curl\n",
     "the update would run as app"),
    ("DF201", "FROM debian\nRUN curl -fsSLo /tmp/t.deb https://x.test/t.deb\nRUN dpkg -i /tmp/t.deb\n"
              "RUN rm -f /tmp/t.deb\n", "the RUN between reads the file the fix would delete earlier"),
    ("DF201", "FROM node\nCOPY setup.sh /opt/scripts/\nRUN sh /opt/scripts/setup.sh && rm /opt/scripts/setup.sh\n"
              "COPY --from=tools /x /y\nRUN ls /opt/scripts\n",
     "a bind mount leaves no /opt/scripts behind, where the COPY made it and a later RUN reads it"),
    ("DF202", "FROM alpine\nUSER app\nCOPY app /app\nRUN chmod -R 755 /app\n",
     "as app the chmod fails on the files COPY gave root: the fix would change a failing build"),
    ("DF202", "FROM alpine\nCOPY app /app\nRUN cat /app/x > /y\nRUN chown -R 1000 /app\n",
     "a layer between reads the files with their old owner"),
    ("DF504", "FROM example/unknown\nRUN cd /opt && make\nCOPY . .\n",
     "the COPY would copy into /opt; the directory to go back to is the unknown image's"),
]


@pytest.mark.parametrize("code, text, why", NO_FIX, ids=[f"{c[0]}-{i}" for i, c in enumerate(NO_FIX)])
def test_no_fix_where_it_would_change_what_an_instruction_sees(code, text, why):
    found = [f for f in engine.lint_text(text, "Dockerfile", _settings(code)).findings if f.code == code]
    assert len(found) == 1 and found[0].fix is None, why
    assert fix_text(text, "Dockerfile", _settings(code), unsafe=True).text == text


def test_the_maintainer_label_holds_exactly_the_maintainer_text():
    # LABEL expands variables and escapes where MAINTAINER took its text as it is.
    for escape, text in (("\\", 'Jane "J" $HOME \\ ${X} \\$'), ("`", 'Jane "J" $HOME ` \\n')):
        source = f"# escape={escape}\nFROM scratch\nMAINTAINER {text}\n"
        fixed = fix_text(source, "Dockerfile", _settings("DF404"), unsafe=True).text
        model = build_model(parse(fixed))
        [label] = [n for n in model.instructions if n.keyword == "LABEL"]
        expansion = model.expand(label, label.pairs[0].value)
        assert (expansion.value, expansion.exact) == (text, True), fixed


def test_examples_python_app_fixed_with_unsafe_fixes_is_valid_and_sensible():
    # The example: `ENTRYPOINT exec ["python", "-m", "app"]` (two fixes merged) and an apt-get install
    # left without lists by removing them from the update-only RUN before it. The update now runs with the install
    # (DF102), the requirements are copied and installed before the rest (DF101), and the per-build ARG and the
    # LABEL that uses it come after the last RUN (DF103).
    dockerfile = _dockerfile_package()
    path = ROOT / "examples" / "python-app" / "Dockerfile"
    before = path.read_text(encoding="utf-8")
    settings = default_settings(engine.load_rules())
    outcome = fix_text(before, str(path), settings, unsafe=True)
    assert (outcome.notes, outcome.errors) == ([], [])
    assert outcome.text == (
        "FROM python:3.12-slim\n"
        'LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"\n'
        "WORKDIR /app\n"
        "RUN apt-get update && apt-get install --no-install-recommends -y build-essential"
        " && rm -rf /var/lib/apt/lists/*\n"
        "COPY requirements.txt ./\n"
        "RUN pip install --no-cache-dir -r requirements.txt\n"
        "COPY . .\n"
        "ARG BUILD_DATE\n"
        "LABEL org.opencontainers.image.created=$BUILD_DATE\n"
        "COPY config.json /etc/app/\n"
        'ENTRYPOINT ["python", "-m", "app"]\n'
        'CMD ["--port", "8000"]' + ("\n" if before.endswith("\n") else ""))
    removed, added = _changes(dockerfile, before, outcome.text)
    assert [i[0] for i in removed] == ["MAINTAINER", "WORKDIR", "RUN", "RUN", "COPY", "RUN", "ADD", "ENTRYPOINT"]
    assert I("COPY", ".", ".") in added  # moved below the install, not changed
    assert added[-1] == I("ENTRYPOINT", "python", "-m", "app", json=True)
    assert fix_text(outcome.text, str(path), settings, unsafe=True).fixed == []  # nothing left to do

"""No input makes a rule crash: every rule, on generated Dockerfiles, with and without a build context.

A rule that raises becomes an error line and exit status 2 in the user's CI, so the whole pipeline (parser,
model, shell parsing, filesystem effects, every rule including the ones off by default) is run on
Dockerfiles assembled from the constructs real files use, and on plain noise.
"""

import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dfcheck.config import Settings
from dfcheck.engine import lint_text, load_rules

def _shellcheck_installed() -> bool:
    from dfcheck.model.shellcheck import find_shellcheck

    return find_shellcheck() is not None


# DF702 runs ShellCheck (the `test` extra installs it); without the program it reports an error, by design.
RULES = tuple(sorted((r for r in load_rules() if r.code != "DF702" or _shellcheck_installed()), key=lambda r: r.code))
ALL = Settings(RULES, RULES, options={r.code: dict(r.options) for r in RULES})

WORDS = st.sampled_from([
    "alpine", "debian:12", "scratch", "build", "$BASE", "${TAG:-1}", "app", "/app", ".", "./", "*", "src/",
    "requirements.txt", "package.json", "a.tar.gz", "https://e.com/x.tgz", "git@github.com:a/b.git#v1",
    "--from=build", "--chown=1:1", "--chmod=755", "--link", "--mount=type=cache,target=/root/.cache",
    "--mount=type=bind,from=build,source=/s,target=/t", "--platform=$BUILDPLATFORM", "--checksum=sha256:00",
    "AS", "as", "x=1", "A=$A", "B=\"q r\"", "'s'", "\\", "`", "[", "]", "\"", "#", "=", "é😀", "",
])
SHELL = st.sampled_from([
    "apt-get update", "apt-get install -y --no-install-recommends curl=1.2", "rm -rf /var/lib/apt/lists/*",
    "pip install -r requirements.txt", "pip install --no-cache-dir .", "npm ci", "yarn install", "go mod download",
    "curl -fsSL https://e.com/i.sh | sh", "wget -O- https://e.com/x | tar -xz -C /opt", "tar -xzf /tmp/a.tgz -C /",
    "chown -R app:app /app", "chmod 777 /x", "mv /a /b", "sed -i s/a/b/ /etc/x", "cd /src && make",
    "set -eux", "set -o pipefail", "exec \"$@\"", "sudo apk add --no-cache git", "env A=1 python -c 'print(1'",
    "python3 <<PY\nprint(1\nPY", "cat <<EOF > /f\nx\nEOF", "for f in *; do rm \"$f\"; done", "if [ -f x ]; then :; fi",
    "case $x in a) b;; esac", "(cd / && ls) || true", "$(curl x)", "echo ${A:?}", "'unterminated", "((1+",
    "apk del .build-deps", "yum clean all", "useradd -m app", "git clone https://e.com/r /r",
])


@st.composite
def instruction(draw):
    kind = draw(st.sampled_from([
        "FROM", "RUN", "RUN_HEREDOC", "COPY", "ADD", "ARG", "ENV", "LABEL", "WORKDIR", "USER", "CMD", "ENTRYPOINT",
        "SHELL", "HEALTHCHECK", "ONBUILD", "EXPOSE", "VOLUME", "STOPSIGNAL", "MAINTAINER", "NOISE",
    ]))
    words = draw(st.lists(WORDS, max_size=5))
    script = " && ".join(draw(st.lists(SHELL, min_size=1, max_size=4)))
    exec_form = draw(st.booleans())
    joiner = draw(st.sampled_from([" ", " \\\n  ", " \\\n\n  ", " \\\n# note\n  "]))
    if kind == "FROM":
        return "FROM " + " ".join(words[:1] or ["alpine"]) + draw(st.sampled_from(["", " AS build", " AS b2"]))
    if kind in ("RUN", "CMD", "ENTRYPOINT"):
        if exec_form:
            return f'{kind} ["/bin/sh", "-c", "{script.replace(chr(10), " ")}"]'
        flags = " ".join(w for w in words if w.startswith("--mount")) if kind == "RUN" else ""
        return f"{kind} {flags} {script}".replace(" && ", " &&" + joiner) if "\n" not in script else f"{kind} {script}"
    if kind == "RUN_HEREDOC":
        return f"RUN <<EOF\n{script.replace(' && ', chr(10))}\nEOF"
    if kind == "SHELL":
        return draw(st.sampled_from(['SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'SHELL ["powershell", "-c"]', "SHELL sh"]))
    if kind == "HEALTHCHECK":
        return draw(st.sampled_from(["HEALTHCHECK NONE", "HEALTHCHECK CMD curl -f x", 'HEALTHCHECK --interval=5s CMD ["x"]']))
    if kind == "ONBUILD":
        return "ONBUILD " + draw(st.sampled_from(["RUN make", "COPY . /src", "ONBUILD RUN x", "FROM x"]))
    if kind == "NOISE":
        return draw(st.text(max_size=30))
    return f"{kind} " + joiner.join(words)


@st.composite
def dockerfile(draw):
    lines = draw(st.lists(instruction(), max_size=12))
    if draw(st.booleans()):
        lines.insert(0, "FROM alpine AS base")
    if draw(st.booleans()):
        lines.insert(0, draw(st.sampled_from(["# escape=`", "# syntax=docker/dockerfile:1", "ARG BASE=debian"])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))


def _context():
    root = tempfile.mkdtemp(prefix="dfcheck-robustness-")
    for name, data in {"requirements.txt": b"flask\n", "package.json": b"{}", "a.tar.gz": b"\x1f\x8b\x08junk",
                       "src/main.py": b"print()\n", ".dockerignore": b"*.md\n!README.md\n**/node_modules\n"}.items():
        path = os.path.join(root, *name.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    return root


CONTEXT = _context()
WITH_CONTEXT = Settings(RULES, RULES, options={r.code: dict(r.options) for r in RULES}, context_dir=CONTEXT)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfile())
def test_no_rule_crashes_on_generated_dockerfiles(text):
    for config in (ALL, WITH_CONTEXT):
        result = lint_text(text, "Dockerfile", config)
        assert [e.message for e in result.errors] == []
        for f in result.findings:
            assert 1 <= f.span.line and 1 <= f.span.column
            assert (f.span.end_line, f.span.end_column) >= (f.span.line, f.span.column)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_no_rule_crashes_on_noise(text):
    result = lint_text("FROM alpine\n" + text, "Dockerfile", ALL)
    assert [e.message for e in result.errors] == []

"""Hypothesis strategies that generate Dockerfiles, shared by the robustness and fix-loop tests."""

from hypothesis import strategies as st

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

"""DF105: install after broad copy (rules/df101_copy_before_dependency_install.py)."""

import pytest

from dfcheck.fixes import apply_fixes

from support import findings, raw_findings


def test_df105_a_registry_install_after_a_broad_copy_says_to_move_the_install():
    assert findings("DF105", "FROM alpine:3.20\nWORKDIR /app\nCOPY . .\nRUN apk add --no-cache git\n") == [(
        "DF105", 3, 6,
        "COPY . copies the whole build context before `apk add --no-cache git` at line 4 installs packages from a "
        "registry, which reads none of it: a change to any copied file runs the install again; move the install above "
        "the COPY",
    )]
    assert findings("DF105", "FROM node\nCOPY src/ /app/src/\nRUN npm install -g typescript\n") == [(
        "DF105", 2, 6, "COPY src/ copies the whole directory src/ before `npm install -g typescript` at line 3 installs "
                       "packages from a registry, which reads none of it: a change to any copied file runs the "
                       "install again; move the install above the COPY")]
    src = ("FROM debian\nCOPY . /app\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y curl "
           "&& rm -rf /var/lib/apt/lists/*\n")
    assert [(line, col) for _, line, col, _ in findings("DF105", src)] == [(2, 6)]
    # not DF101's: that rule is about installs from manifests
    assert findings("DF101", src) == []


@pytest.mark.parametrize("src", [
    # The RUN may use the copy, or the copy may configure the package manager.
    "FROM python\nCOPY . /app\nRUN pip install flask && python /app/setup.py\n",
    "FROM debian\nCOPY apt/ /etc/apt/\nRUN apt-get update && apt-get install -y x\n",
    "FROM debian\nCOPY . /app\nRUN apt-get install -y ./app/tool.deb\n",
    # The install reads a copied file.
    "FROM debian\nWORKDIR /app\nCOPY . .\nRUN apt-get update && xargs apt-get install -y < packages.txt\n",
    # A directory of configuration or of requirement files: it rarely changes.
    "FROM debian\nCOPY backend/config/ /config\nRUN apt-get update && apt-get install -y ca-certificates\n",
    "FROM python:3.12-alpine\nADD requirements/ /code/requirements/\nRUN apk add --no-cache postgresql-client\n",
    # The broad COPY is in the stage this one is built on: the install cannot move above it.
    "FROM debian AS base\nWORKDIR /app\nCOPY . .\nFROM base AS dev\nRUN apt-get update && apt-get install -y vim\n",
    # The stage installs from manifests: DF101 judges the copies (here it reports the COPY . for go build).
    "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN apk add --no-cache git\nRUN go build -o /app .\n",
])
def test_df105_where_moving_the_install_is_not_possible_or_not_useful(src):
    assert findings("DF105", src) == []


def test_df105_fix_moves_the_install_before_the_copy():
    src = "FROM python\nWORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
    [finding] = raw_findings("DF105", src)
    assert finding.fix.applicability == "unsafe"
    fixed, _ = apply_fixes(src, [finding], unsafe=True)
    assert fixed == ("FROM python\nWORKDIR /app\nRUN apt-get update && apt-get install -y curl && rm -rf "
                     "/var/lib/apt/lists/*\nCOPY . .\n")
    # unless it deletes copied files
    [finding] = raw_findings("DF105", src.replace("/var/lib/apt/lists/*", "/app/tmp"))
    assert finding.fix is None


def test_df105_through_the_engine():
    from dfcheck.config import default_settings
    from dfcheck.engine import indexed_rules, lint_text

    settings = default_settings([r for r in indexed_rules() if r.code in ("DF105", "DF001")])
    result = lint_text("FROM alpine:3.20\nWORKDIR /app\nCOPY . .\nRUN apk add --no-cache git\n", "Dockerfile", settings)
    assert [(f.code, f.span.line, f.span.column) for f in result.findings] == [("DF105", 3, 6)]

"""Build-cache rules: DF101 copy-before-dependency-install, DF102 apt-update-in-separate-layer,"""

from support import findings


def test_cache_rules_check_every_stage_unless_a_target_is_given():
    src = ("FROM node AS dev\nWORKDIR /app\nCOPY . .\nRUN npm install\n"
           "FROM node AS prod\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src)] == [(3, 6)]
    assert findings("DF101", src, target="prod") == []
    # A FROM naming a stage through a platform variable builds on each stage it can name.
    src = ("FROM golang:1.22 AS build-amd64\nWORKDIR /src\nCOPY . .\nRUN go build -o /app\n"
           "FROM build-amd64 AS build-arm64\nFROM build-${TARGETARCH} AS final\n")
    assert [(line, col) for _, line, col, _ in findings("DF101", src, target="final")] == [(3, 6)]


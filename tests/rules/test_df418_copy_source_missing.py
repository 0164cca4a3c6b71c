"""DF418 copy-source-missing: with the build context at hand, a COPY or ADD source the context does not send."""

from dfcheck.model.context import BuildContext
from support import findings, tree


SRC = ("FROM python:3.12\nCOPY config/app.conf /etc/app/\nCOPY conf/app.conf /etc/app/\nCOPY secret.key /etc/\n"
       "COPY src/ /app/src/\nCOPY *.txt /app/\nCOPY dist/app.whl /tmp/\nCOPY --from=builder /out /out\n"
       "ADD https://example.com/x /x\nARG F=missing.txt\nCOPY $F /x\nARG G\nCOPY $G /y\n")


def _context(tmp_path):
    return tree(tmp_path, {"config/app.conf": "x", "src/main.py": "y", "secret.key": "z", ".dockerignore": "*.key\n"})


def test_missing_and_ignored_sources(tmp_path):
    assert findings("DF418", SRC, context_dir=_context(tmp_path)) == [
        ("DF418", 3, 6, "docker build would fail: 'conf/app.conf' is not found (it is not in the build context); "
                        "BuildKit stops with \"/conf/app.conf\": not found"),
        ("DF418", 4, 6, "docker build would fail: 'secret.key' is not found (.dockerignore excludes it, so it is not "
                        "in the build context); BuildKit stops with \"/secret.key\": not found"),
        ("DF418", 11, 6, "docker build would fail: 'missing.txt' is not found (it is not in the build context); "
                         "BuildKit stops with \"/missing.txt\": not found"),
    ]


def test_no_context_or_a_context_that_is_not_this_files(tmp_path):
    assert findings("DF418", SRC) == []
    # nothing of the file's sources is there: the context is not the one the file is built with
    other = tree(tmp_path / "other", {"README.md": "x", "notes.txt": "y"})
    assert findings("DF418", SRC, context_dir=other) == []


def test_a_context_scanned_only_in_part(tmp_path, monkeypatch):
    root = _context(tmp_path)
    monkeypatch.setattr(BuildContext, "partial", property(lambda self: True))
    assert findings("DF418", SRC, context_dir=root) == []


def test_named_contexts_and_stages_are_not_context_paths(tmp_path):
    root = tree(tmp_path, {"app.py": "x"})
    src = ("FROM python:3.12 AS base\nCOPY app.py /app/\nFROM base\nCOPY --from=base /app /app\n"
           "COPY --from=docs /site /srv\nRUN --mount=type=bind,source=missing,target=/m true\n")
    assert findings("DF418", src, context_dir=root) == []

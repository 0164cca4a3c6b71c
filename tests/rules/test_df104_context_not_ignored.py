"""DF104: context not ignored (rules/df104_context_not_ignored.py)."""

from support import findings, tree


def test_df104_needs_the_context():
    assert findings("DF104", "FROM node\nCOPY . /app\n") == []


def test_df104_names_what_gets_in(tmp_path):
    tree(tmp_path, {
        ".git/objects/pack": b"\0" * 2048, ".git/HEAD": "ref", "node_modules/a/index.js": "x" * 100,
        "package.json": "{}", "dist/app.js": "y" * 10, "src/index.js": "z", "pkg/__pycache__/m.pyc": "c",
        ".dockerignore": "node_modules\n",
    })
    assert findings("DF104", "FROM node\nWORKDIR /app\nCOPY . .\n", context_dir=str(tmp_path)) == [(
        "DF104", 3, 6,
        "COPY . copies .git (2 files, 2.0 KiB), dist (1 file, 10 B) and pkg/__pycache__ (1 file, 1 B) from the build "
        "context: .dockerignore does not exclude them; they change the cache key of this copy and everything after "
        "it, and go into the image",
    )]


def test_df104_no_dockerignore_and_virtualenvs(tmp_path):
    tree(tmp_path, {"env/pyvenv.cfg": "home = /usr/bin", "env/lib/x.py": "x", "app.py": ""})
    [(_, _, _, message)] = findings("DF104", "FROM python\nCOPY . /app\n", context_dir=str(tmp_path))
    assert message.startswith("COPY . copies env (2 files, 16 B) from the build context: there is no .dockerignore")


def test_df104_fine_when_ignored_or_narrow(tmp_path):
    tree(tmp_path, {".git/HEAD": "ref", "node_modules/a.js": "", "src/a.py": "", "build/x": "",
                    ".dockerignore": ".git\nnode_modules\n"})
    assert findings("DF104", "FROM node\nCOPY . /app\n", context_dir=str(tmp_path)) == []  # no manifest: build/ is source
    assert findings("DF104", "FROM node\nCOPY src /app/src\n", context_dir=str(tmp_path)) == []


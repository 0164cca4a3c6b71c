"""Generate dfcheck/model/base_image_table.py: what the official base images bring, read from their own Dockerfiles.

    python scripts/base_images.py [CORPUS]            rewrite the table from the corpus
    python scripts/base_images.py --check [CORPUS]    exit 1 when the shipped table differs from a regeneration

CORPUS is a directory with `manifest.tsv` and `dockerfiles/` (default: ../shared/corpus beside the checkout), as
the shared test corpus lays them out: each official image's Dockerfile copied unchanged from its repository, with
the repository, commit and path in the manifest.

Each Dockerfile of an official image's repository (docker-library/*, nginxinc/docker-nginx for nginx,
nodejs/docker-node for node, adoptium/containers for eclipse-temurin) becomes one row: dfcheck's own parser and
model read its final stage, whose settings (USER, CMD, ENTRYPOINT, SHELL, WORKDIR) are laid over those of the
image it is built FROM, found in the table itself: python's Dockerfile is FROM buildpack-deps:bookworm, itself
FROM buildpack-deps:bookworm-scm, ... FROM debian:bookworm, one of the OS images kept by hand below (they are only
a root filesystem and a CMD). A Dockerfile whose base is not in the table (Windows, Red Hat UBI, an image whose
Dockerfile the corpus lacks) is left out and listed on stderr.

A row's date is the day its facts last changed: a regeneration keeps the date of a row it finds unchanged in the
current table, so the table only changes when the corpus does. This lives outside the dfcheck package because only
maintainers run it; the test suite regenerates the table and checks it matches the shipped one.
"""

from __future__ import annotations

import datetime
import posixpath
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TABLE = REPO / "dfcheck" / "model" / "base_image_table.py"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"

sys.path.insert(0, str(REPO))

from dfcheck.model import build_model  # noqa: E402
from dfcheck.model.base_images import lookup  # noqa: E402
from dfcheck.syntax import parse  # noqa: E402

DEFAULT_SHELL = ("/bin/sh", "-c")

# The OS images, kept by hand: what each sets is its CMD (docker-library/repo-info lists every tag's config).
# Their facts hold for every tag, so one row answers for all (versions and variants "*").
HAND_DATE = "2026-12-02"
HAND_ROWS = [
    dict(image="debian", os="debian", sh="dash", package_manager="apt", cmd=("bash",)),
    dict(image="ubuntu", os="ubuntu", sh="dash", package_manager="apt", cmd=("/bin/bash",)),
    dict(image="alpine", os="alpine", sh="ash", package_manager="apk", cmd=("/bin/sh",)),
    dict(image="fedora", os="fedora", sh="bash", package_manager="dnf", cmd=("/bin/bash",)),
    dict(image="busybox", os="busybox", sh="ash", package_manager="", cmd=("sh",)),
]

# The repositories of official images in the corpus, and the image each one builds (docker-library/NAME: NAME).
REPOSITORIES = {
    "nginxinc/docker-nginx": "nginx",
    "nodejs/docker-node": "node",
    "adoptium/containers": "eclipse-temurin",
}
# Language images: the runtime they carry and the ENV their Dockerfile gives its version in. Images built on
# them (ghost on node, drupal on php) inherit it.
RUNTIMES = {
    "python": ("python", "PYTHON_VERSION"),
    "node": ("node", "NODE_VERSION"),
    "golang": ("go", "GOLANG_VERSION"),
    "ruby": ("ruby", "RUBY_VERSION"),
    "php": ("php", "PHP_VERSION"),
    "eclipse-temurin": ("java", "JAVA_VERSION"),
}
# Directory names that say which OS a variant is built on but are not part of its tags.
FAMILY_DIRS = {"debian", "ubuntu", "ubi", "windows"}
# Words of a variant its tags may leave out: the flavour an image's shorter tags stand for.
DEFAULT_FLAVOURS = {"php": {"cli"}, "docker": {"dind"}, "drupal": {"apache"}, "eclipse-temurin": {"jdk"}}
SUITES = {
    "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky", "duke", "sid",  # Debian
    "bionic", "focal", "jammy", "noble", "oracular", "plucky", "questing", "resolute",  # Ubuntu
}
# Fields compared to decide whether a row changed (its date stays when none did).
FACT_FIELDS = ("versions", "variants", "os", "sh", "package_manager", "user", "cmd", "entrypoint", "shell", "workdir",
               "version", "runtime", "runtime_version", "runtime_image", "source")


def generate(corpus: Path, previous: list | None = None, today: str | None = None) -> tuple[str, list[str]]:
    """The table module's text, and the corpus files left out (with the reason)."""
    today = today or datetime.date.today().isoformat()
    rows = [_hand_row(r) for r in HAND_ROWS]
    pending = list(_official_dockerfiles(corpus))
    skipped: list[str] = []
    while pending:  # a row can be built once the row of its base is: go round until nothing more can be
        progress, waiting = False, []
        by_image = _index(rows)
        for item in pending:
            row, reason = _row(item, by_image)
            if row is not None:
                rows.append(row)
                progress = True
            else:
                waiting.append((item, reason))
        pending = [item for item, _ in waiting]
        if not progress:
            skipped = [f"{item['repo']} {item['path']}: {reason}" for item, reason in waiting]
            break
    old = {_key(r): r for r in previous or ()}
    for row in rows:
        before = old.get(_key(row))
        same = before is not None and all(before.get(f) == row[f] for f in FACT_FIELDS)
        row["date"] = before["date"] if same else (HAND_DATE if row["source"] == "by hand" else today)
    rows.sort(key=_key)
    return _render(rows), sorted(skipped)


def _hand_row(fields: dict) -> dict:
    row = dict(versions=("*",), variants=(("*",),), user="", entrypoint=(), shell=DEFAULT_SHELL, workdir="/",
               version=None, runtime=None, runtime_version=None, runtime_image=False, source="by hand")
    row.update(fields)
    return row


def _official_dockerfiles(corpus: Path):
    with open(corpus / "manifest.tsv", encoding="utf-8") as f:
        lines = f.read().splitlines()
    for line in lines[1:]:
        ident, repo, commit, path = line.split("\t")[:4]
        owner, _, name = repo.partition("/")
        image = REPOSITORIES.get(repo) or (name if owner == "docker-library" else None)
        if image is None:
            continue
        yield dict(image=image, repo=repo, commit=commit, path=path,
                   file=corpus / "dockerfiles" / f"{ident}.Dockerfile")


def _row(item: dict, by_image: dict) -> tuple[dict | None, str]:
    image, path = item["image"], item["path"]
    parts = path.split("/")[:-1]
    if posixpath.basename(path) != "Dockerfile":
        return None, "not an image's Dockerfile"
    text = item["file"].read_text(encoding="utf-8")
    model = build_model(parse(text), path=str(item["file"]))
    if model.target is None:
        return None, "no stage"
    stage = model.target
    root = model.lineage(stage)[0]
    if root.base_stage is not None or not root.node.values or "$" in root.node.values[0]:
        return None, "its base is not a fixed image (a build helper, not an image's own Dockerfile)"
    base = lookup(root.base, by_image)
    if base is None or not base.exact:
        return None, f"its base {root.base} is not in the table"
    version_dir, words = (None, parts) if image == "buildpack-deps" else (parts[0], parts[1:])
    rt = stage.runtime
    row = dict(image=image)
    own = _env(stage, image.upper().replace("-", "_") + "_VERSION")
    if own is None and base.image == image:
        own = base.version  # nginx:mainline-alpine is FROM nginx:1.27.4-alpine-slim
    row["versions"] = tuple(dict.fromkeys(v for v in (version_dir, own) if v))
    row["variants"] = tuple(_group(w, image) for w in _words(words))
    row["os"], row["sh"], row["package_manager"] = base.os, base.sh, base.package_manager
    row["user"] = rt.user.value if rt.user is not None else base.user
    if rt.cmd is not None:
        row["cmd"] = tuple(rt.cmd.argv)
    else:
        row["cmd"] = () if rt.cmd_reset_by is not None else base.cmd
    row["entrypoint"] = tuple(rt.entrypoint.argv) if rt.entrypoint is not None else base.entrypoint
    row["shell"] = tuple(rt.shell.value) if rt.shell.node is not None else base.shell
    row["workdir"] = rt.workdir.value if rt.workdir.node is not None else base.workdir
    if image in RUNTIMES:
        name, env = RUNTIMES[image]
        version = _env(stage, env)
        if version and name == "java":
            version = version.removeprefix("jdk-").removeprefix("jdk")  # jdk-21.0.12+8, jdk8u502-b07
        row["runtime"], row["runtime_version"], row["runtime_image"] = name, version, True
    else:
        row["runtime"], row["runtime_version"], row["runtime_image"] = base.runtime, base.runtime_version, False
    row["version"] = own
    row["source"] = f"{item['repo']}@{item['commit']} {path}"
    return row, ""


def _env(stage, name: str) -> str | None:
    variable = stage.env.get(name)
    return variable.value if variable is not None else None


def _words(dirs: list) -> list:
    words = []
    for part in dirs:
        if part in FAMILY_DIRS:
            continue
        words.extend(w for w in part.split("-") if w not in FAMILY_DIRS)
    return words


def _group(word: str, image: str) -> tuple:
    """The spellings of one word of a variant in the image's tags; "" when the tags may leave it out."""
    if word in SUITES or word.startswith("ltsc") or word in DEFAULT_FLAVOURS.get(image, ()):
        return (word, "")
    if word[:1].isdigit():  # an OS release in a variant: eclipse-temurin:21-jre-alpine-3.23, or -alpine
        return (word, "")
    if word.startswith("alpine") and word != "alpine":
        return (word, "alpine")
    if image == "drupal" and word.startswith("php"):
        return (word, "")
    return (word,)


def _index(rows: list) -> dict:
    by_image: dict = {}
    for row in rows:
        by_image.setdefault(row["image"], []).append(row)
    return by_image


def _key(row: dict) -> tuple:
    return (row["image"], row["versions"], row["variants"], row["source"])


def _render(rows: list) -> str:
    out = [
        '"""What the official base images bring: GENERATED by scripts/base_images.py (a data table, hence its',
        "length and its long lines): do not edit it by hand.",
        "",
        "One row per official image Dockerfile (source: repository@commit path, as the shared corpus's manifest.tsv",
        'gives it), plus the OS images kept by hand (source "by hand"); date: the day the row last changed.',
        "`versions` are the tag versions a row answers to, `variants` the words of its tags' variant, each with the",
        'spellings it takes ("" when the tags may leave it out). Read through dfcheck.model.base_images.',
        '"""',
        "",
        "ROWS = (",
    ]
    for row in rows:
        lines = [["image", "versions", "variants"], ["os", "sh", "package_manager", "user", "workdir", "shell"],
                 ["cmd", "entrypoint"], ["version", "runtime", "runtime_version", "runtime_image"], ["source", "date"]]
        for i, names in enumerate(lines):
            fields = ", ".join(f"{name}={row[name]!r}" for name in names)
            out.append(f"    dict({fields}," if i == 0 else f"         {fields}," if i < len(lines) - 1
                       else f"         {fields}),")
    out.append(")")
    return "\n".join(out) + "\n"


def _previous_rows() -> list:
    namespace: dict = {}
    if TABLE.exists():
        exec(compile(TABLE.read_text(encoding="utf-8"), str(TABLE), "exec"), namespace)
    return list(namespace.get("ROWS", ()))


def main(argv: list) -> int:
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    corpus = Path(args[0]) if args else DEFAULT_CORPUS
    if not (corpus / "manifest.tsv").is_file():
        print(f"no corpus at {corpus} (manifest.tsv missing)", file=sys.stderr)
        return 2
    text, skipped = generate(corpus, _previous_rows())
    for line in skipped:
        print(f"left out: {line}", file=sys.stderr)
    if check:
        same = TABLE.exists() and TABLE.read_text(encoding="utf-8") == text
        print("the table is up to date" if same else f"{TABLE.relative_to(REPO)} differs: regenerate it")
        return 0 if same else 1
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE.relative_to(REPO)}: {text.count('    dict(')} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Finding Dockerfiles under directories: names, .git, excludes, symlinks, paths as given."""

import pytest

from dfcheck.config import Resolver, parse_table
from dfcheck.discovery import compile_globs, discover, glob_match, is_dockerfile_name
from throwaway_rules import rule_set


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Dockerfile", True), ("Dockerfile.dev", True), ("Dockerfile.prod.arm64", True), ("api.Dockerfile", True),
        ("api.dockerfile", True), ("Containerfile", True), ("Containerfile.ci", True),
        ("Dockerfile.dockerignore", False), ("dockerfile", False), ("Dockerfiles", False), ("README.md", False),
        ("MyDockerfile", False), (".dockerignore", False), ("Containerfiles", False),
    ],
)
def test_names(name, expected):
    assert is_dockerfile_name(name) is expected


def touch(root, *paths):
    for p in paths:
        full = root / p
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_text("FROM a\n")


def found(paths, excluded=lambda p: False):
    return [p for p, _ in discover(paths, excluded)]


def test_recursive_sorted_skipping_git_with_paths_as_given(tmp_path, monkeypatch):
    touch(tmp_path, "Dockerfile", "b/Dockerfile.dev", "a/x.dockerfile", "a/notes.txt", ".git/Dockerfile",
          "sub/.git/hooks/Dockerfile", "a/deeper/Containerfile")
    monkeypatch.chdir(tmp_path)
    assert found(["."]) == ["Dockerfile", "a/x.dockerfile", "a/deeper/Containerfile", "b/Dockerfile.dev"]
    assert found(["./a"]) == ["./a/x.dockerfile", "./a/deeper/Containerfile"]
    assert found([str(tmp_path / "b")]) == [str(tmp_path / "b" / "Dockerfile.dev")]


def test_explicit_files_are_linted_whatever_their_name_and_missing_ones_are_kept(tmp_path, monkeypatch):
    touch(tmp_path, "a/notes.txt")
    monkeypatch.chdir(tmp_path)
    assert list(discover(["a/notes.txt", "missing", "-"])) == [("a/notes.txt", True), ("missing", True),
                                                               ("-", True)]


def test_symlinked_directories_are_not_followed(tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    touch(outside, "Dockerfile")
    tree = tmp_path / "tree"
    touch(tree, "Dockerfile")
    (tree / "link").symlink_to(outside, target_is_directory=True)
    (tree / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "linked.Dockerfile").symlink_to(outside / "Dockerfile")  # a symlinked file is linted
    monkeypatch.chdir(tree)
    assert found(["."]) == ["Dockerfile", "linked.Dockerfile"]


def test_glob_semantics():
    globs = compile_globs(["vendor", "build/**/*.Dockerfile", "./root.Dockerfile", "docs/", "t?st/[ab]*"])
    for path, expected in [
        ("vendor", True), ("x/y/vendor", True), ("vendors", False),
        ("build/a.Dockerfile", True), ("build/x/y/a.Dockerfile", True), ("other/build/a.Dockerfile", False),
        ("root.Dockerfile", True), ("sub/root.Dockerfile", False),
        ("docs", True), ("a/docs", True),
        ("test/a1", True), ("tast/b", True), ("test/c", False), ("test/a/b", False),
    ]:
        assert glob_match(globs, path) is expected, path


def test_excludes_from_the_command_line_and_from_the_closest_config(tmp_path, monkeypatch):
    touch(tmp_path, "Dockerfile", "vendor/Dockerfile", "keep/vendor.Dockerfile", "app/gen/Dockerfile",
          "app/Dockerfile", "app/skip.Dockerfile", "gen/Dockerfile")
    (tmp_path / "app" / "dfcheck.toml").write_text('exclude = ["gen", "./skip.Dockerfile"]\n')
    monkeypatch.chdir(tmp_path)
    rules = rule_set()
    cli = parse_table({"exclude": ["vendor"]}, rules, root=str(tmp_path), where="command line", cli=True)
    resolver = Resolver(rules, cli)
    assert found(["."], resolver.excluded) == ["Dockerfile", "app/Dockerfile", "gen/Dockerfile",
                                               "keep/vendor.Dockerfile"]
    # an explicit file is never excluded
    assert found(["vendor/Dockerfile"], resolver.excluded) == ["vendor/Dockerfile"]


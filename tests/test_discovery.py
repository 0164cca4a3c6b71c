"""Finding Dockerfiles under directories: names, version-control directories, default excludes, ignore files,
excludes, symbolic links, unreadable directories, paths as given."""

import pytest

from dfcheck.config import Resolver, parse_table
from dfcheck.discovery import discover, is_dockerfile_name
from dfcheck.globs import compile_globs, glob_match
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


def found(paths, excluded=lambda p: False, **options):
    return [p for p, _ in discover(paths, excluded, **options)]


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


def test_symlinked_directories_are_not_followed_nor_files_that_lead_out(tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    touch(outside, "Dockerfile")
    tree = tmp_path / "tree"
    touch(tree, "Dockerfile", "real/Dockerfile")
    (tree / "link").symlink_to(outside, target_is_directory=True)
    (tree / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "linked.Dockerfile").symlink_to(outside / "Dockerfile")  # out of the tree: never read
    (tree / "inside.Dockerfile").symlink_to(tree / "real" / "Dockerfile")
    monkeypatch.chdir(tree)
    problems = []
    assert [p for p, _ in discover(["."], problems=problems)] == ["Dockerfile", "inside.Dockerfile",
                                                                 "real/Dockerfile"]
    assert problems == [("linked.Dockerfile", "linked.Dockerfile: skipped: a symbolic link to a file outside the "
                                              "searched directory (name the file to lint it)", False)]
    # named on the command line, it is linted
    assert found(["linked.Dockerfile"]) == ["linked.Dockerfile"]


def test_link_loops_broken_links_special_files_and_unreadable_directories_are_reported(tmp_path, monkeypatch):
    import os

    touch(tmp_path, "Dockerfile", "locked/Dockerfile")
    (tmp_path / "a.Dockerfile").symlink_to(tmp_path / "b.Dockerfile")
    (tmp_path / "b.Dockerfile").symlink_to(tmp_path / "a.Dockerfile")
    (tmp_path / "gone.Dockerfile").symlink_to(tmp_path / "nowhere")
    os.mkfifo(tmp_path / "fifo.Dockerfile")
    (tmp_path / "locked").chmod(0)
    monkeypatch.chdir(tmp_path)
    try:
        problems = []
        files = [p for p, _ in discover(["."], problems=problems)]
        readable = os.access(tmp_path / "locked", os.R_OK)  # root reads it anyway
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert files == ["Dockerfile"] + (["locked/Dockerfile"] if readable else [])
    assert problems == [
        ("a.Dockerfile", "a.Dockerfile: cannot lint: a symbolic link loop", True),
        ("b.Dockerfile", "b.Dockerfile: cannot lint: a symbolic link loop", True),
        ("fifo.Dockerfile", "fifo.Dockerfile: skipped: not a regular file", False),
        ("gone.Dockerfile", "gone.Dockerfile: cannot lint: a broken symbolic link", True),
    ] + ([] if readable else [("locked", "locked: cannot read directory: Permission denied", True)])


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
          "app/Dockerfile", "app/skip.Dockerfile", "gen/Dockerfile", "app/node_modules/x/Dockerfile",
          "app/lib/Dockerfile", "other/Dockerfile")
    (tmp_path / "app" / "dfcheck.toml").write_text('exclude = ["gen", "./skip.Dockerfile"]\n')
    monkeypatch.chdir(tmp_path)
    rules = rule_set()

    def resolver(**table):
        return Resolver(rules, parse_table(table, rules, root=str(tmp_path), where="command line", cli=True))

    # The defaults skip vendor/ at the top; app/dfcheck.toml's `exclude` replaces them under app/ (its
    # node_modules is searched); --extend-exclude adds to both.
    assert found(["."], resolver(**{"extend-exclude": ["other"]}).excluded) == [
        "Dockerfile", "app/Dockerfile", "app/lib/Dockerfile", "app/node_modules/x/Dockerfile", "gen/Dockerfile",
        "keep/vendor.Dockerfile"]
    # --exclude replaces every `exclude`, the defaults included
    assert found(["."], resolver(exclude=["lib", "x"]).excluded) == [
        "Dockerfile", "app/Dockerfile", "app/skip.Dockerfile", "app/gen/Dockerfile", "gen/Dockerfile",
        "keep/vendor.Dockerfile", "other/Dockerfile", "vendor/Dockerfile"]
    # an explicit file is never excluded, and a directory named explicitly is searched
    assert found(["vendor/Dockerfile"], resolver().excluded) == ["vendor/Dockerfile"]
    assert found(["vendor"], resolver().excluded) == ["vendor/Dockerfile"]


def test_a_repository_lints_only_its_own_dockerfiles(tmp_path, monkeypatch):
    """node_modules, virtual environments, build output and what Git ignores are not the project's."""
    repo = tmp_path / "repo"
    touch(repo, "Dockerfile", "services/api/Dockerfile", "services/api/node_modules/pkg/Dockerfile",
          ".venv/lib/site-packages/x/Dockerfile", "venv/Dockerfile", "dist/Dockerfile", "build/Dockerfile",
          ".tox/py/Dockerfile", "vendor/github.com/x/Dockerfile", "generated/Dockerfile", "tmp/a/Dockerfile",
          "tmp/keep/Dockerfile", "local.Dockerfile", "services/web/Dockerfile", "services/web/scratch.Dockerfile",
          "docs/Dockerfile", ".git/Dockerfile", "sub/.hg/Dockerfile")
    (repo / ".git" / "info").mkdir(parents=True)
    (repo / ".git" / "info" / "exclude").write_text("local.Dockerfile\n")
    (repo / ".gitignore").write_text("# build output\n/generated/\ntmp/*\n!tmp/keep/\n")
    (repo / "services" / ".gitignore").write_text("web/*.Dockerfile\n")
    (repo / ".ignore").write_text("docs\n")
    monkeypatch.chdir(repo)
    resolver = Resolver(rule_set())
    assert found(["."], resolver.excluded) == ["Dockerfile", "services/api/Dockerfile", "services/web/Dockerfile",
                                               "tmp/keep/Dockerfile"]
    # the same from a subdirectory: the ignore files above it count
    monkeypatch.chdir(repo / "services")
    assert found(["."], resolver.excluded) == ["api/Dockerfile", "web/Dockerfile"]
    monkeypatch.chdir(repo)
    # without respecting ignore files only the default excludes apply
    assert found(["."], resolver.excluded, respect_gitignore=False) == [
        "Dockerfile", "local.Dockerfile", "docs/Dockerfile", "generated/Dockerfile", "services/api/Dockerfile",
        "services/web/Dockerfile", "services/web/scratch.Dockerfile", "tmp/a/Dockerfile", "tmp/keep/Dockerfile"]
    # files named on the command line are linted even when ignored
    assert found(["local.Dockerfile", "generated/Dockerfile"], resolver.excluded) == [
        "local.Dockerfile", "generated/Dockerfile"]


def test_gitignore_outside_a_repository_is_not_read_but_ignore_is(tmp_path, monkeypatch):
    touch(tmp_path, "a/Dockerfile", "b/Dockerfile", "c/Dockerfile")
    (tmp_path / ".gitignore").write_text("a/\n")
    (tmp_path / ".ignore").write_text("b/\n")
    monkeypatch.chdir(tmp_path)
    assert found(["."]) == ["a/Dockerfile", "c/Dockerfile"]


def test_a_worktree_reads_the_main_repositorys_info_exclude_and_a_nested_repository_starts_afresh(tmp_path,
                                                                                                   monkeypatch):
    main = tmp_path / "main"
    (main / ".git" / "worktrees" / "wt").mkdir(parents=True)
    (main / ".git" / "info").mkdir()
    (main / ".git" / "info" / "exclude").write_text("private.Dockerfile\n")
    (main / ".git" / "worktrees" / "wt" / "commondir").write_text("../..\n")
    wt = tmp_path / "wt"
    touch(wt, "Dockerfile", "private.Dockerfile", "nested/Dockerfile", "nested/private.Dockerfile")
    (wt / ".git").write_text(f"gitdir: {main / '.git' / 'worktrees' / 'wt'}\n")
    (wt / ".gitignore").write_text("*.Dockerfile\n")
    (wt / "nested" / ".git").mkdir()  # its own repository: the outer .gitignore does not apply in it
    monkeypatch.chdir(wt)
    assert found(["."]) == ["Dockerfile", "nested/Dockerfile", "nested/private.Dockerfile"]


@pytest.mark.parametrize(
    "pattern, path, expected",
    [
        ("foo/**", "foo", False), ("foo/**", "foo/a", True), ("foo/**", "foo/a/b", True), ("**/foo", "x/y/foo", True),
        ("a/**/b", "a/b", True), ("a/**/b", "a/x/y/b", True), ("/a", "a", True), ("/a", "x/a", False),
        ("a", "x/a", True), ("x/a", "y/x/a", False), ("[!a]x", "bx", True), ("[!a]x", "ax", False),
        ("[^a]x", "bx", True), ("[a-c]?", "bz", True), ("[a-c]?", "dz", False), ("\\*x", "*x", True),
        ("\\*x", "ax", False), ("*.py[co]", "x.pyc", True), ("[]]", "]", True), ("[", "[", True),
        ("\\!keep", "!keep", True), ("\\#note", "#note", True), ("trailing\\ ", "trailing ", True),
        ("trailing  ", "trailing", True), ("a*b*c", "aXbYc", True), ("a*b*c", "aXbY/c", False),
        ("*", "anything", True), ("**", "a/b/c", True), ("d?r/", "dir", True),
    ],
)
def test_gitignore_patterns(pattern, path, expected):
    from dfcheck.discovery import IgnoreLevel, ignored, parse_gitignore

    levels = [IgnoreLevel("/r", parse_gitignore(pattern))]
    assert ignored(levels, "/r/" + path, is_dir=True) is expected


def test_gitignore_last_match_wins_and_dir_only_patterns_skip_files():
    from dfcheck.discovery import IgnoreLevel, ignored, parse_gitignore

    levels = [IgnoreLevel("/r", parse_gitignore("*.Dockerfile\n!keep.Dockerfile\nout/\n"))]
    assert ignored(levels, "/r/a.Dockerfile", False) and not ignored(levels, "/r/keep.Dockerfile", False)
    assert ignored(levels, "/r/x/out", True) and not ignored(levels, "/r/x/out", False)
    # a deeper file overrides a shallower one
    levels.append(IgnoreLevel("/r/sub", parse_gitignore("!a.Dockerfile\n")))
    assert not ignored(levels, "/r/sub/a.Dockerfile", False) and ignored(levels, "/r/b/a.Dockerfile", False)


def test_globs_match_in_linear_time_where_a_regex_would_backtrack():
    """`*a*a...*b` against a long name that almost matches: a backtracking regex takes minutes."""
    from dfcheck.globs import Glob

    assert not Glob("*a" * 12 + "*b").match(["a" * 20000])
    assert not Glob("**/a/" * 10 + "b").match(["a"] * 5000)
    assert Glob("*a" * 12 + "*b").match(["a" * 20000 + "b"])


# -- what the command line says about what the search could not use ------------------------------------------


def test_an_unreadable_directory_and_a_link_loop_are_errors_and_a_link_out_is_a_warning(tmp_path, capsys,
                                                                                          monkeypatch):
    import os

    from support import run

    touch(tmp_path, "secret.txt")
    tree = tmp_path / "repo"
    touch(tree, "Dockerfile", "locked/Dockerfile")
    (tree / "loop.Dockerfile").symlink_to("loop.Dockerfile")
    (tree / "out.Dockerfile").symlink_to(tmp_path / "secret.txt")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    if os.geteuid() == 0:  # root reads any directory: make this one fail as it would for anyone else
        scandir = os.scandir

        def refusing(path):
            if str(path).endswith("locked"):
                raise PermissionError(13, "Permission denied")
            return scandir(path)

        monkeypatch.setattr(os, "scandir", refusing)
    else:
        (tree / "locked").chmod(0)
    try:
        status, out, err = run(capsys, "--select", "DF001", "repo")
    finally:
        (tree / "locked").chmod(0o755)
    assert status == 2
    assert err == (
        "dfcheck: warning: repo/out.Dockerfile: skipped: a symbolic link to a file outside the searched "
        "directory (name the file to lint it)\n"
        "repo/loop.Dockerfile: cannot lint: a symbolic link loop\n"
        "repo/locked: cannot read directory: Permission denied\n")
    assert out == "No findings in 1 file. 2 errors reported on stderr.\n"
    assert "secret" not in out + err

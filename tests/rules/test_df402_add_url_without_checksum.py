"""DF402: add url without checksum (rules/df402_add_url_without_checksum.py)."""

from support import builtin_rules, findings, raw_findings


def test_df402_url_without_checksum():
    src = "FROM alpine\nADD https://example.com/tool-1.2-linux.tar.gz /tmp/\n"
    [finding] = raw_findings("DF402", src)
    assert (finding.span.line, finding.span.column, finding.span.end_column, finding.message) == (
        2, 5, 46,
        "https://example.com/tool-1.2-linux.tar.gz is downloaded without --checksum, so a changed or tampered file "
        "goes unnoticed; add --checksum=sha256:<digest>",
    )
    assert findings("DF402", "FROM alpine\nADD --checksum=sha256:24454f830c https://example.com/t.tgz /tmp/\n") == []
    assert [f[1:3] for f in findings("DF402", "FROM alpine\nARG V\nADD https://example.com/$V/t.tgz /tmp/\n")] == [
        (3, 5)]
    assert findings("DF402", "FROM alpine\nARG URL\nADD $URL /tmp/\n") == []
    assert findings("DF402", "FROM alpine\nADD local.tar.gz /tmp/\n") == []


def test_df402_git_sources_must_name_a_commit():
    def check(source, flags=""):
        return findings("DF402", f"FROM alpine\nADD {flags}{source} /src\n")

    assert check("https://github.com/moby/buildkit.git#v0.10.1") == [(
        "DF402", 2, 5, 'git source https://github.com/moby/buildkit.git#v0.10.1 follows "v0.10.1", which can move; '
                       "pin it to a commit (#<commit sha>)")]
    assert check("git@github.com:moby/buildkit.git") == [(
        "DF402", 2, 5, "git source git@github.com:moby/buildkit.git follows the default branch; pin it to a commit "
                       "(#<commit sha>)")]
    assert [f[3][:30] for f in check("https://github.com/user/repo.git?tag=v1&subdir=docs")] == [
        "git source https://github.com/"]
    assert check("https://github.com/moby/buildkit.git#1e14e513236d79803c79478a8720635967a34be4") == []
    assert check("https://github.com/moby/buildkit.git#1e14e513236d:frontend") == []
    assert check("https://github.com/user/repo.git?tag=v1&checksum=1e14e513") == []
    assert check("https://github.com/moby/buildkit.git#v0.10.1", "--checksum=1e14e513236d ") == []
    assert check("https://github.com/moby/buildkit.git#${REF}", "") == []  # the ref is unknown
    # A variable before the ref: the static `.git#main` still tells.
    assert findings("DF402", "FROM alpine\nARG REPO\nADD https://github.com/x/${REPO}.git#main /src\n") == [(
        "DF402", 3, 5, 'git source https://github.com/x/${REPO}.git#main follows "main", which can move; pin it to '
                       "a commit (#<commit sha>)")]


def test_df402_docs():
    doc = builtin_rules()["DF402"].doc
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert section in doc


"""DF401: add instead of copy (rules/df401_add_instead_of_copy.py)."""

import bz2

import gzip

import lzma

from support import builtin_rules, findings, raw_findings, tree

from add_rules_support import TEXT, tar_bytes


DEFAULT = "ADD of local sources that are not tar archives does what COPY does; use COPY"


def test_df401_local_files_with_safe_fix_keeping_copy_flags():
    src = "FROM python:3.12\nADD --chown=app:app --chmod=644 --link --exclude=*.pyc requirements.txt app/ /app/\n"
    [finding] = raw_findings("DF401", src)
    assert (finding.span.line, finding.span.column, finding.span.end_column, finding.message) == (2, 1, 4, DEFAULT)
    assert finding.fix.applicability == "safe"
    [edit] = finding.fix.edits
    assert (edit.span.line, edit.span.column, edit.span.end_column, edit.text) == (2, 1, 4, "COPY")


def test_df401_add_only_flags_leave_no_fix():
    [finding] = raw_findings("DF401", "FROM alpine\nADD --checksum=sha256:0123 notes.txt /x\n")
    assert (finding.span.line, finding.message, finding.fix) == (2, DEFAULT, None)
    assert findings("DF401", "FROM alpine\nADD --unpack=false vendor.tar.gz /opt/\n") == [
        ("DF401", 2, 1, "ADD --unpack=false copies local sources as they are, like COPY; use COPY")]
    assert raw_findings("DF401", "FROM alpine\nADD --unpack=false vendor.tar.gz /opt/\n")[0].fix is None
    assert findings("DF401", "FROM alpine\nADD --unpack vendor.tar.gz /opt/\n") == []
    [finding] = raw_findings("DF401", "FROM alpine\nADD --keep-git-dir=true --chown=1 src /src\n")
    assert (finding.message, finding.fix) == (DEFAULT, None)


def test_df401_heredoc_sources_are_local():
    src = "FROM alpine\nADD <<EOF /etc/motd\nhello\nEOF\n"
    assert findings("DF401", src) == [("DF401", 2, 1, DEFAULT)]
    src = "FROM alpine\nADD <<EOF https://example.com/x /etc/\nhello\nEOF\n"
    assert findings("DF401", src) == []


def test_df401_names_without_context():
    for source in ("app.py", ".", "src/", "lib.zip", "app.jar", "tool.whl", "README"):
        assert findings("DF401", f"FROM alpine\nADD {source} /dst/\n") == [("DF401", 2, 1, DEFAULT)], source
    for source in ("rootfs.tar", "rootfs.tar.gz", "rootfs.tgz", "r.tar.bz2", "r.tar.xz", "r.TAR.GZ", "r.tar.zst",
                   "data.gz", "data.bz2", "data.xz", "dist/*.tgz", "app.py rootfs.tar.xz"):
        assert findings("DF401", f"FROM alpine\nADD {source} /dst/\n") == [], source


def test_df401_wildcards_without_context_unless_they_name_an_archive():
    for source in ("*.py", "*", "lib*", "conf/*.yml"):
        [finding] = raw_findings("DF401", f"FROM alpine\nADD {source} /dst/\n")
        assert finding.message == (f"ADD of local sources that are not tar archives does what COPY does (`{source}` "
                                   "names no archive); use COPY"), source
        assert finding.fix is None  # judged by a name pattern alone
    for source in ("*.tar*", "*.tgz", "app-*.txz", "dist/*.gz", "pkg-*[0-9].tar.xz"):
        assert findings("DF401", f"FROM alpine\nADD {source} /dst/\n") == [], source


def test_df401_exec_form_and_remote_sources():
    assert findings("DF401", 'FROM alpine\nADD ["my file.txt", "/dst/"]\n') == [("DF401", 2, 1, DEFAULT)]
    for source in ("https://example.com/app.py", "http://example.com/x", "git@github.com:moby/moby.git",
                   "https://github.com/moby/buildkit.git#v0.10.1"):
        assert findings("DF401", f"FROM alpine\nADD {source} /dst/\n") == [], source
    assert findings("DF401", "FROM alpine\nADD app.py https://example.com/x /dst/\n") == []


def test_df401_variables_are_expanded_first():
    assert findings("DF401", "FROM alpine\nARG F=app.py\nADD $F /app/\n") == [("DF401", 3, 1, DEFAULT)]
    assert findings("DF401", "FROM alpine\nARG F=rootfs.tar.gz\nADD $F /\n") == []
    assert findings("DF401", "FROM alpine\nENV DIR=conf\nADD ${DIR}/nginx.conf /etc/nginx/\n") == [
        ("DF401", 3, 1, DEFAULT)]
    # Unknown values: the static part decides when it can.
    assert findings("DF401", "FROM alpine\nARG V\nADD app-${V}.jar /app/\n") == [("DF401", 3, 1, DEFAULT)]
    assert findings("DF401", "FROM alpine\nARG V\nADD rootfs-$V.tar.xz /\n") == []
    assert findings("DF401", "FROM alpine\nARG FILE\nADD $FILE /app/\n") == []
    assert findings("DF401", "FROM alpine\nARG V\nADD dist/app-$V /app/\n") == []  # may end in .tar.gz
    assert findings("DF401", "FROM alpine\nARG BASE\nADD ${BASE}/app.py /app/\n") == []  # may be a URL
    assert findings("DF401", "FROM alpine\nARG V\nADD https://example.com/$V/app.py /app/\n") == []


def test_df401_a_variable_copied_to_a_file_that_is_no_archive():
    [finding] = raw_findings("DF401", "FROM openjdk\nARG JAR_FILE\nADD ${JAR_FILE} app.jar\n")
    assert (finding.span.line, finding.span.column) == (3, 1)
    assert finding.message == ("ADD of local sources that are not tar archives does what COPY does (assuming "
                               "${JAR_FILE} names a local file); use COPY")
    assert finding.fix is None
    assert findings("DF401", "FROM a\nARG DOWNLOAD_URL\nADD ${DOWNLOAD_URL} /opt/app.jar\n") == []  # a URL, likely
    assert findings("DF401", "FROM a\nARG PKG\nADD $PKG /opt/pkg.tar.gz\n") == []


def test_df401_onbuild_add_is_not_checked():
    assert findings("DF401", "FROM alpine\nONBUILD ADD . /app/\n") == []


def test_df401_with_context_the_bytes_decide(tmp_path):
    context = tree(tmp_path, {
        "real.tar.gz": gzip.compress(tar_bytes()),
        "fake.tar.gz": gzip.compress(TEXT),
        "rootfs.img": tar_bytes(),
        "bundle.tar.bz2": bz2.compress(tar_bytes()),
        "layer.xz": lzma.compress(tar_bytes()),
        "notes.gz": gzip.compress(TEXT),
        "pkg.zip": b"PK\x03\x04" + bytes(600),
        "vendor/inner.tar": tar_bytes(),
        "dist/a.tgz": gzip.compress(tar_bytes()),
        "dist/b.txt": TEXT,
        "dist/sub/c.tar": tar_bytes(),
        "docs/x.txt": TEXT,
        "plain.txt": TEXT,
    })

    def check(source):
        return findings("DF401", f"FROM alpine\nADD {source} /dst/\n", context_dir=context)

    assert check("real.tar.gz") == []
    assert check("rootfs.img") == []  # a tar without a tar name is still extracted
    assert check("bundle.tar.bz2") == []
    assert check("layer.xz") == []
    assert check("dist/*.tgz") == []
    assert check("fake.tar.gz") == [("DF401", 2, 1, "fake.tar.gz is not a tar archive (it is gzip-compressed, but not "
                                                    "a tar inside), so ADD copies it as is, like COPY; use COPY")]
    assert check("notes.gz") == [("DF401", 2, 1, "notes.gz is not a tar archive (it is gzip-compressed, but not a "
                                                 "tar inside), so ADD copies it as is, like COPY; use COPY")]
    assert check("pkg.zip") == [("DF401", 2, 1, "pkg.zip is not a tar archive (it is a zip file), so ADD copies it "
                                                "as is, like COPY; use COPY")]
    assert check("plain.txt") == [("DF401", 2, 1, "plain.txt is not a tar archive (its content is not a tar stream), "
                                                  "so ADD copies it as is, like COPY; use COPY")]
    # A directory is copied whole, tarballs inside included; so is a directory a wildcard matches.
    assert check("vendor") == [("DF401", 2, 1, DEFAULT)]
    assert check("dist/s*") == [("DF401", 2, 1, DEFAULT)]
    assert check("d*/*.txt") == [("DF401", 2, 1, "dist/b.txt is not a tar archive (its content is not a tar stream), "
                                                 "so ADD copies it as is, like COPY; use COPY")]
    # Missing from the context: the name decides.
    assert check("missing.tar.gz") == []
    assert check("missing.txt") == [("DF401", 2, 1, DEFAULT)]


def test_df401_docs():
    doc = builtin_rules()["DF401"].doc
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert section in doc
    assert builtin_rules()["DF401"].hadolint == ("DL3020",)


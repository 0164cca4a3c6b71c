"""DF401-DF403: ADD where COPY suffices, unpinned downloads, remote archives nobody extracts."""

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile

import pytest
from support import builtin_rules, findings, raw_findings, tree

from dfcheck.model.sources import add_extracts, bytes_needed, compression_of, is_tar_header

DEFAULT = "ADD of local sources that are not tar archives does what COPY does; use COPY"


def tar_bytes(fmt=tarfile.USTAR_FORMAT, members=(("hello.txt", b"hello\n"),)) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=fmt) as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def v7_tar_bytes() -> bytes:
    """A tar whose header has no magic (the old v7 format), with its checksum recomputed."""
    data = bytearray(tar_bytes())
    data[257:265] = bytes(8)
    data[148:156] = b" " * 8
    data[148:156] = b"%06o\x00 " % sum(data[:512])
    return bytes(data)


TEXT = b"just some text, not an archive\n" * 40


# -- sniffing ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", [tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT])
def test_plain_tar_in_every_format_is_extracted(fmt):
    data = tar_bytes(fmt)
    assert data[257:262] == b"ustar"
    assert compression_of(data) is None
    assert is_tar_header(data[:512]) and add_extracts(data[:512]) is True


def test_v7_tar_without_magic_is_extracted_like_go_reads_it():
    data = v7_tar_bytes()
    assert data[257:262] != b"ustar"
    assert add_extracts(data[:512]) is True


@pytest.mark.parametrize("compress, kind", [(gzip.compress, "gzip"), (bz2.compress, "bzip2"),
                                            (lzma.compress, "xz")])
def test_compressed_tar_is_extracted_and_compressed_text_is_not(compress, kind):
    packed = compress(tar_bytes())
    assert compression_of(packed) == kind
    assert add_extracts(packed[:bytes_needed(packed[:512])]) is True
    text = compress(TEXT)
    assert compression_of(text) == kind
    assert add_extracts(text) is False


def test_what_cannot_be_told_and_what_is_never_extracted():
    packed = gzip.compress(tar_bytes(members=(("big.bin", bytes(range(256)) * 64),)))
    assert add_extracts(packed[:12]) is None  # the stream is cut before 512 bytes come out
    assert add_extracts(b"\x28\xb5\x2f\xfd" + bytes(600)) is None  # zstd: the standard library can't read it
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("a.txt", "a")
    assert add_extracts(zipped.getvalue()) is False
    assert add_extracts(b"short") is False  # shorter than one tar block
    assert add_extracts(bytes(1024)) is False  # zero blocks: an empty archive, Go's reader says EOF
    assert add_extracts(tar_bytes(members=())) is False
    assert add_extracts(b"\x1f\x8b\x08" + b"garbage" * 100) is False  # a broken gzip stream
    broken = bytearray(tar_bytes()[:512])
    broken[0] ^= 1  # checksum no longer matches
    assert add_extracts(bytes(broken)) is False
    assert TEXT[:512] and add_extracts(TEXT[:512]) is False
    assert [bytes_needed(b) for b in (b"BZh9", b"\x1f\x8b\x08", b"\xfd7zXZ\x00", TEXT)] == [1 << 20, 1 << 16, 1 << 16,
                                                                                           512]


# -- DF401 -----------------------------------------------------------------------------------------

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


# -- DF402 -----------------------------------------------------------------------------------------

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


# -- DF403 -----------------------------------------------------------------------------------------

def test_df403_remote_archive_left_packed():
    src = "FROM debian\nADD https://nodejs.org/dist/v20.11.0/node-v20.11.0-linux-x64.tar.xz /opt/\nRUN ls /opt\n"
    [finding] = raw_findings("DF403", src)
    assert (finding.span.line, finding.span.column, finding.message) == (
        2, 5,
        "ADD does not extract remote archives: https://nodejs.org/dist/v20.11.0/node-v20.11.0-linux-x64.tar.xz is "
        "saved as /opt/node-v20.11.0-linux-x64.tar.xz, and nothing later in the stage extracts it",
    )


def test_df403_destination_resolution_in_messages():
    src = "FROM debian\nWORKDIR /src\nADD https://example.com/get?file=pkg.zip&v=1 https://example.com/a.zip ./\n"
    assert [f[3] for f in findings("DF403", src)] == [
        "ADD does not extract remote archives: https://example.com/a.zip is saved as /src/a.zip, and nothing later "
        "in the stage extracts it"]
    src = "FROM debian\nADD https://example.com/a.tar.gz /opt/app.tar.gz\n"
    assert "is saved as /opt/app.tar.gz," in findings("DF403", src)[0][3]
    src = "FROM debian\nARG V\nADD https://example.com/app-$V.tgz /opt/\n"
    assert "app-$V.tgz is saved in /opt, and" in findings("DF403", src)[0][3]


def test_df403_silent_when_something_later_extracts_it():
    add = "FROM debian\nADD https://example.com/dl/tool.tar.gz /tmp/\n"
    for run in (
        "RUN tar -xzf /tmp/tool.tar.gz -C /opt && rm /tmp/tool.tar.gz\n",
        "RUN cd /tmp && tar xzf tool.tar.gz\n",
        "RUN for f in /tmp/*.tar.gz; do tar -xzf \"$f\" -C /opt; done\n",  # an extractor with a dynamic word
        "RUN tar -xzf /tmp/*.tar.gz -C /opt\n",  # an extractor working in the directory
        "RUN pip install /tmp/tool.tar.gz\n",  # used as it is, on purpose
        "RUN mv /tmp/tool.tar.gz /srv/ && cd /srv && tar xf tool.tar.gz\n",
        "RUN <<EOF\nset -e\ntar -C /opt -xzf /tmp/tool.tar.gz\nEOF\n",
        "FROM scratch\nCOPY --from=0 /tmp/tool.tar.gz /\n",
    ):
        assert findings("DF403", add + run) == [], run
    # ... saved under another name, used by that name
    src = ("FROM debian\nADD http://dl.example.net/nagios-3.5.1.tar.gz?r=http%3A%2F%2Fx&ts=1 /tmp/nagios.tar.gz\n"
           "RUN cd /tmp && tar -zxvf nagios.tar.gz\n")
    assert findings("DF403", src) == []
    assert [f[1] for f in findings("DF403", src.replace("RUN cd /tmp && tar -zxvf nagios.tar.gz", "RUN true"))] == [2]
    # ... or in a stage built on this one
    assert findings("DF403", "FROM debian AS dl\nADD https://x.org/a.zip /tmp/\nFROM dl\nRUN unzip /tmp/a.zip\n") == []
    # ... but not when later commands only name it without using it
    assert [f[1] for f in findings("DF403", add + "RUN ls -l /tmp/tool.tar.gz && rm /tmp/tool.tar.gz\n")] == [2]
    # ... nor in an unrelated stage
    assert [f[1] for f in findings("DF403", add + "FROM debian\nRUN tar xzf /tmp/tool.tar.gz\n")] == [2]


def test_df403_variables_spelled_differently_still_match():
    src = "FROM debian\nARG V=1.2\nADD https://x.org/app-${V}.tgz /tmp/\nRUN tar xzf /tmp/app-$V.tgz\n"
    assert findings("DF403", src) == []
    src = "FROM debian\nARG V\nADD https://x.org/app-${V}.tgz /tmp/\nRUN tar xzf /tmp/app-$V.tgz\n"
    assert findings("DF403", src) == []


def test_df403_silent_on_non_archives_unpack_and_local_files():
    assert findings("DF403", "FROM debian\nADD https://x.org/app.jar /app/\n") == []
    assert findings("DF403", "FROM debian\nADD https://x.org/install.sh /tmp/\n") == []
    assert findings("DF403", "FROM debian\nADD --unpack=true https://x.org/app.tar.gz /opt/\n") == []
    assert findings("DF403", "FROM debian\nADD app.tar.gz /opt/\n") == []
    assert findings("DF403", "FROM debian\nADD https://github.com/a/b.git#main /src\n") == []
    # --unpack extracts tar streams only: a zip stays a zip
    assert [f[1] for f in findings("DF403", "FROM debian\nADD --unpack=true https://x.org/a.zip /opt/\n")] == [2]


def test_df403_docs():
    doc = builtin_rules()["DF403"].doc
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert section in doc


def test_malformed_url_hosts_are_read_as_written():
    # urllib's urlsplit raised ValueError on these hosts, which made DF402 and DF403 crash.
    src = "FROM debian\nADD https://[]x/y.tar /z/\nADD https://[::1/repo.git#main /src/\n"
    assert findings("DF402", src) + findings("DF403", src) == [
        ("DF402", 2, 5, "https://[]x/y.tar is downloaded without --checksum, so a changed or tampered file goes "
                        "unnoticed; add --checksum=sha256:<digest>"),
        ("DF402", 3, 5, 'git source https://[::1/repo.git#main follows "main", which can move; pin it to a commit '
                        "(#<commit sha>)"),
        ("DF403", 2, 5, "ADD does not extract remote archives: https://[]x/y.tar is saved as /z/y.tar, and nothing "
                        "later in the stage extracts it"),
    ]


def test_split_url_never_raises_and_splits_like_urlsplit():
    from urllib.parse import urlsplit

    from dfcheck.model.urls import split_url

    for url in ("https://example.com:8080/a/b.tar.gz?x=1&y=2#frag", "http://h/", "https://h", "git@github.com:a/b.git?ref=v1",
                "https://e.com/a?b#c?d", "ftp://u:p@h/p"):
        assert split_url(url) == tuple(urlsplit(url)), url
    assert split_url("https://[]x/y.tar?z=1") == ("https", "[]x", "/y.tar", "z=1", "")

"""DF401-DF403: ADD where COPY suffices, unpinned downloads, remote archives nobody extracts."""

import bz2

import gzip

import io

import lzma

import tarfile

import zipfile

import pytest

from support import findings

from dfcheck.model.sources import add_extracts, bytes_needed, compression_of, is_tar_header

from add_rules_support import TEXT, tar_bytes


def v7_tar_bytes() -> bytes:
    """A tar whose header has no magic (the old v7 format), with its checksum recomputed."""
    data = bytearray(tar_bytes())
    data[257:265] = bytes(8)
    data[148:156] = b" " * 8
    data[148:156] = b"%06o\x00 " % sum(data[:512])
    return bytes(data)


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


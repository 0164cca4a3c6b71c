"""Helpers shared by the tests split out of test_add_rules.py."""

import io

import tarfile


def tar_bytes(fmt=tarfile.USTAR_FORMAT, members=(("hello.txt", b"hello\n"),)) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=fmt) as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


TEXT = b"just some text, not an archive\n" * 40


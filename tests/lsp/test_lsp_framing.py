"""The language server's input framing: hostile headers cost an error answer, never the server."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading

import pytest

from dfcheck.lsp.framing import INVALID_MESSAGE, MAX_MESSAGE_BYTES, FramedInput


def frame(obj) -> bytes:
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Recording(io.BytesIO):
    def __init__(self, data):
        super().__init__(data)
        self.sizes = []

    def read(self, size=-1):
        self.sizes.append(size)
        return super().read(size)


def messages(data: bytes):
    """What pygls reads through FramedInput, as its loop reads it: header lines, then read(Content-Length)."""
    raw = Recording(data)
    framed, out = FramedInput(raw), []
    while True:
        header = framed.readline()
        if not header:
            return out, raw.sizes
        assert header.startswith(b"Content-Length: ") and framed.readline() == b"\r\n"
        out.append(json.loads(framed.read(int(header[16:]))))


def test_well_formed_messages_pass_through_whatever_their_headers_look_like():
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "a"}).encode()
    data = (frame({"jsonrpc": "2.0", "id": 0, "method": "x"}) + b"\r\n"
            + b"content-length:%d\nContent-Type: application/vscode-jsonrpc; charset=utf-8\n\n" % len(body) + body)
    assert [m["id"] for m in messages(data)[0]] == [0, 1]


def test_a_huge_content_length_is_answered_not_allocated():
    data = b"Content-Length: 99999999999\r\n\r\n" + b'{"x": "' + b"a" * 1000 + b'"}' + frame({"id": 2})
    found, sizes = messages(data)
    assert found == [
        {"jsonrpc": "2.0", "method": INVALID_MESSAGE,
         "params": {"message": f"a message of 99999999999 bytes, over the limit of {MAX_MESSAGE_BYTES}"}},
        {"id": 2},
    ]
    assert max(sizes) < 100  # only the next message's body was read in one piece


def test_a_message_without_content_length_does_not_wedge_the_rest():
    data = (b'Content-Type: application/json\r\n\r\n{"id": 3}' + frame({"id": 4})
            + b'{"stray": "bytes"}' + frame({"id": 5}) + b"X-Header: 1\r\nContent-Length: abc\r\n\r\n{}\r\n"
            + frame({"id": 6}))
    found, _ = messages(data)
    assert [m.get("id", m.get("params", {}).get("message")) for m in found] == [
        "a message without a valid Content-Length header", 4,
        "unexpected data between messages", 5,
        "a message without a valid Content-Length header", 6,
    ]


def test_a_header_line_without_end_is_skipped_in_pieces():
    data = b"X" * 100_000 + b"Content-Length: 9\r\n\r\n" + b'{"id": 7}'
    found, sizes = messages(data)
    assert [m.get("id") for m in found] == [None, 7] and found[0]["method"] == INVALID_MESSAGE
    assert max(sizes) <= 9


def test_the_server_answers_bad_headers_with_errors_and_goes_on_serving(tmp_path):
    pytest.importorskip("pygls", reason="the language server needs pygls")
    server = subprocess.Popen([sys.executable, "-m", "dfcheck", "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, cwd=tmp_path)
    answers, done = [], threading.Event()

    def read():
        while True:
            length = None
            while True:
                line = server.stdout.readline()
                if not line:
                    done.set()
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                if line == b"\r\n":
                    break
            answers.append(json.loads(server.stdout.read(length)))
            if answers[-1].get("id") == 9:
                done.set()

    threading.Thread(target=read, daemon=True).start()
    server.stdin.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
                       + b'Content-Type: application/json\r\n\r\n{"jsonrpc": "2.0", "id": 3, "method": "shutdown"}'
                       + b"Content-Length: 99999999999\r\n\r\n"
                       + frame({"jsonrpc": "2.0", "id": 9, "method": "shutdown"}))
    server.stdin.flush()
    try:
        assert done.wait(60), "no answer to the shutdown request"
        server.stdin.write(frame({"jsonrpc": "2.0", "method": "exit"}))
        server.stdin.close()
        assert server.wait(60) == 0
    finally:
        server.kill()
    errors = [a["error"] for a in answers if "error" in a]
    assert errors == [
        {"code": -32600, "message": "dfcheck: a message without a valid Content-Length header"},
        {"code": -32600, "message": f"dfcheck: a message of 99999999999 bytes, over the limit of {MAX_MESSAGE_BYTES}"},
    ]
    assert [a["id"] for a in answers if "result" in a] == [1, 9]

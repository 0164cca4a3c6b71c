"""The language server collects its garbage itself (dfcheck.lsp.server): young garbage after each lint's
diagnostics, everything after FULL_COLLECTION_LINTS lints or at a pause, never automatically inside a lint."""

from __future__ import annotations

import asyncio
import gc

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra (pygls)")

from dfcheck.lsp import server as server_module  # noqa: E402
from dfcheck.lsp.server import FULL_COLLECTION_LINTS, DfcheckServer, collect_by_hand  # noqa: E402


@pytest.fixture
def collections(monkeypatch):
    calls = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: calls.append(generation) or 0)
    return calls


def test_young_garbage_after_each_lint_and_all_of_it_every_so_many_lints(collections):
    ls = DfcheckServer()
    for _ in range(2 * FULL_COLLECTION_LINTS):
        ls.collect_young()
    assert collections == ([1] * (FULL_COLLECTION_LINTS - 1) + [2]) * 2


def test_a_pause_in_the_messages_collects_everything(collections, monkeypatch):
    monkeypatch.setattr(server_module, "IDLE_COLLECTION_SECONDS", 0.01)
    ls = DfcheckServer()

    async def pause():
        ls.collect_when_idle()
        ls.collect_when_idle()  # a second message starts the wait again: one collection
        await asyncio.sleep(0.2)

    asyncio.run(pause())
    assert collections == [2]
    ls.collect_when_idle()  # outside the server's loop (a handler called by a test): nothing scheduled


def test_after_the_start_automatic_collection_is_off_and_what_is_alive_is_frozen():
    was_enabled = gc.isenabled()
    try:
        collect_by_hand()
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()

"""The language server collects its garbage itself (dfcheck.lsp.server): a lint's young garbage at the first pause
after its diagnostics (or after YOUNG_COLLECTION_LINTS lints without one), everything at a longer pause (or after
FULL_COLLECTION_LINTS lints), never automatically inside a lint."""

from __future__ import annotations

import asyncio
import gc

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra (pygls)")

from dfcheck.lsp import server as server_module  # noqa: E402
from dfcheck.lsp.server import (  # noqa: E402
    FULL_COLLECTION_LINTS, YOUNG_COLLECTION_LINTS, DfcheckServer, collect_by_hand,
)


@pytest.fixture
def collections(monkeypatch):
    calls = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: calls.append(generation) or 0)
    return calls


def test_without_a_pause_young_garbage_every_few_lints_and_all_of_it_every_so_many(collections):
    ls = DfcheckServer()  # outside a loop: no pause is ever waited for
    for _ in range(FULL_COLLECTION_LINTS):
        ls.after_lint()
    young = FULL_COLLECTION_LINTS // YOUNG_COLLECTION_LINTS - 1
    assert collections == [1] * young + [2]


def test_a_pause_after_a_lint_collects_its_young_garbage_then_a_longer_one_everything(collections, monkeypatch):
    monkeypatch.setattr(server_module, "YOUNG_COLLECTION_SECONDS", 0.01)
    monkeypatch.setattr(server_module, "IDLE_COLLECTION_SECONDS", 0.05)
    ls = DfcheckServer()

    async def typing():
        ls.collect_when_idle()  # the change
        ls.after_lint()  # its diagnostics
        ls.collect_when_idle()  # another message: the waits start again, one collection of each kind
        await asyncio.sleep(0.5)

    asyncio.run(typing())
    assert collections == [1, 2]


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

"""The server keeps its start-up objects out of the collector's full passes (issue 17: the rush's p99 stalls)."""

from __future__ import annotations

import gc

import checkup.cli
from checkup.app import settle_gc
from checkup.config import Settings


def test_settle_gc_freezes_what_exists_and_later_objects_are_still_collected() -> None:
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        settle_gc()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the modules, classes and functions of the loaded code
        cycle: list = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1  # a cycle made after start-up is still found and freed
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_the_server_builds_its_workers_apps_with_the_collector_settled(monkeypatch) -> None:
    seen = {}

    class Loader:
        def __init__(self, factory):
            seen["factory"] = factory

        def load(self):
            class App:
                def prepare(self, **kwargs):
                    seen["prepare"] = kwargs
            return App()

    import sanic
    import sanic.worker.loader
    monkeypatch.setattr(sanic.worker.loader, "AppLoader", Loader)
    monkeypatch.setattr(sanic.Sanic, "serve", staticmethod(lambda **kwargs: seen.setdefault("served", True)))
    checkup.cli._serve(Settings(env="dev"), 2)
    assert seen["served"] and seen["prepare"]["workers"] == 2
    assert seen["factory"].keywords == {"configure_logs": True, "freeze_gc": True}

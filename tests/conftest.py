from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


@pytest.fixture(autouse=True)
def _own_cache_dir(tmp_path_factory, monkeypatch):
    """The CLI caches pages under $XDG_CACHE_HOME: each test gets its own, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg_cache")))


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def run_sample(tmp_path_factory):
    """Run the pipeline once per sample (OCR is slow) and share the tidy frame."""
    from chitieu import runner
    from normalize.outputs.datasets import records_to_frame

    cache: dict = {}

    def run(name: str, **settings):
        key = (name, tuple(sorted(settings.items())))
        if key not in cache:
            result = runner.run([str(SAMPLES / name)], runner.Settings(**settings))
            cache[key] = (records_to_frame(result.records), result)
        return cache[key]

    return run

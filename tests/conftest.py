from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

# Property tests: FUZZ_EXAMPLES each by default; CHITIEU_FUZZ=1 runs the 2,000 per
# function (slower). No deadline: the first call of a look-up loads the gazetteer, and
# this machine is shared.
FUZZ_EXAMPLES = 300
settings.register_profile("default-suite", max_examples=FUZZ_EXAMPLES, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("fuzz" if os.environ.get("CHITIEU_FUZZ") else "default-suite")


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

"""The page cache's twin for ``--no-cache``, on its own: a run that keeps nothing does
not import the cache (chitieu.cache), its pickle, json and subprocess (0.015 s of CPU)."""
from __future__ import annotations


class NoCache:
    """The cache's twin for ``--no-cache``: remembers nothing."""

    hits = misses = 0

    def load_plan(self, path):
        return None

    def store_plan(self, path, plan) -> None:
        pass

    def load_page(self, task):
        return None

    def store_page(self, task, page) -> None:
        pass

    def load_result(self, path, year, source_file: str = "", *, ocr: bool = True):
        return None

    def store_result(self, path, year, value, source_file: str = "", *, ocr: bool = True) -> None:
        pass

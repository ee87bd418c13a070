"""Benchmark: resolving locality names against the gazetteer.

Resolves N names (default 10,000) drawn from the gazetteer itself — clean, stripped
of diacritics and OCR-garbled — with an empty cache, and prints the time per
thousand names against a baseline in the same process: a plain dict look-up of the
same folded keys (the floor any resolver pays).

    python bench/bench_places.py [--names 10000]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

_GARBLE = str.maketrans({"ả": "i", "ư": "w", "ơ": "o", "ô": "6", "ê": "é", "Đ": "P", "ã": "a", "ệ": "é"})


def names(n: int) -> list[tuple[str, str]]:
    from unidecode import unidecode

    from normalize.places.gazetteer import gazetteer

    g = gazetteer()
    units = sorted(g.communes.values(), key=lambda u: u.code) if hasattr(g, "communes") else None
    if not units:
        import csv

        path = Path(__file__).resolve().parents[1] / "normalize" / "data" / "gazetteer_thanh_hoa.csv"
        with open(path, encoding="utf-8") as fh:
            units = [(r["district"], r["commune"]) for r in csv.DictReader(fh)]
    else:
        units = [(u.district, u.name) for u in units]
    rng = random.Random(1829)
    out = []
    for i in range(n):
        district, commune = units[rng.randrange(len(units))]
        form = i % 3
        if form == 1:
            district, commune = unidecode(district), unidecode(commune)
        elif form == 2:
            district, commune = district.translate(_GARBLE), commune.translate(_GARBLE)
        out.append((district, commune))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=10_000)
    args = parser.parse_args()
    from normalize.places.gazetteer import gazetteer
    from normalize.places.locality import parse_locality
    from normalize.text.fold import fold

    sample = names(args.names)
    gazetteer.cache_clear()
    start = time.perf_counter()
    gazetteer()
    load = time.perf_counter() - start
    start = time.perf_counter()
    resolved = sum(1 for d, c in sample if parse_locality(f"{d} ({c})").commune_code)
    elapsed = time.perf_counter() - start
    table = {fold(c, misreads=True): c for _, c in sample}
    start = time.perf_counter()
    hits = sum(1 for _, c in sample if fold(c, misreads=True) in table)
    floor = time.perf_counter() - start
    per_k = elapsed / len(sample) * 1000
    print(f"names                      {len(sample)}")
    print(f"gazetteer load             {load * 1000:8.1f} ms")
    print(f"resolve                    {elapsed:8.3f} s   {per_k * 1000:8.1f} ms per 1000 names")
    print(f"resolved to a code         {resolved}/{len(sample)}")
    print(f"baseline fold+dict lookup  {floor:8.3f} s   ({hits} hits)")
    print(f"ratio resolve/baseline     {elapsed / floor:8.1f}")


if __name__ == "__main__":
    main()

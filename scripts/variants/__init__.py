"""Variants: table documents of the 3 KHÔNG indicators that chitieu has never seen.

content  what a document says (localities, indicators, cell texts) and its truth
render   how it is drawn (reportlab table: family, rules, widths, fonts, page size)
damage   what a scanner does to it (raster, skew, noise, JPEG) as an image-only PDF

`scripts/make_variants.py` is the command line; `bench/bench_fidelity.py` measures
chitieu against the truth.
"""

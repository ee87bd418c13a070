"""Documents and geometry: pages, words with boxes, ruling lines, table grids.

Nothing in this package knows about indicators or Vietnamese administrative units.
"""

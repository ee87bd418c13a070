"""Vietnamese text and the domain: folding, the indicator catalogue, values, places.

Nothing in this package opens a PDF or an image.
"""

"""Variants: table documents of the 3 KHÔNG indicators that chitieu has never seen.

content  what a document says (localities, indicators, cell texts) and its truth
render   how it is drawn (reportlab table: family, rules, widths, fonts, page size)
engines  the same table drawn by Chromium (HTML) or LibreOffice (.docx) instead, when installed
damage   what a scanner, a fax or a stamp does to it (raster, skew, light, noise, JPEG, 1-bit,
         turns, a seal and a signature) as an image-only PDF
photo    a phone's photo of it instead (photo_scene: the sheet or screen, the desk, the light;
         photo_camera: perspective, bow, blur, noise), as .jpg, .webp, .heic or a PDF of photos
reform   documents written after the July 2025 reform: the new communes and wards, no district,
         2025/2026 (the province's table of its new communes here; the template and the prose
         report of a new commune in reform_docs)

`scripts/make_variants.py` is the command line; `bench/bench_fidelity.py` measures
chitieu against the truth.
"""

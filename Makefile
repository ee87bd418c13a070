# The two commands of the README: `make demo` and `make test`.
# Both install what they need first: Debian packages (Tesseract with Vietnamese
# data, DejaVu fonts) and a virtual environment with chitieu and its dependencies.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd fonts-dejavu-core
# bench-fidelity's variants are also drawn by Chromium and LibreOffice, in Noto and Liberation 2
# (fonts-liberation 1.x has no Vietnamese letters); `make test` does not need them.
ENGINE_PACKAGES := chromium libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-core fonts-liberation2
# `make test` converts a real .doc, and writes the .ods and .xls twins of generated spreadsheets, with LibreOffice;
# it opens OUT/report.html in headless Chromium, network off, to see every crop drawn (tests/test_report.py).
TEST_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui chromium

.PHONY: demo test ocr-replay system-deps test-deps engine-deps venv samples bench bench-scale bench-text bench-fidelity clean

# Exit status 3 is a finished run that names, in errors.csv and on stderr, the inputs and
# pages it could not read or that gave no value (samples/ has some on purpose): not a failure here.
demo: venv
	@$(BIN)/chitieu run samples/ -o $(OUT); rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 3 ] || exit $$rc
	@echo "outputs in $(OUT)/: report.html (open it first), consolidated.csv, review.csv, completeness.csv, indicators.csv, communes/, summary_wide.csv, errors.csv, inputs.csv, other_figures.csv, chitieu.xlsx"

test: venv test-deps
	$(BIN)/python -m pytest -q

# Tesseract's readings of the suite's pages, recorded afresh into tests/ocr_replay/ (the suite
# plays them back: extract/ocr/replay.py). Run it after a change of what Tesseract is given
# (rendering, preprocessing, crops, settings) and commit the folder; the guard test, which
# fails whenever recording is on, is the one left out.
ocr-replay: venv
	rm -rf tests/ocr_replay
	CHITIEU_OCR_RECORD=1 CHITIEU_OCR_REPLAY="$(CURDIR)/tests/ocr_replay" $(BIN)/python -m pytest -q \
	  --deselect tests/test_ocr_replay.py::test_recording_is_off

system-deps:
	@langs="$$(tesseract --list-langs 2>/dev/null)"; \
	if ! command -v tesseract >/dev/null 2>&1 || ! echo "$$langs" | grep -qx vie \
	    || ! echo "$$langs" | grep -qx eng || ! echo "$$langs" | grep -qx osd \
	    || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
	  echo "installing $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $(APT_PACKAGES); \
	fi

test-deps:
	@if ! command -v soffice >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1 \
	    || ! { dpkg -s libreoffice-calc-nogui || dpkg -s libreoffice-calc; } >/dev/null 2>&1; then \
	  echo "installing $(TEST_PACKAGES)"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $(TEST_PACKAGES); \
	fi

engine-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1 \
	    || ! { dpkg -s libreoffice-calc-nogui || dpkg -s libreoffice-calc; } >/dev/null 2>&1 \
	    || [ ! -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] \
	    || [ ! -f /usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf ]; then \
	  echo "installing $(ENGINE_PACKAGES)"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $(ENGINE_PACKAGES); \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q python3-venv python3-pip \
	  && rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }

venv: system-deps $(BIN)/python
	@$(BIN)/python -m pip install -q --upgrade pip >/dev/null
	$(BIN)/python -m pip install -q -e '.[test]'

samples: venv
	$(BIN)/python scripts/make_samples.py

bench: venv
	$(BIN)/python bench/bench_ocr.py

bench-scale: venv
	$(BIN)/python bench/bench_scale.py $(BENCH_ARGS)

bench-text: venv
	$(BIN)/python bench/bench_text.py $(BENCH_ARGS)

bench-fidelity: venv engine-deps
	$(BIN)/python bench/bench_fidelity.py $(or $(BENCH_ARGS),--n 300 --seed 1 --jobs 2)

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build *.egg-info

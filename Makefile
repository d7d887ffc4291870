# make book   create .venv if needed, then build the site into _build/html (every chapter runs
#             once), the book's PDF and one per chapter, and the chapters' notebooks
# make test   the same set-up, then lint, build the book, and run every test against it
# make bench  a clean, timed build, with each chapter's execution time and the recorded figures,
#             then the scratch, widget, explorables, playground and Lighthouse (every chapter page)
#             benchmarks
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The book to build: the repository root by default (tests build small books elsewhere).
BOOK ?= .
JB_FLAGS ?= -n -W --keep-going
STAMP := $(VENV)/.installed

# TensorFlow's C++ start-up chatter stays out of the pages (it goes to stderr).
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONUNBUFFERED := 1

.PHONY: all venv book test unit lint bench linkcheck clean

all: book

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[book,test]"
	touch $(STAMP)

# A clean build from one execution: remove the previous output (the metrics it recorded and the
# jupyter-cache), build the site (executing every chapter into _build/.jupyter_cache), then the
# PDFs from that cache (without a TeX engine: one line saying what to install, and the site
# stays built), then the take-away notebooks.
book: venv
	rm -rf $(BOOK)/_build
	$(BIN)/jupyter-book build $(BOOK) $(JB_FLAGS)
	$(BIN)/python -m mnist_lessons.takeaway.pdf $(BOOK) $(JB_FLAGS)
	$(BIN)/python -m mnist_lessons.takeaway.notebooks $(BOOK)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Lint, build the book once, then run every test: unit tests and the checks on the built site,
# spread over the machine's cores (at most four: each browser test runs its own Chromium).
PYTEST := $(BIN)/python -m pytest -n auto --maxprocesses 4

test: lint
	$(MAKE) book
	$(PYTEST)

# The fast tests alone, without a build (for development).
unit: venv
	$(PYTEST) -m "not site and not slow"

bench: venv
	$(BIN)/python tests/bench/bench_build.py
	$(BIN)/python tests/bench/bench_scratch.py
	$(BIN)/python tests/bench/bench_widget.py
	$(BIN)/python tests/bench/bench_explore.py
	$(BIN)/python tests/bench/bench_playground.py
	npm ci --prefix tests/bench/lighthouse --no-audit --no-fund --ignore-scripts
	$(BIN)/python tests/bench/bench_lighthouse.py

# Check every external link in the book (needs internet; not part of `make test`). The chapters
# are not executed for this: their links are in the prose, so glued numbers show as warnings.
linkcheck: venv
	mkdir -p _build/linkcheck
	sed 's/execute_notebooks: cache/execute_notebooks: "off"/' _config.yml > _build/linkcheck/_config.yml
	$(BIN)/jupyter-book build $(BOOK) --builder linkcheck --config _build/linkcheck/_config.yml \
		--path-output _build/linkcheck

clean:
	rm -rf _build .pytest_cache .ruff_cache

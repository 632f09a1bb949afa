# interview-lens: a Jupyter research workbook for interviews.
# `make run` and `make test` work on a fresh machine (Python 3.11, nothing installed).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
KERNEL := interview-lens
JOBS ?=
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup run test bench lab clean test-browser browser-deps

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (interview-lens)" >/dev/null
	@touch $(STAMP)

setup: $(STAMP) ## create .venv, install pinned requirements and the package, register the kernel

# GNU make exits 0, 1 or 2 only: any failing recipe is 2. So the regeneration prints its own
# status (1 failed, 2 user error, 3 locked, 4 rejected; README "Exit status") as its last line;
# schedulers call `$(PY) -m interview_lens regenerate` (or `interview-lens regenerate`) to get it as the exit status. `exec`: no
# shell in between, so a SIGTERM or Ctrl-C that make passes on reaches the regeneration (which
# cleans up), and make then dies of the signal itself (130/143 for a shell).
run: $(STAMP) ## regenerate every notebook, table and figure for data/interviews/*
	@exec $(PY) -m interview_lens regenerate --status-line $(if $(JOBS),--jobs $(JOBS)) $(ARGS)

test: $(STAMP) ## run the whole test suite
	$(PY) -m pytest -q $(ARGS)

bench: $(STAMP) ## run the benchmark (writes benchmarks/results.json)
	$(PY) -m interview_lens bench $(ARGS)

lab: $(STAMP) ## open JupyterLab on the project's kernel (root: the project; opens notebooks/)
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks \
		--MappingKernelManager.default_kernel_name=$(KERNEL) \
		$(if $(filter 0,$(shell id -u)),--allow-root) $(ARGS)

clean: ## remove generated outputs (keeps .venv and the input documents)
	rm -rf outputs/* figures/* data/processed/* .pytest_cache

browser-deps: ## install the system Chromium and chromedriver the browser test drives (apt, if missing)
	bash scripts/browser_deps.sh

test-browser: $(STAMP) browser-deps ## run notebooks 01 and 04 in JupyterLab in headless Chromium (screenshots: outputs/browser/)
	INTERVIEW_LENS_BROWSER=1 $(PY) -m pytest -q tests/browser $(ARGS)

# One entry point for people and CI. uv is bootstrapped into .tools/ when the machine lacks it.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(UV) run --frozen

.PHONY: run test lint format bench install migrate demo clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

install: $(UV)
	$(UV) sync --frozen

run: install
	$(RUN) opsuite serve --prepare

test: install
	$(RUN) pytest $(PYTEST_ARGS)

lint: install
	$(RUN) ruff check src tests bench
	$(RUN) ruff format --check src tests bench
	$(RUN) mypy

format: install
	$(RUN) ruff check --fix src tests bench
	$(RUN) ruff format src tests bench

bench: install
	$(RUN) python -m bench

clean:
	rm -rf .venv .tools var .pytest_cache .mypy_cache .ruff_cache .hypothesis

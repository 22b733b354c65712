# unspin — the two commands: `make demo` and `make test`. Everything else is for maintainers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := examples/khabarovsk-opinion.txt

.PHONY: demo install dev test lint train bench clean claims-bundle

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Runtime dependencies only: OpenVINO, tokenizers, numpy, pydantic, rich, httpx, trafilatura.
install: $(BIN)/python
	$(BIN)/pip install -q -e .

demo: install
	$(BIN)/unspin claims import --bundled   # the known-claims database: EUvsDisinfo cases (idempotent)
	$(BIN)/unspin analyze $(DEMO) -o out/khabarovsk-opinion.json -o out/khabarovsk-opinion.html

# Training and test tools (torch CPU build, transformers, pytest, ruff, mypy).
dev: $(BIN)/python
	$(BIN)/pip install -q -e '.[train,dev]'

lint: dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

test: dev lint
	$(BIN)/pytest

# Reproduce the committed model from ../shared/data (fixed seeds; ~50 minutes on 2 cores): the shared
# encoder with its technique heads, its export, the article heads (probes) and the claim-spotting probe
# fitted on the exported encoder, and the model card. (`--auxiliary 0.5` adds narrative/genre/frame/role losses to the encoder:
# measured, not shipped — see the model card.)
MODEL := src/unspin/assets/model
train: dev
	$(BIN)/python -m unspin.train.techniques --out build/techniques
	$(BIN)/python -m unspin.train.export --checkpoint build/techniques --out $(MODEL) --weights int8
	$(BIN)/python -m unspin.train.probes --model $(MODEL)
	$(BIN)/python -m unspin.train.claim_probe --model $(MODEL)
	$(BIN)/python -m unspin.train.card --checkpoint build/techniques --out $(MODEL)

# Rebuild the bundled known claims (src/unspin/assets/claims/euvsdisinfo.jsonl.gz) from ../shared/data/euvsdisinfo;
# deterministic: the same exports give the same bytes.
claims-bundle: install
	$(BIN)/python -m unspin.claims.bundle

schema: install
	$(BIN)/python -m unspin.analysis > src/unspin/assets/analysis.schema.json

bench: dev
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf out build .pytest_cache .mypy_cache .ruff_cache

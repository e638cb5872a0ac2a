PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
PROD_LOCK := requirements-prod.lock
# pip-compile's options: hashes for every pinned file, build tools included (the project itself
# is installed without build isolation, so nothing is fetched outside the lock).
COMPILE := env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-find-links

.PHONY: run test lint typecheck pytest bench clean sandbox lock upgrade

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Everything the project needs (runtime, the embedded Redis, dev tools) comes from the lock,
# version and hash; the project itself is installed in place on top of it.
$(STAMP): $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

run: $(STAMP)
	$(BIN)/vestnik run

sandbox: $(STAMP)
	$(BIN)/python -m sandbox --host 127.0.0.1 --port 8081

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy bot handlers storage sandbox bench tests

pytest: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m bench

# Re-resolve the locks after a change to pyproject.toml, keeping every other pin as it is.
lock: $(STAMP)
	$(COMPILE) --extra dev --extra embedded -o $(LOCK) pyproject.toml requirements-build.in
	$(COMPILE) -o $(PROD_LOCK) pyproject.toml requirements-build.in requirements-prod.in

# Move every pin to the newest release the ranges in pyproject.toml allow; then run `make test`.
upgrade: $(STAMP)
	$(COMPILE) --upgrade --extra dev --extra embedded -o $(LOCK) pyproject.toml requirements-build.in
	$(COMPILE) -o $(PROD_LOCK) pyproject.toml requirements-build.in requirements-prod.in

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .pytest_cache .ruff_cache

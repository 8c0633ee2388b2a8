# Two commands for a fresh machine: `make site` builds the whole site, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The site engine: mkdocs (MkDocs Material, the default) or zensical (`make site ENGINE=zensical`).
ENGINE ?= mkdocs
NODE_STAMP := node_modules/.installed

.PHONY: site serve test validate bench linkcheck clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c requirements.lock -e '.[test,zensical]'
	touch $(STAMP)

# Front-end files (table sorting, world map) from the npm registry, served from the site itself.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# A publishing build names where the site is published and its repository (both, or neither:
# a local build, whose links point at http://127.0.0.1:8000/). The publish workflow passes them.
SITE_URL ?=
REPOSITORY ?=
PUBLISH_OPTIONS := $(if $(SITE_URL),--site-url '$(SITE_URL)') $(if $(REPOSITORY),--repository '$(REPOSITORY)')

## site: validate data/, generate content/ and build site/ with MkDocs Material (ENGINE=zensical: with Zensical; SITE_URL=… REPOSITORY=…: for publishing)
site: $(STAMP) $(NODE_STAMP)
	ATLAS_ENGINE=$(ENGINE) $(PY) -m generator build $(PUBLISH_OPTIONS)

## serve: preview on http://127.0.0.1:8000 with live reload, regenerating on edits under data/, pages/, CONTRIBUTING.md and the templates
serve: $(STAMP) $(NODE_STAMP)
	$(PY) -m generator serve

## validate: check every record under data/
validate: $(STAMP)
	$(PY) -m generator validate

## test: every test, the strict build and the browser tests included
test: $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest -n 2 --dist loadgroup

## bench: build synthetic data at several scales and print timings (not part of test)
bench: $(STAMP) $(NODE_STAMP)
	$(PY) -m generator bench

## linkcheck: check that every source URL still answers (needs internet, so not part of test)
linkcheck: $(STAMP)
	$(PY) -m generator linkcheck

clean:
	rm -rf content site .cache node_modules

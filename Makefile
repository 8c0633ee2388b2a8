# Two commands for a fresh machine: `make site` builds the whole site, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# The site engine: mkdocs (MkDocs Material, the default) or zensical (`make site ENGINE=zensical`).
ENGINE ?= mkdocs
NODE_STAMP := node_modules/.installed

# Each target installs only what it needs into $(VENV), once: the project and its dependencies
# (enough to check records), plus the extras of pyproject.toml it names; versions come from
# requirements.lock. A stamp file per part records that it is installed.
#   validate, linkcheck: the project alone       site, serve: [site] (+ [zensical] with ENGINE=zensical)
#   hooks: [hooks]                               test, bench: [site] [zensical] [hooks] [test] as needed
STAMP := $(VENV)/.installed
EXTRA = $(VENV)/.installed-$(1)
ENGINE_STAMP := $(if $(filter zensical,$(ENGINE)),$(call EXTRA,zensical))

.PHONY: site serve test validate hooks bench linkcheck clean
# One pip at a time in one virtual environment, even under `make -j`.
.NOTPARALLEL:

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml requirements.lock | $(PY)
	$(VENV)/bin/pip install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.installed-%: pyproject.toml requirements.lock | $(PY)
	$(VENV)/bin/pip install --quiet -c requirements.lock -e '.[$*]'
	touch $@

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
site: $(call EXTRA,site) $(ENGINE_STAMP) $(NODE_STAMP)
	ATLAS_ENGINE=$(ENGINE) $(PY) -m generator build $(PUBLISH_OPTIONS)

## serve: preview on http://127.0.0.1:8000 with live reload, regenerating on edits under data/, pages/, CONTRIBUTING.md and the templates
serve: $(call EXTRA,site) $(NODE_STAMP)
	$(PY) -m generator serve

## validate: check every record under data/
validate: $(STAMP)
	$(PY) -m generator validate

## hooks: install the pre-commit hooks (ruff check; validate when a file under data/ is committed)
hooks: $(call EXTRA,hooks)
	$(VENV)/bin/pre-commit install

## test: every test, the strict build and the browser tests included
test: $(foreach extra,site zensical hooks test,$(call EXTRA,$(extra))) $(NODE_STAMP)
	$(PY) -m pytest -n 2 --dist loadgroup

## bench: build synthetic data at several scales and print timings (not part of test)
bench: $(foreach extra,site zensical,$(call EXTRA,$(extra))) $(NODE_STAMP)
	$(PY) -m generator bench

## linkcheck: check that every source URL still answers (needs internet, so not part of test)
linkcheck: $(STAMP)
	$(PY) -m generator linkcheck

clean:
	rm -rf content site .cache node_modules

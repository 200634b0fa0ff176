# Two commands do all set-up on a fresh machine:
#   make run    install into .venv and start the app on the embedded SQLite backend
#   make test   install into .venv, start Elasticsearch, run the whole suite on both backends
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m streamlit run app.py --browser.gatherUsageStats false

test: $(STAMP)
	PY=$(PY) bash scripts/run-tests.sh

clean:
	rm -rf $(VENV) .kb .pytest_cache

#!/usr/bin/env bash
# The README's test command (`make test`) ends here: start Elasticsearch if it is not up,
# run the whole suite against both backends, stop the server again if we started it.
# Under CI=true a server that will not start is a failure; locally the Elasticsearch tests
# then skip with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
started=0
stop_es() { if [ "$started" = 1 ]; then bash scripts/elasticsearch.sh stop || true; fi; }
trap stop_es EXIT

if bash scripts/elasticsearch.sh status >/dev/null 2>&1; then
    echo "Elasticsearch already running on 127.0.0.1:${ES_PORT:-9200}"
elif bash scripts/elasticsearch.sh start; then
    started=1
elif [ "${CI:-}" = "true" ]; then
    echo "Elasticsearch did not start: CI cannot run the Elasticsearch tests" >&2
    exit 1
else
    echo "Elasticsearch did not start; its tests will skip (needs mvn and Java >= 21)" >&2
fi

set +e
"$PY" -m pytest "$@"
status=$?
set -e
# pytest's "no tests collected" (5) is a failure for CI, as is anything else non-zero.
exit "$status"

#!/usr/bin/env bash
# The README's test command (`make test`) ends here: start Elasticsearch if it is not up (a plain
# node on 9200, and a secured one on 9210: TLS, a CA and a file-realm user made for this run),
# run the whole suite against both backends, stop the servers again if we started them.
# Under CI=true a server that will not start is a failure; locally the Elasticsearch tests
# then skip with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
ES=scripts/elasticsearch.sh
started=0
secure_started=0
stop_es() {
    if [ "$started" = 1 ]; then bash "$ES" stop || true; fi
    if [ "$secure_started" = 1 ]; then bash "$ES" stop --name es-secure || true; fi
}
trap stop_es EXIT
no_server() {
    if [ "${CI:-}" = "true" ]; then
        echo "$1 did not start: CI cannot run its tests" >&2
        exit 1
    fi
    echo "$1 did not start; its tests will skip (needs mvn and Java >= 21)" >&2
}

if bash "$ES" fetch >/dev/null; then
    dist="$(bash "$ES" fetch)"
    export KB_TEST_ES_SECURE_ENV="$dist/nodes/es-secure/kb-secure.env"
    # The secured node starts beside the plain one (both JVMs boot at once).
    t0=$(date +%s)
    bash "$ES" start --secure >/tmp/kb-es-secure-start.$$ 2>&1 &
    secure_pid=$!
fi

if bash "$ES" status >/dev/null 2>&1; then
    echo "Elasticsearch already running on 127.0.0.1:${ES_PORT:-9200}"
elif bash "$ES" start; then
    started=1
else
    no_server Elasticsearch
fi

if [ -n "${secure_pid:-}" ]; then
    if wait "$secure_pid"; then
        grep -q "already answers" /tmp/kb-es-secure-start.$$ || secure_started=1
        echo "secured Elasticsearch (TLS with a CA made for this run, file-realm user) ready in $(( $(date +%s) - t0 )) s"
    else
        cat /tmp/kb-es-secure-start.$$ >&2
        no_server "The secured Elasticsearch node"
    fi
    rm -f /tmp/kb-es-secure-start.$$
fi

set +e
"$PY" -m pytest "$@"
status=$?
set -e
# pytest's "no tests collected" (5) is a failure for CI, as is anything else non-zero.
exit "$status"

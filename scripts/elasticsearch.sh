#!/usr/bin/env bash
# Fetch, start and stop a local Elasticsearch server for development, tests and CI.
#
#   scripts/elasticsearch.sh fetch
#   scripts/elasticsearch.sh start  [--port 9200] [--name es1] [--data DIR] [--fresh]
#   scripts/elasticsearch.sh start --secure [--port 9210] [--name es-secure]   # TLS + file-realm user
#   scripts/elasticsearch.sh stop   [--name es1]
#   scripts/elasticsearch.sh status [--port 9200]
#   scripts/elasticsearch.sh cluster-start [--fresh]   # 2 nodes: http 9201/9202, transport 9301/9302
#   scripts/elasticsearch.sh cluster-stop
#
# The server is the bare distribution org.elasticsearch.distribution.integ-test-zip:elasticsearch
# from Maven Central (no bundled JDK), unpacked once into $KB_CACHE_DIR/elasticsearch-$ES_VERSION.
# Each node gets its own config/data/logs under <that folder>/nodes/<name>, so the distribution
# itself is never modified and several nodes can run side by side. Everything binds to 127.0.0.1.
# Elasticsearch refuses to run as root: as root the node runs as the system user $KB_ES_USER
# (created if missing); otherwise as the current user.
#
# A --secure node has security on, TLS on HTTP with a CA made for this start (elasticsearch-certutil)
# and a file-realm user (elasticsearch-users) with a new random password and the least privileges
# the project needs (role kb_app: cluster `monitor`, indices `all` on ${KB_ES_INDEX:-newsletter-kb}*).
# How to reach it is written to <node>/kb-secure.env (ES_URL, ES_CA_CERTS, ES_USERNAME, ES_PASSWORD).
#
# Environment: ES_VERSION (9.2.4), ES_PORT (9200), KB_CACHE_DIR (<repo>/.cache), ES_HEAP (512m),
#   ES_START_TIMEOUT (120 s), KB_ES_USER (kb-es), ES_JAVA_HOME / JAVA_HOME (used if Java >= 21),
#   ES_JAVA_OPTS (extra JVM options, appended after the heap settings), ES_ZIP (use this zip, skip mvn).
set -euo pipefail

ES_VERSION="${ES_VERSION:-9.2.4}"
ES_HEAP="${ES_HEAP:-512m}"
ES_PORT="${ES_PORT:-9200}"
ES_USER="${KB_ES_USER:-kb-es}"
START_TIMEOUT="${ES_START_TIMEOUT:-120}"
STOP_TIMEOUT=30
MIN_JAVA=21
ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${KB_CACHE_DIR:-$REPO/.cache}"
mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd)"
DIST="$CACHE/elasticsearch-$ES_VERSION"
MARKER="$DIST/.kb-unpacked"
[[ "$ES_HEAP" =~ ^[0-9]+[kKmMgG]?$ ]] || { echo "ES_HEAP must look like 512m or 1g, not '$ES_HEAP'" >&2; exit 2; }
[[ "$START_TIMEOUT" =~ ^[0-9]+$ ]] || { echo "ES_START_TIMEOUT must be a number of seconds" >&2; exit 2; }

# The 2-node scale-out cluster.
CLUSTER_NAME="kb-scaleout"
CLUSTER_NODES=(kb-scale-1 kb-scale-2)
CLUSTER_HTTP=(9201 9202)
CLUSTER_TRANSPORT=(9301 9302)

log() { echo "[elasticsearch.sh] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------- HTTP helpers
# http_get URL -> body on stdout; non-zero when nothing answers or status >= 400.
CURL_ARGS=()  # the CA and user of a --secure node
http_get() {
    if command -v curl >/dev/null 2>&1; then
        curl -sf --max-time "${2:-10}" ${CURL_ARGS[@]+"${CURL_ARGS[@]}"} "$1"
    else
        python3 - "$1" "${2:-10}" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[2])) as r:
        sys.stdout.write(r.read().decode())
except Exception:
    sys.exit(1)
PY
    fi
}

# Is an Elasticsearch node answering on this port? This bare distribution has no rest-root
# module, so `GET /` answers 405: probe the cluster health API instead.
SCHEME=http  # https for a --secure node
es_answers() { http_get "$SCHEME://127.0.0.1:$1/_cluster/health?timeout=1s" 5 2>/dev/null | grep -q '"cluster_name"'; }

es_version() { # version of the node answering on this port
    http_get "$SCHEME://127.0.0.1:$1/_nodes/_local?filter_path=nodes.*.version" 5 | json_field version
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

json_field() { # json_field KEY < json  (flat string/number fields only)
    sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n1
}

print_health() { # print_health PORT
    http_get "$SCHEME://127.0.0.1:$1/_cluster/health" 10 && echo
}

# ---------------------------------------------------------------------- fetch
fetch() {
    [[ -f "$MARKER" ]] && return 0
    command -v unzip >/dev/null 2>&1 || die "unzip is required (apt-get install unzip)"
    exec {lock}>"$CACHE/.elasticsearch-fetch.lock"
    flock -w 600 "$lock" || die "timed out waiting for another fetch"
    if [[ -f "$MARKER" ]]; then exec {lock}>&-; return 0; fi

    local t0 zip dl tmp
    t0="$(now)"
    if [[ -n "${ES_ZIP:-}" ]]; then
        zip="$ES_ZIP"
        [[ -f "$zip" ]] || die "ES_ZIP=$zip does not exist"
    else
        command -v mvn >/dev/null 2>&1 || die "mvn is required to fetch $ARTIFACT (or set ES_ZIP)"
        dl="$CACHE/downloads"
        mkdir -p "$dl"
        local -a mvn_args=(-B -q dependency:copy "-Dartifact=$ARTIFACT" -Dtransitive=false
            "-DoutputDirectory=$dl" -Dmdep.useBaseVersion=true)
        # Offline first (the zip is usually in ~/.m2 already), then Maven Central.
        if ! (cd "$dl" && mvn -o "${mvn_args[@]}") >/dev/null 2>&1; then
            log "resolving $ARTIFACT from Maven Central (~100 MB) ..."
            (cd "$dl" && mvn "${mvn_args[@]}") || die "mvn could not resolve $ARTIFACT"
        fi
        zip="$dl/elasticsearch-$ES_VERSION.zip"
        [[ -f "$zip" ]] || die "mvn finished but $zip is missing"
    fi

    log "unpacking $(basename "$zip") into $DIST ..."
    tmp="$(mktemp -d "$CACHE/.unpack.XXXXXX")"
    unzip -q "$zip" -d "$tmp" || { rm -rf "$tmp"; die "unzip failed for $zip"; }
    [[ -x "$tmp/elasticsearch-$ES_VERSION/bin/elasticsearch" ]] \
        || { rm -rf "$tmp"; die "unexpected layout in $zip"; }
    chmod -R a+rX "$tmp/elasticsearch-$ES_VERSION"
    if [[ -d "$DIST" ]]; then   # a half-finished earlier unpack: overwrite, keep nodes/
        cp -a "$tmp/elasticsearch-$ES_VERSION/." "$DIST/"
    else
        mv "$tmp/elasticsearch-$ES_VERSION" "$DIST"
    fi
    rm -rf "$tmp" "${dl:-}"
    touch "$MARKER"
    exec {lock}>&-
    log "Elasticsearch $ES_VERSION ready in $DIST ($(since "$t0") s)"
}

# ----------------------------------------------------------------------- java
java_major() { # java_major JAVA_HOME -> major version (e.g. 25)
    local home="$1" v=""
    [[ -x "$home/bin/java" ]] || return 1
    [[ -r "$home/release" ]] && v="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")"
    [[ -n "$v" ]] || v="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
    v="${v#1.}"
    v="${v%%[!0-9]*}"
    [[ -n "$v" ]] && echo "$v"
}

find_java() {
    local cand m best="" best_m=0
    for cand in "${ES_JAVA_HOME:-}" "${JAVA_HOME:-}"; do
        [[ -n "$cand" ]] || continue
        m="$(java_major "$cand" || true)"
        if [[ -n "$m" && "$m" -ge "$MIN_JAVA" ]]; then echo "$cand"; return 0; fi
        log "ignoring Java at $cand (version ${m:-unknown}; Elasticsearch $ES_VERSION needs >= $MIN_JAVA)"
    done
    # Prefer a Temurin JDK, then any other JDK on the machine; highest version wins.
    for cand in /usr/lib/jvm/temurin-2*-jdk* /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
        [[ -d "$cand" ]] || continue
        m="$(java_major "$cand" || true)"
        if [[ -n "$m" && "$m" -ge "$MIN_JAVA" && "$m" -gt "$best_m" ]]; then best="$cand"; best_m="$m"; fi
    done
    [[ -n "$best" ]] || die "no Java >= $MIN_JAVA found (set ES_JAVA_HOME; looked in /usr/lib/jvm)"
    echo "$best"
}

# ------------------------------------------------------------ unprivileged user
ensure_user() {
    [[ $EUID -eq 0 ]] || return 0
    id -u "$ES_USER" >/dev/null 2>&1 && return 0
    log "creating system user $ES_USER (Elasticsearch refuses to run as root)"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$ES_USER" 2>/dev/null \
        || id -u "$ES_USER" >/dev/null 2>&1 \
        || die "could not create user $ES_USER"
}

as_es() { # run a command as the user Elasticsearch runs as
    if [[ $EUID -ne 0 ]]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u "$ES_USER" -- "$@"
    else
        su -s /bin/bash "$ES_USER" -c "$(printf '%q ' "$@")"
    fi
}

own() { # give the paths to the Elasticsearch user
    [[ $EUID -eq 0 ]] && chown -R "$ES_USER:" "$@"
    return 0
}

# ---------------------------------------------------------------------- nodes
node_dir() { echo "$DIST/nodes/$1"; }

node_pid() { # node_pid NAME -> pid of a live Elasticsearch process for this node
    local pidfile pid
    pidfile="$(node_dir "$1")/es.pid"
    pid="$( (tr -dc '0-9' <"$pidfile") 2>/dev/null || true)"
    if [[ -n "$pid" ]] && is_node_jvm "$1" "$pid"; then
        echo "$pid"
        return 0
    fi
    rm -f "$pidfile"   # missing or stale
    # No usable pidfile (e.g. start-up was interrupted before it was written): look for the JVM.
    local f
    for f in /proc/[0-9]*/cmdline; do
        pid="${f#/proc/}"
        pid="${pid%/cmdline}"
        if is_node_jvm "$1" "$pid"; then echo "$pid"; return 0; fi
    done
    return 1
}

is_node_jvm() { # is_node_jvm NAME PID: is PID the Elasticsearch JVM of node NAME?
    # Its command line has the main class and this node's own temp dir (set by launch).
    local marker a main=0 mine=0
    marker="-Djava.io.tmpdir=$(node_dir "$1")/tmp"
    local -a args=()
    mapfile -d '' -t args 2>/dev/null <"/proc/$2/cmdline" || return 1
    for a in "${args[@]}"; do
        [[ "$a" == "$marker" ]] && mine=1
        [[ "$a" == *org.elasticsearch.bootstrap.Elasticsearch ]] && main=1
    done
    [[ $mine -eq 1 && $main -eq 1 ]]
}

# write_config NAME HTTP_PORT DATA_DIR CLUSTER_NAME [TRANSPORT_PORT SEED_HOSTS INITIAL_MASTERS]
write_config() {
    local name="$1" port="$2" data="$3" cluster="$4" tport="${5:-}" seeds="${6:-}" masters="${7:-}"
    local node conf
    node="$(node_dir "$name")"
    conf="$node/config"
    mkdir -p "$conf" "$node/logs" "$node/tmp" "$data"
    # A fresh copy of the distribution's config on every start (the keystore ES creates is kept).
    cp -R "$DIST/config/." "$conf/"
    # The stock jvm.options writes gc.log / hs_err files relative to ES_HOME: keep them per node.
    sed -i -e "s#file=gc\.log#file=$node/logs/gc.log#" \
        -e "s#ErrorFile=hs_err_pid#ErrorFile=$node/logs/hs_err_pid#" "$conf/jvm.options"
    mkdir -p "$conf/jvm.options.d"
    echo "-XX:HeapDumpPath=$node/logs" >"$conf/jvm.options.d/kb.options"
    {
        echo "# Generated by scripts/elasticsearch.sh; rewritten on every start."
        echo "cluster.name: $cluster"
        echo "node.name: $name"
        echo "path.data: $data"
        echo "path.logs: $node/logs"
        echo "network.host: 127.0.0.1"
        echo "http.port: $port"
        if [[ -n "$tport" ]]; then
            echo "transport.port: $tport"
            echo "discovery.seed_hosts: [$seeds]"
            # Only for the very first start: once formed, leaving it set earns a data-loss warning.
            [[ -f "$node/.bootstrapped" && -d "$data/_state" ]] || echo "cluster.initial_master_nodes: [$masters]"
        else
            echo "discovery.type: single-node"
            # A fixed transport port of its own (http + 1000), so a single node never takes the
            # 9301/9302 the scale-out cluster needs.
            echo "transport.port: $((port + 1000))"
        fi
        if [[ $SECURE -eq 1 ]]; then
            # One node on loopback: TLS on HTTP (its transport never leaves this JVM).
            echo "xpack.security.enabled: true"
            echo "xpack.security.http.ssl.enabled: true"
            echo "xpack.security.http.ssl.key: certs/node/node.key"
            echo "xpack.security.http.ssl.certificate: certs/node/node.crt"
            echo "xpack.security.http.ssl.certificate_authorities: [certs/ca/ca.crt]"
        else
            # This distribution ships x-pack-security, which is on by default: local dev/test is plain HTTP.
            echo "xpack.security.enabled: false"
        fi
        echo "cluster.routing.allocation.disk.threshold_enabled: false"
        echo "action.destructive_requires_name: false"
    } >"$conf/elasticsearch.yml"
    echo "$port" >"$node/http.port"
    own "$node" "$data"
}

SECURE=0
SECURE_USER="kb-app"

es_tool() { # es_tool JAVA CONF TOOL ARGS...: one of the distribution's CLI tools on a node's config
    local java="$1" conf="$2" tool="$3"
    shift 3
    env -u JAVA_HOME ES_JAVA_HOME="$java" ES_PATH_CONF="$conf" "$DIST/bin/$tool" "$@"
}

# secure_setup NAME PORT JAVA: a CA and a node certificate made for this start, the project's
# role and a file-realm user with a new password; writes <node>/kb-secure.env for clients.
secure_setup() {
    local name="$1" port="$2" java="$3" node conf certs password prefix
    node="$(node_dir "$name")"
    conf="$node/config"
    certs="$conf/certs"
    rm -rf "$certs"
    mkdir -p "$certs"
    es_tool "$java" "$conf" elasticsearch-certutil ca --silent --pem --out "$certs/ca.zip" >/dev/null \
        || die "elasticsearch-certutil could not make a CA"
    unzip -q "$certs/ca.zip" -d "$certs"
    es_tool "$java" "$conf" elasticsearch-certutil cert --silent --pem --ca-cert "$certs/ca/ca.crt" \
        --ca-key "$certs/ca/ca.key" --ip 127.0.0.1 --dns localhost --name node --out "$certs/node.zip" >/dev/null \
        || die "elasticsearch-certutil could not make the node certificate"
    unzip -q "$certs/node.zip" -d "$certs"
    rm -f "$certs"/*.zip
    prefix="${KB_ES_INDEX:-newsletter-kb}"
    # The least the app and the indexer need: cluster health and stats, and their own indices.
    printf 'kb_app:\n  cluster: [monitor]\n  indices:\n    - names: ["%s*"]\n      privileges: [all]\n' \
        "$prefix" >>"$conf/roles.yml"
    password="$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
    es_tool "$java" "$conf" elasticsearch-users useradd "$SECURE_USER" -p "$password" -r kb_app \
        || die "elasticsearch-users could not add $SECURE_USER"
    chmod a+r "$certs/ca/ca.crt"
    {
        echo "ES_URL=https://127.0.0.1:$port"
        echo "ES_CA_CERTS=$certs/ca/ca.crt"
        echo "ES_USERNAME=$SECURE_USER"
        echo "ES_PASSWORD=$password"
        echo "KB_ES_INDEX=$prefix"
    } >"$node/kb-secure.env"
    chmod 600 "$node/kb-secure.env"
    own "$conf"
    use_secure_env "$node/kb-secure.env"
}

use_secure_env() { # curl probes a --secure node with its CA and user
    local f="$1"
    CURL_ARGS=(--cacert "$(sed -n 's/^ES_CA_CERTS=//p' "$f")"
        -u "$(sed -n 's/^ES_USERNAME=//p' "$f"):$(sed -n 's/^ES_PASSWORD=//p' "$f")")
}

# launch NAME JAVA -> starts the daemon; returns when the JVM is up (not yet the cluster)
launch() {
    local name="$1" java="$2" node rc=0
    node="$(node_dir "$1")"
    rm -f "$node/es.pid"
    touch "$node/logs/.launched"
    as_es env -u JAVA_HOME \
        ES_JAVA_HOME="$java" \
        ES_PATH_CONF="$node/config" \
        ES_TMPDIR="$node/tmp" \
        ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP ${ES_JAVA_OPTS:-}" \
        timeout "$START_TIMEOUT" "$DIST/bin/elasticsearch" -d -p "$node/es.pid" \
        >"$node/logs/startup.out" 2>&1 </dev/null || rc=$?
    return "$rc"
}

show_failure() { # show_failure NAME CLUSTER
    local node logf
    node="$(node_dir "$1")"
    logf="$node/logs/$2.log"
    if [[ -s "$node/logs/startup.out" ]]; then
        log "---- $node/logs/startup.out (last 60 lines)"
        tail -n 60 "$node/logs/startup.out" >&2
    fi
    if [[ -f "$logf" && "$logf" -nt "$node/logs/.launched" ]]; then
        log "---- $logf (last 60 lines)"
        tail -n 60 "$logf" >&2
    else
        log "(this start wrote nothing to $logf)"
    fi
}

# wait_health PORT QUERY DEADLINE PIDNAMES... -> 0 once the health query succeeds
wait_health() {
    local port="$1" query="$2" deadline="$3" n
    shift 3
    while :; do
        if http_get "$SCHEME://127.0.0.1:$port/_cluster/health?$query&timeout=2s" 10 >/dev/null 2>&1; then
            return 0
        fi
        for n in "$@"; do
            node_pid "$n" >/dev/null || { log "node $n exited during start-up"; return 1; }
        done
        awk -v d="$deadline" -v t="$(now)" 'BEGIN { exit !(t < d) }' || return 1
        sleep 1
    done
}

stop_node() { # stop_node NAME
    local name="$1" pid i
    if ! pid="$(node_pid "$name")"; then
        log "node $name is not running"
        return 0
    fi
    log "stopping node $name (pid $pid) ..."
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < STOP_TIMEOUT * 4; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "node $name did not stop within ${STOP_TIMEOUT}s; sending KILL"
        kill -KILL "$pid" 2>/dev/null || true
        for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    fi
    kill -0 "$pid" 2>/dev/null && die "could not stop pid $pid"
    rm -f "$(node_dir "$name")/es.pid"
    log "node $name stopped"
}

# Checks before starting node NAME on PORT: 0 = go on, 10 = already answering.
precheck() {
    local name="$1" port="$2" pid version
    if es_answers "$port"; then
        version="$(es_version "$port" || true)"
        log "an Elasticsearch node (version ${version:-?}) already answers on port $port"
        [[ "$version" == "$ES_VERSION" ]] || log "warning: expected version $ES_VERSION"
        return 10
    fi
    if pid="$(node_pid "$name")"; then
        log "node $name is already running (pid $pid) but not answering on port $port"
        log "it may be on another port or still starting; run: $0 stop --name $name"
        return 1
    fi
    if port_in_use "$port"; then
        log "port $port is in use by something that is not Elasticsearch"
        return 1
    fi
    return 0
}

check_readable() { # the unprivileged user must be able to reach the distribution
    [[ $EUID -eq 0 ]] || return 0
    as_es test -x "$DIST/bin/elasticsearch" || die "user $ES_USER cannot read $DIST; \
make every parent folder of $CACHE world-executable or set KB_CACHE_DIR (e.g. /var/tmp/kb-cache)"
}

cmd_start() {
    local port="" name="" data="" fresh=0
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --port) port="${2:?--port needs a value}"; shift 2 ;;
            --name) name="${2:?--name needs a value}"; shift 2 ;;
            --data) data="${2:?--data needs a value}"; shift 2 ;;
            --fresh) fresh=1; shift ;;
            --secure) SECURE=1; SCHEME=https; shift ;;
            *) die "start: unknown option $1" ;;
        esac
    done
    if [[ $SECURE -eq 1 ]]; then
        port="${port:-${ES_SECURE_PORT:-9210}}"
        name="${name:-es-secure}"
        command -v curl >/dev/null 2>&1 || die "--secure needs curl"
        [[ -f "$(node_dir "$name")/kb-secure.env" ]] && use_secure_env "$(node_dir "$name")/kb-secure.env"
    fi
    port="${port:-$ES_PORT}"
    name="${name:-es1}"
    [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || die "invalid node name: $name"
    local rc=0
    precheck "$name" "$port" || rc=$?
    if [[ $rc -eq 10 ]]; then print_health "$port"; return 0; fi
    [[ $rc -eq 0 ]] || exit 1

    fetch
    ensure_user
    check_readable
    local java node t0
    java="$(find_java)"
    node="$(node_dir "$name")"
    mkdir -p "$node"
    if [[ -n "$data" ]]; then mkdir -p "$data"; data="$(cd "$data" && pwd)"; else data="$node/data"; fi
    [[ $fresh -eq 1 ]] && { log "--fresh: wiping $data"; rm -rf "$data"; }
    write_config "$name" "$port" "$data" "kb-dev"
    [[ $SECURE -eq 1 ]] && secure_setup "$name" "$port" "$java"

    log "starting node $name on $SCHEME://127.0.0.1:$port (Java $(java_major "$java") at $java, heap $ES_HEAP) ..."
    t0="$(now)"
    local deadline
    deadline="$(awk -v t="$t0" -v s="$START_TIMEOUT" 'BEGIN { printf "%.3f", t + s }')"
    if ! launch "$name" "$java" \
        || ! wait_health "$port" "wait_for_status=yellow" "$deadline" "$name"; then
        log "node $name failed to start (gave up after $(since "$t0") s; limit ${START_TIMEOUT}s)"
        show_failure "$name" "kb-dev"
        stop_node "$name" >/dev/null 2>&1 || true
        exit 1
    fi
    log "node $name is up on $SCHEME://127.0.0.1:$port (pid $(node_pid "$name")) in $(since "$t0") s"
    [[ $SECURE -eq 1 ]] && log "clients: $(node_dir "$name")/kb-secure.env (ES_URL, ES_CA_CERTS, ES_USERNAME, ES_PASSWORD)"
    print_health "$port"
}

cmd_stop() {
    local name="es1"
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --name) name="${2:?--name needs a value}"; shift 2 ;;
            *) die "stop: unknown option $1" ;;
        esac
    done
    stop_node "$name"
}

cmd_status() {
    local port="$ES_PORT"
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --port) port="${2:?--port needs a value}"; shift 2 ;;
            *) die "status: unknown option $1" ;;
        esac
    done
    print_health "$port" || { log "no Elasticsearch answering on port $port"; exit 1; }
}

cmd_cluster_start() {
    local fresh=0
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --fresh) fresh=1; shift ;;
            *) die "cluster-start: unknown option $1" ;;
        esac
    done
    local i rc seeds="" masters="" todo=()
    for i in "${!CLUSTER_NODES[@]}"; do
        seeds+="${seeds:+, }\"127.0.0.1:${CLUSTER_TRANSPORT[$i]}\""
        masters+="${masters:+, }\"${CLUSTER_NODES[$i]}\""
        rc=0
        precheck "${CLUSTER_NODES[$i]}" "${CLUSTER_HTTP[$i]}" || rc=$?
        case $rc in
            0) todo+=("$i") ;;
            10) ;;
            *) exit 1 ;;
        esac
    done
    local port="${CLUSTER_HTTP[0]}" query="wait_for_nodes=${#CLUSTER_NODES[@]}&wait_for_status=yellow"
    if [[ ${#todo[@]} -eq 0 ]]; then
        http_get "http://127.0.0.1:$port/_cluster/health?$query&timeout=1s" 5 >/dev/null \
            || die "cluster nodes answer but the cluster has not formed; try cluster-stop then cluster-start"
        print_health "$port"
        return 0
    fi

    fetch
    ensure_user
    check_readable
    local java t0 deadline name data pids=() names=() failed=0
    java="$(find_java)"
    for i in "${todo[@]}"; do
        name="${CLUSTER_NODES[$i]}"
        data="$(node_dir "$name")/data"
        [[ $fresh -eq 1 ]] && { log "--fresh: wiping $data"; rm -rf "$data" "$(node_dir "$name")/.bootstrapped"; }
        write_config "$name" "${CLUSTER_HTTP[$i]}" "$data" "$CLUSTER_NAME" \
            "${CLUSTER_TRANSPORT[$i]}" "$seeds" "$masters"
        names+=("$name")
    done
    log "starting cluster $CLUSTER_NAME: ${names[*]} (http ${CLUSTER_HTTP[*]}, transport ${CLUSTER_TRANSPORT[*]}, heap $ES_HEAP each) ..."
    t0="$(now)"
    deadline="$(awk -v t="$t0" -v s="$START_TIMEOUT" 'BEGIN { printf "%.3f", t + s }')"
    # Launch in parallel: a node blocks start-up until it sees a master, which needs both.
    for name in "${names[@]}"; do
        launch "$name" "$java" &
        pids+=("$!")
    done
    for i in "${!pids[@]}"; do
        wait "${pids[$i]}" || { log "node ${names[$i]} failed to launch"; failed=1; }
    done
    if [[ $failed -eq 1 ]] || ! wait_health "$port" "$query" "$deadline" "${CLUSTER_NODES[@]}"; then
        log "cluster $CLUSTER_NAME did not form (gave up after $(since "$t0") s; limit ${START_TIMEOUT}s)"
        for name in "${CLUSTER_NODES[@]}"; do show_failure "$name" "$CLUSTER_NAME"; done
        for name in "${names[@]}"; do stop_node "$name" >/dev/null 2>&1 || true; done
        exit 1
    fi
    for name in "${CLUSTER_NODES[@]}"; do touch "$(node_dir "$name")/.bootstrapped"; done
    log "cluster $CLUSTER_NAME is up with ${#CLUSTER_NODES[@]} nodes in $(since "$t0") s"
    print_health "$port"
}

cmd_cluster_stop() {
    local name
    for name in "${CLUSTER_NODES[@]}"; do stop_node "$name"; done
}

usage() {
    sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
    local cmd="${1:-}"
    [[ $# -gt 0 ]] && shift
    case "$cmd" in
        fetch) fetch; echo "$DIST" ;;
        start) cmd_start "$@" ;;
        stop) cmd_stop "$@" ;;
        status) cmd_status "$@" ;;
        cluster-start) cmd_cluster_start "$@" ;;
        cluster-stop) cmd_cluster_stop "$@" ;;
        -h | --help | help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"

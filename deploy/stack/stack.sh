#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The local stack (DESIGN.md "Local stack"): every party of a private request
# on this machine, on 127.0.0.1 at free ports, with a simulated TEE.
#
#   stack.sh up [--replicas N]   start (idempotent: a running stack is left as is)
#   stack.sh down                stop everything by pid
#   stack.sh status              what runs, exit 0 only when all of it does
#
#   Prosody (real, loopback)  <- sotto-component (XEP-0114, token issuer)
#   nginx: /relay /keys /evidence -> sotto-gateway x N (simulated SEV-SNP)
#          /log/ -> the release log (tlog-tiles), cosigned by two witnesses
#   Redis when N > 1 (spent tokens shared by the replicas)
#
# Writes $STACK/stack.json (default build/stack/stack.json) with every
# endpoint, the test users, the component JID and the log/witness keys.
# Environment: SOTTO_BUILD (build dir), SOTTO_STACK (state dir).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${SOTTO_BUILD:-$ROOT/build}
STACK=${SOTTO_STACK:-$BUILD/stack}
# shellcheck source=deploy/stack/lib.sh
. "$HERE/lib.sh"

SOTTO="$BUILD/tools/sotto"
GATEWAY="$BUILD/tee-backend/gateway/sotto-gateway"
COMPONENT="$BUILD/plugin/server/sotto-component"
PY=/usr/bin/python3

DOMAIN=sotto.test
COMPONENT_JID=pp.sotto.test
ORIGIN=gateway.sotto.test
LOG_ORIGIN=log.sotto.test/release
ISSUER=pp.sotto.test

pid_of() { cat "$STACK/pids/$1" 2>/dev/null || true; }

# What other users read: Prosody runs as the prosody user, nginx's workers as
# nobody (the log's tiles). Under a private home (/root is 0700) they cannot
# reach $STACK, so their folders (prosody/, log/, nginx/) go to a traversable
# folder of their own, kept across runs like $STACK; $STACK/runtime.path
# says where.
runtime_dir() { cat "$STACK/runtime.path" 2>/dev/null || echo "$STACK"; }
prosody_dir() { echo "$(runtime_dir)/prosody"; }

can_reach() { # USER GROUP DIR
    setpriv --reuid="$1" --regid="$2" --clear-groups -- test -x "$3" 2>/dev/null
}

choose_runtime_dir() {
    local rt
    rt=$(runtime_dir)
    if [ "$rt" != "$STACK" ] && [ -d "$rt" ]; then
        echo "$rt"
        return
    fi
    rm -f "$STACK/runtime.path"
    if [ "$(id -u)" -ne 0 ] || { can_reach prosody prosody "$STACK" && can_reach nobody nogroup "$STACK"; }; then
        echo "$STACK"
        return
    fi
    rt=$(mktemp -d "${TMPDIR:-/tmp}/sotto-stack.XXXXXX")
    chmod 711 "$rt"
    echo "$rt" >"$STACK/runtime.path"
    echo "$rt"
}

# The processes of a running stack: name -> command name (for alive checks).
declare -A COMM=([nginx]=nginx [component]=sotto-component [prosody]=lua5 [redis]=redis-server)

stack_pids() {
    local f
    for f in "$STACK"/pids/*; do
        [ -f "$f" ] && printf '%s %s\n' "${f##*/}" "$(cat "$f")"
    done
}

comm_for() {
    case "$1" in
    gateway*) echo sotto-gateway ;;
    *) echo "${COMM[$1]:-$1}" ;;
    esac
}

cmd_status() {
    [ -f "$STACK/stack.json" ] || { echo "stack: down"; return 1; }
    local name pid all=0
    while read -r name pid; do
        if alive "$pid" "$(comm_for "$name")"; then
            printf '  %-12s pid %-8s running\n' "$name" "$pid"
        else
            printf '  %-12s pid %-8s NOT RUNNING\n' "$name" "$pid"
            all=1
        fi
    done < <(stack_pids)
    [ $all -eq 0 ] && echo "stack: up ($STACK/stack.json)" || echo "stack: degraded"
    return $all
}

cmd_down() {
    local name pid
    if [ -d "$STACK/pids" ]; then
        while read -r name pid; do
            case "$name" in
            prosody) ;; # prosody-down.sh below
            redis) ;;   # redis-down.sh below
            *) stop_pid "$pid" "$(comm_for "$name")" ;;
            esac
            rm -f "$STACK/pids/$name"
        done < <(stack_pids)
    fi
    local pdir
    pdir=$(prosody_dir)
    [ -f "$pdir/prosody.json" ] && "$HERE/prosody-down.sh" "$pdir" || true
    [ -f "$STACK/redis.json" ] && "$HERE/redis-down.sh" "$STACK" || true
    rm -f "$STACK/stack.json"
    stack_say "stack down"
}

need_binaries() {
    local b
    for b in "$SOTTO" "$GATEWAY" "$COMPONENT"; do
        [ -x "$b" ] || stack_die "$b is not built (run ./sotto build)"
    done
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || stack_die "nginx is not installed"
}

# Starts a background process with its output in $STACK/logs/NAME.log.
start_bg() {
    local name=$1
    shift
    setsid "$@" >"$STACK/logs/$name.log" 2>&1 </dev/null &
    echo $! >"$STACK/pids/$name"
}

random_secret() { head -c 18 /dev/urandom | base64 | tr '+/' '-_'; }

# write_component_conf SECRET RELAY LOG_URL: the admin file of sotto-component
# (deploy/prosody/component.conf.example explains every key). The server port
# is filled in once Prosody has chosen it.
write_component_conf() {
    local secret=$1 relay=$2 log_url=$3 w
    mkdir -p "$STACK/component/state"
    {
        echo "# Written by deploy/stack/stack.sh for the local stack."
        echo "[component]"
        echo "jid = $COMPONENT_JID"
        echo "secret = $secret"
        echo "server-host = 127.0.0.1"
        echo "server-port = ${4:-5347}"
        echo "state-dir = $STACK/component/state"
        echo "[issuance]"
        echo "domain = $DOMAIN"
        echo "quota-per-day = 1000"
        echo "batch-limit = 50"
        echo "issuer-name = $ISSUER"
        echo "[service]"
        echo "relay-url = $relay/relay"
        echo "gateway-origin = $ORIGIN"
        echo "keys-url = $relay/keys"
        echo "evidence-url = $relay/evidence"
        echo "log-url = $log_url/"
        echo "log-key = $(cat "$STACK/log.vkey")"
        for w in witness-a witness-b; do
            echo "witness-key = $(cat "$STACK/witnesses/$w.vkey")"
        done
        echo "witness-quorum = 2"
        echo "tee-platform = milan"
        echo "tee-platform = genoa"
        echo "tee-platform = turin"
        echo "allow-simulated = true"
        echo "feature = summarize"
        echo "feature = rewrite:formal"
        echo "feature = rewrite:friendly"
        echo "feature = rewrite:concise"
        echo "feature = rewrite:proofread"
        echo "max-request-bytes = 65536"
    } >"$STACK/component/component.conf"
    chmod 600 "$STACK/component/component.conf"
}

# write_release_statement: what the simulated gateway will attest, appended
# to the release log (once per gateway binary).
write_release_statement() {
    local source
    source=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || printf '0%.0s' {1..40})
    "$SOTTO" release simulated --dir "$STACK/simulated" --measure "$GATEWAY" \
        --measure "$STACK/gateway/gateway.conf" --source "$source" >"$STACK/release.json.new"
    local measurement
    measurement=$(json_field "$STACK/release.json.new" measurement)
    if [ -f "$STACK/release.json" ] && [ -f "$STACK/log-append.txt" ] &&
        grep -q "\"measurement\":\"$measurement\"" "$STACK/release.json"; then
        rm -f "$STACK/release.json.new"
        return 0
    fi
    mv "$STACK/release.json.new" "$STACK/release.json"
    "$SOTTO" log append "$RT/log" "$STACK/release.json" >"$STACK/log-append.txt"
}

# write_nginx_conf RELAY_PORT LOG_PORT GATEWAY_PORT...: the relay
# (deploy/nginx/relay.conf.in's rules) and the log (deploy/nginx/log.conf).
write_nginx_conf() {
    local relay_port=$1 log_port=$2
    shift 2
    local upstreams="" p
    # Each replica has its own attested key, so a client must reach the
    # replica whose keys it verified: the relay keeps each client on one
    # replica (by its address, which the relay sees anyway and never
    # forwards); a client that lands elsewhere after a failover gets the
    # unknown-key error and re-verifies (RFC 9458 Section 5.2).
    [ $# -gt 1 ] && upstreams="hash \$remote_addr consistent; "
    for p in "$@"; do
        upstreams+="server 127.0.0.1:$p; "
    done
    # The relay template takes one gateway: several replicas share its
    # upstream block.
    sed -e "s|@RELAY_LISTEN@|127.0.0.1:$relay_port|" -e "s|@MAX_BODY@|128k|" \
        -e "s|server @GATEWAY@;|$upstreams|" "$ROOT/deploy/nginx/relay.conf.in" |
        $PY -c 'import sys
conf = sys.stdin.read()
log = """
    server {
        listen 127.0.0.1:%s;
        set $sotto_log_dir %s;
        include %s;
    }
}
""" % (sys.argv[1], sys.argv[2], sys.argv[3])
i = conf.rstrip().rfind("}")
sys.stdout.write(conf[:i] + log)' "$log_port" "$RT/log" "$ROOT/deploy/nginx/log.conf" \
        >"$RT/nginx/nginx.conf"
}

# write_stack_json RELAY LOG_URL ALICE_PW BOB_PW REPLICAS GATEWAY_PORT...
write_stack_json() {
    local relay=$1 log_url=$2 alice=$3 bob=$4
    shift 5
    $PY - "$STACK" "$relay" "$log_url" "$alice" "$bob" "$DOMAIN" "$COMPONENT_JID" "$ORIGIN" \
        "$LOG_ORIGIN" "$ISSUER" "$@" <<'PYEOF'
import json, os, sys
stack, relay, log_url, alice, bob, domain, component, origin, log_origin, issuer = sys.argv[1:11]
gateway_ports = sys.argv[11:]
runtime = stack
if os.path.exists(os.path.join(stack, "runtime.path")):
    runtime = open(os.path.join(stack, "runtime.path")).read().strip()
prosody_dir = os.path.join(runtime, "prosody")
prosody = json.load(open(os.path.join(prosody_dir, "prosody.json")))
keys = json.load(open(os.path.join(stack, "component", "issuer-keys.json")))
read = lambda *p: open(os.path.join(stack, *p)).read().strip()
pids = {}
for name in sorted(os.listdir(os.path.join(stack, "pids"))):
    pids[name] = int(read("pids", name))
doc = {
    "xmpp": {
        "host": "127.0.0.1",
        "port": prosody["c2s_port"],
        "domain": domain,
        # Chat rooms (XEP-0045) with archives and the "no private processing" option.
        "muc": prosody.get("muc", ""),
        "users": [
            {"jid": "alice@" + domain, "password": alice},
            {"jid": "bob@" + domain, "password": bob},
        ],
    },
    "component": component,
    "relays": [relay + "/relay"],
    "keys_url": relay + "/keys",
    "evidence_url": relay + "/evidence",
    "gateway_origin": origin,
    "gateway_url": "http://127.0.0.1:%s" % gateway_ports[0],
    "gateway_urls": ["http://127.0.0.1:%s" % p for p in gateway_ports],
    "log": {"url": log_url + "/", "origin": log_origin, "key": read("log.vkey")},
    "witnesses": [
        {"name": w + ".sotto.test", "key": read("witnesses", w + ".vkey")}
        for w in ("witness-a", "witness-b")
    ],
    "witness_quorum": 2,
    # The component publishes [previous (while its tokens live)], current, next:
    # the current key, the one its form offers and that issues, is second to last.
    "issuer": {"name": keys["issuer_name"], "token_key": keys["keys"][-2]["token_key"]},
    "pids": pids,
}
tmp = os.path.join(stack, "stack.json.tmp")
with open(tmp, "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
os.chmod(tmp, 0o600)
os.replace(tmp, os.path.join(stack, "stack.json"))
PYEOF
}

cmd_up() {
    local replicas=1
    while [ $# -gt 0 ]; do
        case "$1" in
        --replicas) replicas=${2:?--replicas needs a number}; shift 2 ;;
        *) stack_die "unknown argument '$1' (stack up [--replicas N])" ;;
        esac
    done
    [[ $replicas =~ ^[1-9][0-9]?$ ]] || stack_die "--replicas: 1 to 99"
    if cmd_status >/dev/null 2>&1; then
        stack_say "stack already up ($STACK/stack.json)"
        return 0
    fi
    [ -d "$STACK/pids" ] && cmd_down >/dev/null 2>&1
    need_binaries
    mkdir -p "$STACK"/{pids,logs,gateway,component,witnesses}
    # Traversable (not listable) for the prosody user; secrets inside are 0600.
    chmod 711 "$STACK"
    RT=$(choose_runtime_dir)
    mkdir -p "$RT/nginx/tmp"

    # Ports, picked up front so every configuration can name every endpoint.
    local relay_port log_port i
    relay_port=$(free_port)
    log_port=$(free_port)
    local gw_ports=() gw_metrics=()
    for ((i = 0; i < replicas; i++)); do
        gw_ports+=("$(free_port)")
        gw_metrics+=("$(free_port)")
    done
    local relay="http://127.0.0.1:$relay_port"
    local log_url="http://127.0.0.1:$log_port/log"

    # 1. The release log and two witnesses (keys kept across runs).
    stack_say "release log and witnesses"
    if [ ! -f "$STACK/log.vkey" ] || [ ! -f "$RT/log/checkpoint" ]; then
        # A new log key: witnesses that saw the old log would (rightly)
        # refuse it, so they start over with it.
        rm -rf "$RT/log" "$STACK/log-append.txt" "$STACK/release.json"
        rm -f "$STACK"/witnesses/*
        "$SOTTO" log init "$RT/log" --origin "$LOG_ORIGIN" >"$STACK/log.vkey"
    fi
    local w
    for w in witness-a witness-b; do
        [ -f "$STACK/witnesses/$w.vkey" ] ||
            "$SOTTO" witness init --state "$STACK/witnesses/$w.state" --name "$w.sotto.test" \
                >"$STACK/witnesses/$w.vkey"
    done

    # 2. Prosody with two test users; the component's configuration and
    #    issuer keys (created if missing).
    stack_say "Prosody and the token issuer's keys"
    local secret alice bob
    secret=$(random_secret)
    # Prosody first: the component's configuration names its component port.
    alice=$(random_secret)
    bob=$(random_secret)
    local pdir="$RT/prosody"
    "$HERE/prosody-up.sh" "$pdir" --domain "$DOMAIN" --component "$COMPONENT_JID" \
        --secret "$secret" --muc "rooms.$DOMAIN" --user "alice:$alice" --user "bob:$bob" >/dev/null ||
        stack_die "Prosody did not start (see $pdir)"
    json_field "$pdir/prosody.json" pid >"$STACK/pids/prosody"
    local cport
    cport=$(json_field "$pdir/prosody.json" component_port)
    write_component_conf "$secret" "$relay" "$log_url" "$cport"
    "$COMPONENT" --config "$STACK/component/component.conf" --print-issuer-keys \
        >"$STACK/component/issuer-keys.json"

    # 3. The gateway's measured configuration and its release statement,
    #    appended to the log.
    stack_say "release statement for the gateway"
    cat >"$STACK/gateway/gateway.conf" <<EOF
# The settings this release runs with: measured with the gateway binary
# (the simulated TEE's measurement covers both; they win over the command line).
engine = builtin
origin = $ORIGIN
key-rotation = 3600
max-request-bytes = 131072
deadline-ms = 10000
queue = 256
EOF
    write_release_statement
    local index
    index=$(sed -n 's/^index //p' "$STACK/log-append.txt")

    # 4. Redis (only when replicas share spent tokens), then the gateways.
    local redis_args=()
    if [ "$replicas" -gt 1 ]; then
        "$HERE/redis-up.sh" "$STACK" >/dev/null
        redis_args=(--redis "127.0.0.1:$(json_field "$STACK/redis.json" port)")
        json_field "$STACK/redis.json" pid >"$STACK/pids/redis"
    fi
    stack_say "gateway x $replicas (simulated SEV-SNP)"
    for ((i = 0; i < replicas; i++)); do
        start_bg "gateway$i" "$GATEWAY" --listen "127.0.0.1:${gw_ports[i]}" \
            --metrics "127.0.0.1:${gw_metrics[i]}" --attestation simulated \
            --simulated-dir "$STACK/simulated" --release "$STACK/release.json" \
            --log-index "$index" --issuer-keys "$STACK/component/issuer-keys.json" \
            --config "$STACK/gateway/gateway.conf" "${redis_args[@]}"
        wait_for_line "$STACK/logs/gateway$i.log" '^sotto-gateway listening on' \
            "$(pid_of "gateway$i")" 60 >/dev/null ||
            { tail -n 20 "$STACK/logs/gateway$i.log" >&2; stack_die "gateway $i did not start"; }
    done

    # 5. nginx: the relay and the log.
    stack_say "nginx (relay and log)"
    write_nginx_conf "$relay_port" "$log_port" "${gw_ports[@]}"
    start_bg nginx nginx -p "$RT/nginx" -c "$RT/nginx/nginx.conf" -e "$RT/nginx/error.log" \
        -g 'daemon off;'
    wait_for_http "$relay/keys" 30 || { cat "$RT/nginx/error.log" >&2; stack_die "relay did not start"; }
    wait_for_http "$log_url/checkpoint" 30 || stack_die "log server did not start"

    # 6. Witnesses cosign the log's checkpoint through nginx.
    stack_say "witnesses cosign"
    local vkeys=()
    for w in witness-a witness-b; do
        "$SOTTO" witness cosign --log "$log_url" --log-key "$(cat "$STACK/log.vkey")" \
            --state "$STACK/witnesses/$w.state" --out "$STACK/witnesses/$w.cosig" >/dev/null
        vkeys+=(--witness-key "$(cat "$STACK/witnesses/$w.vkey")")
    done
    "$SOTTO" log cosign "$RT/log" "$STACK/witnesses/witness-a.cosig" "${vkeys[@]}" >/dev/null
    "$SOTTO" log cosign "$RT/log" "$STACK/witnesses/witness-b.cosig" "${vkeys[@]}" >/dev/null

    # 7. The component on Prosody's component port.
    stack_say "the component joins Prosody"
    start_bg component "$COMPONENT" --config "$STACK/component/component.conf"
    wait_for_line "$STACK/logs/component.log" 'connected|authenticated' "$(pid_of component)" 60 \
        >/dev/null || { tail -n 20 "$STACK/logs/component.log" >&2; stack_die "component did not connect"; }

    write_stack_json "$relay" "$log_url" "$alice" "$bob" "$replicas" "${gw_ports[@]}"
    stack_say "stack up: $STACK/stack.json"
}

case "${1:-}" in
up) shift; cmd_up "$@" ;;
down) cmd_down ;;
status) cmd_status ;;
*) echo "usage: stack.sh up [--replicas N] | down | status" >&2; exit 2 ;;
esac

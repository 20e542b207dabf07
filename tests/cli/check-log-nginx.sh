#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The release log as deployed: `sotto log` writes it, the real nginx serves it
# with deploy/nginx/log.conf on a free loopback port, two `sotto witness`
# processes cosign it over HTTP, `sotto log cosign` collects their lines and
# `sotto audit` verifies everything over HTTP. Checks the caching headers,
# that nothing but the checkpoint and tiles is served, and that the witnesses
# refuse a fork and a rollback served by the same nginx. With the Go peer
# (tests/tlog/go/tlogpeer), Go's x/mod also verifies the log over HTTP.
# Usage: check-log-nginx.sh SOTTO_BINARY LOG_CONF [NGINX_BINARY [GO_PEER]]
set -uo pipefail
sotto=$1
conf=$2
nginx=${3:-/usr/sbin/nginx}
gopeer=${4:-}
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
[ -x "$nginx" ] || { echo "no nginx at $nginx"; exit 77; }
# nginx's workers may run as another user than root's master: let them read.
chmod 755 "$work"

nginx_pid=
stop_nginx() { [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null; nginx_pid=; }
trap 'stop_nginx; rm -rf "$work"' EXIT

statement() { # statement VERSION
    printf '{"schema":"sotto-release/0","platform":"sev-snp","measurement":"%s","policy":"0x30000",' \
        000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f
    printf '"version":"%s","source":"55126c1c0ffee0000000000000000000000000aa",' "$1"
    printf '"image":"sha256:%s","issued":"2026-11-25T10:00:00Z"}\n' \
        aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
}
check() { # check <description> <command...>: passes when the command succeeds
    local what=$1
    shift
    if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
header() { # header <path> <method>: response headers of /log/<path>, lower-case
    curl -s --path-as-is -o /dev/null -D - -X "${2:-GET}" "$url/$1" | tr -d '\r' | tr 'A-Z' 'a-z'
}
status() { curl -s --path-as-is -o /dev/null -w '%{http_code}' -X "${2:-GET}" "$url/$1"; }

log=$work/log
statement 0.3.1 >"$work/s1.json"
statement 0.4.0 >"$work/s2.json"
statement 6.6.6 >"$work/evil.json"
logkey=$("$sotto" log init "$log" --origin log.example/sotto-releases) || { echo "FAIL: log init"; exit 1; }
expect "append the gateway's release statement" 0 "$sotto" log append "$log" "$work/s1.json"

# nginx on a free port: ask the kernel for one, retry if another process
# takes it before nginx binds.
mkdir -p "$work/nginx/tmp"
for attempt in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
pid nginx.pid;
error_log error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path tmp/client_body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        set \$sotto_log_dir $log;
        include $conf;
    }
}
EOF
    "$nginx" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" -g 'daemon off;' &
    nginx_pid=$!
    url=http://127.0.0.1:$port/log
    # Until it answers, or exits (port taken): a bounded wait, not a timing check.
    for _ in $(seq 600); do
        curl -s -o /dev/null "$url/checkpoint" && break
        kill -0 "$nginx_pid" 2>/dev/null || break
        sleep 0.1
    done
    if curl -s -o /dev/null "$url/checkpoint"; then break; fi
    stop_nginx
done
[ -n "$nginx_pid" ] || { echo "FAIL: nginx did not start"; cat "$work/nginx/error.log"; exit 1; }
echo "ok: nginx serves the log at $url"

# Two witnesses cosign over HTTP; the log collects both lines.
w1=$("$sotto" witness init --state "$work/w1.state" --name witness.example/w1)
w2=$("$sotto" witness init --state "$work/w2.state" --name witness.example/w2)
expect "witness 1 cosigns over HTTP" 0 "$sotto" witness cosign --log "$url" --log-key "$logkey" \
    --state "$work/w1.state" --out "$work/w1.sig"
expect "witness 2 cosigns over HTTP" 0 "$sotto" witness cosign --log "$url" --log-key "$logkey" \
    --state "$work/w2.state" --out "$work/w2.sig"
expect "log collects cosignature 1" 0 "$sotto" log cosign "$log" "$work/w1.sig" --witness-key "$w1"
expect "log collects cosignature 2" 0 "$sotto" log cosign "$log" "$work/w2.sig" \
    --witness-key "$w1" --witness-key "$w2"
curl -s "$url/checkpoint" >"$work/checkpoint.1"
contains "the served checkpoint carries witness 1" "$work/checkpoint.1" "— witness.example/w1 "
contains "and witness 2" "$work/checkpoint.1" "— witness.example/w2 "

expect "audit over HTTP with a quorum of 2" 0 "$sotto" audit --log "$url" --log-key "$logkey" \
    --witness-key "$w1" --witness-key "$w2"
contains "audit lists the release" "$work/out" "0 0.3.1 55126c1c"
contains "and both witnesses" "$work/out" "cosigned by 2 witness(es)"
expect "audit --json" 0 "$sotto" audit --log "$url" --log-key "$logkey" --witness-key "$w1" \
    --witness-key "$w2" --json
check "the JSON report says verified, size 1, two witnesses, the statement" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["verified"] is True and r["size"] == 1 and r["origin"] == "log.example/sotto-releases"
assert sorted(r["witnesses"]) == ["witness.example/w1", "witness.example/w2"]
assert r["releases"][0]["index"] == 0 and r["releases"][0]["version"] == "0.3.1"
assert "error" not in r' "$work/out"

if [ -n "$gopeer" ] && [ -x "$gopeer" ]; then
    expect "Go x/mod verifies the checkpoint over HTTP" 0 "$gopeer" verify-checkpoint "$logkey" "$url/checkpoint"
    contains "leaving both cosignatures unverified" "$work/out" "unverified=2"
    expect "Go x/mod reads the tiles over HTTP and proves the entry" 0 "$gopeer" prove "$url" "$logkey"
else
    echo "skipped: Go peer not built (no go toolchain)"
fi

# Caching headers.
header checkpoint >"$work/h"
contains "checkpoint: no-cache" "$work/h" "cache-control: no-cache"
contains "checkpoint: text/plain" "$work/h" "content-type: text/plain; charset=utf-8"
header tile/0/000.p/1 >"$work/h"
contains "partial tile: short-lived" "$work/h" "cache-control: public, max-age=60"
header tile/entries/000.p/1 >"$work/h"
contains "partial bundle: short-lived" "$work/h" "cache-control: public, max-age=60"
contains "tiles are octet streams" "$work/h" "content-type: application/octet-stream"

# Only checkpoint and tiles.
for path in signer.key .lock tile/ tile/0 "../log/signer.key" "tile/../signer.key" checkpoint.tmp-1 \
    tile/0/000.p/1.tmp-1 tile/0/1.p/1 tile/entries/x000; do
    code=$(status "$path")
    if [ "$code" = 404 ] || [ "$code" = 400 ] || [ "$code" = 403 ]; then
        echo "ok: /log/$path is not served ($code)"
    else
        echo "FAIL: /log/$path answered $code"; failures=$((failures + 1))
    fi
done
code=$(status checkpoint POST)
[ "$code" = 403 ] && echo "ok: POST refused" || { echo "FAIL: POST answered $code"; failures=$((failures + 1)); }

# A backup of the log at size 1, and a fork of it signed with the same key.
cp -a "$log" "$work/backup"
cp -a "$log" "$work/fork"
rm -f "$work/fork/.lock"
for i in $(seq 256); do "$sotto" log append "$log" "$work/s2.json" >/dev/null || break; done
for i in $(seq 256); do "$sotto" log append "$work/fork" "$work/evil.json" >/dev/null || break; done
header tile/0/000 >"$work/h"
contains "full tile: immutable for a year" "$work/h" "cache-control: public, max-age=31536000, immutable"
header tile/entries/000 >"$work/h"
contains "full bundle: immutable" "$work/h" "cache-control: public, max-age=31536000, immutable"
header tile/0/001.p/1 >"$work/h"
contains "the new partial tile: short-lived" "$work/h" "cache-control: public, max-age=60"

expect "audit after the append: the old cosignatures are gone" 1 "$sotto" audit --log "$url" \
    --log-key "$logkey" --witness-key "$w1" --witness-key "$w2"
contains "and it says so" "$work/err" "WitnessQuorumNotMet"
expect "witness 1 cosigns the grown log (consistency proof over HTTP)" 0 "$sotto" witness cosign \
    --log "$url" --log-key "$logkey" --state "$work/w1.state" --out "$work/w1.sig"
expect "witness 2 too" 0 "$sotto" witness cosign --log "$url" --log-key "$logkey" \
    --state "$work/w2.state" --out "$work/w2.sig"
cat "$work/w1.sig" "$work/w2.sig" >"$work/both.sig"
expect "log collects both from one file" 0 "$sotto" log cosign "$log" "$work/both.sig" \
    --witness-key "$w1" --witness-key "$w2"
expect "audit --since the size-1 checkpoint" 0 "$sotto" audit --log "$url" --log-key "$logkey" \
    --witness-key "$w1" --witness-key "$w2" --since "$work/checkpoint.1"
contains "257 entries" "$work/out" "257 entries"
if [ -n "$gopeer" ] && [ -x "$gopeer" ]; then
    expect "Go x/mod proves all 257 entries over HTTP" 0 "$gopeer" prove "$url" "$logkey"
    expect "and consistency with the size-1 checkpoint" 0 "$gopeer" consistency "$url" "$logkey" "$work/checkpoint.1"
fi
cp "$log/checkpoint" "$work/checkpoint.257"

# The fork is served in place of the log (same key, same size, other root).
mv "$log" "$work/real" && mv "$work/fork" "$log"
expect "witness 1 refuses the fork" 1 "$sotto" witness cosign --log "$url" --log-key "$logkey" \
    --state "$work/w1.state" --out "$work/fork.sig"
contains "and says fork" "$work/err" "refusing a fork"
check "no cosignature was written for the fork" test ! -e "$work/fork.sig"
expect "audit --since the real checkpoint sees the fork" 1 "$sotto" audit --log "$url" \
    --log-key "$logkey" --since "$work/checkpoint.257"
contains "audit says Fork" "$work/err" "Fork"

# The backup (size 1) is served: a rollback.
mv "$log" "$work/fork" && mv "$work/backup" "$log"
expect "witness 2 refuses the rollback" 1 "$sotto" witness cosign --log "$url" --log-key "$logkey" \
    --state "$work/w2.state"
contains "and says rollback" "$work/err" "refusing a rollback"
expect "audit --since the real checkpoint sees the rollback" 1 "$sotto" audit --log "$url" \
    --log-key "$logkey" --since "$work/checkpoint.257" --json
contains "JSON error Rollback" "$work/out" '"error":"Rollback"'
contains "JSON verified false" "$work/out" '"verified":false'
mv "$log" "$work/backup" && mv "$work/real" "$log"
expect "the real log still audits" 0 "$sotto" audit --log "$url" --log-key "$logkey" \
    --witness-key "$w1" --witness-key "$w2" --since "$work/checkpoint.257"

stop_nginx
expect "audit of a log whose server is gone" 1 "$sotto" audit --log "$url" --log-key "$logkey"
contains "says it cannot connect" "$work/err" "ConnectFailed"

if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed"; exit 1; fi
echo "all nginx log checks passed"

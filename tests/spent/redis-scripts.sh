#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# deploy/stack/redis-up.sh and redis-down.sh: up writes DIR/redis.json and the
# server answers on its port; a second up refuses; down stops exactly that
# pid and removes the file; a second down is a no-op.
set -uo pipefail
scripts=${1:?usage: redis-scripts.sh DEPLOY_STACK_DIR}
dir=$(mktemp -d)
trap '"$scripts/redis-down.sh" "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
fail() {
    echo "FAIL: $*"
    exit 1
}

out=$("$scripts/redis-up.sh" "$dir") || fail "redis-up.sh failed: $out"
[ -f "$dir/redis.json" ] || fail "no redis.json"
pid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$dir/redis.json")
port=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["port"])' "$dir/redis.json")
[ "$out" = "$(cat "$dir/redis.json")" ] || fail "printed JSON differs from redis.json"
[ "$(cat /proc/"$pid"/comm)" = redis-server ] || fail "pid $pid is not redis-server"
[ "$(redis-cli -h 127.0.0.1 -p "$port" ping)" = PONG ] || fail "no PONG on port $port"
[ "$(redis-cli -h 127.0.0.1 -p "$port" config get appendonly | tail -1)" = no ] ||
    fail "persistence is on"

if "$scripts/redis-up.sh" "$dir" >/dev/null 2>&1; then
    fail "a second redis-up.sh on the same DIR succeeded"
fi

"$scripts/redis-down.sh" "$dir" || fail "redis-down.sh failed"
[ ! -f "$dir/redis.json" ] || fail "redis.json left behind"
if kill -0 "$pid" 2>/dev/null; then
    fail "redis-server $pid still running"
fi
"$scripts/redis-down.sh" "$dir" || fail "a second redis-down.sh failed"

# Up again on a fixed port, as the stack may ask for.
"$scripts/redis-up.sh" "$dir" "$port" >/dev/null || fail "redis-up.sh on port $port failed"
[ "$(redis-cli -h 127.0.0.1 -p "$port" ping)" = PONG ] || fail "no PONG on fixed port $port"
"$scripts/redis-down.sh" "$dir" || fail "redis-down.sh failed"
echo "redis-up/down: ok"

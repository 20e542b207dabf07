#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# redis-down.sh DIR: stops the redis-server that redis-up.sh DIR started (by
# the pid in DIR/redis.json, only if that pid is still a redis-server), waits
# for it to exit and removes DIR/redis.json. Nothing running is not an error.
set -euo pipefail
dir=${1:?usage: redis-down.sh DIR}
json="$dir/redis.json"
[ -f "$json" ] || exit 0
pid=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$json")
if [ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = redis-server ]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 500); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.04
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
fi
rm -f "$json"

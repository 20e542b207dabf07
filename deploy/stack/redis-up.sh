#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# redis-up.sh DIR [PORT]: starts the Debian redis-server for the local stack's
# spent-token set on 127.0.0.1 (at PORT, or a free port it picks), without
# persistence, data and log under DIR; writes DIR/redis.json {"pid":N,"port":P}
# once it answers PING, and prints that JSON. Stop it with redis-down.sh DIR.
set -euo pipefail
dir=${1:?usage: redis-up.sh DIR [PORT]}
want_port=${2:-}
command -v redis-server >/dev/null || { echo "redis-up: redis-server is not installed" >&2; exit 1; }
command -v redis-cli >/dev/null || { echo "redis-up: redis-cli is not installed" >&2; exit 1; }
mkdir -p "$dir/redis"
dir=$(cd "$dir" && pwd)

if [ -f "$dir/redis.json" ]; then
    old=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$dir/redis.json")
    if [ -n "$old" ] && [ "$(cat /proc/"$old"/comm 2>/dev/null)" = redis-server ]; then
        echo "redis-up: already running (pid $old, $dir/redis.json)" >&2
        exit 1
    fi
    rm -f "$dir/redis.json"
fi

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

for attempt in 1 2 3 4 5; do
    port=${want_port:-$(free_port)}
    # setsid: the server outlives this script and the shell that ran it.
    setsid redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
        --dir "$dir/redis" --daemonize no >>"$dir/redis.log" 2>&1 </dev/null &
    pid=$!
    # Ready when it answers PING; gone when the port was taken. The loop bound
    # only guards against a hung server (a loaded machine may take seconds).
    for _ in $(seq 1 1500); do
        if ! kill -0 "$pid" 2>/dev/null; then
            pid=
            break
        fi
        if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ]; then
            printf '{"pid":%d,"port":%d}\n' "$pid" "$port" >"$dir/redis.json.tmp"
            mv "$dir/redis.json.tmp" "$dir/redis.json"
            cat "$dir/redis.json"
            exit 0
        fi
        sleep 0.04
    done
    if [ -n "$pid" ]; then
        kill -KILL "$pid" 2>/dev/null || true
        echo "redis-up: redis-server did not answer PING on port $port" >&2
        exit 1
    fi
    if [ -n "$want_port" ]; then
        echo "redis-up: redis-server could not start on port $port, see $dir/redis.log" >&2
        exit 1
    fi
    echo "redis-up: attempt $attempt: port $port was taken, trying another" >&2
done
echo "redis-up: redis-server did not start, see $dir/redis.log" >&2
exit 1

# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers shared by the local stack's scripts (sourced, not run).

stack_say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
stack_die() { printf 'sotto stack: %s\n' "$*" >&2; exit 1; }

# free_port: a TCP port that nobody listens on at 127.0.0.1 right now.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# json_field FILE KEY: one top-level value of a JSON file (pids, ports).
json_field() {
    /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# alive PID NAME: true when PID runs and its command name starts with NAME
# (a recycled pid of another program does not count).
alive() {
    local pid=$1 name=$2 comm
    [ -n "$pid" ] || return 1
    comm=$(cat /proc/"$pid"/comm 2>/dev/null) || return 1
    [[ $comm == "${name:0:15}"* ]]
}

# stop_pid PID NAME: TERM, wait up to 10 s, then KILL. Only if it is NAME.
stop_pid() {
    local pid=$1 name=$2
    alive "$pid" "$name" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 250); do
        alive "$pid" "$name" || return 0
        sleep 0.04
    done
    kill -KILL "$pid" 2>/dev/null || true
}

# wait_for_line FILE REGEX PID SECONDS: waits until FILE has a line matching
# REGEX (prints it), or fails when PID exits or the time is up.
wait_for_line() {
    local file=$1 regex=$2 pid=$3 seconds=$4 line
    local deadline=$((SECONDS + seconds))
    while [ $SECONDS -lt $deadline ]; do
        line=$(grep -m1 -E "$regex" "$file" 2>/dev/null || true)
        if [ -n "$line" ]; then
            printf '%s\n' "$line"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

# wait_for_http URL SECONDS: until URL answers 200.
wait_for_http() {
    local url=$1 seconds=$2
    local deadline=$((SECONDS + seconds))
    while [ $SECONDS -lt $deadline ]; do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" = 200 ] && return 0
        sleep 0.05
    done
    return 1
}

# gateway_requests PIDFILE [ENDPOINT]: how many requests the gateway of that
# pid file answered at ENDPOINT (default "gateway", the POSTs), read from its
# /metrics listener (the --metrics address on its command line).
gateway_requests() {
    /usr/bin/python3 - "$1" "${2:-gateway}" <<'PY'
import re, sys, urllib.request
pid = int(open(sys.argv[1]).read())
args = open("/proc/%d/cmdline" % pid, "rb").read().split(b"\0")
port = args[args.index(b"--metrics") + 1].decode()
text = urllib.request.urlopen("http://%s/metrics" % port, timeout=10).read().decode()
print(sum(int(float(m.group(1))) for m in re.finditer(
    r'^sotto_gateway_requests_total\{endpoint="%s",[^}]*\} (\S+)$' % sys.argv[2], text, re.M)))
PY
}

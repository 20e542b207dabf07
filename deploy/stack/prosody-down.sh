#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Stops the Prosody that prosody-up.sh started in DIR, by the pid in DIR/prosody.json: SIGTERM,
# then SIGKILL if it is still there after 30 s. Succeeds when it is not running (any more).
set -euo pipefail

die() {
    echo "prosody-down: $*" >&2
    exit 1
}

dir=${1:?usage: prosody-down.sh DIR}
json="$dir/prosody.json"
[ -r "$json" ] || die "no $json: nothing was started in $dir"
pid=$(/usr/bin/python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["pid"])' "$json") || die "cannot read the pid from $json"
[[ "$pid" =~ ^[0-9]+$ ]] || die "pid '$pid' in $json is not a number"
[ "$pid" -gt 0 ] || exit 0

dir=$(cd "$dir" && pwd)
# Records that nothing runs any more, keeping the ports for prosody-up.sh --restart.
mark_stopped() {
    /usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
d["pid"] = 0
open(sys.argv[1] + ".tmp", "w").write(json.dumps(d) + "\n")' "$json" && mv "$json.tmp" "$json"
}

# Only stop the process if it is still the Prosody of this folder (pids are reused).
if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--config $dir/prosody.cfg.lua"; then
    mark_stopped
    exit 0
fi
kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 300); do
    if ! kill -0 "$pid" 2>/dev/null; then
        mark_stopped
        exit 0
    fi
    sleep 0.1
done
echo "prosody-down: pid $pid ignored SIGTERM for 30 s, sending SIGKILL" >&2
kill -KILL "$pid" 2>/dev/null || true
mark_stopped

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `sotto log append` killed at every point (issue 5: "a crash at any point
# leaves a valid log"): strace kills the process (SIGKILL, no cleanup) at
# the Nth call of each file syscall it makes, for every N until the append
# completes. After each crash `sotto audit` must verify the log at its old or
# its new size (with --since the checkpoint before the append: never a fork),
# and the next append must succeed and audit clean. Two appends are crashed:
# a small one, and the one that completes the first full tile (size 255 to 256:
# a full hash tile, a full entry bundle and a level-1 tile).
# Usage: check-log-crash.sh SOTTO_BINARY
set -uo pipefail
sotto=$1
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || { echo "FAIL: strace is missing (./sotto installs it)"; exit 1; }

log=$work/log
key=$("$sotto" log init "$log" --origin log.example/crash) || { echo "FAIL: log init"; exit 1; }
statement() { # statement N
    printf '{"schema":"sotto-release/0","platform":"sev-snp","measurement":"%096x","policy":"0x30000",' "$1"
    printf '"version":"0.%d.0","source":"%040x","image":"sha256:%064x","issued":"2026-11-25T10:00:00Z"}\n' "$1" "$1" "$1"
}
grow_to() { # grow_to SIZE: appends until the log has SIZE entries
    local n
    n=$(sed -n 2p "$log/checkpoint")
    while [ "$n" -lt "$1" ]; do
        statement "$n" >"$work/s.json"
        "$sotto" log append "$log" "$work/s.json" >/dev/null || { echo "FAIL: append $n"; exit 1; }
        n=$((n + 1))
    done
}
audit_size() { # audit_size DIR [--since FILE]: the audited size on stdout, or failure
    "$sotto" audit --log "$1" --log-key "$key" --quorum 0 --json "${@:2}" >"$work/audit.json" 2>"$work/audit.err" &&
        python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["size"])' "$work/audit.json"
}

crashes=0
crash_every_point() { # crash_every_point SIZE: crashes the append that takes the log from SIZE to SIZE+1
    grow_to "$1"
    rm -rf "$work/before"
    cp -a "$log" "$work/before"
    cp "$log/checkpoint" "$work/before.checkpoint"
    statement "$1" >"$work/next.json"
    local sc n status size
    for sc in openat write writev fsync fdatasync rename renameat renameat2 mkdir; do
        for ((n = 1; ; n++)); do
            rm -rf "$log"
            cp -a "$work/before" "$log"
            { # (the shell's "Killed" notice goes to /dev/null too)
                strace -f -o /dev/null -e trace="$sc" -e inject="$sc:signal=KILL:when=$n" \
                    "$sotto" log append "$log" "$work/next.json" >/dev/null 2>&1
                status=$?
            } 2>/dev/null
            [ "$status" -eq 0 ] && break # the append made fewer than n such calls
            crashes=$((crashes + 1))
            if ! size=$(audit_size "$log" --since "$work/before.checkpoint"); then
                echo "FAIL: killed at $sc #$n of the append at size $1: the log does not audit"
                cat "$work/audit.err"; failures=$((failures + 1)); continue
            fi
            if [ "$size" -ne "$1" ] && [ "$size" -ne $(($1 + 1)) ]; then
                echo "FAIL: killed at $sc #$n: size $size"; failures=$((failures + 1)); continue
            fi
            # The release manager runs the append again (or the next one).
            if ! "$sotto" log append "$log" "$work/next.json" >/dev/null 2>"$work/again.err"; then
                echo "FAIL: after a kill at $sc #$n the next append fails"; cat "$work/again.err"
                failures=$((failures + 1)); continue
            fi
            size=$(audit_size "$log" --since "$work/before.checkpoint") ||
                { echo "FAIL: after a kill at $sc #$n and a new append the log does not audit"; failures=$((failures + 1)); }
        done
        echo "ok: append at size $1 killed at each of its $((n - 1)) $sc calls: the log stays valid"
    done
    rm -rf "$log"
    cp -a "$work/before" "$log"
}

crash_every_point 1
crash_every_point 255
[ "$crashes" -gt 20 ] && echo "ok: $crashes crashes tried" || { echo "FAIL: only $crashes crashes"; failures=$((failures + 1)); }
[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "every crash left a valid log"

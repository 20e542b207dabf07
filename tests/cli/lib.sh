# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the CLI test scripts (source it): a scratch dir in $work, a
# failure counter, and two checks that print ok/FAIL lines.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
expect() { # expect <description> <wanted status> <command...>
    local what=$1 want=$2
    shift 2
    "$@" >"$work/out" 2>"$work/err"
    local got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $what: exit $got, wanted $want"; cat "$work/out" "$work/err"; failures=$((failures + 1))
    else
        echo "ok: $what"
    fi
}
contains() { # contains <description> <file> <text>
    if grep -qF -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1: no '$3' in"; cat "$2"; failures=$((failures + 1)); fi
}

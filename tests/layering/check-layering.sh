#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Enforces the dependency rules of DESIGN.md on the source tree:
#  - protocol/ never includes Qt;
#  - only protocol/crypto includes OpenSSL, and only in its .cpp and private headers
#    (the public crypto headers keep OpenSSL types out of every other unit); the one
#    exception is bench/floor_*.cpp, the bare-OpenSSL reference for benchmarks;
#  - tee-backend/ never includes Qt Widgets or Qt GUI;
#  - no tracked file carries an absolute path of a developer's machine.
set -uo pipefail
root=${1:?usage: check-layering.sh SOURCE_DIR}
cd "$root" || exit 2
status=0
violation() {
    echo "layering violation: $*"
    status=1
}

sources() { find "$@" -type f \( -name '*.h' -o -name '*.cpp' -o -name '*.hpp' \) 2>/dev/null; }

while IFS= read -r f; do
    grep -nE '^\s*#\s*include\s*[<"]Q[A-Za-z]*[/>"]' "$f" | sed "s|^|$f:|" | while IFS= read -r l; do
        echo "layering violation: Qt in protocol/: $l"
    done | grep . && status=1
done < <(sources protocol)

while IFS= read -r f; do
    case "$f" in
    protocol/crypto/*.cpp | protocol/crypto/evp_*.h | protocol/crypto/*_p.h) continue ;;
    bench/floor_*.cpp) continue ;; # the bare-OpenSSL reference our code is measured against
    esac
    if grep -qE '^\s*#\s*include\s*<openssl/' "$f"; then
        violation "OpenSSL included outside protocol/crypto's implementation: $f"
    fi
done < <(sources protocol plugin tee-backend ui tools bench tests/support)

while IFS= read -r f; do
    if grep -qE '^\s*#\s*include\s*<(QtWidgets|QtGui|QWidget|QApplication)' "$f"; then
        violation "Qt Widgets/GUI in tee-backend/: $f"
    fi
done < <(sources tee-backend)

if command -v git >/dev/null 2>&1 && git rev-parse --git-dir >/dev/null 2>&1; then
    # Paths of the machines this project is developed on must not leak into the tree.
    hits=$(git ls-files -z | xargs -0 grep -lE '(/work/main|/root/|/home/[a-z]+/)' -- 2>/dev/null |
        grep -v '^tests/layering/check-layering.sh$')
    if [ -n "$hits" ]; then
        violation "absolute machine paths in: $hits"
    fi
fi

[ $status -eq 0 ] && echo "layering rules hold"
exit $status

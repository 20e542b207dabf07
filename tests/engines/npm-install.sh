#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the npm summarizers the engines are evaluated against (pinned) into DEST (a build directory),
# from package.json and package-lock.json. Exit 77 (ctest: skipped) when node or
# the npm registry is not reachable, with a message that says so.
set -uo pipefail
src=$(cd "$(dirname "$0")/npm" && pwd)
dest=${1:?usage: npm-install.sh DEST}
mkdir -p "$dest"
cp "$src/package.json" "$src/package-lock.json" "$src"/*.cjs "$dest/"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "SKIP: node/npm not installed (./sotto deps installs them)"
    exit 77
fi
# Already installed with this exact lock file: nothing to do.
if [ -f "$dest/node_modules/.package-lock.json" ] && cmp -s "$src/package-lock.json" "$dest/.installed-lock"; then
    exit 0
fi
cd "$dest" || exit 1
if ! timeout 300 npm ci --no-audit --no-fund --loglevel=error >npm-ci.log 2>&1; then
    if grep -qiE 'ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|network' npm-ci.log; then
        echo "SKIP: the npm registry is unreachable; the comparison with the npm summarizers was not run"
        cat npm-ci.log
        exit 77
    fi
    cat npm-ci.log
    exit 1
fi
cp "$src/package-lock.json" "$dest/.installed-lock"
echo "npm summarizers installed in $dest"

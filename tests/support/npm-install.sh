#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the pinned npm packages of a test's npm/ folder SRC (package.json, package-lock.json
# and its *.cjs / *.mjs scripts) into DEST (a build directory). WHAT names what would not be run,
# for the skip message. Exit 77 (ctest: skipped) when node or the npm registry is not reachable,
# with a message that says so.
set -uo pipefail
usage="usage: npm-install.sh SRC DEST WHAT"
src=$(cd "${1:?$usage}" && pwd) || exit 1
dest=${2:?$usage}
what=${3:?$usage}
mkdir -p "$dest"
shopt -s nullglob
cp "$src/package.json" "$src/package-lock.json" "$src"/*.cjs "$src"/*.mjs "$dest/"
shopt -u nullglob
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
        echo "SKIP: the npm registry is unreachable; $what was not run"
        cat npm-ci.log
        exit 77
    fi
    cat npm-ci.log
    exit 1
fi
cp "$src/package-lock.json" "$dest/.installed-lock"
echo "npm packages installed in $dest"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `sotto attest verify|show|simulate` as a user runs it: the real Milan samples
# (tests/data/snp) verify against AMD's pinned roots; every mutation fails with
# exit 1 and its own error name; the simulated TEE verifies only with
# allow_simulated, and its bundle's REPORT_DATA binds the nonce.
# Usage: check-attest.sh SOTTO DATA_DIR (tests/data)
set -u
sotto=$1
data=$2/snp
. "$(dirname "$0")/lib.sh"

report=$data/virtee_report_milan.bin
vcek=$data/virtee_vcek_milan.der

# error_is <description> <error name> <command...>: exit 1 and that error in --json.
error_is() {
    local what=$1 name=$2
    shift 2
    expect "$what" 1 "$@" --json
    contains "$what: error $name" "$work/out" "\"error\":\"$name\""
}

# mutate <in> <out> <python expression on bytearray b>
mutate() { python3 -c "import sys; b=bytearray(open(sys.argv[1],'rb').read()); $3; open(sys.argv[2],'wb').write(b)" "$1" "$2"; }

# --- the real samples ------------------------------------------------------------------
expect "virtee Milan report verifies" 0 "$sotto" attest verify --report "$report" --vcek "$vcek"
contains "text says verified" "$work/out" "verified: yes"
expect "virtee Milan report verifies (--json)" 0 "$sotto" attest verify --report "$report" --vcek "$vcek" --json
for field in '"verified":true' '"generation":"Milan"' '"simulated":false' '"vmpl":0' \
    '"reported_tcb":{"bootloader":3,"microcode":115,"snp":8,"tee":0}' '"debug":false' \
    '"measurement":"7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f"' \
    '"chip_id":"d49554ec717f4e5b' '"report_data":"d447b55d' '"migrate_ma":false' '"smt":true' '"single_socket":false'; do
    contains "json has $field" "$work/out" "$field"
done
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$work/out" && echo "ok: one JSON object" \
    || { echo "FAIL: --json output is not one JSON object"; failures=$((failures + 1)); }

# The go-sev-guest report allows debugging: refused by default, accepted when the policy allows it.
error_is "go-sev-guest report: debug refused" PolicyDebugAllowed \
    "$sotto" attest verify --report "$data/go-sev-guest_attestation.bin" --vcek "$data/go-sev-guest_vcek.der"
echo '{"allow_debug":true}' >"$work/debug.json"
expect "go-sev-guest report with allow_debug" 0 "$sotto" attest verify \
    --report "$data/go-sev-guest_attestation.bin" --vcek "$data/go-sev-guest_vcek.der" --policy "$work/debug.json"

# --ask: AMD's Milan ASK is accepted, another generation's is not.
openssl x509 -in "$data/ask_ark_milan.pem" -outform der -out "$work/ask_milan.der"
openssl x509 -in "$data/ask_ark_genoa.pem" -outform der -out "$work/ask_genoa.der"
expect "with AMD's Milan ASK" 0 "$sotto" attest verify --report "$report" --vcek "$vcek" --ask "$work/ask_milan.der"
error_is "with Genoa's ASK" UnknownRoot "$sotto" attest verify --report "$report" --vcek "$vcek" --ask "$work/ask_genoa.der"

# --- mutations of the report -----------------------------------------------------------
mutate "$report" "$work/r" 'b[0x90]^=1'
error_is "flipped MEASUREMENT bit" ReportSignatureInvalid "$sotto" attest verify --report "$work/r" --vcek "$vcek"
mutate "$report" "$work/r" 'b[0x50]^=0x80'
error_is "flipped REPORT_DATA bit" ReportSignatureInvalid "$sotto" attest verify --report "$work/r" --vcek "$vcek"
mutate "$report" "$work/r" 'b[0x08+2]|=0x08'
error_is "debug bit set after signing" ReportSignatureInvalid "$sotto" attest verify --report "$work/r" --vcek "$vcek"
mutate "$report" "$work/r" 'b[0x2A0]^=1'
error_is "flipped R" ReportSignatureInvalid "$sotto" attest verify --report "$work/r" --vcek "$vcek"
mutate "$report" "$work/r" 'b[0x2E8+10]^=4'
error_is "flipped S" ReportSignatureInvalid "$sotto" attest verify --report "$work/r" --vcek "$vcek"
mutate "$report" "$work/r" 'b[0x1A0]^=1'
error_is "other CHIP_ID" VcekChipIdMismatch "$sotto" attest verify --report "$work/r" --vcek "$vcek"
mutate "$report" "$work/r" 'b[0x186]^=1'
error_is "other REPORTED_TCB snp" VcekTcbMismatch "$sotto" attest verify --report "$work/r" --vcek "$vcek"
mutate "$report" "$work/r" 'b[0x183]=1'
error_is "reserved TCB byte" NonzeroReserved "$sotto" attest verify --report "$work/r" --vcek "$vcek"
mutate "$report" "$work/r" 'b[0x400]=1'
error_is "reserved signature byte" NonzeroReserved "$sotto" attest verify --report "$work/r" --vcek "$vcek"
mutate "$report" "$work/r" 'b[0]=4'
error_is "version 4" UnsupportedVersion "$sotto" attest verify --report "$work/r" --vcek "$vcek"
mutate "$report" "$work/r" 'b[0x34]=2'
error_is "signature algorithm 2" UnsupportedSignatureAlgorithm "$sotto" attest verify --report "$work/r" --vcek "$vcek"
mutate "$report" "$work/r" 'b[:]=b[:-1]'
error_is "truncated report" WrongSize "$sotto" attest verify --report "$work/r" --vcek "$vcek"
mutate "$report" "$work/r" 'b.append(0)'
error_is "oversized report" WrongSize "$sotto" attest verify --report "$work/r" --vcek "$vcek"
mutate "$report" "$work/r" 'b[0]=3; b[0x188]=0x19; b[0x189]=0x11'
error_is "v3 report naming Genoa" GenerationMismatch "$sotto" attest verify --report "$work/r" --vcek "$vcek"

# --- mutations of the VCEK -------------------------------------------------------------
mutate "$vcek" "$work/v" 'b[-10]^=1'
error_is "flipped VCEK signature" ChainSignatureInvalid "$sotto" attest verify --report "$report" --vcek "$work/v"
mutate "$vcek" "$work/v" 'b[:]=b[:-1]'
error_is "truncated VCEK" CertificateMalformed "$sotto" attest verify --report "$report" --vcek "$work/v"
error_is "the other Milan VCEK" VcekTcbMismatch "$sotto" attest verify --report "$report" --vcek "$data/go-sev-guest_vcek.der"
error_is "the Turin VCEK" NonzeroReserved "$sotto" attest verify --report "$report" --vcek "$data/virtee_vcek_turin.der"
error_is "VCEK expired (2031)" VcekExpired "$sotto" attest verify --report "$report" --vcek "$vcek" --time 1950000000
error_is "VCEK not yet valid (2020)" VcekExpired "$sotto" attest verify --report "$report" --vcek "$vcek" --time 1600000000

# --- policies --------------------------------------------------------------------------
policy() { echo "$1" >"$work/p.json"; }
policy '{"minimum_tcb":{"snp":9}}'
error_is "snp SPL below minimum" PolicyTcbTooLow "$sotto" attest verify --report "$report" --vcek "$vcek" --policy "$work/p.json"
policy '{"minimum_tcb":{"bootloader":3,"tee":0,"snp":8,"microcode":115}}'
expect "TCB exactly at the minimum" 0 "$sotto" attest verify --report "$report" --vcek "$vcek" --policy "$work/p.json"
policy '{"generations":["genoa","turin"]}'
error_is "Milan not allowed" PolicyGenerationNotAllowed "$sotto" attest verify --report "$report" --vcek "$vcek" --policy "$work/p.json"
policy '{"measurements":["'"$(printf '0%.0s' {1..96})"'"]}'
error_is "measurement not allowed" PolicyMeasurementNotAllowed "$sotto" attest verify --report "$report" --vcek "$vcek" --policy "$work/p.json"
policy '{"measurements":["7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f"]}'
expect "measurement allowed" 0 "$sotto" attest verify --report "$report" --vcek "$vcek" --policy "$work/p.json"
policy '{"vmpl":1}'
error_is "VMPL 1 required" PolicyVmplMismatch "$sotto" attest verify --report "$report" --vcek "$vcek" --policy "$work/p.json"
for bad in '[]' '{"allow_debug":1}' '{"extra":true}' '{"minimum_tcb":{"snp":256}}' '{"minimum_tcb":{"x":1}}' \
    '{"generations":["rome"]}' '{"vmpl":4}' '{"measurements":["00"]}' '{"vmpl":0,"vmpl":0}' 'not json'; do
    policy "$bad"
    error_is "bad policy $bad" PolicyInvalid "$sotto" attest verify --report "$report" --vcek "$vcek" --policy "$work/p.json"
done

# --- show --------------------------------------------------------------------------------
expect "show the virtee report" 0 "$sotto" attest show "$report"
contains "show decodes REPORTED_TCB" "$work/out" "reported_tcb       0x7308000000000003 = bootloader 3, tee 0, snp 8, microcode 115"
contains "show prints the measurement" "$work/out" "measurement        7a1e5c266c0108dbc9bb94fa"
contains "show prints the hex dump" "$work/out" "  0490 "
mutate "$report" "$work/r" 'b[:]=b[:100]'
expect "show a truncated report" 1 "$sotto" attest show "$work/r"
contains "show names the error" "$work/err" "WrongSize"

# --- usage -------------------------------------------------------------------------------
expect "no arguments" 2 "$sotto" attest
expect "verify without a VCEK" 2 "$sotto" attest verify --report "$report"
expect "a report without its VCEK beside a bundle" 2 "$sotto" attest verify --bundle x --report "$report"
error_is "a nonce without the bundle its binding covers" BundleRequired "$sotto" attest verify \
    --report "$report" --vcek "$vcek" --nonce "$(printf '%064x' 1)"
expect "unknown option" 2 "$sotto" attest verify --report "$report" --vcek "$vcek" --frobnicate 1
error_is "missing report file" InputUnreadable "$sotto" attest verify --report "$work/none" --vcek "$vcek"

# --- the simulated TEE through an evidence bundle -----------------------------------------
printf '\x00\x2d\x01\x00\x20' >"$work/keys"
echo "the gateway binary" >"$work/gateway"
nonce=$(printf '%064x' 12345)
not_after=$(($(date +%s) + 3600))
measurement=$(python3 -c "
import hashlib, struct, sys
h = hashlib.sha384(b'sotto-simulated-measurement-v1')
data = open(sys.argv[1], 'rb').read()
h.update(struct.pack('>Q', len(data)) + data)
print(h.hexdigest())" "$work/gateway")
cat >"$work/release.json" <<EOF
{"schema":"sotto-release/0","platform":"sev-snp","measurement":"$measurement","policy":"0x30000",
 "version":"0.1.0","source":"0123456789abcdef0123456789abcdef01234567",
 "image":"sha256:0000000000000000000000000000000000000000000000000000000000000001",
 "issued":"2026-11-25T10:00:00Z"}
EOF
expect "simulate a bundle" 0 "$sotto" attest simulate --dir "$work/tee" --key-configs "$work/keys" \
    --nonce "$nonce" --not-after "$not_after" --release "$work/release.json" --measure "$work/gateway"
cp "$work/out" "$work/bundle.json"
contains "bundle says simulated" "$work/bundle.json" '"provider":"simulated"'
error_is "simulated refused by default" PolicySimulatedNotAllowed "$sotto" attest verify --bundle "$work/bundle.json"
echo '{"allow_simulated":true}' >"$work/sim.json"
error_is "a bundle without the nonce is not verified" NonceRequired "$sotto" attest verify --bundle "$work/bundle.json" --policy "$work/sim.json"
expect "simulated with allow_simulated" 0 "$sotto" attest verify --bundle "$work/bundle.json" --policy "$work/sim.json" --nonce "$nonce" --json
contains "simulated: true" "$work/out" '"simulated":true'
contains "bundle measurement is the files'" "$work/out" "\"measurement\":\"$measurement\""
expect "text output warns" 0 "$sotto" attest verify --bundle "$work/bundle.json" --policy "$work/sim.json" --nonce "$nonce"
contains "text says SIMULATED" "$work/out" "SIMULATED TEE"
expect "binding with the right nonce" 0 "$sotto" attest verify --bundle "$work/bundle.json" --policy "$work/sim.json" \
    --nonce "$nonce" --json
contains "binding checked" "$work/out" '"binding_checked":true'
error_is "binding with another nonce" ReportDataMismatch "$sotto" attest verify --bundle "$work/bundle.json" \
    --policy "$work/sim.json" --nonce "$(printf '%064x' 12346)"
error_is "nonce of 31 bytes" InvalidNonce "$sotto" attest verify --bundle "$work/bundle.json" \
    --policy "$work/sim.json" --nonce "$(printf '%062x' 1)"
error_is "bundle expired" BundleExpired "$sotto" attest verify --bundle "$work/bundle.json" \
    --policy "$work/sim.json" --time $((not_after + 1))
# The chain is kept: a second bundle has the same VCEK.
expect "simulate again" 0 "$sotto" attest simulate --dir "$work/tee" --key-configs "$work/keys" \
    --nonce "$nonce" --not-after "$not_after" --release "$work/release.json" --measure "$work/gateway"
python3 -c "import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); sys.exit(a['vcek']!=b['vcek'] or a['ark']!=b['ark'])" \
    "$work/bundle.json" "$work/out" && echo "ok: the simulated chain is reused" \
    || { echo "FAIL: the simulated chain changed"; failures=$((failures + 1)); }
# Tampered bundles.
python3 - "$work/bundle.json" "$work" <<'EOF'
import base64, json, sys
b = json.load(open(sys.argv[1]))
def save(name, d):
    open(f"{sys.argv[2]}/{name}", "w").write(json.dumps(d))
r = bytearray(base64.b64decode(b["report"])); r[0x90] ^= 1
save("b-report.json", dict(b, report=base64.b64encode(r).decode()))
save("b-release.json", dict(b, release=dict(b["release"], measurement="0" * 96)))
save("b-unknown.json", dict(b, extra=1))
save("b-amd-ark.json", dict(b, provider="sev-guest"))
EOF
error_is "bundle with a flipped report bit" ReportSignatureInvalid "$sotto" attest verify --bundle "$work/b-report.json" --policy "$work/sim.json"
error_is "bundle whose release is another measurement" ReleaseMismatch "$sotto" attest verify --bundle "$work/b-release.json" --policy "$work/sim.json"
error_is "bundle with an unknown field" BundleUnknownField "$sotto" attest verify --bundle "$work/b-unknown.json" --policy "$work/sim.json"
error_is "an ARK claimed by a real provider" BundleBadValue "$sotto" attest verify --bundle "$work/b-amd-ark.json" --policy "$work/sim.json"
# The simulated report on its own never verifies against AMD's roots.
python3 -c "import base64,json,sys; b=json.load(open(sys.argv[1])); open(sys.argv[2],'wb').write(base64.b64decode(b['report'])); open(sys.argv[3],'wb').write(base64.b64decode(b['vcek']))" \
    "$work/bundle.json" "$work/sim.bin" "$work/sim.der"
expect "a bundle with its own report and VCEK given beside it" 0 "$sotto" attest verify \
    --bundle "$work/bundle.json" --report "$work/sim.bin" --vcek "$work/sim.der" \
    --policy "$work/sim.json" --nonce "$nonce" --json
contains "and its binding checked" "$work/out" '"binding_checked":true'
error_is "a bundle with another report given beside it" BundleMismatch "$sotto" attest verify \
    --bundle "$work/bundle.json" --report "$report" --vcek "$work/sim.der" \
    --policy "$work/sim.json" --nonce "$nonce"
error_is "simulated report against AMD's roots" UnknownRoot "$sotto" attest verify --report "$work/sim.bin" --vcek "$work/sim.der"
python3 -c "import base64,json,sys; b=json.load(open(sys.argv[1])); open(sys.argv[2],'wb').write(base64.b64decode(b['ask'])); open(sys.argv[3],'wb').write(base64.b64decode(b['ark']))" \
    "$work/bundle.json" "$work/sim-ask.der" "$work/sim-ark.der"
error_is "simulated files refused by default" PolicySimulatedNotAllowed "$sotto" attest verify --report "$work/sim.bin" \
    --vcek "$work/sim.der" --ask "$work/sim-ask.der" --ark "$work/sim-ark.der"
expect "simulated files with allow_simulated" 0 "$sotto" attest verify --report "$work/sim.bin" \
    --vcek "$work/sim.der" --ask "$work/sim-ask.der" --ark "$work/sim-ark.der" --policy "$work/sim.json"
error_is "AMD's Milan ASK/ARK as a simulated chain" SimulatedChainInvalid "$sotto" attest verify --report "$work/sim.bin" \
    --vcek "$work/sim.der" --ask "$work/ask_milan.der" --ark "$work/sim-ark.der" --policy "$work/sim.json"
expect "show the simulated report" 0 "$sotto" attest show "$work/sim.bin"
contains "simulated report is v3 Milan" "$work/out" "generation         Milan"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all attest CLI checks passed"

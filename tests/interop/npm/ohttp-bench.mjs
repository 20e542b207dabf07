// SPDX-License-Identifier: GPL-3.0-or-later
// The npm peer's OHTTP round trip (client seal, gateway open + seal, client
// open), timed the same way as BM_OhttpRoundTrip in bench/bench_ohttp.cpp:
// one X25519 gateway key, fresh client context per round trip, N-byte bodies
// each way. Prints one JSON line per (aead, size) with microseconds per round trip.
// Usage: node ohttp-bench.mjs [min-seconds-per-case]
import { clientOpen, clientSeal, gatewayOpen, gatewaySeal, makeGatewayKey } from "./ohttp.mjs";

const minSeconds = Number(process.argv[2] || "1");
const key = await makeGatewayKey(1);
const keys = new Map([[1, key]]);

async function roundTrip(aead, request, response) {
    const { encapsulated, context } = await clientSeal(key.keyConfig, aead, request);
    const opened = await gatewayOpen(keys, encapsulated);
    const answer = await gatewaySeal(opened.context, response);
    return clientOpen(context, answer);
}

for (const aead of [1, 3]) {
    for (const size of [100, 1024, 16 * 1024, 64 * 1024]) {
        const request = Buffer.alloc(size, 0x61);
        const response = Buffer.alloc(size, 0x62);
        for (let i = 0; i < 50; i++) await roundTrip(aead, request, response); // warm-up
        let n = 0;
        const start = process.hrtime.bigint();
        let elapsed = 0n;
        while (elapsed < BigInt(Math.round(minSeconds * 1e9))) {
            const out = await roundTrip(aead, request, response);
            if (out.length !== size) throw new Error("round trip failed");
            n++;
            elapsed = process.hrtime.bigint() - start;
        }
        console.log(JSON.stringify({ name: "npm_hpke_OhttpRoundTrip", aead, bytes: size, iterations: n, us_per_op: Number(elapsed) / 1e3 / n }));
    }
}

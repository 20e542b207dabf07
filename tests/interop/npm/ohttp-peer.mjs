// SPDX-License-Identifier: GPL-3.0-or-later
// The npm OHTTP peer as a process for Sotto's interop tests (ohttp.mjs has the
// protocol). One JSON object per line on stdin, one JSON answer per line on
// stdout, all byte strings as lowercase hex.
//   {"op":"keygen","keyId":N}                         -> {"keyConfig"}
//   {"op":"client_seal","keyConfig","aead","request"} -> {"id","encapsulated"}
//   {"op":"client_open","id","response"}              -> {"response"}
//   {"op":"gateway_open","encapsulated"}              -> {"id","request"}
//   {"op":"gateway_seal","id","response"}             -> {"encapsulated"}
// Errors: {"error": "..."}.
import { serveJsonLines } from "./jsonlines.mjs";
import { clientOpen, clientSeal, gatewayOpen, gatewaySeal, hex, makeGatewayKey, unhex } from "./ohttp.mjs";

const gatewayKeys = new Map(); // key id -> makeGatewayKey()
const contexts = new Map(); // id -> client or gateway context, used once
let nextId = 1;

function take(id) {
    const c = contexts.get(id);
    if (!c) throw new Error(`no context ${id}`);
    contexts.delete(id);
    return c;
}

const ops = {
    async keygen({ keyId }) {
        const key = await makeGatewayKey(keyId);
        gatewayKeys.set(keyId, key);
        return { keyConfig: hex(key.keyConfig) };
    },
    async client_seal({ keyConfig, aead, request }) {
        const { encapsulated, context } = await clientSeal(unhex(keyConfig), aead, unhex(request));
        const id = nextId++;
        contexts.set(id, context);
        return { id, encapsulated: hex(encapsulated) };
    },
    async client_open({ id, response }) {
        return { response: hex(await clientOpen(take(id), unhex(response))) };
    },
    async gateway_open({ encapsulated }) {
        const { request, context } = await gatewayOpen(gatewayKeys, unhex(encapsulated));
        const id = nextId++;
        contexts.set(id, context);
        return { id, request: hex(request) };
    },
    async gateway_seal({ id, response }) {
        return { encapsulated: hex(await gatewaySeal(take(id), unhex(response))) };
    },
};

await serveJsonLines(ops);

// SPDX-License-Identifier: GPL-3.0-or-later
// An independent Oblivious HTTP (RFC 9458) implementation on top of the npm
// HPKE packages (@hpke/core, @hpke/dhkem-x25519, @hpke/chacha20poly1305). It
// shares no code with Sotto: the OHTTP framing below is written from the RFC,
// HPKE is the npm library's, HKDF/AEAD for the response are node:crypto.
// Used by ohttp-peer.mjs (interop tests) and ohttp-bench.mjs (benchmarks).
import { Aes128Gcm, CipherSuite, HkdfSha256 } from "@hpke/core";
import { DhkemX25519HkdfSha256 } from "@hpke/dhkem-x25519";
import { Chacha20Poly1305 } from "@hpke/chacha20poly1305";
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

export const KEM_X25519 = 0x0020;
export const KDF_HKDF_SHA256 = 0x0001;
export const AEADS = {
    1: { make: () => new Aes128Gcm(), node: "aes-128-gcm", nk: 16 },
    3: { make: () => new Chacha20Poly1305(), node: "chacha20-poly1305", nk: 32 },
};
export const NN = 12;
export const TAG = 16;
export const REQUEST_LABEL = Buffer.from("message/bhttp request\0");
export const RESPONSE_LABEL = Buffer.from("message/bhttp response");

export const hex = (b) => Buffer.from(b).toString("hex");
export const unhex = (s) => Buffer.from(s, "hex");

export function suiteFor(aeadId) {
    const aead = AEADS[aeadId];
    if (!aead) throw new Error(`unsupported AEAD ${aeadId}`);
    return new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: aead.make() });
}

// RFC 5869 with HMAC-SHA256: Extract, and Expand for lengths up to 32 bytes
// (all the response keys and nonces need).
const extract = (salt, ikm) => createHmac("sha256", salt).update(ikm).digest();
const expand = (prk, info, len) =>
    createHmac("sha256", prk).update(Buffer.concat([Buffer.from(info), Buffer.from([1])])).digest().subarray(0, len);

export function header(keyId, aeadId) {
    const h = Buffer.alloc(7);
    h.writeUInt8(keyId, 0);
    h.writeUInt16BE(KEM_X25519, 1);
    h.writeUInt16BE(KDF_HKDF_SHA256, 3);
    h.writeUInt16BE(aeadId, 5);
    return h;
}

// RFC 9458 Section 4.4: the response key and nonce from the exported secret.
export async function responseKeys(context, enc, aeadId, responseNonce) {
    const { nk } = AEADS[aeadId];
    const secret = Buffer.from(await context.export(RESPONSE_LABEL, Math.max(NN, nk)));
    const prk = extract(Buffer.concat([enc, responseNonce]), secret);
    return { key: expand(prk, "key", nk), nonce: expand(prk, "nonce", NN) };
}

export function aeadSeal(aeadId, key, nonce, pt) {
    const c = createCipheriv(AEADS[aeadId].node, key, nonce, { authTagLength: TAG });
    return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
}

export function aeadOpen(aeadId, key, nonce, ct) {
    if (ct.length < TAG) throw new Error("response too short");
    const d = createDecipheriv(AEADS[aeadId].node, key, nonce, { authTagLength: TAG });
    d.setAuthTag(ct.subarray(ct.length - TAG));
    return Buffer.concat([d.update(ct.subarray(0, ct.length - TAG)), d.final()]);
}


// A gateway key pair and its Key Config (RFC 9458 Section 3.1): key_id,
// kem_id, pkR, algorithms length, then (kdf, aead) pairs.
export async function makeGatewayKey(keyId) {
    const kem = new DhkemX25519HkdfSha256();
    const keyPair = await kem.generateKeyPair();
    const pk = Buffer.from(await kem.serializePublicKey(keyPair.publicKey));
    const algs = Buffer.from([0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00, 0x03]);
    const head = Buffer.alloc(3);
    head.writeUInt8(keyId, 0);
    head.writeUInt16BE(KEM_X25519, 1);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(algs.length);
    return { keyId, keyPair, keyConfig: Buffer.concat([head, pk, len, algs]) };
}

// Client side, Section 4.3: returns the encapsulated request and the state
// needed to open the response.
export async function clientSeal(keyConfig, aeadId, request) {
    if (keyConfig.length < 35 || keyConfig.readUInt16BE(1) !== KEM_X25519)
        throw new Error("not an X25519 key config");
    const suite = suiteFor(aeadId);
    const hdr = header(keyConfig.readUInt8(0), aeadId);
    const sender = await suite.createSenderContext({
        recipientPublicKey: await suite.kem.deserializePublicKey(keyConfig.subarray(3, 35)),
        info: Buffer.concat([REQUEST_LABEL, hdr]),
    });
    const enc = Buffer.from(sender.enc);
    const ct = Buffer.from(await sender.seal(request));
    return { encapsulated: Buffer.concat([hdr, enc, ct]), context: { hpke: sender, enc, aeadId } };
}

// Client side, Section 4.4.
export async function clientOpen(context, response) {
    const l = Math.max(NN, AEADS[context.aeadId].nk);
    if (response.length < l + TAG) throw new Error("response too short");
    const { key, nonce } = await responseKeys(context.hpke, context.enc, context.aeadId, response.subarray(0, l));
    return aeadOpen(context.aeadId, key, nonce, response.subarray(l));
}

// Gateway side, Section 4.3: keys maps key id -> makeGatewayKey() result.
export async function gatewayOpen(keys, encapsulated) {
    if (encapsulated.length < 7 + 32) throw new Error("request too short");
    const key = keys.get(encapsulated.readUInt8(0));
    if (!key) throw new Error(`unknown key id ${encapsulated.readUInt8(0)}`);
    if (encapsulated.readUInt16BE(1) !== KEM_X25519 || encapsulated.readUInt16BE(3) !== KDF_HKDF_SHA256)
        throw new Error("unsupported KEM or KDF");
    const aeadId = encapsulated.readUInt16BE(5);
    const suite = suiteFor(aeadId);
    const enc = Buffer.from(encapsulated.subarray(7, 39));
    const recipient = await suite.createRecipientContext({
        recipientKey: key.keyPair,
        enc,
        info: Buffer.concat([REQUEST_LABEL, encapsulated.subarray(0, 7)]),
    });
    const request = Buffer.from(await recipient.open(encapsulated.subarray(39)));
    return { request, context: { hpke: recipient, enc, aeadId } };
}

// Gateway side, Section 4.4: a fresh response nonce, then AEAD.
export async function gatewaySeal(context, response) {
    const responseNonce = randomBytes(Math.max(NN, AEADS[context.aeadId].nk));
    const { key, nonce } = await responseKeys(context.hpke, context.enc, context.aeadId, responseNonce);
    return Buffer.concat([responseNonce, aeadSeal(context.aeadId, key, nonce, response)]);
}

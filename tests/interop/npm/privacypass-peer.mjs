// SPDX-License-Identifier: GPL-3.0-or-later
// An independent Privacy Pass peer (token type 0x0002, RFC 9578) on
// @cloudflare/privacypass-ts 0.8.1, for Sotto's interop tests. One JSON object
// per line on stdin, one JSON answer per line on stdout; byte strings are
// lowercase hex. The blind RSA variant is RSABSSA-SHA384-PSS-Deterministic
// (BlindRSAMode.PSS), as RFC 9578 Section 6 requires.
//   {"op":"challenge","issuerName","originInfo":[..]}        -> {"challenge"}   (Origin.createTokenChallenge, empty context)
//   {"op":"client_request","challenge","tokenKey"}           -> {"id","request"}
//   {"op":"client_finalize","id","response"}                 -> {"token","authorization"}
//   {"op":"issuer_keygen"}                                   -> {"tokenKey"}    (RSA-2048, RSASSA-PSS SPKI)
//   {"op":"issuer_issue","request"}                          -> {"response"}
//   {"op":"verify","token","tokenKey","challenge"}           -> {"signatureValid","challengeMatches","keyIdMatches"}
//   {"op":"parse_authorization","header"}                    -> {"tokens":[hex..]}
//   {"op":"format_authorization","token","quoted"}           -> {"header"}
//   {"op":"parse_www_authenticate","header"}                 -> {"challenges":[{"challenge","tokenKey","maxAge"}]}
//   {"op":"format_www_authenticate","challenge","tokenKey","maxAge","quoted"} -> {"header"}
// Errors: {"error": "..."}.
import { serveJsonLines } from "./jsonlines.mjs";
import {
    AuthorizationHeader,
    TOKEN_TYPES,
    Token,
    TokenChallenge,
    WWWAuthenticateHeader,
    publicVerif,
    util,
} from "@cloudflare/privacypass-ts";

const { BlindRSAMode, Client, Issuer, Origin, TokenRequest, TokenResponse, getPublicKeyBytes } = publicVerif;
const BLIND_RSA = TOKEN_TYPES.BLIND_RSA;

const hex = (b) => Buffer.from(b).toString("hex");
const unhex = (s) => new Uint8Array(Buffer.from(s, "hex"));
const sha256 = async (b) => new Uint8Array(await crypto.subtle.digest("SHA-256", b));
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

// The issuer key as WebCrypto needs it: it cannot import the RSASSA-PSS OID,
// so privacypass-ts converts the SPKI to rsaEncryption first.
function importTokenKey(spki) {
    return crypto.subtle.importKey("spki", util.convertRSASSAPSSToEnc(spki), BLIND_RSA.rsaParams, true, ["verify"]);
}

const clients = new Map(); // id -> Client awaiting its TokenResponse (used once)
let issuer = null;
let nextId = 1;

const ops = {
    async challenge({ issuerName, originInfo }) {
        const origin = new Origin(BlindRSAMode.PSS, originInfo.length ? originInfo : undefined);
        return { challenge: hex(origin.createTokenChallenge(issuerName, new Uint8Array(0)).serialize()) };
    },
    async client_request({ challenge, tokenKey }) {
        const client = new Client(BlindRSAMode.PSS);
        const request = await client.createTokenRequest(TokenChallenge.deserialize(unhex(challenge)), unhex(tokenKey));
        const id = nextId++;
        clients.set(id, client);
        return { id, request: hex(request.serialize()) };
    },
    async client_finalize({ id, response }) {
        const client = clients.get(id);
        if (!client) throw new Error(`no client ${id}`);
        clients.delete(id);
        const token = await client.finalize(TokenResponse.deserialize(unhex(response)));
        return { token: hex(token.serialize()), authorization: new AuthorizationHeader(token).toString() };
    },
    async issuer_keygen() {
        const keys = await Issuer.generateKey(BlindRSAMode.PSS, {
            modulusLength: 2048,
            publicExponent: new Uint8Array([1, 0, 1]),
        });
        issuer = new Issuer(BlindRSAMode.PSS, "npm.issuer.example", keys.privateKey, keys.publicKey);
        return { tokenKey: hex(await getPublicKeyBytes(keys.publicKey)) };
    },
    async issuer_issue({ request }) {
        if (!issuer) throw new Error("no issuer key (issuer_keygen first)");
        const response = await issuer.issue(TokenRequest.deserialize(BLIND_RSA, unhex(request)));
        return { response: hex(response.serialize()) };
    },
    async verify({ token, tokenKey, challenge }) {
        const bytes = unhex(token);
        if (bytes.length !== 2 + 32 + 32 + BLIND_RSA.Nid + BLIND_RSA.Nk) throw new Error("token of the wrong size");
        const t = Token.deserialize(BLIND_RSA, bytes);
        const key = unhex(tokenKey);
        const origin = new Origin(BlindRSAMode.PSS);
        return {
            signatureValid: await origin.verify(t, await importTokenKey(key)),
            challengeMatches: equal(t.authInput.challengeDigest, await sha256(unhex(challenge))),
            keyIdMatches: equal(t.authInput.tokenKeyId, await sha256(key)),
        };
    },
    async parse_authorization({ header }) {
        return { tokens: AuthorizationHeader.parse(BLIND_RSA, header).map((h) => hex(h.token.serialize())) };
    },
    async format_authorization({ token, quoted }) {
        return { header: new AuthorizationHeader(Token.deserialize(BLIND_RSA, unhex(token))).toString(quoted) };
    },
    async parse_www_authenticate({ header }) {
        return {
            challenges: WWWAuthenticateHeader.parse(header).map((h) => ({
                challenge: hex(h.challenge.serialize()),
                tokenKey: hex(h.tokenKey),
                maxAge: h.maxAge ?? null,
            })),
        };
    },
    async format_www_authenticate({ challenge, tokenKey, maxAge, quoted }) {
        const h = new WWWAuthenticateHeader(
            TokenChallenge.deserialize(unhex(challenge)),
            unhex(tokenKey),
            maxAge ?? undefined,
        );
        return { header: h.toString(quoted) };
    },
};

await serveJsonLines(ops);

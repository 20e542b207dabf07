// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the HPKE recipient (RFC 9180): everything a gateway
// takes from the network or its configuration goes through here, and every
// step must either work or fail with an HpkeError, never crash or leak.
//
// Input layout:
//   byte 0    bit 0: KEM (0 DHKEM(X25519), 1 DHKEM(P-256));
//             bits 1-2: AEAD (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305,
//             export-only); bits 3-7: the export length L, times 16.
//   then seven fields, each a one-byte length and that many bytes (a field
//   cut short by the end of the input takes what is left):
//             skR (32 bytes: DeserializePrivateKey; any other length:
//             DeriveKeyPair's ikm), enc, info, psk, psk_id, pkS (non-empty
//             selects an auth mode), aad
//   the rest  the ciphertext.
//
// Seeds (corpus/hpke_recipient/rfc9180_vNN_*) are the 13 RFC 9180 vectors of
// tests/data/hpke/rfc9180-test-vectors-filtered.json in this layout: byte 0
// the vector's suite with L = 32; skRm, enc, info, psk, psk_id, pkSm (auth
// modes only), the aad of encryption 0 (for export-only vectors the
// exporter_context "TestContext"); then the ct of encryption 0. Each seed
// opens, so mutation starts from the deepest path.
#include "protocol/hpke/hpke.h"

#include <cstddef>
#include <cstdint>

using namespace sotto;
using namespace sotto::hpke;

namespace {

ByteView takeField(ByteView &in)
{
    if (in.empty())
        return {};
    size_t n = in[0];
    in = in.subspan(1);
    if (n > in.size())
        n = in.size();
    ByteView field = in.first(n);
    in = in.subspan(n);
    return field;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    ByteView in(data, size);
    const uint8_t selector = in[0];
    in = in.subspan(1);

    static constexpr AeadId kAeads[]
        = { AeadId::Aes128Gcm, AeadId::Aes256Gcm, AeadId::ChaCha20Poly1305, AeadId::ExportOnly };
    const Suite suite { (selector & 1) ? KemId::DhkemP256Sha256 : KemId::DhkemX25519Sha256,
        KdfId::HkdfSha256, kAeads[(selector >> 1) & 3] };
    const size_t exportLength = static_cast<size_t>(selector >> 3) * 16;

    const ByteView sk = takeField(in);
    const ByteView enc = takeField(in);
    RecipientOptions options;
    options.info = takeField(in);
    options.psk = takeField(in);
    options.pskId = takeField(in);
    options.senderPublicKey = takeField(in);
    const ByteView aad = takeField(in);
    const ByteView ciphertext = in;

    auto recipient = sk.size() == privateKeyLength(suite.kem)
        ? KeyPair::fromPrivateKey(suite.kem, sk)
        : KeyPair::derive(suite.kem, sk);
    if (!recipient)
        return 0;

    auto context = setupRecipient(suite, enc, *recipient, options);
    if (!context)
        return 0;

    auto opened = context->open(aad, ciphertext);
    if (opened) {
        // An opened message had at least its 16-byte tag, and the sequence
        // number moved on: the same ciphertext cannot open twice.
        if (ciphertext.size() < 16 || opened->size() != ciphertext.size() - 16
            || context->sequence() != 1)
            __builtin_trap();
        if (context->open(aad, ciphertext))
            __builtin_trap();
    } else if (context->sequence() != 0) {
        __builtin_trap(); // a failed open must not advance
    }

    auto exported = context->exportSecret(aad, exportLength);
    if (exported && exported->size() != exportLength)
        __builtin_trap();

    // The single-shot path takes the same inputs.
    auto single = hpke::open(suite, enc, *recipient, aad, ciphertext, options);
    if (single.ok() != opened.ok())
        __builtin_trap();
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/aead.h"

#include "protocol/crypto/evp_ptr.h"

#include <algorithm>
#include <climits>
#include <string>

namespace sotto::crypto {

namespace {

// OpenSSL's GCM keeps the IV in a 128-byte buffer (GCM_IV_MAX_SIZE); longer
// IVs are legal in GCM (NIST SP 800-38D allows up to 2^64-1 bits) but
// OpenSSL 3.0 refuses them, so we report them as an unsupported length.
constexpr size_t kGcmMaxNonceLength = 128;
// EVP_CipherUpdate takes int lengths; longer inputs are fed in pieces.
constexpr size_t kMaxUpdateChunk = size_t { 1 } << 30;

// Explicitly fetched once per process. Passing EVP_aes_128_gcm() and friends
// to EVP_CipherInit_ex makes OpenSSL 3.0 fetch the provider implementation
// again on every call, under the provider store lock. The fetched ciphers
// are immutable and safe to share between threads; they are released at exit,
// before OpenSSL's own atexit cleanup (they were created after it registered).
const EVP_CIPHER *evpCipher(AeadAlg alg)
{
    const auto fetch = [](const char *name) {
        detail::EvpCipherPtr cipher(EVP_CIPHER_fetch(nullptr, name, nullptr));
        if (!cipher)
            detail::fatalOpenSslError("EVP_CIPHER_fetch");
        return cipher;
    };
    static const detail::EvpCipherPtr aes128Gcm = fetch("AES-128-GCM");
    static const detail::EvpCipherPtr aes256Gcm = fetch("AES-256-GCM");
    static const detail::EvpCipherPtr chacha20Poly1305 = fetch("ChaCha20-Poly1305");
    switch (alg) {
    case AeadAlg::Aes128Gcm:
        return aes128Gcm.get();
    case AeadAlg::Aes256Gcm:
        return aes256Gcm.get();
    case AeadAlg::ChaCha20Poly1305:
        return chacha20Poly1305.get();
    }
    return nullptr;
}

const char *aeadName(AeadAlg alg)
{
    switch (alg) {
    case AeadAlg::Aes128Gcm:
        return "AES-128-GCM";
    case AeadAlg::Aes256Gcm:
        return "AES-256-GCM";
    case AeadAlg::ChaCha20Poly1305:
        return "ChaCha20-Poly1305";
    }
    return "?";
}

CryptoStatus checkKeyAndNonce(AeadAlg alg, ByteView key, ByteView nonce)
{
    if (key.size() != aeadKeyLength(alg))
        return fail(CryptoError::InvalidKeyLength,
            std::string(aeadName(alg)) + " key must be " + std::to_string(aeadKeyLength(alg))
                + " bytes, got " + std::to_string(key.size()));
    if (alg == AeadAlg::ChaCha20Poly1305) {
        // RFC 8439 Section 2.8: the AEAD construction takes a 96-bit nonce.
        if (nonce.size() != aeadNonceLength(alg))
            return fail(CryptoError::InvalidNonceLength,
                "ChaCha20-Poly1305 nonce must be 12 bytes, got " + std::to_string(nonce.size()));
    } else if (nonce.empty() || nonce.size() > kGcmMaxNonceLength) {
        // NIST SP 800-38D Section 5.2.1.1: len(IV) >= 1 bit; 96 bits is the
        // fast path, other lengths are hashed with GHASH into J0.
        return fail(CryptoError::InvalidNonceLength,
            std::string(aeadName(alg)) + " nonce must be 1.." + std::to_string(kGcmMaxNonceLength)
                + " bytes, got " + std::to_string(nonce.size()));
    }
    return Done {};
}

// Sets the cipher, the IV length (GCM's variable IV) and then key and IV.
bool initContext(EVP_CIPHER_CTX *ctx, AeadAlg alg, ByteView key, ByteView nonce, int encrypt)
{
    if (EVP_CipherInit_ex(ctx, evpCipher(alg), nullptr, nullptr, nullptr, encrypt) != 1)
        return false;
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(nonce.size()), nullptr)
        != 1)
        return false;
    return EVP_CipherInit_ex(ctx, nullptr, nullptr, key.data(), nonce.data(), encrypt) == 1;
}

// Feeds `in` through EVP_CipherUpdate. With out == nullptr this is AAD.
bool update(EVP_CIPHER_CTX *ctx, ByteView in, uint8_t *out)
{
    while (!in.empty()) {
        const size_t chunk = std::min(in.size(), kMaxUpdateChunk);
        int written = 0;
        if (EVP_CipherUpdate(ctx, out, &written, in.data(), static_cast<int>(chunk)) != 1)
            return false;
        // Stream modes: output length equals input length for data.
        if (out != nullptr) {
            if (static_cast<size_t>(written) != chunk)
                return false;
            out += chunk;
        }
        in = in.subspan(chunk);
    }
    return true;
}

} // namespace

size_t aeadKeyLength(AeadAlg alg)
{
    switch (alg) {
    case AeadAlg::Aes128Gcm:
        return 16;
    case AeadAlg::Aes256Gcm:
    case AeadAlg::ChaCha20Poly1305:
        return 32;
    }
    return 0;
}

size_t aeadNonceLength(AeadAlg)
{
    return 12;
}

// RFC 5116 Section 2.1 / RFC 8439 Section 2.8: ciphertext || 16-byte tag.
CryptoResult<Bytes> aeadSeal(
    AeadAlg alg, ByteView key, ByteView nonce, ByteView aad, ByteView plaintext)
{
    if (auto checked = checkKeyAndNonce(alg, key, nonce); !checked)
        return checked.failure();

    detail::EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx)
        detail::fatalOpenSslError("EVP_CIPHER_CTX_new");

    Bytes out(plaintext.size() + kAeadTagLength);
    int finalLen = 0;
    const bool ok = initContext(ctx.get(), alg, key, nonce, 1) && update(ctx.get(), aad, nullptr)
        && update(ctx.get(), plaintext, out.data())
        // GCM and ChaCha20-Poly1305 are stream modes: Final emits nothing,
        // but it computes the tag.
        && EVP_EncryptFinal_ex(ctx.get(), out.data() + plaintext.size(), &finalLen) == 1
        && finalLen == 0
        && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kAeadTagLength),
               out.data() + plaintext.size())
            == 1;
    if (!ok) {
        detail::clearOpenSslErrors();
        return fail(CryptoError::Internal, std::string(aeadName(alg)) + " encryption failed");
    }
    return out;
}

CryptoResult<SecretBytes> aeadOpen(
    AeadAlg alg, ByteView key, ByteView nonce, ByteView aad, ByteView ciphertextAndTag)
{
    if (auto checked = checkKeyAndNonce(alg, key, nonce); !checked)
        return checked.failure();
    // Anything shorter than a tag cannot have been produced by Seal.
    if (ciphertextAndTag.size() < kAeadTagLength)
        return fail(CryptoError::AuthenticationFailed,
            "ciphertext of " + std::to_string(ciphertextAndTag.size())
                + " bytes is shorter than the 16-byte tag");

    const size_t ctLen = ciphertextAndTag.size() - kAeadTagLength;
    const ByteView ciphertext = ciphertextAndTag.first(ctLen);
    // EVP_CTRL_AEAD_SET_TAG copies the tag; it is only read, never written.
    uint8_t tag[kAeadTagLength];
    std::copy_n(ciphertextAndTag.begin() + static_cast<std::ptrdiff_t>(ctLen), kAeadTagLength, tag);

    detail::EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx)
        detail::fatalOpenSslError("EVP_CIPHER_CTX_new");

    // Plaintext goes straight into wiping memory: if the tag fails, the
    // unauthenticated bytes are wiped when `plaintext` goes out of scope.
    SecretBytes plaintext(ctLen);
    if (!initContext(ctx.get(), alg, key, nonce, 0) || !update(ctx.get(), aad, nullptr)
        || !update(ctx.get(), ciphertext, plaintext.data())
        || EVP_CIPHER_CTX_ctrl(
               ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kAeadTagLength), tag)
            != 1) {
        detail::clearOpenSslErrors();
        return fail(CryptoError::Internal, std::string(aeadName(alg)) + " decryption failed");
    }
    // The tag comparison inside DecryptFinal is constant time (CRYPTO_memcmp).
    int finalLen = 0;
    if (EVP_DecryptFinal_ex(ctx.get(), plaintext.data() + ctLen, &finalLen) != 1) {
        detail::clearOpenSslErrors();
        return fail(
            CryptoError::AuthenticationFailed, std::string(aeadName(alg)) + " tag did not verify");
    }
    return plaintext;
}

} // namespace sotto::crypto

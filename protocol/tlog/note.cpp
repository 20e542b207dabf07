// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/tlog/note.h"

#include "protocol/tlog/base64.h"

#include "protocol/crypto/hash.h"

#include <algorithm>
#include <charconv>
#include <string>

namespace sotto::tlog {

namespace {

// U+2014 EM DASH, then a space: the start of every signature line.
constexpr std::string_view kSignaturePrefix = "\xe2\x80\x94 ";
constexpr std::string_view kPrivateKeyPrefix = "PRIVATE+KEY+";
constexpr size_t kKeyIdLength = 4;
constexpr size_t kTimestampLength = 8;
constexpr size_t kCosignatureLength = kTimestampLength + crypto::kEd25519SignatureLength;

// Decodes UTF-8 strictly (RFC 3629 Section 3: no overlong forms, no
// surrogates, nothing above U+10FFFF), calling `each(codePoint)`; false on
// the first invalid sequence.
template <class F> bool forEachCodePoint(std::string_view s, F each)
{
    size_t i = 0;
    while (i < s.size()) {
        const auto b0 = static_cast<uint8_t>(s[i]);
        uint32_t cp = 0;
        size_t len = 0;
        uint32_t min = 0;
        if (b0 < 0x80) {
            cp = b0;
            len = 1;
        } else if ((b0 & 0xe0) == 0xc0) {
            cp = b0 & 0x1fu;
            len = 2;
            min = 0x80;
        } else if ((b0 & 0xf0) == 0xe0) {
            cp = b0 & 0x0fu;
            len = 3;
            min = 0x800;
        } else if ((b0 & 0xf8) == 0xf0) {
            cp = b0 & 0x07u;
            len = 4;
            min = 0x10000;
        } else {
            return false;
        }
        if (i + len > s.size())
            return false;
        for (size_t j = 1; j < len; ++j) {
            const auto b = static_cast<uint8_t>(s[i + j]);
            if ((b & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (b & 0x3fu);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        each(cp);
        i += len;
    }
    return true;
}

bool isControl(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

// Unicode White_Space code points (Unicode PropList.txt).
bool isUnicodeSpace(uint32_t cp)
{
    return cp == 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85 || cp == 0xa0 || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f
        || cp == 0x205f || cp == 0x3000;
}

std::string keyIdHex(uint32_t id)
{
    const uint8_t b[kKeyIdLength]
        = { uint8_t(id >> 24), uint8_t(id >> 16), uint8_t(id >> 8), uint8_t(id) };
    return toHex(b);
}

uint32_t readBigEndian32(ByteView b)
{
    return uint32_t { b[0] } << 24 | uint32_t { b[1] } << 16 | uint32_t { b[2] } << 8 | b[3];
}

// Exactly 8 hex digits, as signed-note writes the key ID in key strings.
std::optional<uint32_t> parseKeyIdHex(std::string_view s)
{
    if (s.size() != 2 * kKeyIdLength)
        return std::nullopt;
    auto bytes = fromHex(s);
    if (!bytes)
        return std::nullopt;
    return readBigEndian32(*bytes);
}

std::optional<KeyType> keyTypeFromByte(uint8_t b)
{
    switch (b) {
    case uint8_t(KeyType::Ed25519):
        return KeyType::Ed25519;
    case uint8_t(KeyType::CosignatureV1):
        return KeyType::CosignatureV1;
    default:
        return std::nullopt;
    }
}

// base64(type || key) with a supported type and a 32-byte key.
struct TypedKey {
    KeyType type;
    Bytes key;
};

TlogResult<TypedKey> decodeTypedKey(std::string_view b64, const char *what)
{
    auto raw = base64Decode(b64);
    if (!raw || raw->empty())
        return fail(TlogError::MalformedKey, std::string(what) + ": key is not valid base64");
    auto type = keyTypeFromByte((*raw)[0]);
    if (!type)
        return fail(TlogError::UnsupportedKeyType,
            std::string(what) + ": key type 0x" + toHex(ByteView(*raw).first(1))
                + " is not Ed25519 (0x01) or cosignature/v1 (0x04)");
    if (raw->size() != 1 + crypto::kEd25519PublicKeyLength)
        return fail(TlogError::MalformedKey,
            std::string(what) + ": Ed25519 key must be 32 bytes, got "
                + std::to_string(raw->size() - 1));
    return TypedKey { *type, Bytes(raw->begin() + 1, raw->end()) };
}

// The bytes an Ed25519 key of `type` signs for `text`.
std::string signedMessage(KeyType type, std::string_view text, uint64_t timestamp)
{
    if (type == KeyType::CosignatureV1)
        return cosignatureMessage(timestamp, text);
    return std::string(text);
}

TlogResult<NoteSignature> parseSignatureLine(std::string_view line)
{
    // "— <name> <base64>": the name ends at the first space after the dash;
    // names contain no spaces (signed-note "Key names").
    if (!line.starts_with(kSignaturePrefix))
        return fail(TlogError::NoteMalformedSignature,
            "a line in the signature block does not start with \"\xe2\x80\x94 \"");
    line.remove_prefix(kSignaturePrefix.size());
    const size_t space = line.find(' ');
    if (space == std::string_view::npos)
        return fail(TlogError::NoteMalformedSignature, "signature line has no key name and base64");
    const std::string_view name = line.substr(0, space);
    const std::string_view b64 = line.substr(space + 1);
    if (auto ok = checkKeyName(name); !ok)
        return ok.failure();
    auto raw = base64Decode(b64);
    if (!raw)
        return fail(TlogError::NoteBadBase64,
            "signature of key " + std::string(name) + " is not valid base64");
    if (raw->size() <= kKeyIdLength)
        return fail(TlogError::NoteMalformedSignature,
            "signature of key " + std::string(name) + " is " + std::to_string(raw->size())
                + " bytes, shorter than the key ID and a signature");
    NoteSignature sig;
    sig.name = std::string(name);
    sig.keyId = readBigEndian32(*raw);
    sig.signature.assign(raw->begin() + kKeyIdLength, raw->end());
    return sig;
}

} // namespace

std::string NoteSignature::keyLabel() const
{
    return name + "+" + keyIdHex(keyId);
}

TlogStatus checkNoteText(std::string_view text)
{
    bool control = false;
    const bool utf8 = forEachCodePoint(text, [&](uint32_t cp) {
        if (cp != '\n' && isControl(cp))
            control = true;
    });
    if (!utf8)
        return fail(TlogError::NoteNotUtf8, "note is not valid UTF-8");
    if (control)
        return fail(TlogError::NoteControlCharacter,
            "note contains a control character other than newline");
    if (!text.ends_with('\n'))
        return fail(TlogError::NoteMissingNewline, "note does not end with a newline");
    return Done {};
}

TlogStatus checkKeyName(std::string_view name)
{
    if (name.empty())
        return fail(TlogError::InvalidKeyName, "key name is empty");
    bool bad = false;
    const bool utf8 = forEachCodePoint(name, [&](uint32_t cp) {
        if (cp == '+' || isControl(cp) || isUnicodeSpace(cp))
            bad = true;
    });
    if (!utf8 || bad)
        return fail(TlogError::InvalidKeyName,
            "key name must be UTF-8 without spaces, '+' or control characters");
    return Done {};
}

uint32_t computeKeyId(std::string_view name, KeyType type, ByteView publicKey)
{
    const uint8_t sep[] = { '\n', uint8_t(type) };
    const Bytes digest = crypto::sha256(concat({ asBytes(name), sep, publicKey }));
    return readBigEndian32(digest);
}

std::string cosignatureMessage(uint64_t timestamp, std::string_view checkpointText)
{
    return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" + std::string(checkpointText);
}

TlogResult<uint64_t> cosignatureTimestamp(ByteView signature)
{
    if (signature.size() != kCosignatureLength)
        return fail(TlogError::NotACosignature,
            "a cosignature/v1 is 72 bytes (timestamp + Ed25519), got "
                + std::to_string(signature.size()));
    uint64_t t = 0;
    for (size_t i = 0; i < kTimestampLength; ++i)
        t = t << 8 | signature[i];
    return t;
}

TlogResult<Note> parseNote(std::string_view message)
{
    if (auto ok = checkNoteText(message); !ok)
        return ok.failure();
    // The text ends at the last blank line: the text itself may contain
    // blank lines, the signature block may not.
    const size_t split = message.rfind("\n\n");
    if (split == std::string_view::npos)
        return fail(TlogError::NoteNoSignatures, "note has no blank line before signatures");
    Note note;
    note.text = std::string(message.substr(0, split + 1));
    std::string_view block = message.substr(split + 2);
    if (block.empty())
        return fail(TlogError::NoteNoSignatures, "note has an empty signature block");
    const size_t lines = size_t(std::count(block.begin(), block.end(), '\n'));
    if (lines > kMaxNoteSignatures)
        return fail(TlogError::NoteTooManySignatures,
            "note has " + std::to_string(lines) + " signature lines, at most "
                + std::to_string(kMaxNoteSignatures) + " are accepted");
    while (!block.empty()) {
        const size_t nl = block.find('\n'); // present: the message ends in '\n'
        SOTTO_TRY(NoteSignature sig, parseSignatureLine(block.substr(0, nl)));
        block.remove_prefix(nl + 1);
        if (std::find(note.signatures.begin(), note.signatures.end(), sig) == note.signatures.end())
            note.signatures.push_back(std::move(sig));
    }
    return note;
}

std::string formatNote(const Note &note)
{
    std::string out = note.text + "\n";
    for (const NoteSignature &sig : note.signatures) {
        uint8_t id[kKeyIdLength] = { uint8_t(sig.keyId >> 24), uint8_t(sig.keyId >> 16),
            uint8_t(sig.keyId >> 8), uint8_t(sig.keyId) };
        out += kSignaturePrefix;
        out += sig.name + " " + base64Encode(concat({ id, sig.signature })) + "\n";
    }
    return out;
}

TlogResult<NoteVerifier> NoteVerifier::parse(std::string_view vkey)
{
    const size_t p1 = vkey.find('+');
    const size_t p2 = p1 == std::string_view::npos ? p1 : vkey.find('+', p1 + 1);
    if (p2 == std::string_view::npos)
        return fail(TlogError::MalformedKey, "verifier key must be name+keyid+base64");
    const std::string_view name = vkey.substr(0, p1);
    if (auto ok = checkKeyName(name); !ok)
        return ok.failure();
    auto id = parseKeyIdHex(vkey.substr(p1 + 1, p2 - p1 - 1));
    if (!id)
        return fail(TlogError::MalformedKey, "verifier key ID must be 8 hex digits");
    SOTTO_TRY(TypedKey key, decodeTypedKey(vkey.substr(p2 + 1), "verifier key"));
    const uint32_t computed = computeKeyId(name, key.type, key.key);
    if (computed != *id)
        return fail(TlogError::KeyIdMismatch,
            "verifier key ID " + keyIdHex(*id) + " is not the key's hash " + keyIdHex(computed));
    NoteVerifier v;
    v.m_name = std::string(name);
    v.m_keyId = *id;
    v.m_type = key.type;
    v.m_publicKey = std::move(key.key);
    return v;
}

std::string NoteVerifier::toString() const
{
    const uint8_t type[] = { uint8_t(m_type) };
    return m_name + "+" + keyIdHex(m_keyId) + "+" + base64Encode(concat({ type, m_publicKey }));
}

TlogStatus NoteVerifier::verify(std::string_view text, ByteView signature) const
{
    const std::string label = m_name + "+" + keyIdHex(m_keyId);
    uint64_t timestamp = 0;
    ByteView ed25519 = signature;
    if (m_type == KeyType::CosignatureV1) {
        SOTTO_TRY(timestamp, cosignatureTimestamp(signature));
        ed25519 = signature.subspan(kTimestampLength);
    }
    const std::string message = signedMessage(m_type, text, timestamp);
    if (!crypto::ed25519Verify(m_publicKey, asBytes(message), ed25519))
        return fail(TlogError::NoteInvalidSignature, "invalid signature for key " + label);
    return Done {};
}

NoteSigner::NoteSigner(
    std::string name, uint32_t keyId, KeyType type, crypto::Ed25519PrivateKey key)
    : m_name(std::move(name))
    , m_keyId(keyId)
    , m_type(type)
    , m_key(std::move(key))
{ }

TlogResult<NoteSigner> NoteSigner::parse(std::string_view skey)
{
    if (!skey.starts_with(kPrivateKeyPrefix))
        return fail(TlogError::MalformedKey, "signer key must start with PRIVATE+KEY+");
    skey.remove_prefix(kPrivateKeyPrefix.size());
    const size_t p1 = skey.find('+');
    const size_t p2 = p1 == std::string_view::npos ? p1 : skey.find('+', p1 + 1);
    if (p2 == std::string_view::npos)
        return fail(TlogError::MalformedKey, "signer key must be PRIVATE+KEY+name+keyid+base64");
    const std::string_view name = skey.substr(0, p1);
    if (auto ok = checkKeyName(name); !ok)
        return ok.failure();
    auto id = parseKeyIdHex(skey.substr(p1 + 1, p2 - p1 - 1));
    if (!id)
        return fail(TlogError::MalformedKey, "signer key ID must be 8 hex digits");
    // The seed is secret: decoded into a temporary that is wiped (SecretBytes).
    auto raw = base64Decode(skey.substr(p2 + 1));
    if (!raw || raw->empty()) {
        if (raw)
            crypto::secureWipe(raw->data(), raw->size());
        return fail(TlogError::MalformedKey, "signer key is not valid base64");
    }
    const crypto::SecretBytes secret(*raw);
    crypto::secureWipe(raw->data(), raw->size());
    auto type = keyTypeFromByte(secret.data()[0]);
    if (!type)
        return fail(TlogError::UnsupportedKeyType, "signer key type is not 0x01 or 0x04");
    if (secret.size() != 1 + crypto::kEd25519SeedLength)
        return fail(TlogError::MalformedKey, "signer key seed must be 32 bytes");
    auto key = crypto::Ed25519PrivateKey::fromSeed(secret.view().subspan(1));
    if (!key)
        return fail(TlogError::MalformedKey, "signer key rejected: " + key.detail());
    const uint32_t computed = computeKeyId(name, *type, key->publicKey());
    if (computed != *id)
        return fail(TlogError::KeyIdMismatch,
            "signer key ID " + keyIdHex(*id) + " is not the key's hash " + keyIdHex(computed));
    return NoteSigner(std::string(name), *id, *type, std::move(key).value());
}

TlogResult<NoteSigner> NoteSigner::generate(std::string_view name, KeyType type)
{
    if (auto ok = checkKeyName(name); !ok)
        return ok.failure();
    auto key = crypto::Ed25519PrivateKey::generate();
    if (!key)
        return fail(TlogError::MalformedKey, "key generation failed: " + key.detail());
    const uint32_t id = computeKeyId(name, type, key->publicKey());
    return NoteSigner(std::string(name), id, type, std::move(key).value());
}

std::string NoteSigner::verifierKey() const
{
    const uint8_t type[] = { uint8_t(m_type) };
    return m_name + "+" + keyIdHex(m_keyId) + "+"
        + base64Encode(concat({ type, m_key.publicKey() }));
}

crypto::SecretBytes NoteSigner::toKeyString() const
{
    const crypto::SecretBytes seed = m_key.seed();
    crypto::SecretBytes raw(1);
    raw.data()[0] = uint8_t(m_type);
    raw.append(seed);
    std::string b64 = base64Encode(raw);
    crypto::SecretBytes out = crypto::SecretBytes::fromString(
        std::string(kPrivateKeyPrefix) + m_name + "+" + keyIdHex(m_keyId) + "+");
    out.append(asBytes(b64));
    crypto::secureWipe(b64.data(), b64.size());
    return out;
}

NoteSignature NoteSigner::sign(std::string_view text, uint64_t timestamp) const
{
    NoteSignature sig;
    sig.name = m_name;
    sig.keyId = m_keyId;
    const std::string message = signedMessage(m_type, text, timestamp);
    if (m_type == KeyType::CosignatureV1) {
        for (size_t i = 0; i < kTimestampLength; ++i)
            sig.signature.push_back(uint8_t(timestamp >> (8 * (kTimestampLength - 1 - i))));
    }
    const Bytes ed = m_key.sign(asBytes(message));
    sig.signature.insert(sig.signature.end(), ed.begin(), ed.end());
    return sig;
}

TlogResult<std::string> signNote(
    std::string_view text, std::span<const NoteSigner> signers, uint64_t timestamp)
{
    if (auto ok = checkNoteText(text); !ok)
        return ok.failure();
    if (signers.empty())
        return fail(TlogError::NoteNoSignatures, "no signer given");
    Note note;
    note.text = std::string(text);
    for (const NoteSigner &s : signers)
        note.signatures.push_back(s.sign(text, timestamp));
    return formatNote(note);
}

TlogResult<VerifiedNote> openNote(std::string_view message, std::span<const NoteVerifier> verifiers)
{
    SOTTO_TRY(Note note, parseNote(message));
    VerifiedNote out;
    out.text = note.text;
    for (NoteSignature &sig : note.signatures) {
        const NoteVerifier *match = nullptr;
        size_t matches = 0;
        for (const NoteVerifier &v : verifiers) {
            if (v.name() == sig.name && v.keyId() == sig.keyId) {
                match = &v;
                ++matches;
            }
        }
        if (matches == 0) {
            out.unverified.push_back(std::move(sig));
            continue;
        }
        if (matches > 1)
            return fail(TlogError::NoteAmbiguousKey, "ambiguous key " + sig.keyLabel());
        if (auto ok = match->verify(note.text, sig.signature); !ok) {
            // A known key whose signature fails: the note is rejected, a
            // 72-byte-format failure included.
            return fail(TlogError::NoteInvalidSignature, ok.detail());
        }
        out.verified.push_back(std::move(sig));
    }
    if (out.verified.empty())
        return fail(TlogError::NoteUnverified,
            "note has no verifiable signatures (" + std::to_string(out.unverified.size())
                + " by unknown keys)");
    return out;
}

} // namespace sotto::tlog

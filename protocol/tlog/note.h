// SPDX-License-Identifier: GPL-3.0-or-later
// C2SP signed-note v1.0.0: a UTF-8 text ending in a newline, a blank line,
// and one line per signature, "— <key name> <base64(key ID || signature)>\n"
// (the dash is U+2014). Keys are identified by the pair (name, key ID); the
// key ID is the first four bytes of SHA-256(name || "\n" || type || key).
//
// Verification follows the spec's rule that signatures from unknown keys are
// ignored, not errors: a note is accepted when at least one signature is by
// a configured key and every signature by a configured key verifies. One bad
// signature from a known key rejects the whole note (it means the text was
// altered or the key is misused).
//
// Key types: 0x01 Ed25519 (signed-note "Ed25519"), and 0x04 timestamped
// Ed25519 cosignature/v1 (C2SP tlog-cosignature v1.0.0), whose signed message
// is "cosignature/v1\ntime <unix>\n" followed by the note text.
#pragma once

#include "protocol/tlog/error.h"

#include "protocol/common/bytes.h"
#include "protocol/crypto/ed25519.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sotto::tlog {

// golang.org/x/mod/sumdb/note's limit; C2SP signed-note only requires a
// verifier to accept at least 16. Bounds the work one note can cause.
constexpr size_t kMaxNoteSignatures = 100;

enum class KeyType : uint8_t {
    Ed25519 = 0x01,
    CosignatureV1 = 0x04,
};

// One signature line, decoded. `signature` excludes the 4-byte key ID.
struct NoteSignature {
    std::string name;
    uint32_t keyId = 0;
    Bytes signature;

    bool operator==(const NoteSignature &) const = default;
    // "name+hex(keyId)", how golang/mod and our errors name a key.
    std::string keyLabel() const;
};

struct Note {
    std::string text; // including its final newline
    std::vector<NoteSignature> signatures;
};

// Parses the format only; nothing is verified. Identical signature lines
// are kept once. Errors: NoteNotUtf8, NoteControlCharacter,
// NoteMissingNewline, NoteNoSignatures, NoteTooManySignatures,
// NoteMalformedSignature, NoteBadBase64, InvalidKeyName.
TlogResult<Note> parseNote(std::string_view message);
// The note as bytes: text, blank line, signature lines.
std::string formatNote(const Note &note);

// signed-note "Text": valid UTF-8, no control characters other than newline,
// ends with a newline.
TlogStatus checkNoteText(std::string_view text);
// signed-note "Key names": non-empty, UTF-8, no spaces, no '+', no control
// characters.
TlogStatus checkKeyName(std::string_view name);
// SHA-256(name || "\n" || type || publicKey)[:4], big-endian.
uint32_t computeKeyId(std::string_view name, KeyType type, ByteView publicKey);

// The message a cosignature/v1 covers (tlog-cosignature Section "Signed
// message"): "cosignature/v1\ntime <timestamp>\n" + checkpoint text.
std::string cosignatureMessage(uint64_t timestamp, std::string_view checkpointText);
// The timestamp of a cosignature/v1 signature (without its key ID): the
// first 8 bytes, big-endian. NotACosignature unless it is 8 + 64 bytes.
TlogResult<uint64_t> cosignatureTimestamp(ByteView signature);

// A verifier key: "name+hex(keyId)+base64(type || publicKey)".
class NoteVerifier {
public:
    // Splits on the first two '+' only (the base64 may contain '+'). Errors:
    // MalformedKey, InvalidKeyName, UnsupportedKeyType, KeyIdMismatch.
    static TlogResult<NoteVerifier> parse(std::string_view vkey);

    const std::string &name() const { return m_name; }
    uint32_t keyId() const { return m_keyId; }
    KeyType type() const { return m_type; }
    const Bytes &publicKey() const { return m_publicKey; }
    std::string toString() const;

    // Checks one signature (without key ID) over the note text. For
    // cosignature/v1, NotACosignature when it is not 72 bytes.
    TlogStatus verify(std::string_view text, ByteView signature) const;

private:
    std::string m_name;
    uint32_t m_keyId = 0;
    KeyType m_type = KeyType::Ed25519;
    Bytes m_publicKey;
};

// A signer key: "PRIVATE+KEY+name+hex(keyId)+base64(type || 32-byte seed)".
class NoteSigner {
public:
    static TlogResult<NoteSigner> parse(std::string_view skey);
    static TlogResult<NoteSigner> generate(std::string_view name, KeyType type);

    const std::string &name() const { return m_name; }
    uint32_t keyId() const { return m_keyId; }
    KeyType type() const { return m_type; }
    std::string verifierKey() const;
    // The private key string; a secret, hence SecretBytes.
    crypto::SecretBytes toKeyString() const;

    // A signature over `text`. `timestamp` (seconds since the Unix epoch) is
    // used by cosignature/v1 keys only and is part of their signature.
    NoteSignature sign(std::string_view text, uint64_t timestamp = 0) const;

private:
    NoteSigner(std::string name, uint32_t keyId, KeyType type, crypto::Ed25519PrivateKey key);
    std::string m_name;
    uint32_t m_keyId;
    KeyType m_type;
    crypto::Ed25519PrivateKey m_key;
};

// Signs `text` (which must pass checkNoteText) with each signer and returns
// the note.
TlogResult<std::string> signNote(
    std::string_view text, std::span<const NoteSigner> signers, uint64_t timestamp = 0);

struct VerifiedNote {
    std::string text;
    std::vector<NoteSignature> verified;   // by configured keys, all valid
    std::vector<NoteSignature> unverified; // by keys not configured: ignored
};

// Parses and verifies. Beyond parseNote's errors: NoteAmbiguousKey (two
// configured verifiers share name and key ID and the note uses them),
// NoteInvalidSignature (a configured key's signature fails), NoteUnverified
// (no signature by a configured key).
TlogResult<VerifiedNote> openNote(
    std::string_view message, std::span<const NoteVerifier> verifiers);

} // namespace sotto::tlog

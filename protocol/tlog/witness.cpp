// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/tlog/witness.h"

namespace sotto::tlog {

TlogResult<WitnessedCheckpoint> witnessCheckpoint(const LogClient &client,
    const NoteSigner &witness, const std::optional<Checkpoint> &previous, uint64_t timestamp)
{
    if (witness.type() != KeyType::CosignatureV1)
        return fail(TlogError::UnsupportedKeyType,
            "witness key " + witness.name() + " is not a cosignature/v1 key");
    SOTTO_TRY(VerifiedCheckpoint fetched, client.fetchCheckpoint());
    if (previous) {
        // tlog-witness: "the witness MUST check that the checkpoint is
        // consistent with the latest one it cosigned for this log".
        SOTTO_TRY(Done d, client.checkConsistency(*previous, fetched.checkpoint));
        (void)d;
    }
    WitnessedCheckpoint out;
    out.cosignature = witness.sign(formatCheckpoint(fetched.checkpoint), timestamp);
    out.checkpoint = std::move(fetched);
    return out;
}

std::string formatSignatureLine(const NoteSignature &signature)
{
    // formatNote writes "text\n" + lines; the text here is one line, dropped.
    const std::string note = formatNote(Note { "x\n", { signature } });
    return note.substr(3);
}

TlogResult<std::vector<NoteSignature>> parseSignatureLines(std::string_view lines)
{
    // A signature block is what follows the blank line of a note; parsing a
    // note with a placeholder text applies exactly the same rules.
    SOTTO_TRY(Note note, parseNote("x\n\n" + std::string(lines)));
    return std::move(note.signatures);
}

TlogStatus checkCosignatures(std::string_view checkpointText,
    std::span<const NoteSignature> cosignatures, std::span<const NoteVerifier> witnesses)
{
    for (const NoteSignature &sig : cosignatures) {
        const NoteVerifier *key = nullptr;
        for (const NoteVerifier &w : witnesses) {
            if (w.name() == sig.name && w.keyId() == sig.keyId)
                key = &w;
        }
        if (!key)
            return fail(TlogError::NotWitnessed,
                "cosignature by " + sig.keyLabel()
                    + ", which is not one of the witness keys given");
        if (key->type() != KeyType::CosignatureV1)
            return fail(TlogError::UnsupportedKeyType,
                "witness key " + sig.keyLabel() + " is not a cosignature/v1 key");
        if (auto ok = key->verify(checkpointText, sig.signature); !ok)
            return fail(ok.error() == TlogError::NotACosignature ? ok.error()
                                                                 : TlogError::NoteInvalidSignature,
                "cosignature by " + sig.keyLabel()
                    + " does not verify against the current checkpoint (made for another one?): "
                    + ok.detail());
    }
    return Done {};
}

} // namespace sotto::tlog

// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/tlog/error.h"

namespace sotto::tlog {

std::string_view errorName(TlogError e)
{
    switch (e) {
    case TlogError::InvalidHashLength:
        return "InvalidHashLength";
    case TlogError::IndexOutOfRange:
        return "IndexOutOfRange";
    case TlogError::InvalidTreeSizes:
        return "InvalidTreeSizes";
    case TlogError::WrongProofLength:
        return "WrongProofLength";
    case TlogError::RootMismatch:
        return "RootMismatch";
    case TlogError::NoteNotUtf8:
        return "NoteNotUtf8";
    case TlogError::NoteMissingNewline:
        return "NoteMissingNewline";
    case TlogError::NoteControlCharacter:
        return "NoteControlCharacter";
    case TlogError::NoteNoSignatures:
        return "NoteNoSignatures";
    case TlogError::NoteMalformedSignature:
        return "NoteMalformedSignature";
    case TlogError::NoteBadBase64:
        return "NoteBadBase64";
    case TlogError::NoteTooManySignatures:
        return "NoteTooManySignatures";
    case TlogError::NoteInvalidSignature:
        return "NoteInvalidSignature";
    case TlogError::NoteAmbiguousKey:
        return "NoteAmbiguousKey";
    case TlogError::NoteUnverified:
        return "NoteUnverified";
    case TlogError::InvalidKeyName:
        return "InvalidKeyName";
    case TlogError::MalformedKey:
        return "MalformedKey";
    case TlogError::KeyIdMismatch:
        return "KeyIdMismatch";
    case TlogError::UnsupportedKeyType:
        return "UnsupportedKeyType";
    case TlogError::MalformedCheckpoint:
        return "MalformedCheckpoint";
    case TlogError::NotACosignature:
        return "NotACosignature";
    case TlogError::InvalidTile:
        return "InvalidTile";
    case TlogError::MalformedTile:
        return "MalformedTile";
    case TlogError::MalformedEntryBundle:
        return "MalformedEntryBundle";
    case TlogError::EntryTooLarge:
        return "EntryTooLarge";
    case TlogError::FetchFailed:
        return "FetchFailed";
    case TlogError::WrongOrigin:
        return "WrongOrigin";
    case TlogError::LogSignatureMissing:
        return "LogSignatureMissing";
    case TlogError::WitnessQuorumNotMet:
        return "WitnessQuorumNotMet";
    case TlogError::WitnessUnknown:
        return "WitnessUnknown";
    case TlogError::Rollback:
        return "Rollback";
    case TlogError::Fork:
        return "Fork";
    case TlogError::EntryNotInLog:
        return "EntryNotInLog";
    case TlogError::StorageFailed:
        return "StorageFailed";
    case TlogError::LogExists:
        return "LogExists";
    case TlogError::LogCorrupt:
        return "LogCorrupt";
    case TlogError::TileMismatch:
        return "TileMismatch";
    case TlogError::InvalidEntry:
        return "InvalidEntry";
    case TlogError::NotWitnessed:
        return "NotWitnessed";
    }
    return "Unknown";
}

} // namespace sotto::tlog

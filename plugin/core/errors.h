// SPDX-License-Identifier: GPL-3.0-or-later
// The client's errors: one code per thing that can go wrong between the click
// and the answer, each with a sentence a person can understand (userMessage)
// and a technical detail (expected vs got) for the verification report.
//
// Every failure stops the request before anything is sent to the relay: the
// pipeline has no fallback path (DESIGN.md "Verification (fail-closed)").
#pragma once

#include "protocol/common/result.h"

#include <QString>

namespace sotto::client {

enum class ClientError {
    // Service discovery and policy.
    NotConnected,       // the XMPP account is offline
    ServiceNotFound,    // no item of the server announces urn:sotto:pp:0
    ServiceFormInvalid, // the urn:sotto:pp:0 form is malformed or incomplete
    XmppError,          // the server answered an IQ with an error we do not map
    XmppTimeout,        // no answer to an IQ in time
    ProcessingDisabled, // the administrator turned private processing off
    FeatureDisabled,    // the feature is not offered or disabled by policy
    ChatOptedOut,       // a participant asked for no private processing
    ChatTurnedOff,      // the user turned private processing off for this chat
    RelayNotAllowed,    // none of the service's relays is allowed by policy
    PolicyFileInvalid,  // the admin policy file cannot be read
    ChatSettingsInvalid, // the user's per-chat settings cannot be read or saved
    // Tokens.
    NoTokens,            // the wallet is empty and could not be refilled
    IssuerNotAuthorized, // not-authorized from the component
    IssuerQuotaReached,  // policy-violation (daily limit)
    IssuerBadRequest,    // bad-request from the component
    IssuerBadResponse,   // a token response that does not finalize
    WalletStorageFailed, // the wallet file cannot be read or written
    // Network.
    FetchFailed, // the relay could not be reached or answered an error
    // Verification.
    KeyConfigInvalid,     // application/ohttp-keys does not parse
    EvidenceInvalid,      // the evidence bundle does not parse
    KeyConfigMismatch,    // the bundle's key configs are not those the relay served
    AttestationInvalid,   // the AMD chain or the report signature does not verify
    SimulatedRefused,     // a simulated TEE while the policy refuses it
    TeePolicyRefused,     // genuine evidence, but debug, TCB, platform... not acceptable
    BindingMismatch,      // REPORT_DATA does not bind these keys and this nonce
    EvidenceExpired,      // not_after has passed
    LogCheckpointInvalid, // the log's checkpoint is not signed by the log key
    WitnessQuorumNotMet,  // too few witnesses cosigned the checkpoint
    NotInLog,             // the release statement is not in the log
    MeasurementMismatch,  // the report's measurement is not the logged statement's
    LogRollback,          // the log is smaller than a checkpoint seen before
    LogFork,              // the log is inconsistent with a checkpoint seen before: an attack
    TrustStoreFailed,     // the persisted checkpoint cannot be read or written
    // Request.
    EncapsulationFailed, // the request could not be sealed
    RequestTooLarge,     // larger than the service's max-request-bytes
    ResponseInvalid,     // the response does not open or parse
    GatewayRefused,      // the gateway answered with a problem (RFC 9457)
    TokenRejected,       // the gateway did not accept the token
    StaleKey,            // the gateway no longer has the key (after one retry)
};

template <class T> using ClientResult = Result<T, ClientError>;
using ClientStatus = Status<ClientError>;

// A stable machine name ("log-fork"), for JSON and tests.
QString errorName(ClientError e);
// The sentence shown to the user, translated ("The service's code is not in
// the public log").
QString userMessage(ClientError e);

// A failure as the UI and the CLI carry it.
struct ClientFailure {
    ClientError code = ClientError::FetchFailed;
    QString detail; // technical: expected vs got; never content, tokens or keys

    QString message() const { return userMessage(code); }
    // "message (detail)".
    QString describe() const;
};

inline ClientFailure toFailure(const Failure<ClientError> &f)
{
    return ClientFailure { f.code, QString::fromStdString(f.detail) };
}

} // namespace sotto::client

// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/errors.h"

#include <QCoreApplication>

namespace sotto::client {

namespace {

struct ErrorText {
    ClientError code;
    const char *name;
    const char *message;
};

// QT_TRANSLATE_NOOP marks the sentences for lupdate; userMessage translates
// them in the "sotto::client" context.
constexpr ErrorText kErrors[] = {
    { ClientError::NotConnected, "not-connected",
        QT_TRANSLATE_NOOP("sotto::client", "You are not connected to your XMPP server") },
    { ClientError::ServiceNotFound, "service-not-found",
        QT_TRANSLATE_NOOP("sotto::client", "Your server does not offer private processing") },
    { ClientError::ServiceFormInvalid, "service-form-invalid",
        QT_TRANSLATE_NOOP("sotto::client", "Your server describes the service incorrectly") },
    { ClientError::XmppError, "xmpp-error",
        QT_TRANSLATE_NOOP("sotto::client", "Your server answered with an error") },
    { ClientError::XmppTimeout, "xmpp-timeout",
        QT_TRANSLATE_NOOP("sotto::client", "Your server did not answer in time") },
    { ClientError::ProcessingDisabled, "processing-disabled",
        QT_TRANSLATE_NOOP(
            "sotto::client", "Private processing is turned off by your administrator") },
    { ClientError::FeatureDisabled, "feature-disabled",
        QT_TRANSLATE_NOOP("sotto::client", "This feature is not available") },
    { ClientError::ChatOptedOut, "chat-opted-out",
        QT_TRANSLATE_NOOP("sotto::client", "Someone in this chat asked for no AI processing") },
    { ClientError::ChatTurnedOff, "chat-turned-off",
        QT_TRANSLATE_NOOP("sotto::client", "You turned off private processing for this chat") },
    { ClientError::RelayNotAllowed, "relay-not-allowed",
        QT_TRANSLATE_NOOP(
            "sotto::client", "None of the service's relays is allowed by your policy") },
    { ClientError::PolicyFileInvalid, "policy-file-invalid",
        QT_TRANSLATE_NOOP("sotto::client", "The administrator's policy file cannot be read") },
    { ClientError::ChatSettingsInvalid, "chat-settings-invalid",
        QT_TRANSLATE_NOOP("sotto::client", "Your per-chat settings cannot be read or saved") },
    { ClientError::NoTokens, "no-tokens",
        QT_TRANSLATE_NOOP(
            "sotto::client", "No tokens left, and your server could not give new ones") },
    { ClientError::IssuerNotAuthorized, "issuer-not-authorized",
        QT_TRANSLATE_NOOP(
            "sotto::client", "Your server refused: you are not allowed to use this service") },
    { ClientError::IssuerQuotaReached, "issuer-quota-reached",
        QT_TRANSLATE_NOOP("sotto::client", "Your server refused: daily limit reached") },
    { ClientError::IssuerBadRequest, "issuer-bad-request",
        QT_TRANSLATE_NOOP("sotto::client", "Your server refused the token request") },
    { ClientError::IssuerBadResponse, "issuer-bad-response",
        QT_TRANSLATE_NOOP("sotto::client", "Your server sent tokens that are not valid") },
    { ClientError::WalletStorageFailed, "wallet-storage-failed",
        QT_TRANSLATE_NOOP("sotto::client", "The token wallet cannot be saved or read") },
    { ClientError::FetchFailed, "fetch-failed",
        QT_TRANSLATE_NOOP("sotto::client", "The relay could not be reached") },
    { ClientError::KeyConfigInvalid, "key-config-invalid",
        QT_TRANSLATE_NOOP("sotto::client", "The service's encryption keys are malformed") },
    { ClientError::EvidenceInvalid, "evidence-invalid",
        QT_TRANSLATE_NOOP("sotto::client", "The service's attestation evidence is malformed") },
    { ClientError::KeyConfigMismatch, "key-config-mismatch",
        QT_TRANSLATE_NOOP("sotto::client", "The attested keys are not the keys the relay served") },
    { ClientError::AttestationInvalid, "attestation-invalid",
        QT_TRANSLATE_NOOP("sotto::client", "The service's hardware attestation does not verify") },
    { ClientError::SimulatedRefused, "simulated-refused",
        QT_TRANSLATE_NOOP(
            "sotto::client", "The service runs on a simulated TEE, which your policy refuses") },
    { ClientError::TeePolicyRefused, "tee-policy-refused",
        QT_TRANSLATE_NOOP(
            "sotto::client", "The service's confidential VM does not meet the security policy") },
    { ClientError::BindingMismatch, "binding-mismatch",
        QT_TRANSLATE_NOOP("sotto::client", "The attestation was not made for these keys") },
    { ClientError::EvidenceExpired, "evidence-expired",
        QT_TRANSLATE_NOOP("sotto::client", "The service's attestation has expired") },
    { ClientError::LogCheckpointInvalid, "log-checkpoint-invalid",
        QT_TRANSLATE_NOOP(
            "sotto::client", "The public log's checkpoint is not signed by the log") },
    { ClientError::WitnessQuorumNotMet, "witness-quorum-not-met",
        QT_TRANSLATE_NOOP(
            "sotto::client", "Too few independent witnesses confirmed the public log") },
    { ClientError::NotInLog, "not-in-log",
        QT_TRANSLATE_NOOP("sotto::client", "The service's code is not in the public log") },
    { ClientError::MeasurementMismatch, "measurement-mismatch",
        QT_TRANSLATE_NOOP(
            "sotto::client", "The service runs code other than the code in the public log") },
    { ClientError::LogRollback, "log-rollback",
        QT_TRANSLATE_NOOP("sotto::client", "ATTACK WARNING: the public log went back in time") },
    { ClientError::LogFork, "log-fork",
        QT_TRANSLATE_NOOP("sotto::client",
            "ATTACK WARNING: the public log shows you a different history than before (fork)") },
    { ClientError::TrustStoreFailed, "trust-store-failed",
        QT_TRANSLATE_NOOP(
            "sotto::client", "The record of the public log cannot be saved or read") },
    { ClientError::EncapsulationFailed, "encapsulation-failed",
        QT_TRANSLATE_NOOP("sotto::client", "The request could not be encrypted") },
    { ClientError::RequestTooLarge, "request-too-large",
        QT_TRANSLATE_NOOP("sotto::client", "The text is too long for the service") },
    { ClientError::ResponseInvalid, "response-invalid",
        QT_TRANSLATE_NOOP("sotto::client", "The service's answer could not be read") },
    { ClientError::GatewayRefused, "gateway-refused",
        QT_TRANSLATE_NOOP("sotto::client", "The service refused the request") },
    { ClientError::TokenRejected, "token-rejected",
        QT_TRANSLATE_NOOP("sotto::client", "The service did not accept the token") },
    { ClientError::StaleKey, "stale-key",
        QT_TRANSLATE_NOOP("sotto::client", "The service changed its keys; please try again") },
};

const ErrorText &entry(ClientError e)
{
    for (const auto &t : kErrors) {
        if (t.code == e)
            return t;
    }
    return kErrors[0];
}

} // namespace

QString errorName(ClientError e)
{
    return QString::fromLatin1(entry(e).name);
}

QString userMessage(ClientError e)
{
    return QCoreApplication::translate("sotto::client", entry(e).message);
}

QString ClientFailure::describe() const
{
    if (detail.isEmpty())
        return message();
    return message() + QStringLiteral(" (") + detail + QStringLiteral(")");
}

} // namespace sotto::client

// SPDX-License-Identifier: GPL-3.0-or-later
// EvidenceVerifier: decides whether the gateway's keys may be used (DESIGN.md
// steps 3 and 4). Through a relay it fetches the OHTTP key configs and an
// evidence bundle for a fresh 32-byte nonce, then, in this order, and
// stopping at the first failure:
//
//   1. the key configs parse, and the bundle's are byte for byte the ones fetched;
//   2. the bundle parses and its not_after has not passed;
//   3. the SEV-SNP report verifies up to AMD's pinned roots; a "simulated"
//      provider's own root is used only when the policy allows simulated TEEs
//      (and the report is then marked as development);
//   4. the TEE policy (generation, debug, migration agent, VMPL, minimum TCB);
//   5. REPORT_DATA binds exactly these key configs, this nonce and not_after;
//   6. the log's checkpoint is signed by the log key and cosigned by a quorum
//      of witnesses, and is consistent with the last checkpoint this profile
//      trusted (rollback or fork: an attack, reported as such);
//   7. the release statement is the log's entry at log_index, proven to be in
//      the tree, and its measurement is the report's.
//
// Only then is the checkpoint persisted and a VerifiedService returned.
#pragma once

#include "plugin/core/checkpoint_store.h"
#include "plugin/core/errors.h"
#include "plugin/core/http.h"
#include "plugin/core/policy.h"
#include "plugin/core/service_config.h"
#include "plugin/core/verification_report.h"

#include "protocol/ohttp/key_config.h"
#include "protocol/tlog/log_client.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace sotto::client {

struct VerifiedService {
    ohttp::KeyConfig keyConfig; // the config requests are sealed to
    Bytes keyConfigs;           // the application/ohttp-keys bytes that were attested
    uint64_t notAfter = 0;
    VerificationReport report;
};

struct FetchedEvidence {
    Bytes keyConfigs;    // GET keys-url body
    QByteArray evidence; // GET evidence-url?nonce= body
    Bytes nonce;         // the 32 bytes sent
    int64_t now = 0;     // unix seconds at verification
};

// Steps 1 to 7 on fetched bytes; `fetchLog` reads the log's files. Fills
// `report` as far as it gets.
ClientResult<VerifiedService> verifyEvidence(const FetchedEvidence &fetched,
    const ServiceConfig &service, const EffectivePolicy &policy, const tlog::LogFetcher &fetchLog,
    const CheckpointStore &trusted, VerificationReport &report);

// The relays' origins (scheme, host, port) must include the URL's: key
// configs and evidence are fetched through an allowed relay, never directly.
bool throughAllowedRelay(const QUrl &url, const QStringList &allowedRelays);

class EvidenceVerifier : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(const ClientResult<VerifiedService> &)>;

    EvidenceVerifier(HttpClient *http, QString trustDirectory, QObject *parent = nullptr);

    // Fetches and verifies; `done` is called once, asynchronously.
    void verify(const ServiceConfig &service, const EffectivePolicy &policy, Callback done);
    // What the last verification established before it ended, also when it
    // failed (the UI shows how far it got and why it stopped).
    const VerificationReport &lastReport() const { return m_last; }

private:
    QPointer<HttpClient> m_http;
    CheckpointStore m_store;
    VerificationReport m_last;
};

} // namespace sotto::client

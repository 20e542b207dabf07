// SPDX-License-Identifier: GPL-3.0-or-later
// TokenWallet: anonymous Privacy Pass tokens (RFC 9578 type 0x0002), fetched
// ahead of time from the server's component (DESIGN.md "Token issuance") and
// spent one per request. Tokens are kept per issuer key in a file only the
// user can read (0600) in the profile; tokens of a key the service no longer
// announces are dropped. Tokens never appear in a log or an error detail.
#pragma once

#include "plugin/core/errors.h"
#include "plugin/core/service_config.h"
#include "plugin/core/xmpp_channel.h"

#include "protocol/privacypass/token.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sotto::client {

inline const QString kTokensNs = QStringLiteral("urn:sotto:pp:tokens:0");

// The TokenChallenge every token of this service answers (DESIGN.md): type
// 0x0002, issuer_name, empty redemption_context, origin_info = gateway-origin.
ClientResult<Bytes> serviceTokenChallenge(const ServiceConfig &service);

class TokenWallet : public QObject {
    Q_OBJECT
public:
    using StatusCallback = std::function<void(const ClientStatus &)>;
    using TokenCallback = std::function<void(const ClientResult<privacypass::Token> &)>;

    TokenWallet(QString filePath, XmppChannel *channel, QObject *parent = nullptr);

    // Reads the file (a missing file is an empty wallet). WalletStorageFailed
    // when it cannot be read, is not the user's alone, or is malformed.
    ClientStatus load();

    void setBatchSize(int n) { m_batchSize = n; }
    void setRefillThreshold(int n) { m_threshold = n; }
    int batchSize() const { return m_batchSize; }

    // Tokens held for the service's current issuer key.
    int count(const ServiceConfig &service) const;
    // Forgets the tokens of every key of this issuer other than the current one.
    void dropRetiredKeys(const ServiceConfig &service);

    // Removes and returns one token (and saves the wallet). NoTokens when empty.
    ClientResult<privacypass::Token> take(const ServiceConfig &service);
    // Asks the component for a batch; several callers share one request.
    void refill(const ServiceConfig &service, StatusCallback done);
    // take(), refilling first when empty; refills in the background when the
    // count falls below the threshold.
    void acquire(const ServiceConfig &service, TokenCallback done);

    const QString &filePath() const { return m_path; }
    // What the server said is left of today's quota, -1 if unknown.
    int remainingQuota() const { return m_remaining; }

private:
    struct KeyTokens {
        std::string issuer;
        std::vector<Bytes> tokens; // encoded Token structures
    };

    // `durable`: fsync before the rename (new tokens). Taking a token renames
    // without fsync: a crashed process cannot hand the token out again (the
    // rename is atomic), only a power loss in the same seconds could; this
    // keeps about 12 ms of fsync off every request.
    ClientStatus save(bool durable = true) const;
    void finishRefill(const ClientStatus &status);

    QString m_path;
    QPointer<XmppChannel> m_channel;
    int m_batchSize = 10;
    int m_threshold = 3;
    int m_remaining = -1;
    std::map<std::string, KeyTokens> m_keys; // by hex token_key_id
    bool m_refilling = false;
    std::vector<StatusCallback> m_waiters;
};

} // namespace sotto::client

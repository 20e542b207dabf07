// SPDX-License-Identifier: GPL-3.0-or-later
// RequestHistory: a content-free record of the requests this profile made
// (DESIGN.md step 7): time, feature, outcome and the verification facts; no
// text, no token, no JID. One JSON object per line in a 0600 file.
#pragma once

#include "plugin/core/errors.h"
#include "plugin/core/verification_report.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QVector>

#include <optional>

namespace sotto::client {

struct HistoryEntry {
    QDateTime time;
    QString feature; // "summarize", "rewrite:formal"
    std::optional<ClientError> error;
    VerificationReport verification;

    QJsonObject toJson() const;
};

class RequestHistory {
public:
    explicit RequestHistory(QString filePath)
        : m_path(std::move(filePath))
    { }

    ClientStatus append(const HistoryEntry &entry) const;
    // The recorded entries as JSON objects, oldest first.
    ClientResult<QVector<QJsonObject>> entries() const;

private:
    QString m_path;
};

} // namespace sotto::client

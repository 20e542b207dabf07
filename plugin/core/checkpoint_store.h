// SPDX-License-Identifier: GPL-3.0-or-later
// CheckpointStore: the last log checkpoint this profile verified, per log
// origin, so that the next verification can demand a consistency proof from
// it (DESIGN.md step 4: "a fork is detected"). One 0600 file per origin.
#pragma once

#include "plugin/core/errors.h"

#include "protocol/tlog/checkpoint.h"

#include <QString>

#include <optional>

namespace sotto::client {

class CheckpointStore {
public:
    explicit CheckpointStore(QString directory)
        : m_dir(std::move(directory))
    { }

    // nullopt when this profile never verified the log; TrustStoreFailed
    // when the file exists but cannot be read or parsed (never treated as
    // "first use": that would let an attacker erase the history).
    ClientResult<std::optional<tlog::Checkpoint>> load(const QString &origin) const;
    ClientStatus save(const tlog::Checkpoint &checkpoint) const;

    QString pathFor(const QString &origin) const;

private:
    QString m_dir;
};

} // namespace sotto::client

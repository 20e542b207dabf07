// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to protocol/tlog: what LogClient and LogAuditor share.
#pragma once

#include "protocol/tlog/log_client.h"

#include <vector>

namespace sotto::tlog::detail {

// The hashes of a tile fetched through fetch. A partial tile may be gone once
// the log has grown past it (tlog-tiles); its hashes are then read as the
// prefix of the full tile.
TlogResult<std::vector<Hash>> fetchHashTile(const LogFetcher &fetch, const Tile &tile);

} // namespace sotto::tlog::detail

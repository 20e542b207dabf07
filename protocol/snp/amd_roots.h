// SPDX-License-Identifier: GPL-3.0-or-later
// Private to protocol/snp: the pinned AMD certificates as PEM text with their
// expected SHA-256 fingerprints (see amd_roots.cpp for the source).
#pragma once

#include "protocol/snp/report.h"

#include <array>

namespace sotto::snp::detail {

struct PinnedChain {
    Generation generation;
    const char *arkPem;
    const char *arkSha256;
    const char *askPem;
    const char *askSha256;
};

const std::array<PinnedChain, 3> &pinnedAmdChainSources();

} // namespace sotto::snp::detail

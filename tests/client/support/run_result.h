// SPDX-License-Identifier: GPL-3.0-or-later
// What one ProcessingSession request ended with, as its callback gave it.
#pragma once

#include "plugin/core/processing_session.h"
#include "tests/client/support/wait.h"

#include <optional>

namespace sotto::client::test {

struct RunResult {
    std::optional<ProcessingOutcome> outcome;
    std::optional<ClientFailure> failure;
    VerificationReport report;
};

} // namespace sotto::client::test

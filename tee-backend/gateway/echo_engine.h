// SPDX-License-Identifier: GPL-3.0-or-later
// TEST AND BENCHMARK ENGINE ONLY (selected with --engine echo). It does not
// summarize or rewrite anything: it hands the request's texts back in the
// answer shapes of DESIGN.md "Inner requests", so that tests and load runs
// exercise the gateway without measuring an engine. Its answers carry
// "engine": "sotto-echo/0 (test only)" so a client can never mistake it.
//
// For fault tests a request may carry "echo_delay_ms": the engine waits that
// long (at most until the request's deadline, then DeadlineExceeded).
#pragma once

#include "tee-backend/engines/engine.h"

namespace sotto::gateway {

class EchoEngine final : public engines::Engine {
public:
    std::string_view name() const override { return "sotto-echo/0 (test only)"; }
    Result<std::string, engines::EngineError> run(
        engines::Feature feature, std::string_view request, engines::Deadline deadline) override;
};

} // namespace sotto::gateway

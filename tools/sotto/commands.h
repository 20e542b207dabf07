// SPDX-License-Identifier: GPL-3.0-or-later
// The sotto CLI's subcommands. Each takes its own arguments (argv after the
// subcommand name) and returns the process exit status.
#pragma once

#include <span>
#include <string_view>

namespace sotto::cli {

using Args = std::span<const std::string_view>;

// Exit statuses: 0 success, 1 the operation failed (bad input, verification
// failure), 2 usage error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

int runDemo(Args args);
int runOhttp(Args args);
int runLog(Args args);
// client_commands.cpp (plugin/core over QXmpp), when built with SOTTO_HAVE_CLIENT.
int runSummarize(Args args);
int runRewrite(Args args);
int runStatus(Args args);
int runChat(Args args);
int runAttest(Args args);
int runWitness(Args args);
int runAudit(Args args);
int runRelease(Args args);

} // namespace sotto::cli

// SPDX-License-Identifier: GPL-3.0-or-later
// sotto: the command line client for Sotto's private processing.
#include "tools/sotto/commands.h"

#include <cstdio>
#include <string_view>
#include <vector>

namespace {

struct Command {
    std::string_view name;
    std::string_view summary;
    int (*run)(sotto::cli::Args);
};

int runVersion(sotto::cli::Args)
{
    std::printf("sotto %s\n", SOTTO_VERSION);
    return sotto::cli::kExitOk;
}

constexpr Command kCommands[] = {
    { "attest", "verify or show AMD SEV-SNP evidence (attest --help)", sotto::cli::runAttest },
    { "audit", "verify the whole release log and list releases (audit --help)",
        sotto::cli::runAudit },
#ifdef SOTTO_HAVE_CLIENT
    { "chat", "turn private processing off or on for one chat (chat --help)",
        sotto::cli::runChat },
#endif
    { "demo", "show each step of one Oblivious HTTP round trip, in process (the whole path: ./sotto demo)", sotto::cli::runDemo },
    { "log", "write the release transparency log (log --help)", sotto::cli::runLog },
    { "ohttp", "work with OHTTP key configurations (ohttp keys --help)", sotto::cli::runOhttp },
    { "release", "write the release statement of a simulated-TEE gateway (release --help)",
        sotto::cli::runRelease },
#ifdef SOTTO_HAVE_CLIENT
    { "rewrite", "rewrite a text privately (rewrite --help)", sotto::cli::runRewrite },
    { "status", "show the service, its verification and tokens left", sotto::cli::runStatus },
    { "summarize", "summarize a chat privately (summarize --help)", sotto::cli::runSummarize },
#endif
    { "version", "print the version", runVersion },
    { "witness", "cosign a log's checkpoints as a witness (witness --help)",
        sotto::cli::runWitness },
};

void usage(std::FILE *out)
{
    std::fprintf(out, "usage: sotto <command> [arguments]\n\ncommands:\n");
    for (const auto &c : kCommands)
        std::fprintf(out, "  %-10.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
            static_cast<int>(c.summary.size()), c.summary.data());
}

} // namespace

int main(int argc, char **argv)
{
    std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        usage(args.empty() ? stderr : stdout);
        return args.empty() ? sotto::cli::kExitUsage : sotto::cli::kExitOk;
    }
    for (const auto &c : kCommands) {
        if (c.name == args[0])
            return c.run(std::span<const std::string_view>(args).subspan(1));
    }
    std::fprintf(stderr, "sotto: unknown command '%.*s'\n\n", static_cast<int>(args[0].size()),
        args[0].data());
    usage(stderr);
    return sotto::cli::kExitUsage;
}

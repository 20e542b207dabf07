// SPDX-License-Identifier: GPL-3.0-or-later
// Small helpers shared by the transparency-log subcommands (log, witness,
// audit): "--flag VALUE" options, whole-file reads, subcommand dispatch.
#pragma once

#include "tools/sotto/commands.h"

#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace sotto::cli {

// Parses "--name VALUE" pairs (repeatable ones collect every value) and
// "--name" switches, plus positional arguments. Unknown options, a missing
// value or a repeated single option make it fail with a message.
class Options {
public:
    Options(std::set<std::string_view> valued, std::set<std::string_view> switches,
        std::set<std::string_view> repeatable = {});

    // False (and `error()` says why) on a malformed command line.
    bool parse(Args args);
    const std::string &error() const { return m_error; }

    std::optional<std::string> value(std::string_view name) const;
    std::vector<std::string> values(std::string_view name) const;
    bool has(std::string_view name) const;
    const std::vector<std::string> &positional() const { return m_positional; }

private:
    std::set<std::string_view> m_valued;
    std::set<std::string_view> m_switches;
    std::set<std::string_view> m_repeatable;
    std::map<std::string, std::vector<std::string>, std::less<>> m_values;
    std::vector<std::string> m_positional;
    std::string m_error;
};

// The whole file, or nullopt (errno says why).
std::optional<std::string> readWholeFile(const std::string &path);

// One subcommand of a command, e.g. "init" of "sotto log".
struct Subcommand {
    std::string_view name;
    int (*run)(Args args);
};

// Runs the subcommand named by args[0] with the arguments after it. "--help"
// or "-h" prints usage() and returns kExitOk; no argument or an unknown name
// returns usage().
int runSubcommand(Args args, int (*usage)(), std::initializer_list<Subcommand> subcommands);

} // namespace sotto::cli

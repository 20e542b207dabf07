// SPDX-License-Identifier: GPL-3.0-or-later
#include "tools/sotto/cli_options.h"

#include <fstream>
#include <iterator>

namespace sotto::cli {

Options::Options(std::set<std::string_view> valued, std::set<std::string_view> switches,
    std::set<std::string_view> repeatable)
    : m_valued(std::move(valued))
    , m_switches(std::move(switches))
    , m_repeatable(std::move(repeatable))
{ }

bool Options::parse(Args args)
{
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string_view a = args[i];
        if (!a.starts_with("--") || a == "--") {
            m_positional.emplace_back(a);
            continue;
        }
        if (m_switches.count(a)) {
            m_values[std::string(a)].emplace_back();
            continue;
        }
        if (!m_valued.count(a)) {
            m_error = "unknown option " + std::string(a);
            return false;
        }
        if (i + 1 >= args.size()) {
            m_error = std::string(a) + " needs a value";
            return false;
        }
        auto &slot = m_values[std::string(a)];
        if (!slot.empty() && !m_repeatable.count(a)) {
            m_error = std::string(a) + " given twice";
            return false;
        }
        slot.emplace_back(args[++i]);
    }
    return true;
}

std::optional<std::string> Options::value(std::string_view name) const
{
    auto it = m_values.find(name);
    if (it == m_values.end() || it->second.empty())
        return std::nullopt;
    return it->second.front();
}

std::vector<std::string> Options::values(std::string_view name) const
{
    auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string> {} : it->second;
}

bool Options::has(std::string_view name) const
{
    return m_values.find(name) != m_values.end();
}

std::optional<std::string> readWholeFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        return std::nullopt;
    return text;
}

int runSubcommand(Args args, int (*usage)(), std::initializer_list<Subcommand> subcommands)
{
    if (args.empty())
        return usage();
    if (args[0] == "--help" || args[0] == "-h") {
        usage();
        return kExitOk;
    }
    for (const Subcommand &sub : subcommands) {
        if (args[0] == sub.name)
            return sub.run(args.subspan(1));
    }
    return usage();
}

} // namespace sotto::cli

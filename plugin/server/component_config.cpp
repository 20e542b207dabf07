// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/server/component_config.h"

#include "protocol/tlog/note.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace sotto::component {

std::string_view errorName(ConfigError e)
{
    switch (e) {
    case ConfigError::Unreadable:
        return "Unreadable";
    case ConfigError::Invalid:
        return "Invalid";
    }
    return "?";
}

namespace {

std::string_view trim(std::string_view s)
{
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

bool isDomainName(std::string_view s)
{
    if (s.empty() || s.size() > 253 || s.front() == '.' || s.back() == '.' || s.front() == '-')
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    });
}

// An absolute http(s) URL with a host: what the client's form parser accepts.
bool isHttpUrl(std::string_view s)
{
    std::string_view rest;
    if (s.starts_with("https://"))
        rest = s.substr(8);
    else if (s.starts_with("http://"))
        rest = s.substr(7);
    else
        return false;
    const auto hostEnd = rest.find_first_of("/?#");
    const std::string_view authority = rest.substr(0, hostEnd);
    if (authority.empty() || authority.front() == ':')
        return false;
    return std::none_of(s.begin(), s.end(), [](char c) { return c <= ' ' || c == 0x7f; });
}

// The client reads tee-min-tcb as comma-separated name=0..255 pairs.
bool isTcbMinimum(std::string_view s)
{
    static const std::set<std::string_view> names { "bootloader", "tee", "snp", "microcode",
        "fmc" };
    while (!s.empty()) {
        const auto comma = s.find(',');
        const std::string_view part = trim(s.substr(0, comma));
        s = comma == std::string_view::npos ? std::string_view {} : s.substr(comma + 1);
        const auto eq = part.find('=');
        if (eq == std::string_view::npos || !names.contains(trim(part.substr(0, eq))))
            return false;
        const std::string_view num = trim(part.substr(eq + 1));
        unsigned v = 0;
        const auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
        if (ec != std::errc {} || p != num.data() + num.size() || num.empty() || v > 255)
            return false;
    }
    return true;
}

template <class T> bool parseUnsigned(std::string_view s, T min, T max, T &out)
{
    uint64_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc {} || p != s.data() + s.size() || v < min || v > max)
        return false;
    out = static_cast<T>(v);
    return true;
}

struct KeySpec {
    bool multi = false;
    bool required = false;
    // Returns an empty string when the value is acceptable, else why not.
    std::function<std::string(ComponentConfig &, std::string_view)> apply;
};

using Specs = std::map<std::string, std::map<std::string, KeySpec>>;

template <class T> KeySpec number(T ComponentConfig::*field, T min, T max, bool required = false)
{
    return { false, required, [=](ComponentConfig &c, std::string_view v) -> std::string {
                if (!parseUnsigned<T>(v, min, max, c.*field))
                    return "expected a whole number from " + std::to_string(min) + " to "
                        + std::to_string(max) + ", got \"" + std::string(v) + "\"";
                return {};
            } };
}

KeySpec text(std::string ComponentConfig::*field, bool required,
    std::function<std::string(std::string_view)> check = {})
{
    return { false, required, [=](ComponentConfig &c, std::string_view v) -> std::string {
                if (check) {
                    if (auto why = check(v); !why.empty())
                        return why;
                }
                c.*field = std::string(v);
                return {};
            } };
}

KeySpec list(std::vector<std::string> ComponentConfig::*field, bool required,
    std::function<std::string(std::string_view)> check)
{
    return { true, required, [=](ComponentConfig &c, std::string_view v) -> std::string {
                if (auto why = check(v); !why.empty())
                    return why;
                if (std::find((c.*field).begin(), (c.*field).end(), v) != (c.*field).end())
                    return "\"" + std::string(v) + "\" is listed twice";
                (c.*field).emplace_back(v);
                return {};
            } };
}

std::string urlCheck(std::string_view v)
{
    return isHttpUrl(v) ? std::string {}
                        : "\"" + std::string(v) + "\" is not an absolute http(s) URL";
}

std::string domainCheck(std::string_view v)
{
    return isDomainName(v)
        ? std::string {}
        : "\"" + std::string(v) + "\" is not a lower-case domain name (a-z, 0-9, '-', '.')";
}

std::string noteKeyCheck(std::string_view v)
{
    auto parsed = tlog::NoteVerifier::parse(v);
    return parsed.ok()
        ? std::string {}
        : "\"" + std::string(v) + "\" is not a signed-note verifier key: " + parsed.detail();
}

const Specs &specs()
{
    using C = ComponentConfig;
    static const Specs s {
        { "component",
            {
                { "jid", text(&C::jid, true, domainCheck) },
                { "secret",
                    text(&C::secret, true,
                        [](std::string_view v) -> std::string {
                            return v.size() >= 16
                                ? std::string {}
                                : "the component secret is shorter than 16 characters";
                        }) },
                { "server-host",
                    text(&C::serverHost, false,
                        [](std::string_view v) {
                            return v.empty() ? std::string("empty host") : std::string {};
                        }) },
                { "server-port", number<uint16_t>(&C::serverPort, 1, 65535) },
                { "state-dir",
                    text(&C::stateDir, false,
                        [](std::string_view v) {
                            return v.starts_with('/')
                                ? std::string {}
                                : "\"" + std::string(v) + "\" is not an absolute path";
                        }) },
            } },
        { "issuance",
            {
                { "domain", list(&C::domains, true, domainCheck) },
                { "allow",
                    list(&C::allow, false,
                        [](std::string_view v) -> std::string {
                            if (bareJidOf(v) != v)
                                return "\"" + std::string(v)
                                    + "\" is not a bare JID in lower case (user@domain)";
                            return {};
                        }) },
                { "groups-file",
                    text(&C::groupsFile, false,
                        [](std::string_view v) {
                            return v.starts_with('/')
                                ? std::string {}
                                : "\"" + std::string(v) + "\" is not an absolute path";
                        }) },
                { "allow-group",
                    list(&C::allowGroups, false,
                        [](std::string_view v) {
                            return v.find_first_of("[]") == std::string_view::npos
                                ? std::string {}
                                : "\"" + std::string(v) + "\" is not a group name";
                        }) },
                { "quota-per-day", number<uint32_t>(&C::quotaPerDay, 1, 1'000'000) },
                { "batch-limit", number<uint32_t>(&C::batchLimit, 1, 1000) },
                { "issuer-name",
                    text(&C::issuerName, false,
                        [](std::string_view v) {
                            return v.empty() || v.size() > 255 ? std::string("1 to 255 characters")
                                                               : std::string {};
                        }) },
                { "key-rotation-days", number<uint32_t>(&C::keyRotationDays, 1, 3650) },
            } },
        { "service",
            {
                { "relay-url", list(&C::relayUrls, true, urlCheck) },
                { "gateway-origin",
                    text(&C::gatewayOrigin, true,
                        [](std::string_view v) {
                            return v.empty() || v.find_first_of(" /\t") != std::string_view::npos
                                ? "\"" + std::string(v)
                                    + "\" is not a host[:port] (no scheme, no path)"
                                : std::string {};
                        }) },
                { "keys-url", text(&C::keysUrl, true, urlCheck) },
                { "evidence-url", text(&C::evidenceUrl, true, urlCheck) },
                { "log-url", text(&C::logUrl, true, urlCheck) },
                { "log-key", text(&C::logKey, true, noteKeyCheck) },
                { "witness-key", list(&C::witnessKeys, false, noteKeyCheck) },
                { "witness-quorum", number<uint32_t>(&C::witnessQuorum, 0, 100) },
                { "tee-platform",
                    list(&C::teePlatforms, true,
                        [](std::string_view v) {
                            return v == "milan" || v == "genoa" || v == "turin"
                                ? std::string {}
                                : "\"" + std::string(v) + "\" is not milan, genoa or turin";
                        }) },
                { "tee-min-tcb",
                    text(&C::teeMinTcb, false,
                        [](std::string_view v) {
                            return isTcbMinimum(v) ? std::string {}
                                                   : "\"" + std::string(v)
                                    + "\" is not bootloader=N,tee=N,snp=N,microcode=N[,fmc=N] "
                                      "with N from 0 to 255";
                        }) },
                { "allow-simulated",
                    { false, false,
                        [](C &c, std::string_view v) -> std::string {
                            if (v == "true" || v == "1")
                                c.allowSimulated = true;
                            else if (v == "false" || v == "0")
                                c.allowSimulated = false;
                            else
                                return "expected true or false, got \"" + std::string(v) + "\"";
                            return {};
                        } } },
                { "feature",
                    list(&C::features, true,
                        [](std::string_view v) {
                            static const std::set<std::string_view> known { "summarize",
                                "rewrite:formal", "rewrite:friendly", "rewrite:concise",
                                "rewrite:proofread" };
                            return known.contains(v) ? std::string {}
                                                     : "\"" + std::string(v)
                                    + "\" is not one of summarize, rewrite:formal, "
                                      "rewrite:friendly, "
                                      "rewrite:concise, rewrite:proofread";
                        }) },
                { "max-request-bytes",
                    number<uint64_t>(&C::maxRequestBytes, 1024, 64ull * 1024 * 1024) },
            } },
    };
    return s;
}

} // namespace

std::string bareJidOf(std::string_view jid)
{
    const auto slash = jid.find('/');
    const std::string_view bare = jid.substr(0, slash);
    if (slash != std::string_view::npos && slash + 1 == jid.size())
        return {};
    const auto at = bare.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == bare.size()
        || bare.find('@', at + 1) != std::string_view::npos || bare.size() > 1023)
        return {};
    std::string out;
    out.reserve(bare.size());
    for (char c : bare) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || c == '"' || c == '&' || c == '\'' || c == ':' || c == '<' || c == '>'
            || u == 0x7f)
            return {};
        out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    if (!isDomainName(std::string_view(out).substr(at + 1)))
        return {};
    return out;
}

Result<ComponentConfig, ConfigError> parseComponentConfig(std::string_view text)
{
    ComponentConfig config;
    std::vector<std::string> problems;
    std::set<std::pair<std::string, std::string>> seen;
    std::string section;
    size_t lineNo = 0;
    const auto problem = [&](const std::string &what) {
        problems.push_back("line " + std::to_string(lineNo) + ": " + what);
    };

    while (!text.empty()) {
        ++lineNo;
        const auto nl = text.find('\n');
        std::string_view line = trim(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view {} : text.substr(nl + 1);
        if (line.empty() || line.front() == '#' || line.front() == ';')
            continue;
        if (line.front() == '[') {
            if (line.back() != ']') {
                problem("a section header must end with ']'");
                continue;
            }
            section = std::string(trim(line.substr(1, line.size() - 2)));
            if (!specs().contains(section)) {
                problem("unknown section [" + section
                    + "] (known: [component], [issuance], "
                      "[service])");
            }
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) {
            problem("expected 'key = value', a [section] or a # comment");
            continue;
        }
        const std::string key(trim(line.substr(0, eq)));
        const std::string_view value = trim(line.substr(eq + 1));
        if (section.empty()) {
            problem("key '" + key + "' before the first [section]");
            continue;
        }
        const auto sec = specs().find(section);
        if (sec == specs().end())
            continue; // already reported
        const auto spec = sec->second.find(key);
        if (spec == sec->second.end()) {
            problem("unknown key '" + key + "' in [" + section + "]");
            continue;
        }
        if (!spec->second.multi && !seen.emplace(section, key).second) {
            problem("'" + key + "' is set twice in [" + section + "] (only lists repeat)");
            continue;
        }
        seen.emplace(section, key);
        if (value.empty()) {
            problem("'" + key + "' has an empty value");
            continue;
        }
        if (auto why = spec->second.apply(config, value); !why.empty())
            problem(key + ": " + why);
    }

    for (const auto &[sectionName, keys] : specs()) {
        for (const auto &[key, spec] : keys) {
            if (spec.required && !seen.contains({ sectionName, key }))
                problems.push_back("missing key: '" + key + "' in [" + sectionName + "]");
        }
    }
    if (problems.empty()) {
        if (config.issuerName.empty())
            config.issuerName = config.jid;
        if (config.witnessQuorum > config.witnessKeys.size())
            problems.push_back("witness-quorum " + std::to_string(config.witnessQuorum)
                + " is larger than the " + std::to_string(config.witnessKeys.size())
                + " witness-key entries");
        for (const auto &a : config.allow) {
            const std::string domain = a.substr(a.find('@') + 1);
            if (std::find(config.domains.begin(), config.domains.end(), domain)
                == config.domains.end())
                problems.push_back("allow: " + a + " is not in any configured domain");
        }
        if (!config.allowGroups.empty() && config.groupsFile.empty())
            problems.push_back("allow-group needs groups-file (Prosody's mod_groups file)");
        if (std::find(config.domains.begin(), config.domains.end(), config.jid)
            != config.domains.end())
            problems.push_back("jid " + config.jid + " is also listed as a user domain");
    }
    if (!problems.empty()) {
        std::string detail;
        for (const auto &p : problems)
            detail += (detail.empty() ? "" : "\n") + p;
        return fail(ConfigError::Invalid, std::move(detail));
    }
    return config;
}

Result<std::vector<std::string>, ConfigError> readGroupMembers(
    std::string_view text, const std::vector<std::string> &groups)
{
    std::vector<std::string> members;
    std::set<std::string> found;
    std::string current = "default"; // mod_groups: lines before any [Group]
    while (!text.empty()) {
        const auto nl = text.find('\n');
        const std::string_view line = trim(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view {} : text.substr(nl + 1);
        if (line.size() >= 2 && line.front() == '[' && line.back() == ']') {
            current = std::string(line.substr(1, line.size() - 2));
            if (current.starts_with('+'))
                current.erase(0, 1);
            found.insert(current);
            continue;
        }
        if (std::find(groups.begin(), groups.end(), current) == groups.end())
            continue;
        // "jid=Display name": the JID is the first word before '='.
        std::string_view entry = trim(line.substr(0, line.find('=')));
        entry = entry.substr(0, entry.find_first_of(" \t"));
        const std::string bare = bareJidOf(entry);
        if (!bare.empty() && std::find(members.begin(), members.end(), bare) == members.end())
            members.push_back(bare);
    }
    for (const auto &g : groups) {
        if (!found.contains(g))
            return fail(ConfigError::Invalid, "allow-group: there is no group [" + g + "]");
    }
    return members;
}

namespace {

Result<std::string, ConfigError> readSmallFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(ConfigError::Unreadable, "cannot open " + path + " for reading");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return fail(ConfigError::Unreadable, "cannot read " + path);
    std::string s = text.str();
    if (s.size() > 1024 * 1024)
        return fail(ConfigError::Unreadable, path + " is larger than 1 MiB");
    return s;
}

} // namespace

Result<ComponentConfig, ConfigError> loadComponentConfig(const std::string &path)
{
    SOTTO_TRY(const std::string text, readSmallFile(path));
    auto parsed = parseComponentConfig(text);
    if (!parsed.ok())
        return fail(parsed.error(), path + ":\n" + parsed.detail());
    if (!parsed->allowGroups.empty()) {
        auto groups = readSmallFile(parsed->groupsFile);
        if (!groups.ok())
            return fail(groups.error(), path + ": groups-file: " + groups.detail());
        auto members = readGroupMembers(*groups, parsed->allowGroups);
        if (!members.ok())
            return fail(
                members.error(), path + ": " + parsed->groupsFile + ": " + members.detail());
        for (auto &m : *members) {
            if (std::find(parsed->allow.begin(), parsed->allow.end(), m) == parsed->allow.end())
                parsed->allow.push_back(std::move(m));
        }
    }
    return parsed;
}

} // namespace sotto::component

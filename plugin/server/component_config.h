// SPDX-License-Identifier: GPL-3.0-or-later
// The administrator's configuration of sotto-component (/etc/sotto/component.conf): a strict
// INI file. Unknown sections and keys, repeated single-valued keys, values out of range and
// missing required keys are errors, each reported with its line number, so that
// `sotto-component --check-config` can explain every mistake at once. Qt-free.
//
// deploy/prosody/component.conf.example documents every key.
#pragma once

#include "protocol/common/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sotto::component {

enum class ConfigError {
    Unreadable, // the file cannot be read
    Invalid,    // syntax, unknown or repeated keys, bad or missing values (see the detail)
};

std::string_view errorName(ConfigError e);

struct ComponentConfig {
    // [component]: the XEP-0114 connection to the XMPP server.
    std::string jid;    // the component's domain, e.g. pp.example.org
    std::string secret; // Prosody's component_secret
    std::string serverHost = "127.0.0.1";
    uint16_t serverPort = 5347;
    std::string stateDir = "/var/lib/sotto-component"; // issuer keys and the quota database

    // [issuance]: who gets tokens, how many, and under which key.
    std::vector<std::string> domains; // users of these domains may ask
    std::vector<std::string> allow;   // if restricted: only these bare JIDs
    // Prosody's mod_groups file and the groups in it whose members are allowed (loaded into
    // `allow` by loadComponentConfig).
    std::string groupsFile;
    std::vector<std::string> allowGroups;
    uint32_t quotaPerDay = 50;     // tokens per bare JID per UTC day
    uint32_t batchLimit = 20;      // token requests in one IQ
    std::string issuerName;        // defaults to jid
    uint32_t keyRotationDays = 30; // one issuer key per epoch of this length

    // [service]: the discovery form (DESIGN.md "Discovery form").
    std::vector<std::string> relayUrls;
    std::string gatewayOrigin;
    std::string keysUrl;
    std::string evidenceUrl;
    std::string logUrl;
    std::string logKey;
    std::vector<std::string> witnessKeys;
    uint32_t witnessQuorum = 0;
    std::vector<std::string> teePlatforms; // milan, genoa, turin
    std::string teeMinTcb;                 // "bootloader=N,tee=N,snp=N,microcode=N[,fmc=N]"
    bool allowSimulated = false;
    std::vector<std::string> features;
    uint64_t maxRequestBytes = 65536;
};

// Parses and validates the whole text; on failure the detail lists every problem, one per
// line, each starting with "line N:" (or "missing key" for absent required keys).
Result<ComponentConfig, ConfigError> parseComponentConfig(std::string_view text);

// Only the allow-list may ask (allow or allow-group given), even when it is empty.
inline bool restrictedToAllowList(const ComponentConfig &c)
{
    return !c.allow.empty() || !c.allowGroups.empty();
}

// The members of `groups` in a Prosody mod_groups file ("[Group]" lines, then one JID per
// line, optionally "=Display name"; a leading '+' marks a public group), as bare JIDs.
// Invalid if a group is not in the file.
Result<std::vector<std::string>, ConfigError> readGroupMembers(
    std::string_view text, const std::vector<std::string> &groups);

// Reads the file, then parseComponentConfig, then the allow-group members.
Result<ComponentConfig, ConfigError> loadComponentConfig(const std::string &path);

// A bare JID in canonical form (lower-case, RFC 7622's usual ASCII subset): "user@domain", or
// empty when `jid` is not one (no local part, a resource, or characters outside the subset).
std::string bareJidOf(std::string_view jid);

} // namespace sotto::component

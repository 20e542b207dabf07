// SPDX-License-Identifier: GPL-3.0-or-later
// Drives the npm OHTTP peer (npm/ohttp-peer.mjs) as a child process: one JSON
// request per line on its stdin, one JSON answer per line on its stdout.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <sys/types.h>

namespace sotto::test {

class NpmPeer {
public:
    // Starts `node <script>` with the given working directory (where
    // node_modules lives). started() is false when that fails.
    NpmPeer(const std::string &node, const std::string &script, const std::string &workdir);
    ~NpmPeer();
    NpmPeer(const NpmPeer &) = delete;
    NpmPeer &operator=(const NpmPeer &) = delete;

    bool started() const { return m_pid > 0; }
    // Sends one request and waits for its answer. Returns {"error": ...} when
    // the peer died or answered garbage.
    nlohmann::json call(const nlohmann::json &request);

private:
    pid_t m_pid = -1;
    int m_toPeer = -1;
    int m_fromPeer = -1;
    std::string m_buffer;
};

} // namespace sotto::test

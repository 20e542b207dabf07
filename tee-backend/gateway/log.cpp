// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/gateway/log.h"

#include <cstdio>
#include <mutex>
#include <string>

namespace sotto::gateway {

void logEvent(LogText event, std::initializer_list<LogCount> counts)
{
    std::string line = "sotto-gateway: ";
    line += event.view();
    for (const LogCount &c : counts) {
        line += ' ';
        line += c.name.view();
        line += '=';
        line += std::to_string(c.value);
    }
    line += '\n';
    static std::mutex mutex;
    const std::lock_guard lock(mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

} // namespace sotto::gateway

// SPDX-License-Identifier: GPL-3.0-or-later
// The gateway's one logger. Its interface can only carry a fixed event text
// and named integers: no string from a request, a token, a key or the
// network can reach a log line, because there is no way to pass one.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace sotto::gateway {

// A compile-time text: only string literals convert to it.
class LogText {
public:
    template <size_t N>
    consteval LogText(const char (&text)[N])
        : m_text(text, N - 1)
    { }
    std::string_view view() const { return m_text; }

private:
    std::string_view m_text;
};

struct LogCount {
    LogText name;
    int64_t value;
};

// One line on stderr: "sotto-gateway: <event> name=value ...".
void logEvent(LogText event, std::initializer_list<LogCount> counts = {});

} // namespace sotto::gateway

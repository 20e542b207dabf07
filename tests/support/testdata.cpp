// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace sotto::test {

std::string dataPath(const std::string &relative)
{
    return std::string(SOTTO_TEST_DATA_DIR) + "/" + relative;
}

std::string readFile(const std::string &relative)
{
    std::ifstream in(dataPath(relative), std::ios::binary);
    if (!in) {
        ADD_FAILURE() << "missing test data file: tests/data/" << relative;
        return {};
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

nlohmann::json readJson(const std::string &relative)
{
    return nlohmann::json::parse(readFile(relative));
}

Bytes hex(std::string_view h)
{
    auto b = fromHex(h);
    if (!b) {
        ADD_FAILURE() << "malformed hex in test data: " << h.substr(0, 40);
        return {};
    }
    return *b;
}

Bytes numbered(uint32_t i, uint8_t tag)
{
    Bytes b(32, tag);
    b[28] = static_cast<uint8_t>(i >> 24);
    b[29] = static_cast<uint8_t>(i >> 16);
    b[30] = static_cast<uint8_t>(i >> 8);
    b[31] = static_cast<uint8_t>(i);
    return b;
}

} // namespace sotto::test

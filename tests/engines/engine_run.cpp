// SPDX-License-Identifier: GPL-3.0-or-later
// engine_run FEATURE [FILE...]: runs the built-in engine on each request file
// (or on standard input) and prints one JSON answer per line. FEATURE is
// "summarize" or "rewrite". The evaluation script (tests/engines/evaluate.py)
// and docs/ENGINES.md use it; exit status 1 when any request fails.
#include "tee-backend/engines/builtin.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

int main(int argc, char **argv)
{
    using namespace sotto::engines;
    if (argc < 2) {
        std::cerr << "usage: engine_run summarize|rewrite [FILE...]\n";
        return 2;
    }
    std::string feature = argv[1];
    if (feature != "summarize" && feature != "rewrite") {
        std::cerr << "unknown feature (summarize or rewrite)\n";
        return 2;
    }
    auto engine = makeBuiltinEngine();
    auto runOne = [&](const std::string &body) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        auto r = engine->run(
            feature == "summarize" ? Feature::Summarize : Feature::Rewrite, body, deadline);
        if (!r.ok()) {
            std::cerr << errorName(r.error()) << ": " << r.detail() << "\n";
            return false;
        }
        std::cout << *r << "\n";
        return true;
    };
    bool ok = true;
    if (argc == 2) {
        std::string body(
            (std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
        ok = runOne(body);
    }
    for (int i = 2; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        ok = runOne(ss.str()) && ok;
    }
    return ok ? 0 : 1;
}

// SPDX-License-Identifier: GPL-3.0-or-later
// Setup shared by the tlog tests that write real logs to disk: the log origin
// they sign under and a temporary directory removed with everything in it.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace sotto::tlog::test_util {

inline const std::string kOrigin = "log.example/sotto-releases";

struct TempDir {
    std::filesystem::path path;
    TempDir()
    {
        std::string tmpl = (std::filesystem::temp_directory_path() / "tst_tlog.XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    std::filesystem::path log() const { return path / "log"; }
};

} // namespace sotto::tlog::test_util

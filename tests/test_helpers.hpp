#pragma once
#include <brainweave/brainweave.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

namespace bwtest {
inline std::filesystem::path data(const std::string& rel) { return std::filesystem::path(BRAINWEAVE_TEST_DATA) / rel; }

inline Eigen::MatrixXd dense(const brainweave::io::npy_array& a) { return brainweave::io::to_matrix(a); }

/// A fresh temporary folder under the build tree's working directory.
inline std::filesystem::path temp_dir(const std::string& name) {
    auto p = std::filesystem::temp_directory_path() / ("brainweave_test_" + name);
    std::filesystem::remove_all(p);
    std::filesystem::create_directories(p);
    return p;
}
}  // namespace bwtest

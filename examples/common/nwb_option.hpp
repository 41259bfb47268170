#pragma once
// The examples' `--nwb FILE` option, shared by those that can write NWB.
#include <brainweave/core/error.hpp>

#include <filesystem>
#include <string_view>

namespace examples {

/// Removes "--nwb FILE" from the command line (positional arguments keep their places) and returns
/// FILE, "" if absent; creates FILE's folder. Refused when brainweave was built without HDF5.
inline std::filesystem::path take_nwb_option(int& argc, char** argv) {
    std::filesystem::path file;
    for (int k = 1; k + 1 < argc; ++k)
        if (std::string_view(argv[k]) == "--nwb") {
            file = argv[k + 1];
            for (int j = k; j + 2 < argc; ++j) argv[j] = argv[j + 2];
            argc -= 2;
            break;
        }
    if (file.empty()) return file;
#ifndef BRAINWEAVE_WITH_HDF5
    throw brainweave::config_error("--nwb needs brainweave built with HDF5 (apt-get install libhdf5-dev, then configure again)");
#endif
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    return file;
}

}  // namespace examples

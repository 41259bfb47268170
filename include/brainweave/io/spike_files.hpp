#pragma once
// Spike files: (sender, time) pairs as two .npy arrays (Brian 2's SpikeMonitor arrays: <prefix>_i
// int32 indices, <prefix>_t float64 times), or as a text table (NEST's spike recorder files:
// "sender time" per line). Both are written atomically (temporary file + rename). load_spikes_text
// reads NEST's text files back: NEST 3's ASCII backend (comment lines, a "sender time_ms" header)
// and NEST 2's .gdf ("gid time" per line).
#include <brainweave/core/error.hpp>
#include <brainweave/io/npy.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <span>
#include <string>
#include <vector>

namespace brainweave::io {

/// Writes <dir>/<prefix>_i.npy (int32) and <dir>/<prefix>_t.npy (float64).
inline void save_spikes_npy(const std::filesystem::path& dir, std::span<const std::uint32_t> senders,
                            std::span<const double> times, const std::string& prefix = "spike") {
    if (senders.size() != times.size())
        throw config_error("save_spikes_npy: " + std::to_string(senders.size()) + " senders but " +
                           std::to_string(times.size()) + " times");
    std::vector<std::int32_t> i(senders.size());
    for (std::size_t k = 0; k < i.size(); ++k) {
        if (senders[k] > static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max()))
            throw config_error("save_spikes_npy: sender " + std::to_string(senders[k]) + " does not fit int32");
        i[k] = static_cast<std::int32_t>(senders[k]);
    }
    std::filesystem::create_directories(dir);
    save_npy(dir / (prefix + "_i.npy"), {i.size()}, i.data());
    save_npy(dir / (prefix + "_t.npy"), {times.size()}, times.data());
}

/// Writes a text table "sender time" (one spike per line, '#' header naming the columns and unit).
inline void save_spikes_text(const std::filesystem::path& path, std::span<const std::uint32_t> senders,
                             std::span<const double> times, const std::string& time_unit = "ms") {
    if (senders.size() != times.size())
        throw config_error("save_spikes_text: " + std::to_string(senders.size()) + " senders but " +
                           std::to_string(times.size()) + " times");
    const std::filesystem::path tmp = path.string() + ".partial";
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) throw io_error("cannot open '" + tmp.string() + "' for writing");
        out << "# sender time_" << time_unit << "\n";
        char line[64];
        for (std::size_t k = 0; k < senders.size(); ++k) {
            std::snprintf(line, sizeof line, "%u %.17g\n", senders[k], times[k]);
            out << line;
        }
        out.flush();
        if (!out) throw io_error("error while writing '" + tmp.string() + "' (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) throw io_error("cannot move '" + tmp.string() + "' to '" + path.string() + "': " + ec.message());
}

/// Spikes as (sender, time) pairs.
struct spike_pairs {
    std::vector<std::uint32_t> senders;
    std::vector<double> times;
};

/// Reads a NEST spike file: lines "sender time" (further columns ignored), '#' comment lines and
/// one header line of words (NEST 3: "sender time_ms") skipped. Times are returned as written
/// (NEST: ms). Throws io_error naming the file and line.
inline spike_pairs load_spikes_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw io_error("cannot open spike file '" + path.string() + "'");
    spike_pairs s;
    std::string line;
    std::size_t lineno = 0;
    bool data_seen = false;
    while (std::getline(in, line)) {
        ++lineno;
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#') continue;
        std::istringstream f(line);
        std::string a, b;
        f >> a >> b;
        const std::string at = "spike file '" + path.string() + "', line " + std::to_string(lineno);
        double sender = 0, time = 0;
        try {
            std::size_t ua = 0, ub = 0;
            sender = std::stod(a, &ua);
            time = b.empty() ? std::nan("") : std::stod(b, &ub);
            if (ua != a.size() || ub != b.size()) throw std::invalid_argument(a);
        } catch (const std::exception&) {
            if (!data_seen && std::isalpha(static_cast<unsigned char>(a[0]))) continue;  // the column header
            throw io_error(at + ": expected \"sender time\", got '" + line + "'");
        }
        if (b.empty()) throw io_error(at + ": expected two columns (sender time)");
        if (!(sender >= 0) || sender != std::floor(sender) || sender > std::numeric_limits<std::uint32_t>::max())
            throw io_error(at + ": the sender must be a non-negative integer");
        if (!std::isfinite(time)) throw io_error(at + ": the spike time must be finite");
        s.senders.push_back(static_cast<std::uint32_t>(sender));
        s.times.push_back(time);
        data_seen = true;
    }
    return s;
}

}  // namespace brainweave::io

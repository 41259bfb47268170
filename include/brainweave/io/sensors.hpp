#pragma once
// Sensor files in TVB's text format (tvb-data's sensors/*.txt): one sensor per line,
//   label x y z             (EEG, sEEG: positions in mm)
//   label x y z ox oy oz    (MEG: positions and coil orientations)
// Whitespace-separated; blank lines and lines starting with '#' are skipped. Every line must have
// the same number of columns (4 or 7).
#include <brainweave/core/error.hpp>
#include <brainweave/io/archive.hpp>
#include <brainweave/io/text_table.hpp>

#include <Eigen/Core>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

namespace brainweave {

struct sensors {
    std::vector<std::string> labels;
    Eigen::MatrixX3d locations;     ///< (n, 3), mm
    Eigen::MatrixX3d orientations;  ///< (n, 3), MEG only (empty otherwise)

    std::size_t size() const noexcept { return labels.size(); }
    /// Index of the sensor labelled `label`; throws naming the label if there is none.
    std::size_t index_of(const std::string& label) const {
        for (std::size_t k = 0; k < labels.size(); ++k)
            if (labels[k] == label) return k;
        throw config_error("sensors: no sensor labelled '" + label + "'");
    }
};

namespace io {

inline sensors parse_sensors(const std::string& text, const std::string& what) {
    const auto rows = split_table(text);
    if (rows.empty()) throw io_error(what + ": no sensors (expected lines 'label x y z' or 'label x y z ox oy oz')");
    const std::size_t cols = rows[0].size();
    if (cols != 4 && cols != 7)
        throw io_error(what + ": line 1 has " + std::to_string(cols) +
                       " columns, expected 4 (label x y z) or 7 (label x y z ox oy oz)");
    sensors s;
    const auto n = static_cast<Eigen::Index>(rows.size());
    s.locations.resize(n, 3);
    if (cols == 7) s.orientations.resize(n, 3);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (rows[r].size() != cols)
            throw io_error(what + ": sensor " + std::to_string(r + 1) + " has " + std::to_string(rows[r].size()) +
                           " columns, expected " + std::to_string(cols) + " like the first");
        s.labels.push_back(rows[r][0]);
        for (std::size_t c = 1; c < cols; ++c) {
            double v;
            if (!parse_double(rows[r][c], v) || !std::isfinite(v))
                throw io_error(what + ": sensor " + std::to_string(r + 1) + " ('" + rows[r][0] + "'), column " +
                               std::to_string(c + 1) + ": '" + rows[r][c] + "' is not a finite number");
            const auto i = static_cast<Eigen::Index>(r);
            if (c <= 3)
                s.locations(i, static_cast<Eigen::Index>(c - 1)) = v;
            else
                s.orientations(i, static_cast<Eigen::Index>(c - 4)) = v;
        }
    }
    return s;
}

inline sensors load_sensors(const std::filesystem::path& path) {
    return parse_sensors(read_file(path), "sensors file '" + path.string() + "'");
}

}  // namespace io
}  // namespace brainweave

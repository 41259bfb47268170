#pragma once
// Loading TVB connectomes: the zip format of tvb-data (files possibly in a sub-folder and possibly
// bzip2/gzip compressed) or the same files in a plain folder.
//
// Files, matched by name without folder and compression suffix:
//   weights.txt (required), tract_lengths.txt (if absent: Euclidean distances between centres, as
//   TVB does), centres.txt ("label x y z" per region, further columns ignored), average_orientations.txt, areas.txt,
//   cortical.txt, hemispheres.txt (if absent: from labels starting with r/l, else from the sign of
//   the x coordinate, right = x > 0).
#include <brainweave/connectivity/connectivity.hpp>
#include <brainweave/io/archive.hpp>
#include <brainweave/io/text_table.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>

namespace brainweave::io {

namespace detail {
/// The files of a tvb-data set (a zip archive or a folder): name without folders and compression
/// suffix -> (decompressed text, where it came from). `kind` names the data set in errors.
inline std::map<std::string, std::pair<std::string, std::string>> dataset_files(const std::filesystem::path& path,
                                                                               const std::string& kind = "connectivity") {
    std::map<std::string, std::pair<std::string, std::string>> files;
    auto add = [&](const std::string& inner_name, std::string data, const std::string& where) {
        const std::string base = std::filesystem::path(inner_name).filename().string();
        auto [text, bare] = decompress_by_name(std::move(data), base, where);
        files[bare] = {std::move(text), where};
    };
    if (std::filesystem::is_directory(path)) {
        for (const auto& e : std::filesystem::directory_iterator(path))
            if (e.is_regular_file()) add(e.path().filename().string(), read_file(e.path()), "'" + e.path().string() + "'");
    } else if (std::filesystem::exists(path)) {
        zip_archive zip(path);
        for (const auto& name : zip.names()) add(name, zip.read(name), "'" + path.string() + "' member '" + name + "'");
    } else {
        throw io_error(kind + " '" + path.string() + "' does not exist (expected a TVB zip file or a folder)");
    }
    return files;
}
}  // namespace detail

/// Loads a TVB connectivity from a zip archive or a folder. Throws io_error naming the file at fault.
inline connectivity load_tvb_connectivity(const std::filesystem::path& path) {
    auto files = detail::dataset_files(path);
    auto find = [&](std::initializer_list<const char*> names) -> const std::pair<std::string, std::string>* {
        for (const char* n : names) {
            auto it = files.find(n);
            if (it != files.end()) return &it->second;
        }
        return nullptr;
    };
    connectivity c;
    const auto* w = find({"weights.txt", "weights.csv"});
    if (!w) throw io_error("connectivity '" + path.string() + "' has no weights.txt");
    auto wt = parse_numeric_table(w->first, w->second);
    if (wt.rows != wt.cols || wt.rows == 0)
        throw io_error(w->second + ": weights must be a non-empty square matrix, got " + std::to_string(wt.rows) + "x" +
                       std::to_string(wt.cols));
    const auto n = static_cast<Eigen::Index>(wt.rows);
    c.weights = Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(wt.values.data(), n, n);

    if (const auto* f = find({"centres.txt", "centers.txt"})) {
        auto rows = split_table(f->first);
        if (static_cast<Eigen::Index>(rows.size()) != n)
            throw io_error(f->second + ": " + std::to_string(rows.size()) + " centres for " + std::to_string(n) + " regions");
        c.centres.resize(n, 3);
        for (Eigen::Index i = 0; i < n; ++i) {
            auto& r = rows[static_cast<std::size_t>(i)];
            // "label x y z", possibly followed by more columns (tvb-data's connectivity_66 adds one), or "x y z".
            double probe;
            const bool labelled = !r.empty() && !parse_double(r[0], probe);
            if (labelled ? r.size() < 4 : r.size() != 3)
                throw io_error(f->second + ": line " + std::to_string(i + 1) + " must be 'label x y z' or 'x y z'");
            for (int k = 0; k < 3; ++k) {
                double v;
                if (!parse_double(r[static_cast<std::size_t>(k + (labelled ? 1 : 0))], v))
                    throw io_error(f->second + ": line " + std::to_string(i + 1) + ": coordinate is not a number");
                c.centres(i, k) = v;
            }
            c.region_labels.push_back(labelled ? r[0] : "r" + std::to_string(i));
        }
    } else {
        for (Eigen::Index i = 0; i < n; ++i) c.region_labels.push_back("r" + std::to_string(i));
    }

    if (const auto* f = find({"tract_lengths.txt", "tract_lengths.csv", "tracts.txt"})) {
        auto t = parse_numeric_table(f->first, f->second);
        if (static_cast<Eigen::Index>(t.rows) != n || static_cast<Eigen::Index>(t.cols) != n)
            throw io_error(f->second + ": tract lengths must be " + std::to_string(n) + "x" + std::to_string(n) +
                           " like the weights");
        c.tract_lengths =
            Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(t.values.data(), n, n);
    } else if (c.centres.rows() == n) {
        c.tract_lengths.resize(n, n);
        for (Eigen::Index i = 0; i < n; ++i)
            for (Eigen::Index j = 0; j < n; ++j) c.tract_lengths(i, j) = (c.centres.row(i) - c.centres.row(j)).norm();
    } else {
        throw io_error("connectivity '" + path.string() + "' has neither tract_lengths.txt nor centres.txt");
    }

    auto vector_file = [&](std::initializer_list<const char*> names, std::size_t cols) -> std::optional<numeric_table> {
        const auto* f = find(names);
        if (!f) return std::nullopt;
        auto t = parse_numeric_table(f->first, f->second);
        if (cols == 1 && t.rows == 1 && static_cast<Eigen::Index>(t.cols) == n) {  // one line of n values
            t.rows = t.cols;
            t.cols = 1;
        }
        if (static_cast<Eigen::Index>(t.rows) != n || t.cols != cols)
            throw io_error(f->second + ": expected " + std::to_string(n) + " rows of " + std::to_string(cols) +
                           " values, got " + std::to_string(t.rows) + "x" + std::to_string(t.cols));
        return t;
    };
    if (auto t = vector_file({"average_orientations.txt", "orientations.txt"}, 3)) {
        c.orientations.resize(n, 3);
        for (Eigen::Index i = 0; i < n; ++i)
            for (int k = 0; k < 3; ++k) c.orientations(i, k) = (*t)(static_cast<std::size_t>(i), static_cast<std::size_t>(k));
    }
    if (auto t = vector_file({"areas.txt"}, 1)) c.areas = t->values;
    if (auto t = vector_file({"cortical.txt"}, 1))
        for (double v : t->values) c.cortical.push_back(v != 0.0);
    if (auto t = vector_file({"hemispheres.txt"}, 1)) {
        for (double v : t->values) c.hemispheres.push_back(v != 0.0);
    } else {
        const bool by_label = std::all_of(c.region_labels.begin(), c.region_labels.end(), [](const std::string& l) {
            return !l.empty() && (std::tolower(static_cast<unsigned char>(l[0])) == 'r' ||
                                  std::tolower(static_cast<unsigned char>(l[0])) == 'l');
        }) && find({"centres.txt", "centers.txt"});
        if (by_label)
            for (auto& l : c.region_labels) c.hemispheres.push_back(std::tolower(static_cast<unsigned char>(l[0])) == 'r');
        else if (c.centres.rows() == n)
            for (Eigen::Index i = 0; i < n; ++i) c.hemispheres.push_back(c.centres(i, 0) > 0.0);
    }
    try {
        c.validate();
    } catch (const config_error& e) {  // name the file the bad values came from
        std::string why = e.what();
        if (why.rfind("connectivity: ", 0) == 0) why.erase(0, 14);
        throw io_error("connectivity '" + path.string() + "': " + why);
    }
    return c;
}

}  // namespace brainweave::io

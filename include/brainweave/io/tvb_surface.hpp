#pragma once
// Loading TVB surfaces and region mappings: the zip format of tvb-data (vertices.txt,
// triangles.txt, vertex_normals.txt or normals.txt; files possibly in a sub-folder and possibly
// bzip2/gzip compressed) or the same files in a plain folder; a region mapping is a text file with
// one region index per vertex.
#include <brainweave/io/tvb_connectivity.hpp>
#include <brainweave/surface/mesh.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace brainweave::io {

/// Loads a TVB surface. Throws io_error naming the file at fault.
inline surface::mesh load_tvb_surface(const std::filesystem::path& path) {
    auto files = detail::dataset_files(path, "surface");
    auto table = [&](std::initializer_list<const char*> names, std::size_t cols, bool required) -> std::optional<numeric_table> {
        for (const char* n : names)
            if (auto it = files.find(n); it != files.end()) {
                auto t = parse_numeric_table(it->second.first, it->second.second);
                if (t.cols != cols || t.rows == 0)
                    throw io_error(it->second.second + ": expected rows of " + std::to_string(cols) + " numbers, got " +
                                   std::to_string(t.rows) + "x" + std::to_string(t.cols));
                return t;
            }
        if (required) throw io_error("surface '" + path.string() + "' has no " + std::string(*names.begin()));
        return std::nullopt;
    };
    surface::mesh m;
    m.source = path.string();
    const auto v = *table({"vertices.txt"}, 3, true);
    const auto t = *table({"triangles.txt"}, 3, true);
    m.vertices = Eigen::Map<const surface::points>(v.values.data(), static_cast<Eigen::Index>(v.rows), 3);
    m.triangles.resize(static_cast<Eigen::Index>(t.rows), 3);
    for (std::size_t k = 0; k < t.values.size(); ++k) {
        const double x = t.values[k];
        if (x != std::floor(x) || x < 0 || x > 2147483647.0)
            throw io_error("surface '" + path.string() + "' triangles.txt: entry " + std::to_string(k) + " (" + std::to_string(x) +
                           ") is not a vertex index");
        m.triangles.data()[k] = static_cast<int>(x);
    }
    if (const auto n = table({"vertex_normals.txt", "normals.txt"}, 3, false))
        m.normals = Eigen::Map<const surface::points>(n->values.data(), static_cast<Eigen::Index>(n->rows), 3);
    try {
        m.validate();
    } catch (const config_error& e) {
        throw io_error(e.what());
    }
    return m;
}

/// Loads a region mapping (one region index per vertex); checks the count against the surface and
/// the indices against the number of regions.
inline std::vector<int> load_region_mapping(const std::filesystem::path& path, std::size_t n_vertices, std::size_t n_regions) {
    auto [text, name] = decompress_by_name(read_file(path), path.filename().string(), "'" + path.string() + "'");
    const auto t = parse_numeric_table(text, "'" + path.string() + "'");
    if (t.values.size() != n_vertices)
        throw io_error("'" + path.string() + "': " + std::to_string(t.values.size()) + " region indices for a surface of " +
                       std::to_string(n_vertices) + " vertices");
    std::vector<int> map(t.values.size());
    for (std::size_t k = 0; k < map.size(); ++k) {
        const double x = t.values[k];
        if (x != std::floor(x) || x < 0 || x >= static_cast<double>(n_regions))
            throw io_error("'" + path.string() + "': vertex " + std::to_string(k) + " maps to " + std::to_string(x) +
                           ", not a region index in 0.." + std::to_string(n_regions - 1));
        map[k] = static_cast<int>(x);
    }
    return map;
}

}  // namespace brainweave::io

#pragma once
// NumPy .npy files: reading any little-endian numeric array into doubles, writing float64.
//
// Writes go to a temporary file in the same folder that is renamed into place when complete, so an
// interrupted run never leaves a truncated .npy behind.
#include <brainweave/core/error.hpp>
#include <brainweave/core/parse.hpp>
#include <brainweave/io/archive.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace brainweave::io {

/// An n-dimensional array of doubles in C (row-major) order.
struct npy_array {
    std::vector<std::size_t> shape;
    std::vector<double> data;
    std::size_t size() const noexcept { return data.size(); }
};

namespace detail {
inline std::string npy_field(const std::string& header, const std::string& key, const std::string& what) {
    const auto k = header.find("'" + key + "'");
    if (k == std::string::npos) throw io_error(what + ": npy header has no '" + key + "' field");
    auto v = header.find(':', k);
    if (v == std::string::npos) throw io_error(what + ": malformed npy header");
    ++v;
    while (v < header.size() && header[v] == ' ') ++v;
    return header.substr(v);
}

template <class T>
void convert(const char* src, std::size_t n, std::vector<double>& out) {
    out.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        T v;
        std::memcpy(&v, src + i * sizeof(T), sizeof(T));
        out[i] = static_cast<double>(v);
    }
}
}  // namespace detail

/// Parses .npy bytes; `what` names the source in error messages.
inline npy_array parse_npy(const std::string& bytes, const std::string& what) {
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
        throw io_error(what + ": not a .npy file (missing magic string)");
    const int major = static_cast<unsigned char>(bytes[6]);
    std::size_t header_len = 0, offset = 0;
    if (major == 1) {
        header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12) throw io_error(what + ": truncated .npy header");
        for (int k = 3; k >= 0; --k) header_len = (header_len << 8) | static_cast<unsigned char>(bytes[8 + static_cast<std::size_t>(k)]);
        offset = 12;
    } else {
        throw io_error(what + ": unsupported .npy version " + std::to_string(major));
    }
    if (offset + header_len > bytes.size()) throw io_error(what + ": truncated .npy header");
    const std::string header = bytes.substr(offset, header_len);
    offset += header_len;

    std::string descr = detail::npy_field(header, "descr", what);
    if (descr.size() < 2 || descr[0] != '\'') throw io_error(what + ": malformed dtype in npy header");
    descr = descr.substr(1, descr.find('\'', 1) - 1);
    const bool fortran = detail::npy_field(header, "fortran_order", what).rfind("True", 0) == 0;
    std::string shp = detail::npy_field(header, "shape", what);
    if (shp.empty() || shp[0] != '(') throw io_error(what + ": malformed shape in npy header");
    shp = shp.substr(1, shp.find(')') - 1);
    npy_array a;
    for (std::size_t pos = 0; pos < shp.size();) {  // "3, 4" or "3," or ""
        const std::size_t end = std::min(shp.find(',', pos), shp.size());
        if (shp.find_first_not_of(' ', pos) < end)
            a.shape.push_back(parse_number<std::size_t>(std::string_view(shp).substr(pos, end - pos), what + ": npy shape"));
        pos = end + 1;
    }
    if (descr.size() < 3 || descr[0] == '>')
        throw io_error(what + ": dtype '" + descr + "' is not supported (little-endian numbers expected)");
    const char kind = descr[1];
    const auto width = to_number<std::size_t>(std::string_view(descr).substr(2)).value_or(0);
    if (width == 0) throw io_error(what + ": dtype '" + descr + "' is not supported");
    // Elements, checked against the bytes there are (a header may claim any shape).
    const std::size_t room = (bytes.size() - offset) / width;
    std::size_t n = 1;
    for (std::size_t d : a.shape) {
        if (d != 0 && n > room / d)
            throw io_error(what + ": data is truncated (the header's shape needs more than the " +
                           std::to_string(bytes.size() - offset) + " bytes there are)");
        n *= d;
    }
    if (bytes.size() < offset + n * width)
        throw io_error(what + ": data is truncated (" + std::to_string(bytes.size() - offset) + " bytes for " +
                       std::to_string(n) + " elements of " + descr + ")");
    const char* src = bytes.data() + offset;
    if (kind == 'f' && width == 8) detail::convert<double>(src, n, a.data);
    else if (kind == 'f' && width == 4) detail::convert<float>(src, n, a.data);
    else if (kind == 'i' && width == 8) detail::convert<std::int64_t>(src, n, a.data);
    else if (kind == 'i' && width == 4) detail::convert<std::int32_t>(src, n, a.data);
    else if (kind == 'i' && width == 2) detail::convert<std::int16_t>(src, n, a.data);
    else if (kind == 'i' && width == 1) detail::convert<std::int8_t>(src, n, a.data);
    else if (kind == 'u' && width == 8) detail::convert<std::uint64_t>(src, n, a.data);
    else if (kind == 'u' && width == 4) detail::convert<std::uint32_t>(src, n, a.data);
    else if ((kind == 'u' || kind == 'b') && width == 1) detail::convert<std::uint8_t>(src, n, a.data);
    else throw io_error(what + ": dtype '" + descr + "' is not supported");
    if (fortran && a.shape.size() > 1) {  // reorder to C order
        std::vector<double> c(n);
        const std::size_t nd = a.shape.size();
        std::vector<std::size_t> idx(nd, 0);
        for (std::size_t f = 0; f < n; ++f) {
            std::size_t ci = 0;
            for (std::size_t d = 0; d < nd; ++d) ci = ci * a.shape[d] + idx[d];
            c[ci] = a.data[f];
            for (std::size_t d = 0; d < nd; ++d) {  // Fortran order: first index fastest
                if (++idx[d] < a.shape[d]) break;
                idx[d] = 0;
            }
        }
        a.data = std::move(c);
    }
    return a;
}

/// Loads a .npy file (or a gzip/bzip2-compressed one, `.npy.gz` / `.npy.bz2`). Throws io_error
/// naming the file if it is missing or malformed.
inline npy_array load_npy(const std::filesystem::path& path) {
    const std::string what = "'" + path.string() + "'";
    return parse_npy(decompress_by_name(read_file(path), path.filename().string(), what).first, what);
}

/// The file of array `name` (e.g. "spike_t.npy") in `folder`: the plain file, or else the same name
/// with .gz or .bz2 appended; empty if there is none.
inline std::filesystem::path locate_npy(const std::filesystem::path& folder, const std::string& name) {
    for (const char* suffix : {"", ".gz", ".bz2"}) {
        auto p = folder / (name + suffix);
        if (std::filesystem::exists(p)) return p;
    }
    return {};
}

/// As locate_npy, but throws io_error naming the folder if the array is missing.
inline std::filesystem::path find_npy(const std::filesystem::path& folder, const std::string& name) {
    auto p = locate_npy(folder, name);
    if (p.empty()) throw io_error("'" + (folder / name).string() + "' does not exist (nor " + name + ".gz or .bz2)");
    return p;
}

/// Loads a .npy file and checks its rank.
inline npy_array load_npy(const std::filesystem::path& path, std::size_t rank) {
    auto a = load_npy(path);
    if (a.shape.size() != rank)
        throw io_error("'" + path.string() + "': expected a " + std::to_string(rank) + "-d array, got " +
                       std::to_string(a.shape.size()) + "-d");
    return a;
}

namespace detail {
template <class T>
constexpr const char* npy_descr() {
    if constexpr (std::is_same_v<T, double>) return "<f8";
    else if constexpr (std::is_same_v<T, float>) return "<f4";
    else if constexpr (std::is_same_v<T, std::int32_t>) return "<i4";
    else if constexpr (std::is_same_v<T, std::int64_t>) return "<i8";
    else static_assert(sizeof(T) == 0, "save_npy writes double, float, int32 or int64");
}
}  // namespace detail

/// Writes a .npy file (float64, float32, int32 or int64, from the element type) atomically
/// (temporary file + rename).
template <class T>
void save_npy(const std::filesystem::path& path, const std::vector<std::size_t>& shape, const T* data) {
    std::string header = std::string("{'descr': '") + detail::npy_descr<T>() + "', 'fortran_order': False, 'shape': (";
    for (std::size_t d = 0; d < shape.size(); ++d) header += (d ? ", " : "") + std::to_string(shape[d]);
    if (shape.size() == 1) header += ",";
    header += "), }";
    const std::size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    const std::size_t n = std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
    const std::filesystem::path tmp = path.string() + ".partial";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw io_error("cannot open '" + tmp.string() + "' for writing");
        out.write("\x93NUMPY\x01\x00", 8);
        const char len[2] = {static_cast<char>(header.size() & 0xff), static_cast<char>(header.size() >> 8)};
        out.write(len, 2);
        out.write(header.data(), static_cast<std::streamsize>(header.size()));
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(n * sizeof(T)));
        out.flush();
        if (!out) throw io_error("error while writing '" + tmp.string() + "' (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) throw io_error("cannot move '" + tmp.string() + "' to '" + path.string() + "': " + ec.message());
}

inline void save_npy(const std::filesystem::path& path, const npy_array& a) { save_npy(path, a.shape, a.data.data()); }

/// Writes a matrix as a 2-d float64 array (rows x columns, C order).
inline void save_npy(const std::filesystem::path& path, const Eigen::MatrixXd& m) {
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> r = m;
    save_npy(path, {static_cast<std::size_t>(r.rows()), static_cast<std::size_t>(r.cols())}, r.data());
}

/// A 1-d or 2-d array as a matrix (a 1-d array becomes one column).
inline Eigen::MatrixXd to_matrix(const npy_array& a) {
    if (a.shape.empty() || a.shape.size() > 2) throw io_error("to_matrix: expected a 1-d or 2-d array, got " + std::to_string(a.shape.size()) + "-d");
    constexpr auto largest = static_cast<std::size_t>(std::numeric_limits<Eigen::Index>::max());
    if (a.shape[0] > largest || (a.shape.size() > 1 && a.shape[1] > largest))
        throw io_error("to_matrix: the array's shape does not fit a matrix");
    const auto rows = static_cast<Eigen::Index>(a.shape[0]), cols = static_cast<Eigen::Index>(a.shape.size() > 1 ? a.shape[1] : 1);
    if (a.data.empty()) return Eigen::MatrixXd(rows, cols);  // 0 x n: nothing to copy (and no loop over n columns)
    return Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(a.data.data(), rows, cols);
}

}  // namespace brainweave::io

#pragma once
// Reading MATLAB level-5 MAT-files (the format of tvb-data's local connectivity matrices):
// numeric and sparse double matrices, little- or big-endian, with compressed (miCOMPRESSED,
// zlib) or plain data elements. Numeric data stored in a smaller integer type (as MATLAB does
// when that is lossless) is converted back to double.
//
//   auto L = bw::io::read_mat_sparse("local_connectivity_16384.mat");   // the first sparse variable
#include <brainweave/core/error.hpp>
#include <brainweave/io/archive.hpp>

#include <Eigen/Sparse>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

namespace brainweave::io {

/// One variable of a MAT-file.
struct mat_variable {
    std::string name;
    bool sparse = false, complex = false;
    std::vector<std::int64_t> dims;
    std::vector<double> real;                    ///< dense: column-major values; sparse: the non-zeros
    std::vector<std::int64_t> row_index, col_ptr;  ///< sparse (CSC): ir and jc
};

namespace detail {
class mat_reader {
public:
    mat_reader(std::string data, std::string what, bool swap) : d_(std::move(data)), what_(std::move(what)), swap_(swap) {}

    /// The data elements from `pos` on, as (type, bytes) pairs.
    struct element {
        std::uint32_t type;
        std::string bytes;
    };
    bool next(std::size_t& pos, element& e) {
        if (pos + 8 > d_.size()) return false;
        std::uint32_t w0 = u32(pos), w1 = u32(pos + 4);
        if ((w0 >> 16) != 0) {  // small data element: type and size in the first word, data in the second
            e.type = w0 & 0xffff;
            const std::uint32_t n = w0 >> 16;
            if (n > 4) fail("small data element larger than 4 bytes");
            e.bytes = d_.substr(pos + 4, n);
            pos += 8;
            return true;
        }
        e.type = w0;
        if (pos + 8 + w1 > d_.size()) fail("data element runs past the end of the file");
        e.bytes = d_.substr(pos + 8, w1);
        pos += 8 + w1;
        if (e.type != 15) pos = (pos + 7) & ~std::size_t{7};  // padded to 8 bytes, except compressed ones
        return true;
    }
    [[noreturn]] void fail(const std::string& why) const { throw io_error(what_ + ": not a valid MAT-file: " + why); }

    std::uint32_t u32(std::size_t at) const { return static_cast<std::uint32_t>(get<std::uint32_t>(d_, at)); }
    template <class T>
    T get(const std::string& s, std::size_t at) const {
        if (at + sizeof(T) > s.size()) fail("truncated element");
        unsigned char b[sizeof(T)];
        std::memcpy(b, s.data() + at, sizeof(T));
        if (swap_)
            for (std::size_t k = 0; k < sizeof(T) / 2; ++k) std::swap(b[k], b[sizeof(T) - 1 - k]);
        T v;
        std::memcpy(&v, b, sizeof(T));
        return v;
    }
    /// The numbers of a numeric element, whatever its stored type.
    std::vector<double> numbers(const element& e) const {
        std::vector<double> out;
        auto each = [&](auto tag) {
            using T = decltype(tag);
            for (std::size_t k = 0; k + sizeof(T) <= e.bytes.size(); k += sizeof(T)) out.push_back(static_cast<double>(get<T>(e.bytes, k)));
        };
        switch (e.type) {
            case 1: each(std::int8_t{}); break;
            case 2: each(std::uint8_t{}); break;
            case 3: each(std::int16_t{}); break;
            case 4: each(std::uint16_t{}); break;
            case 5: each(std::int32_t{}); break;
            case 6: each(std::uint32_t{}); break;
            case 7: each(float{}); break;
            case 9: each(double{}); break;
            case 12: each(std::int64_t{}); break;
            case 13: each(std::uint64_t{}); break;
            default: fail("numeric data of unsupported type " + std::to_string(e.type));
        }
        return out;
    }
    /// The numbers of an element that must hold integers (dimensions, sparse indices).
    std::vector<std::int64_t> integers(const element& e, const std::string& what) const {
        std::vector<std::int64_t> out;
        for (double x : numbers(e)) {
            if (!(x >= -9.2e18 && x <= 9.2e18) || x != std::floor(x)) {
                char text[32];
                std::snprintf(text, sizeof text, "%.17g", x);
                fail(what + " holds " + text + ", not an integer");
            }
            out.push_back(static_cast<std::int64_t>(x));
        }
        return out;
    }

    /// A miMATRIX element's content.
    mat_variable matrix(const std::string& body) const {
        mat_reader r(body, what_, swap_);
        std::size_t pos = 0;
        element flags, dims, name;
        if (!r.next(pos, flags) || !r.next(pos, dims) || !r.next(pos, name)) fail("matrix without flags, dimensions or name");
        mat_variable v;
        const std::uint32_t f = r.get<std::uint32_t>(flags.bytes, 0);
        const int cls = static_cast<int>(f & 0xff);
        v.complex = (f & 0x800) != 0;
        v.sparse = cls == 5;
        v.name = name.bytes;
        v.dims = r.integers(dims, "the dimensions of '" + v.name + "'");
        for (auto d : v.dims)
            if (d < 0) fail("matrix '" + v.name + "' has a negative dimension");
        if (cls == 1 || cls == 2 || cls == 3 || cls == 4) return v;  // cell, struct, object, char: not read
        element e;
        if (v.sparse) {
            element ir, jc;
            if (!r.next(pos, ir) || !r.next(pos, jc) || !r.next(pos, e)) fail("sparse matrix '" + v.name + "' incomplete");
            v.row_index = r.integers(ir, "the row indices of '" + v.name + "'");
            v.col_ptr = r.integers(jc, "the column pointers of '" + v.name + "'");
            v.real = r.numbers(e);
            if (v.dims.size() != 2 || v.col_ptr.size() - 1 != static_cast<std::size_t>(v.dims[1]))
                fail("sparse matrix '" + v.name + "' has inconsistent dimensions and column pointers");
            const auto nnz = static_cast<std::size_t>(v.col_ptr.back());
            if (nnz > v.row_index.size() || nnz > v.real.size()) fail("sparse matrix '" + v.name + "' has fewer entries than jc says");
            if (v.col_ptr.front() != 0 || !std::is_sorted(v.col_ptr.begin(), v.col_ptr.end()))
                fail("sparse matrix '" + v.name + "' has column pointers that do not start at 0 and grow");
            v.row_index.resize(nnz);
            v.real.resize(nnz);
        } else {
            if (!r.next(pos, e)) fail("matrix '" + v.name + "' without data");
            v.real = r.numbers(e);
            std::size_t n = 1;
            for (auto d : v.dims) n = d == 0 || n <= v.real.size() / static_cast<std::size_t>(d) ? n * static_cast<std::size_t>(d) : v.real.size() + 1;
            if (v.dims.empty() || n != v.real.size())
                fail("matrix '" + v.name + "' holds " + std::to_string(v.real.size()) + " values for its dimensions");
        }
        return v;
    }

    std::vector<mat_variable> variables() {
        std::vector<mat_variable> out;
        std::size_t pos = 128;
        element e;
        while (next(pos, e)) {
            if (e.type == 15) {
                const std::string inner = zlib_inflate(e.bytes, what_);
                mat_reader r(inner, what_, swap_);
                std::size_t p = 0;
                element m;
                if (r.next(p, m) && m.type == 14) out.push_back(r.matrix(m.bytes));
            } else if (e.type == 14) {
                out.push_back(matrix(e.bytes));
            }
        }
        return out;
    }

private:
    std::string d_, what_;
    bool swap_;
};
}  // namespace detail

/// Every variable of a level-5 MAT-file (cells, structs and character arrays are listed, not read).
inline std::vector<mat_variable> read_mat(const std::filesystem::path& path) {
    std::string data = read_file(path);
    const std::string what = "'" + path.string() + "'";
    if (data.size() < 128 || data.compare(0, 6, "MATLAB") != 0)
        throw io_error(what + ": not a MATLAB level-5 MAT-file (expected the 'MATLAB 5.0 MAT-file' header)");
    const bool swap = data[126] == 'M' && data[127] == 'I';
    if (!swap && !(data[126] == 'I' && data[127] == 'M')) throw io_error(what + ": not a MAT-file (bad endian indicator)");
    return detail::mat_reader(std::move(data), what, swap).variables();
}

/// The sparse matrix called `name` (or the first sparse variable), as an Eigen CSC matrix.
inline Eigen::SparseMatrix<double> read_mat_sparse(const std::filesystem::path& path, const std::string& name = "") {
    for (const auto& v : read_mat(path)) {
        if (!v.sparse || (!name.empty() && v.name != name)) continue;
        if (v.complex) throw io_error("'" + path.string() + "': sparse matrix '" + v.name + "' is complex");
        const std::string where = "'" + path.string() + "': sparse matrix '" + v.name + "'";
        constexpr std::int64_t largest = std::numeric_limits<int>::max();  // Eigen's sparse indices
        const std::size_t nnz = v.real.size();
        if (v.dims[0] > largest || v.dims[1] > largest || nnz > static_cast<std::size_t>(largest))
            throw io_error(where + " is too large for 32-bit sparse indices");
        const auto rows = static_cast<int>(v.dims[0]), cols = static_cast<int>(v.dims[1]);
        // Already compressed by column: copied into Eigen's arrays (memory ~ columns + entries,
        // whatever `rows` says), the rows of each column sorted as the compressed format requires.
        Eigen::SparseMatrix<double> m(rows, cols);
        m.resizeNonZeros(static_cast<Eigen::Index>(nnz));
        int* outer = m.outerIndexPtr();
        int* inner = m.innerIndexPtr();
        double* values = m.valuePtr();
        outer[0] = 0;
        std::vector<std::pair<int, double>> column;
        for (std::size_t c = 0; c < static_cast<std::size_t>(cols); ++c) {
            column.clear();
            for (auto k = v.col_ptr[c]; k < v.col_ptr[c + 1]; ++k) {
                const auto r = v.row_index[static_cast<std::size_t>(k)];
                if (r < 0 || r >= rows) throw io_error(where + " has a row index out of range");
                column.emplace_back(static_cast<int>(r), v.real[static_cast<std::size_t>(k)]);
            }
            std::sort(column.begin(), column.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
            const auto at = static_cast<std::size_t>(v.col_ptr[c]);
            for (std::size_t j = 0; j < column.size(); ++j) {
                if (j > 0 && column[j].first == column[j - 1].first) throw io_error(where + " repeats a row in a column");
                inner[at + j] = column[j].first;
                values[at + j] = column[j].second;
            }
            outer[c + 1] = static_cast<int>(v.col_ptr[c + 1]);
        }
        return m;
    }
    throw io_error("'" + path.string() + "' holds no sparse matrix" + (name.empty() ? std::string() : " called '" + name + "'"));
}

}  // namespace brainweave::io

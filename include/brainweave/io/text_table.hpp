#pragma once
// Whitespace-separated text tables, as TVB stores connectome files.
#include <brainweave/core/error.hpp>
#include <brainweave/core/parse.hpp>

#include <sstream>
#include <string>
#include <vector>

namespace brainweave::io {

/// One line of tokens per non-empty, non-comment ('#') line.
inline std::vector<std::vector<std::string>> split_table(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') continue;
        std::istringstream ls(line);
        std::vector<std::string> row;
        for (std::string tok; ls >> tok;) row.push_back(tok);
        rows.push_back(std::move(row));
    }
    return rows;
}

/// Parses a finite or non-finite double (core/parse.hpp's to_number); returns false if `tok` is not
/// a number.
inline bool parse_double(const std::string& tok, double& out) {
    const auto v = to_number<double>(tok);
    if (v) out = *v;
    return v.has_value();
}

/// A numeric matrix (rows x cols, row-major); every row must have the same length.
struct numeric_table {
    std::size_t rows = 0, cols = 0;
    std::vector<double> values;
    double operator()(std::size_t r, std::size_t c) const { return values[r * cols + c]; }
};

inline numeric_table parse_numeric_table(const std::string& text, const std::string& what) {
    numeric_table t;
    auto rows = split_table(text);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (r == 0) t.cols = rows[r].size();
        if (rows[r].size() != t.cols)
            throw io_error(what + ": row " + std::to_string(r + 1) + " has " + std::to_string(rows[r].size()) +
                           " values, expected " + std::to_string(t.cols) + " like the first row");
        for (std::size_t c = 0; c < rows[r].size(); ++c) {
            double v;
            if (!parse_double(rows[r][c], v))
                throw io_error(what + ": row " + std::to_string(r + 1) + ", column " + std::to_string(c + 1) + ": '" +
                               rows[r][c] + "' is not a number");
            t.values.push_back(v);
        }
    }
    t.rows = rows.size();
    return t;
}

}  // namespace brainweave::io

#pragma once
// NeuroML2 quantities ("-70mV", "0.1 ms", "5Hz"): writing a number so that it reads back exactly
// and matches the schema's patterns (no '+' in exponents), and reading one into SI units.
#include <brainweave/core/error.hpp>

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <system_error>

namespace brainweave::io::neuroml {

/// The shortest decimal form of v that reads back as v, in the schema's lexical form.
inline std::string number(double v) {
    if (!std::isfinite(v)) throw config_error("NeuroML export: a value is not finite (" + std::to_string(v) + ")");
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    std::string s(buf, r.ptr);
    if (const auto e = s.find("e+"); e != std::string::npos) s.erase(e + 1, 1);
    return s;
}

/// v followed by a unit symbol, e.g. quantity(-70, "mV") == "-70mV".
inline std::string quantity(double v, std::string_view unit) { return number(v) + std::string(unit); }

/// x * 10^k in one correctly rounded operation (a multiplication or a division by an exact power
/// of ten), so that converting a value and converting it back returns it whenever possible.
inline double scale10(double x, int k) {
    static constexpr double p[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (k > 22 || k < -22) return x * std::pow(10.0, k);
    return k >= 0 ? x * p[k] : x / p[-k];
}

/// The decimal exponent of a NeuroML2 unit symbol relative to its SI unit (ms -> -3), or false.
inline bool unit_exponent(std::string_view u, int& exponent) {
    struct entry {
        std::string_view symbol;
        int exponent;
    };
    static constexpr entry table[] = {
        {"s", 0},   {"ms", -3},  {"us", -6},  {"V", 0},   {"mV", -3},  {"A", 0},      {"mA", -3},    {"uA", -6},
        {"nA", -9}, {"pA", -12}, {"F", 0},    {"uF", -6}, {"nF", -9},  {"pF", -12},   {"S", 0},      {"mS", -3},
        {"uS", -6}, {"nS", -9},  {"pS", -12}, {"Hz", 0},  {"per_s", 0}, {"per_ms", 3}, {"ohm", 0},    {"kohm", 3},
        {"Mohm", 6}, {"Gohm", 9}, {"m", 0},   {"cm", -2}, {"mm", -3},  {"um", -6},    {"S_per_V", 0},
        {"nS_per_mV", -6}, {"", 0},
    };
    for (const auto& e : table)
        if (e.symbol == u) {
            exponent = e.exponent;
            return true;
        }
    return false;
}

/// The value of a quantity such as "-70mV" or "2 ms" in units of 10^target_exponent of its SI
/// unit (target_exponent -3 and "2 s" give 2000). `where` names the file and attribute in errors.
inline double value_in(std::string_view text, int target_exponent, const std::string& where) {
    std::size_t b = 0;
    while (b < text.size() && text[b] == ' ') ++b;
    double v = 0;
    const auto r = std::from_chars(text.data() + b, text.data() + text.size(), v);
    if (r.ec != std::errc{} || !std::isfinite(v))
        throw io_error(where + ": '" + std::string(text) + "' is not a number with a unit");
    std::string_view unit(r.ptr, static_cast<std::size_t>(text.data() + text.size() - r.ptr));
    while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    while (!unit.empty() && unit.back() == ' ') unit.remove_suffix(1);
    int e = 0;
    if (!unit_exponent(unit, e)) throw io_error(where + ": unknown unit '" + std::string(unit) + "' in '" + std::string(text) + "'");
    return scale10(v, e - target_exponent);
}

/// The SI value of a quantity.
inline double si_value(std::string_view text, const std::string& where) { return value_in(text, 0, where); }

/// A plain number attribute (xs:float in the schema).
inline double plain_value(std::string_view text, const std::string& where) {
    double v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || !std::isfinite(v))
        throw io_error(where + ": '" + std::string(text) + "' is not a finite number");
    return v;
}

}  // namespace brainweave::io::neuroml

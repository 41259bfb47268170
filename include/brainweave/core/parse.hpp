#pragma once
// Numbers from text (file fields, XML attributes, expressions): all of the text must be the number
// and it must fit the type; anything else is an io_error naming where the text came from. The
// loaders use these instead of std::stod/std::stoul, whose std::invalid_argument and
// std::out_of_range name neither the file nor the field.
#include <brainweave/core/error.hpp>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace brainweave {

/// `text` (surrounding blanks allowed) as a T, or nullopt if it is not one. Floating types read
/// what strtod reads (including inf and nan) but not values that overflow; integer types read an
/// optionally signed decimal integer within T's range.
template <class T>
std::optional<T> to_number(std::string_view text) {
    static_assert(std::is_arithmetic_v<T>);
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
    if (text.empty()) return std::nullopt;
    if constexpr (std::is_floating_point_v<T>) {
        const std::string s(text);
        char* end = nullptr;
        errno = 0;
        const double v = std::strtod(s.c_str(), &end);
        if (end != s.c_str() + s.size() || (errno == ERANGE && std::isinf(v))) return std::nullopt;
        if (std::isfinite(v) && std::abs(v) > static_cast<double>(std::numeric_limits<T>::max())) return std::nullopt;
        return static_cast<T>(v);
    } else {
        if (text.front() == '+') text.remove_prefix(1);
        T v{};
        const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
        if (r.ec != std::errc{} || r.ptr != text.data() + text.size()) return std::nullopt;
        return v;
    }
}

/// `text` as a T, or io_error "<where>: '<text>' is not a number (...)".
template <class T>
T parse_number(std::string_view text, const std::string& where) {
    if (auto v = to_number<T>(text)) return *v;
    std::string expected = "a number";
    if constexpr (std::is_integral_v<T>)
        expected = "a whole number from " + std::to_string(std::numeric_limits<T>::min()) + " to " +
                   std::to_string(std::numeric_limits<T>::max());
    throw io_error(where + ": '" + std::string(text.substr(0, 40)) + (text.size() > 40 ? "..." : "") + "' is not " + expected);
}

/// The nesting depth of a recursive-descent parser, one level per guard alive. Parsers compare
/// `depth` with a limit and fail with their own context, so that a pathological input is an
/// error and not a stack overflow.
struct nesting_guard {
    explicit nesting_guard(std::size_t& counter) noexcept : depth(++counter), counter_(counter) {}
    ~nesting_guard() { --counter_; }
    nesting_guard(const nesting_guard&) = delete;
    nesting_guard& operator=(const nesting_guard&) = delete;
    const std::size_t depth;

private:
    std::size_t& counter_;
};

}  // namespace brainweave

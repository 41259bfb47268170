#pragma once
// Reflection of parameter structs: list, read and set parameters by name.
//
// A parameter struct is an aggregate adapted with BOOST_HANA_ADAPT_STRUCT (or defined with
// BOOST_HANA_DEFINE_STRUCT) whose members are `double`, `bool` or `std::array<double, N>`.
// Models, couplings and noises all describe their parameters this way, so that a JSON file, a
// parameter sweep or an exporter can address them by the names TVB uses.
#include <brainweave/core/error.hpp>

#include <boost/hana/accessors.hpp>
#include <boost/hana/first.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/string.hpp>
#include <boost/hana/concept/struct.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace brainweave {

namespace detail {
template <class T>
struct is_std_array : std::false_type {};
template <class T, std::size_t N>
struct is_std_array<std::array<T, N>> : std::true_type {};
}  // namespace detail

/// True for the types that reflection can address (adapted Hana structs).
template <class P>
concept reflectable = boost::hana::Struct<P>::value;

/// Calls f(name, member) for each member of a reflectable parameter struct, in declaration order.
template <reflectable P, class F>
void for_each_parameter(P& p, F&& f) {
    boost::hana::for_each(boost::hana::accessors<std::remove_const_t<P>>(), [&](auto pair) {
        const char* name = boost::hana::to<const char*>(boost::hana::first(pair));
        f(std::string_view{name}, boost::hana::second(pair)(p));
    });
}

/// The names of the parameters of P, in declaration order.
template <reflectable P>
std::vector<std::string> parameter_names() {
    std::vector<std::string> names;
    P p{};
    for_each_parameter(p, [&](std::string_view name, auto&) { names.emplace_back(name); });
    return names;
}

/// Number of values a member holds (1 for scalars, N for std::array<double, N>).
template <class M>
constexpr std::size_t parameter_extent() {
    if constexpr (detail::is_std_array<M>::value)
        return std::tuple_size_v<M>;
    else
        return 1;
}

/// True if P has a parameter called `name`.
template <reflectable P>
bool has_parameter(std::string_view name) {
    bool found = false;
    P p{};
    for_each_parameter(p, [&](std::string_view n, auto&) { found = found || n == name; });
    return found;
}

/// The values of parameter `name` of p, as doubles (bools as 0/1).
template <reflectable P>
std::vector<double> get_parameter(const P& p, std::string_view name, std::string_view owner = "") {
    std::vector<double> out;
    bool found = false;
    for_each_parameter(p, [&](std::string_view n, const auto& member) {
        if (n != name) return;
        found = true;
        using M = std::remove_cvref_t<decltype(member)>;
        if constexpr (detail::is_std_array<M>::value)
            out.assign(member.begin(), member.end());
        else
            out.push_back(static_cast<double>(member));
    });
    if (!found)
        throw config_error(std::string(owner.empty() ? "parameters" : owner) + " has no parameter '" +
                           std::string(name) + "'");
    return out;
}

namespace detail {
template <class M>
void assign_member(M& member, std::span<const double> values, std::string_view owner, std::string_view name) {
    auto where = [&] { return std::string(owner) + " parameter '" + std::string(name) + "'"; };
    for (double v : values)
        if (!std::isfinite(v)) throw config_error(where() + " must be finite, got " + std::to_string(v));
    if constexpr (is_std_array<M>::value) {
        if (values.size() != member.size())
            throw config_error(where() + " expects " + std::to_string(member.size()) + " values, got " +
                               std::to_string(values.size()));
        for (std::size_t k = 0; k < member.size(); ++k) member[k] = values[k];
    } else {
        if (values.size() != 1)
            throw config_error(where() + " expects a single value here, got " + std::to_string(values.size()));
        if constexpr (std::is_same_v<M, bool>) {
            if (values[0] != 0.0 && values[0] != 1.0)
                throw config_error(where() + " is a flag and expects 0 or 1 (false/true), got " +
                                   std::to_string(values[0]));
            member = values[0] != 0.0;
        } else {
            member = static_cast<M>(values[0]);
        }
    }
}
}  // namespace detail

/// Sets parameter `name` of p. Scalars take one value, arrays their full length.
/// Throws config_error naming `owner` and the parameter if the name is unknown or the values do
/// not fit.
template <reflectable P>
void set_parameter(P& p, std::string_view name, std::span<const double> values, std::string_view owner = "") {
    bool found = false;
    for_each_parameter(p, [&](std::string_view n, auto& member) {
        if (n != name) return;
        found = true;
        detail::assign_member(member, values, owner.empty() ? "model" : owner, name);
    });
    if (!found) {
        std::string known;
        for (auto& k : parameter_names<P>()) known += (known.empty() ? "" : ", ") + k;
        throw config_error(std::string(owner.empty() ? "parameters" : owner) + " has no parameter '" +
                           std::string(name) + "' (known: " + known + ")");
    }
}

/// Parameters of a model that may differ from node to node, as TVB allows: every parameter is
/// either one value shared by all nodes or one value per node. Stored as one struct per node
/// only once some parameter is heterogeneous (`size() == 1` otherwise).
template <reflectable P>
class parameter_table {
public:
    parameter_table() : values_(1) {}
    explicit parameter_table(P base) : values_{base} {}

    std::size_t size() const noexcept { return values_.size(); }
    bool heterogeneous() const noexcept { return values_.size() > 1; }
    const P& operator[](std::size_t node) const noexcept { return values_[values_.size() == 1 ? 0 : node]; }
    const P& base() const noexcept { return values_.front(); }
    const std::vector<P>& all() const noexcept { return values_; }

    /// Sets `name` to one value for all nodes, to one value per node (`values.size() == n_nodes`),
    /// or, for array parameters, to the whole array.
    void set(std::string_view name, std::span<const double> values, std::size_t n_nodes,
             std::string_view owner = "model") {
        P probe = values_.front();
        std::size_t extent = 0;
        for_each_parameter(probe, [&](std::string_view n, auto& member) {
            if (n == name) extent = parameter_extent<std::remove_cvref_t<decltype(member)>>();
        });
        if (extent == 0) {  // unknown name: let set_parameter produce the message
            set_parameter(probe, name, values, owner);
            return;
        }
        if (values.size() == extent) {
            for (auto& v : values_) set_parameter(v, name, values, owner);
        } else if (extent == 1 && values.size() == n_nodes) {
            if (values_.size() == 1) values_.assign(n_nodes, values_.front());
            for (std::size_t i = 0; i < n_nodes; ++i) set_parameter(values_[i], name, values.subspan(i, 1), owner);
        } else {
            throw config_error(std::string(owner) + " parameter '" + std::string(name) + "' expects " +
                               (extent == 1 ? "1 value or one per node (" + std::to_string(n_nodes) + ")"
                                            : std::to_string(extent) + " values") +
                               ", got " + std::to_string(values.size()));
        }
    }
    void set(std::string_view name, double value, std::size_t n_nodes = 1, std::string_view owner = "model") {
        set(name, std::span<const double>(&value, 1), n_nodes, owner);
    }

    /// Checks that per-node tables match the number of nodes of a simulation.
    void check_nodes(std::size_t n_nodes, std::string_view owner = "model") const {
        if (values_.size() != 1 && values_.size() != n_nodes)
            throw config_error(std::string(owner) + " parameters are given for " + std::to_string(values_.size()) +
                               " nodes but the connectivity has " + std::to_string(n_nodes));
    }

private:
    std::vector<P> values_;
};

}  // namespace brainweave

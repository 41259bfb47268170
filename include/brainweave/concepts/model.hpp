#pragma once
// The Model concept: a neural mass (or any node-local ODE) that the region simulator integrates.
//
// | expression                         | type / meaning                                               |
// |------------------------------------|--------------------------------------------------------------|
// | M::name                            | std::string_view, TVB's class name ("Generic2dOscillator")   |
// | M::parameters                      | reflectable aggregate with TVB's defaults as initialisers    |
// | M::state_variables                 | std::array<std::string_view, n_state>                        |
// | M::cvar                            | std::array<std::size_t, n_cvar>: coupling variables          |
// | M::n_modes                         | std::size_t, modes per state variable (1 for most models)    |
// | M::state_variable_range            | std::array<interval, n_state>                                |
// | M::state_variable_boundaries       | std::array<boundary, B> (B may be 0)                         |
// | M::dfun(d, x, c, dx)               | static; x: n_state*n_modes values [var][mode], c: coupling   |
// |                                    | terms [term][mode], dx: derivatives; templated on the scalar |
// | optional M::node_data, M::derive(p)| per-node data derived from the parameters once (e.g. the     |
// |                                    | reduced-set matrices); dfun then receives node_data          |
// | optional M::vectorizable           | true: dfun is branch-free on a generic T (SIMD batches)      |
// | optional M::lcvar                  | std::array<std::size_t, K>: the state variables a surface's  |
// |                                    | local coupling acts on; dfun(d, x, c, dx, lc) then takes     |
// |                                    | lc_k = strength (L @ x[lcvar[k]]) ([term][mode]) and the     |
// |                                    | four-argument form means lc = 0 (TVB's local_coupling term)  |
#include <brainweave/core/parameters.hpp>
#include <brainweave/core/state_space.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <string_view>
#include <type_traits>

namespace brainweave {

namespace detail {
template <class M>
concept has_derived_node_data = requires(const typename M::parameters& p) {
    typename M::node_data;
    { M::derive(p) } -> std::same_as<typename M::node_data>;
};

template <class M>
struct node_data_of {
    using type = typename M::parameters;
};
template <class M>
    requires has_derived_node_data<M>
struct node_data_of<M> {
    using type = typename M::node_data;
};
}  // namespace detail

/// What dfun receives: M::node_data if the model derives one, else M::parameters.
template <class M>
using node_data_t = typename detail::node_data_of<M>::type;

/// Turns parameters into what dfun receives (identity for most models).
template <class M>
node_data_t<M> derive_node_data(const typename M::parameters& p) {
    if constexpr (detail::has_derived_node_data<M>)
        return M::derive(p);
    else
        return p;
}

template <class M>
concept Model = requires {
    { M::name } -> std::convertible_to<std::string_view>;
    typename M::parameters;
    requires reflectable<typename M::parameters>;
    { M::n_modes } -> std::convertible_to<std::size_t>;
    { M::state_variables.size() } -> std::convertible_to<std::size_t>;
    { M::cvar.size() } -> std::convertible_to<std::size_t>;
    { M::state_variable_range.size() } -> std::convertible_to<std::size_t>;
    { M::state_variable_boundaries.size() } -> std::convertible_to<std::size_t>;
    requires M::state_variable_range.size() == M::state_variables.size();
} && requires(const node_data_t<M>& d, const double* x, const double* c, double* dx) {
    M::dfun(d, x, c, dx);
};

/// A model opts into integration of several nodes per SIMD register (and into parameter-sweep
/// lanes) by declaring `static constexpr bool vectorizable = true`: its dfun is then branch-free on
/// a generic T.
template <class M>
concept vectorizable_model = requires {
    { M::vectorizable } -> std::convertible_to<bool>;
} && M::vectorizable;

/// Static facts about a model, derived once.
template <class M>
struct model_traits {
    static constexpr std::size_t n_state = M::state_variables.size();
    static constexpr std::size_t n_cvar = M::cvar.size();
    static constexpr std::size_t n_modes = M::n_modes;
    /// Values per node in the state array ([var][mode]).
    static constexpr std::size_t node_size = n_state * n_modes;
    /// State variables a stimulus drives: M::stvar if the model declares it, else its coupling
    /// variables (TVB's default).
    /// State variables the local coupling of a surface acts on (none if the model has no such term).
    static constexpr auto lcvar = [] {
        if constexpr (requires { M::lcvar; })
            return M::lcvar;
        else
            return std::array<std::size_t, 0>{};
    }();
    static constexpr std::size_t n_local = lcvar.size();
    static constexpr auto stvar = [] {
        if constexpr (requires { M::stvar; })
            return M::stvar;
        else
            return M::cvar;
    }();
};

/// Index of a state variable by name, or n_state if absent.
template <class M>
constexpr std::size_t state_variable_index(std::string_view name) {
    for (std::size_t k = 0; k < M::state_variables.size(); ++k)
        if (M::state_variables[k] == name) return k;
    return M::state_variables.size();
}

}  // namespace brainweave

/// Produces a readable diagnostic when a type is used as a model but lacks a requirement.
#define BRAINWEAVE_ASSERT_MODEL(M)                                                                      \
    static_assert(::brainweave::Model<M>,                                                               \
                  "brainweave: this type is not a Model. A model must provide: name, parameters "       \
                  "(a reflectable struct), n_modes, state_variables, cvar, state_variable_range, "      \
                  "state_variable_boundaries and a static dfun(params, x, c, dx). See docs/concepts.md")

#pragma once
// The Coupling concept: how the delayed states of afferent nodes become a node's input.
//
//   c_i = post( sum_j w_ij pre(x_i, x_j(t - d_ij)), x_i )
//
// evaluated once per step and per mode (TVB's convention). A coupling type is an aggregate of its
// parameters, adapted for reflection, and provides:
//
// | expression                      | meaning                                                        |
// |---------------------------------|----------------------------------------------------------------|
// | C::name                         | std::string_view, TVB's class name ("Linear")                  |
// | C::n_pre(n_cvar)                | static constexpr: values produced by pre per afferent          |
// | C::n_out(n_cvar)                | static constexpr: coupling terms handed to the model           |
// | c.template pre<NC>(xi, xj, out) | xi: current state of the target's NC coupling variables,       |
// |                                 | xj: delayed state of the source; writes n_pre(NC) values       |
// | c.template post<NC>(gx, xi, out)| gx: the weighted sums; writes n_out(NC) values                 |
// | optional C::valid_for(n_cvar)   | false if the coupling cannot serve a model with n_cvar coupling|
// |                                 | variables; C::requirement then says what it needs               |
// | optional C::vectorizable        | true: pre/post work on SIMD batches                             |
// | optional C::reads_target        | true: pre or post reads xi (the target's own state), so the     |
// |                                 | coupling cannot be computed ahead of the target's integration   |
#include <brainweave/core/parameters.hpp>
#include <brainweave/core/rebind.hpp>

#include <concepts>
#include <cstddef>
#include <string_view>

namespace brainweave {

/// A coupling's parameters are reflectable, directly or (for a coupling rebound to a SIMD value
/// type, e.g. basic_linear<batch>) through its double form.
template <class C>
concept reflectable_coupling = reflectable<C> || reflectable<simd::rebind_t<C, double>>;

template <class C, std::size_t NC = 1>
concept Coupling = reflectable_coupling<C> && requires(const C& c, const double* x, double* out) {
    { C::name } -> std::convertible_to<std::string_view>;
    { C::n_pre(NC) } -> std::convertible_to<std::size_t>;
    { C::n_out(NC) } -> std::convertible_to<std::size_t>;
    c.template pre<NC>(x, x, out);
    c.template post<NC>(x, x, out);
};

/// A coupling opts into SIMD values (batches of nodes or of parameter sets) by declaring
/// `static constexpr bool vectorizable = true` (its pre/post then work on a generic T).
template <class C>
concept vectorizable_coupling = requires {
    { C::vectorizable } -> std::convertible_to<bool>;
} && C::vectorizable;

/// True unless the coupling declares that it cannot serve NC coupling variables.
/// True if the coupling declares that pre or post reads the target's own state xi.
template <class C>
constexpr bool coupling_reads_target() {
    if constexpr (requires { C::reads_target; })
        return C::reads_target;
    else
        return false;
}

template <class C, std::size_t NC>
constexpr bool coupling_valid_for() {
    if constexpr (requires { C::valid_for(NC); })
        return C::valid_for(NC);
    else
        return true;
}

}  // namespace brainweave

#define BRAINWEAVE_ASSERT_COUPLING(C, NC)                                                               \
    static_assert(::brainweave::Coupling<C, NC>,                                                        \
                  "brainweave: this type is not a Coupling. A coupling must be a reflectable aggregate " \
                  "with name, n_pre(n_cvar), n_out(n_cvar), pre<NC>(xi, xj, out) and "                  \
                  "post<NC>(gx, xi, out). See docs/concepts.md")

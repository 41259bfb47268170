#pragma once
// What the region and surface simulators do alike: ready their policies before a run (tell the
// coupling how many nodes it sums over, check the noise against the model, describe the simulation
// to the monitors), check and convert initial histories given in TVB's layout, draw TVB's random
// initial states, and turn a duration into steps.
#include <brainweave/concepts/model.hpp>
#include <brainweave/core/error.hpp>
#include <brainweave/core/serialize.hpp>
#include <brainweave/core/simd.hpp>
#include <brainweave/monitors/output.hpp>
#include <brainweave/simulator/delayed_coupling.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <tuple>

namespace brainweave::detail {

/// Coupling (or variant of couplings) and integrator (or variant) made ready for `n_nodes` nodes
/// of the coupling's network and a model of `n_state` state variables.
template <class Coupling, class Integrator>
void prepare_policies(Coupling& coupling, Integrator& integrator, std::size_t n_nodes, std::size_t n_state) {
    visit_policy(coupling, [&](auto& c) {
        if constexpr (requires { c.n_nodes; }) c.n_nodes = static_cast<double>(n_nodes);
    });
    visit_policy(integrator, [&](auto& i) {
        if constexpr (decltype(i.noise)::enabled) i.noise.check(n_state, i.name);
    });
}

/// The monitor context of model M on n_nodes nodes (regions or vertices).
template <class M>
monitor_context model_monitor_context(double dt, std::size_t n_nodes, std::size_t n_coupling) {
    monitor_context ctx;
    ctx.dt = dt;
    ctx.n_nodes = n_nodes;
    ctx.n_state = model_traits<M>::n_state;
    ctx.n_modes = model_traits<M>::n_modes;
    ctx.n_coupling = n_coupling;
    for (auto s : M::state_variables) ctx.state_variables.emplace_back(s);
    return ctx;
}

/// rint(duration / dt) steps; the duration must be a finite number of ms >= 0.
inline std::int64_t steps_of(double duration, double dt) {
    if (!(duration >= 0.0) || !std::isfinite(duration))
        throw config_error("run: duration must be >= 0 ms, got " + std::to_string(duration));
    return static_cast<std::int64_t>(std::nearbyint(duration / dt));
}

/// Checks an initial history of n_time steps of (n_state, n_space, n_modes) values: its size, that
/// it covers the longest delay (horizon steps) and that it is finite. `space` names the nodes in
/// messages ("" for a region simulation's nodes, "vertices", "regions").
inline void check_history(std::span<const double> h, std::size_t n_time, std::size_t n_state, std::size_t n_space,
                          std::size_t n_modes, std::size_t horizon, const std::string& what, const std::string& space = "") {
    const std::size_t per_step = n_state * n_space * n_modes;
    if (h.size() != n_time * per_step)
        throw config_error(what + ": expected shape (" + std::to_string(n_time) + ", " + std::to_string(n_state) + ", " +
                           std::to_string(n_space) + (space.empty() ? "" : " " + space) + ", " + std::to_string(n_modes) +
                           ") = " + std::to_string(n_time * per_step) + " values, got " + std::to_string(h.size()));
    if (n_time < horizon)
        throw config_error(what + ": " + std::to_string(n_time) + " steps given but the longest delay needs " +
                           std::to_string(horizon));
    for (double v : h)
        if (!std::isfinite(v)) throw config_error(what + " contains NaN or Inf");
}

/// One step of a state from TVB's [var][node][mode] to the simulators' [var][mode][node], in the
/// simulation's value type V.
template <class V>
void from_tvb_layout(const double* src, std::size_t n_state, std::size_t n, std::size_t n_modes, V* dst) {
    for (std::size_t v = 0; v < n_state; ++v)
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t m = 0; m < n_modes; ++m)
                dst[(v * n_modes + m) * n + i] = V(static_cast<simd::scalar_t<V>>(src[(v * n + i) * n_modes + m]));
}

/// One step of TVB's random initial history for model M on n nodes, in TVB's layout: every value
/// uniform in its variable's state_variable_range, drawn in that order.
template <class M, class Rng>
void draw_random_state(Rng& rng, std::size_t n, double* out) {
    std::size_t k = 0;
    for (std::size_t v = 0; v < model_traits<M>::n_state; ++v)
        for (std::size_t i = 0; i < n * model_traits<M>::n_modes; ++i) {
            const auto r = M::state_variable_range[v];
            out[k++] = std::uniform_real_distribution<double>(r.lo, r.hi)(rng);
        }
}

/// The checkpoint records the region and surface simulators share (core/serialize.hpp): what
/// must match (model, size, value type, dt, connectome), the step, the state ([var][mode][space],
/// n_space per row) and the delay history. Noise needs nothing: its draws are a function of
/// (seed, step, node).
template <class Model, class Archive, class State, class Net>
void serialize_run(Archive& ar, std::string_view space, std::size_t n_space, std::size_t lanes, double dt,
                   std::int64_t& step, std::int64_t& first_step, State& state, Net& net) {
    using value = typename State::value_type;
    const auto& csr = net.sparse();
    ar.same("model", std::string(Model::name));
    ar.same(space, n_space);
    ar.same("lanes", lanes);
    ar.same("bytes per value", sizeof(simd::scalar_t<value>));
    ar.same("dt", dt);
    ar.same("connections", csr.nnz());
    ar.same("sum of delays (steps)", std::accumulate(csr.delay.begin(), csr.delay.end(), std::uint64_t{0}));
    ar("step", step);
    ar("first step", first_step);
    ar.sized("state", state, n_space * model_traits<Model>::node_size);
    ar("delays", net);
}

/// Every monitor of a tuple, as "<prefix>monitor <k>".
template <class Archive, class... Ms>
void serialize_monitors(Archive& ar, std::tuple<Ms...>& monitors, const std::string& prefix = "") {
    std::apply([&](auto&... m) {
        std::size_t k = 0;
        (ar(prefix + "monitor " + std::to_string(k++), m), ...);
    }, monitors);
}

}  // namespace brainweave::detail

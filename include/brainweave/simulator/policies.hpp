#pragma once
// What the region and surface simulators do alike with their policies before a run: tell the
// coupling how many nodes it sums over (couplings that normalise by it, e.g. Kuramoto), check the
// noise against the model, and describe the simulation to the monitors.
#include <brainweave/concepts/model.hpp>
#include <brainweave/monitors/output.hpp>
#include <brainweave/simulator/delayed_coupling.hpp>

#include <cstddef>

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

}  // namespace brainweave::detail

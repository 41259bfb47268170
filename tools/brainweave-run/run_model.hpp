#pragma once
// Runs a description with a given model type; couplings, integrators and monitors are chosen
// from run-time names through std::variant policies (one visit per step).
#include "description.hpp"

#include <chrono>

namespace brainweave::runner {

using coupling_variant =
    std::variant<coupling::linear, coupling::scaling, coupling::difference, coupling::sigmoidal,
                 coupling::hyperbolic_tangent, coupling::sigmoidal_jansen_rit, coupling::kuramoto,
                 coupling::pre_sigmoidal, coupling::pre_sigmoidal_static>;

using additive_noise = noise::additive<noise::any_normal>;
using multiplicative_noise = noise::multiplicative<noise::any_normal>;
using integrator_variant =
    std::variant<integrators::euler<>, integrators::heun<>, integrators::rk4<>, integrators::euler<additive_noise>,
                 integrators::heun<additive_noise>, integrators::euler<multiplicative_noise>,
                 integrators::heun<multiplicative_noise>>;

/// Matches TVB's names and brainweave's snake_case names, case-insensitively.
inline bool name_matches(std::string_view given, std::string_view tvb_name, std::string_view snake = "") {
    auto norm = [](std::string_view s) {
        std::string o;
        for (char ch : s)
            if (ch != '_' && ch != '-' && ch != ' ') o += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return o;
    };
    return norm(given) == norm(tvb_name) || (!snake.empty() && norm(given) == norm(snake));
}

template <class P>
void apply_parameters(P& target, const named_parameters& np, std::string_view owner) {
    for (const auto& [name, values] : np.values) set_parameter(target, name, values, owner);
}

coupling_variant make_coupling(const named_parameters& np);
integrator_variant make_integrator(const description& d, std::size_t n_state, std::size_t n_nodes,
                                   std::size_t n_modes, std::int64_t first_step);
monitors::any_region_monitor make_monitors(const description& d);

/// Runs the simulator and collects the runtime list of monitors' outputs.
/// With d.checkpoint: restores a checkpoint first, runs in pieces of `every` ms with a checkpoint
/// after each, and stops early after `stop_after` ms with a checkpoint (r.complete = false).
template <class Sim>
result run_and_collect(Sim& sim, const description& d) {
    result r;
    const std::int64_t start = sim.current_step();
    r.first_step = start + 1;
    r.end_step = start + d.steps;
    const checkpoint_spec& cp = d.checkpoint;
    if (!cp.resume.empty()) {
        sim.load_checkpoint(cp.resume);
        if (sim.current_step() < start || sim.current_step() > r.end_step)
            throw config_error(cp.resume.string() + ": the checkpoint is at step " + std::to_string(sim.current_step()) +
                               ", outside this run (steps " + std::to_string(start) + " to " + std::to_string(r.end_step) + ")");
    }
    const std::int64_t every = cp.every > 0.0 ? detail::steps_of(cp.every, sim.dt()) : 0;
    const std::int64_t stop = cp.stop_after > 0.0
                                  ? std::min(r.end_step, sim.current_step() + detail::steps_of(cp.stop_after, sim.dt()))
                                  : r.end_step;
    const auto t0 = std::chrono::steady_clock::now();
    while (sim.current_step() < stop) {
        sim.run_steps(every ? std::min(every, stop - sim.current_step()) : stop - sim.current_step());
        if (sim.current_step() < r.end_step && (every || sim.current_step() == stop)) sim.save_checkpoint(cp.file);
    }
    r.step = sim.current_step();
    r.complete = r.step == r.end_step;
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto& list = sim.template monitor<0>();
    for (std::size_t k = 0; k < d.monitors.size(); ++k) r.outputs.emplace_back(d.monitors[k].file_prefix, list.at(k));
    return r;
}

/// A surface simulation (models with a local-coupling term, see model_traits::lcvar).
template <class M>
result run_surface(const description& d) {
    const surface_spec& s = *d.surface;
    if constexpr (model_traits<M>::n_local == 0) {
        throw config_error("surface simulation: model " + std::string(M::name) +
                           " has no local-coupling term; the runner's surface simulations support "
                           "Generic2dOscillator, ReducedWongWang and WilsonCowan");
    } else {
        using sim_t = surface_simulator<M, coupling_variant, integrator_variant, monitors::any_region_monitor>;
        constexpr std::size_t ns = model_traits<M>::n_state, nm = model_traits<M>::n_modes;
        const std::size_t nv = s.region_mapping.size();
        const std::int64_t first = d.initial_history ? static_cast<std::int64_t>(d.initial_history->shape.at(0))
                                   : s.region_history ? static_cast<std::int64_t>(s.region_history->shape.at(0))
                                                      : 0;
        sim_t sim(M{}, make_coupling(d.coupling), make_integrator(d, ns, nv, nm, first), d.weights, d.delays,
                  s.region_mapping, make_monitors(d));
        for (const auto& [name, values] : d.model.values) sim.parameters().set(name, values, nv, std::string(M::name));
        if (s.local_connectivity) sim.set_local_coupling(*s.local_connectivity, s.local_coupling_strength);
        sim.set_threads(d.threads);
        if (d.initial_history) {
            sim.set_history(d.initial_history->data, d.initial_history->shape.at(0));
        } else if (s.region_history) {
            if (!s.state) throw config_error("surface simulation: a region history needs the current vertex state");
            sim.set_region_history(s.region_history->data, s.region_history->shape.at(0), s.state->data);
        } else {
            sim.set_random_history(d.seed);
        }
        return run_and_collect(sim, d);
    }
}

template <class M>
result run_model(const description& d) {
    if (d.surface) return run_surface<M>(d);
    using sim_t = simulator<M, coupling_variant, integrator_variant, monitors::any_region_monitor>;
    constexpr std::size_t ns = model_traits<M>::n_state, nm = model_traits<M>::n_modes;
    const std::size_t n = static_cast<std::size_t>(d.weights.rows());
    // Replayed noise draws start at the first step produced from the given history (TVB's cases);
    // generated draws do not depend on it.
    const std::int64_t first = d.initial_history ? static_cast<std::int64_t>(d.initial_history->shape.at(0)) : 0;
    sim_t sim(M{}, make_coupling(d.coupling), make_integrator(d, ns, n, nm, first), d.weights, d.delays,
              make_monitors(d));
    sim.set_region_flags(d.hemispheres, d.cortical);
    for (const auto& [name, values] : d.model.values) sim.parameters().set(name, values, n, std::string(M::name));
    if (d.initial_history) {
        const auto& h = *d.initial_history;
        if (h.shape.size() != 4 || h.shape[1] != ns || h.shape[2] != n || h.shape[3] != nm)
            throw config_error("initial history must have shape (time, " + std::to_string(ns) + ", " + std::to_string(n) +
                               ", " + std::to_string(nm) + ") for " + std::string(M::name));
        sim.set_history(h.data, h.shape[0]);
    } else {
        sim.set_random_history(d.seed);
    }
    return run_and_collect(sim, d);
}

}  // namespace brainweave::runner

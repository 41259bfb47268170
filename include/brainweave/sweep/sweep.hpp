#pragma once
// Parameter sweeps: many parameter sets of one simulator type, in SIMD lanes and on threads.
//
//   bw::sweep::problem<Model, Coupling, Integrator, Monitors...> pb{...};   // what the sets share
//   auto sets = bw::sweep::grid({{"coupling.a", bw::sweep::linspace(0.0, 0.03, 8)},
//                               {"speed", {1.0, 2.0, 4.0, 8.0}}});
//   auto res = bw::sweep::run(pb, sets, bw::sweep::global_variance{});   // one value per set
//
// A parameter set assigns values by name: "model.<parameter>", "coupling.<parameter>" or "speed"
// (conduction speed, mm/ms; it changes the delays). Everything else comes from the problem.
//
// Execution:
//   - Sets with the same speed share their delays; they are packed into batches of L lanes
//     (L = simd::lanes_v<simd::native_double>, 8 with AVX-512), one simulation per batch, when the
//     model and coupling are vectorizable and every varied parameter can differ per lane (the
//     parameter struct or coupling is a template over its scalar, simd::rebindable). Otherwise each
//     set runs alone (L = 1). options::simd = false forces L = 1.
//   - Batches run on options::threads threads (0: all hardware threads), taken from a shared
//     counter. A batch's work does not depend on which thread runs it, so the results are bitwise
//     independent of the number of threads.
//   - Each lane equals the scalar run of its set to round-off: exactly for models written with + - * /
//     only; to a few ulp per step where SIMD math functions (exp, tanh, sin) replace the C library's.
//     Noise: every lane draws the same numbers (the problem's seed), as the scalar run would.
//   - The summary is called once per set, on the thread that ran it, with a view of the set's monitor
//     outputs; its results are returned in the order of the sets.
//   - Over MPI ranks: sweep::run_mpi (sweep/mpi.hpp) deals the same batches to the ranks, with the
//     same results.
#include <brainweave/connectivity/connectivity.hpp>
#include <brainweave/core/error.hpp>
#include <brainweave/core/parameters.hpp>
#include <brainweave/core/simd.hpp>
#include <brainweave/simulator/simulator.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace brainweave::sweep {

/// One named value: "model.<parameter>", "coupling.<parameter>" or "speed".
struct assignment {
    std::string name;
    double value = 0.0;
};
using parameter_set = std::vector<assignment>;

/// One axis of a grid: a parameter name and its values.
struct axis {
    std::string name;
    std::vector<double> values;
};

/// n values from first to last inclusive, evenly spaced.
inline std::vector<double> linspace(double first, double last, std::size_t n) {
    std::vector<double> v(n);
    for (std::size_t k = 0; k < n; ++k)
        v[k] = n == 1 ? first : first + (last - first) * static_cast<double>(k) / static_cast<double>(n - 1);
    return v;
}

/// The Cartesian product of the axes; the last axis varies fastest.
inline std::vector<parameter_set> grid(const std::vector<axis>& axes) {
    if (axes.empty()) throw config_error("sweep grid: give at least one axis");
    std::size_t total = 1;
    for (const auto& a : axes) {
        if (a.values.empty()) throw config_error("sweep grid: axis '" + a.name + "' has no values");
        total *= a.values.size();
    }
    std::vector<parameter_set> sets(total);
    for (std::size_t s = 0; s < total; ++s) {
        std::size_t rest = s;
        sets[s].resize(axes.size());
        for (std::size_t k = axes.size(); k-- > 0;) {
            sets[s][k] = {axes[k].name, axes[k].values[rest % axes[k].values.size()]};
            rest /= axes[k].values.size();
        }
    }
    return sets;
}

struct options {
    std::size_t threads = 0;  ///< 0: std::thread::hardware_concurrency()
    bool simd = true;         ///< run sets in SIMD lanes where possible
};

/// The monitor outputs of one parameter set, handed to the summary.
struct set_view {
    std::size_t index = 0;             ///< position of the set in the list given to run()
    const parameter_set* set = nullptr;
    std::vector<const monitor_output*> outputs;  ///< one per monitor, in the simulator's order
    const monitor_output& output(std::size_t k = 0) const { return *outputs.at(k); }
};

/// Summary that keeps every monitor's whole output.
struct keep_outputs {
    std::vector<monitor_output> operator()(const set_view& v) const {
        std::vector<monitor_output> out;
        for (const auto* o : v.outputs) out.push_back(*o);
        return out;
    }
};

namespace detail {
/// Temporal variance of every (var, node, mode) series of monitor `monitor`'s output, from `start` ms
/// after its first sample on (TVB's start_point counts from the start of the time series).
inline std::vector<double> series_variances(const set_view& v, std::size_t monitor, double start) {
    const monitor_output& o = v.output(monitor);
    const std::size_t n = o.sample_size();
    std::size_t t0 = 0;
    while (t0 < o.n_samples() && o.time[t0] - o.time[0] < start - 1e-9) ++t0;
    const std::size_t nt = o.n_samples() - t0;
    if (nt == 0) throw config_error("sweep summary: no samples after the start point (" + std::to_string(start) + " ms)");
    std::vector<double> mean(n, 0.0), var(n, 0.0);
    for (std::size_t t = t0; t < o.n_samples(); ++t)
        for (std::size_t k = 0; k < n; ++k) mean[k] += o.data[t * n + k];
    for (auto& m : mean) m /= static_cast<double>(nt);
    for (std::size_t t = t0; t < o.n_samples(); ++t)
        for (std::size_t k = 0; k < n; ++k) {
            const double d = o.data[t * n + k] - mean[k];
            var[k] += d * d;
        }
    for (auto& x : var) x /= static_cast<double>(nt);
    return var;
}
inline double mean_of(const std::vector<double>& x) {
    return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}
}  // namespace detail

/// TVB's GlobalVariance metric: every series zero-centred over time, then the variance of all values
/// (= the mean of the per-series variances), from `start_point` ms after the first sample on, of
/// monitor `monitor`.
struct global_variance {
    std::size_t monitor = 0;
    double start_point = 0.0;
    double operator()(const set_view& v) const { return detail::mean_of(detail::series_variances(v, monitor, start_point)); }
};

/// TVB's VarianceNodeVariance metric: the variance across series of each series' temporal variance.
struct variance_node_variance {
    std::size_t monitor = 0;
    double start_point = 0.0;
    double operator()(const set_view& v) const {
        auto var = detail::series_variances(v, monitor, start_point);
        const double m = detail::mean_of(var);
        for (auto& x : var) x = (x - m) * (x - m);
        return detail::mean_of(var);
    }
};

/// What every set shares.
template <class Model, class Coupling, class Integrator, class... Monitors>
struct problem {
    connectivity conn;                           ///< weights, tract lengths and default speed
    typename Model::parameters parameters{};     ///< model parameters (all nodes)
    Coupling coupling{};
    Integrator integrator{};
    std::tuple<Monitors...> monitors{};
    double duration = 1000.0;                    ///< simulated time per set, ms
    std::vector<double> initial_state{};         ///< [var][node][mode] constant history; empty: random
    std::uint64_t seed = 42;                     ///< random history (TVB's default initial conditions)
};

template <class R>
struct results {
    std::vector<R> values;     ///< one per set, in the order given
    std::size_t lanes = 1;     ///< parameter sets per simulation
    std::size_t batches = 0;   ///< simulations run
    std::size_t threads = 1;   ///< threads used
};

namespace detail {
inline bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

struct batch {
    double speed = 0.0;
    std::vector<std::size_t> sets;
};

/// Groups sets by speed (first occurrence order) and cuts each group into batches of `lanes`.
inline std::vector<batch> make_batches(const std::vector<parameter_set>& sets, double default_speed, std::size_t lanes) {
    std::vector<batch> groups;
    for (std::size_t s = 0; s < sets.size(); ++s) {
        double speed = default_speed;
        for (const auto& a : sets[s])
            if (a.name == "speed") speed = a.value;
        auto it = std::find_if(groups.begin(), groups.end(), [&](const batch& g) { return g.speed == speed; });
        if (it == groups.end()) it = groups.insert(groups.end(), batch{speed, {}});
        it->sets.push_back(s);
    }
    std::vector<batch> out;
    for (const auto& g : groups)
        for (std::size_t k = 0; k < g.sets.size(); k += lanes)
            out.push_back({g.speed, std::vector<std::size_t>(g.sets.begin() + static_cast<std::ptrdiff_t>(k),
                                                             g.sets.begin() + static_cast<std::ptrdiff_t>(
                                                                                  std::min(k + lanes, g.sets.size())))});
    return out;
}

/// Runs f(k) for k in [0, n) on `threads` threads; rethrows the exception of the lowest k.
template <class F>
void parallel_for(std::size_t n, std::size_t threads, F&& f) {
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> errors(n);
    auto work = [&] {
        for (std::size_t k; (k = next.fetch_add(1)) < n;) {
            try {
                f(k);
            } catch (...) {
                errors[k] = std::current_exception();
            }
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}
}  // namespace detail

namespace detail {
/// What run_batches produced: the summaries of the sets of the batches it ran (empty elsewhere).
template <class R>
struct partial_results {
    results<R> info;                        ///< lanes, batches (all of them), threads; no values
    std::vector<std::optional<R>> values;   ///< one per set
};

/// Runs the batches b (of all batches of `sets`, see make_batches) for which mine(b, n_batches)
/// holds; run() runs them all, run_mpi() (sweep/mpi.hpp) those of one rank.
template <class Model, class Coupling, class Integrator, class... Monitors, class Summary, class Select>
auto run_batches(const problem<Model, Coupling, Integrator, Monitors...>& pb, const std::vector<parameter_set>& sets,
                 Summary summary, options opt, Select mine) {
    using params_t = typename Model::parameters;
    using R = std::invoke_result_t<const Summary&, const set_view&>;
    partial_results<R> out;
    results<R>& res = out.info;
    if (sets.empty()) return out;

    // Check every name once, and find out what varies.
    bool varies_model = false, varies_coupling = false;
    for (const auto& set : sets)
        for (const auto& a : set) {
            if (a.name == "speed") {
                if (!(a.value > 0.0)) throw config_error("sweep: speed must be > 0 mm/ms, got " + std::to_string(a.value));
            } else if (detail::starts_with(a.name, "model.") && has_parameter<params_t>(a.name.substr(6))) {
                varies_model = true;
            } else if (detail::starts_with(a.name, "coupling.")) {
                if constexpr (reflectable<Coupling>) {
                    if (!has_parameter<Coupling>(a.name.substr(9)))
                        throw config_error("sweep: " + std::string(Coupling::name) + " coupling has no parameter '" +
                                           a.name.substr(9) + "'");
                    varies_coupling = true;
                } else {
                    throw config_error("sweep: this coupling has no parameters to sweep ('" + a.name + "')");
                }
            } else {
                throw config_error("sweep: unknown parameter '" + a.name + "'; expected 'speed', 'coupling.<name>' or "
                                   "'model.<name>' with a parameter of " + std::string(Model::name));
            }
        }

    using lane_t = simd::native_double;
    constexpr bool can_lanes = vectorizable_model<Model> && vectorizable_coupling<Coupling>;
    constexpr bool model_lanes = !brainweave::detail::has_derived_node_data<Model> && simd::rebindable<params_t>;
    constexpr bool coupling_lanes = simd::rebindable<Coupling>;
    const bool lanes_ok = opt.simd && can_lanes && (!varies_model || model_lanes) && (!varies_coupling || coupling_lanes);
    res.lanes = lanes_ok ? simd::lanes_v<lane_t> : 1;
    const auto all_batches = detail::make_batches(sets, pb.conn.speed, res.lanes);
    res.batches = all_batches.size();
    std::vector<std::size_t> batches;
    for (std::size_t b = 0; b < all_batches.size(); ++b)
        if (mine(b, all_batches.size())) batches.push_back(b);
    const std::size_t hw = std::max<std::size_t>(1, std::thread::hardware_concurrency());
    res.threads = std::max<std::size_t>(1, std::min(opt.threads ? opt.threads : hw, batches.size()));
    std::vector<std::optional<R>>& values = out.values;
    values.resize(sets.size());

    // The parameters of one set.
    auto configure = [&](std::size_t s, params_t& p, Coupling& c) {
        p = pb.parameters;
        c = pb.coupling;
        for (const auto& a : sets[s]) {
            const std::span<const double> v(&a.value, 1);
            if (detail::starts_with(a.name, "model."))
                set_parameter(p, a.name.substr(6), v, Model::name);
            else if constexpr (reflectable<Coupling>)
                if (detail::starts_with(a.name, "coupling.")) set_parameter(c, a.name.substr(9), v, Coupling::name);
        }
    };
    auto finish = [&](auto& sim, std::size_t lane, std::size_t s) {
        set_view view;
        view.index = s;
        view.set = &sets[s];
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (view.outputs.push_back(&sim.template output<I>(lane)), ...);
        }(std::index_sequence_for<Monitors...>{});
        values[s].emplace(summary(view));
    };
    auto start = [&](auto& sim) {
        if (pb.initial_state.empty())
            sim.set_random_history(pb.seed);
        else
            sim.set_constant_history(pb.initial_state);
        sim.run(pb.duration);
    };

    detail::parallel_for(batches.size(), res.threads, [&](std::size_t b) {
        const auto& job = all_batches[batches[b]];
        const connectivity conn = pb.conn.with_speed(job.speed);
        std::vector<params_t> ps(job.sets.size());
        std::vector<Coupling> cs(job.sets.size());
        for (std::size_t l = 0; l < job.sets.size(); ++l) configure(job.sets[l], ps[l], cs[l]);
        if constexpr (can_lanes) {
            if (res.lanes > 1) {
                using lane_coupling = typename std::conditional_t<coupling_lanes, simd::rebind<Coupling, lane_t>,
                                                                  std::type_identity<Coupling>>::type;
                lane_coupling c = [&] {
                    if constexpr (coupling_lanes)
                        return simd::pack<lane_t>(std::span<const Coupling>(cs));
                    else
                        return cs[0];
                }();
                auto sim = std::apply(
                    [&](const auto&... m) {
                        return basic_simulator<lane_t, Model, lane_coupling, Integrator, Monitors...>(
                            Model{}, c, pb.integrator, conn, m...);
                    },
                    pb.monitors);
                if constexpr (model_lanes)
                    sim.set_lane_parameters(ps);
                else
                    sim.parameters() = parameter_table<params_t>(ps[0]);
                start(sim);
                for (std::size_t l = 0; l < job.sets.size(); ++l) finish(sim, l, job.sets[l]);
                return;
            }
        }
        auto sim = std::apply(
            [&](const auto&... m) { return simulator<Model, Coupling, Integrator, Monitors...>(Model{}, cs[0], pb.integrator, conn, m...); },
            pb.monitors);
        sim.parameters() = parameter_table<params_t>(ps[0]);
        start(sim);
        finish(sim, 0, job.sets[0]);
    });
    return out;
}
}  // namespace detail

/// Runs every parameter set and returns summary(view) for each, in the order of `sets`.
template <class Model, class Coupling, class Integrator, class... Monitors, class Summary>
auto run(const problem<Model, Coupling, Integrator, Monitors...>& pb, const std::vector<parameter_set>& sets,
         Summary summary, options opt = {}) {
    auto part = detail::run_batches(pb, sets, std::move(summary), opt, [](std::size_t, std::size_t) { return true; });
    auto res = std::move(part.info);
    res.values.reserve(sets.size());
    for (auto& v : part.values) res.values.push_back(std::move(*v));
    return res;
}

}  // namespace brainweave::sweep

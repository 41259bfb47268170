#pragma once
// The region simulator: a neural-mass model on every node of a connectome, coupled with delays,
// composed at compile time from a Model, a Coupling, an Integrator and any number of Monitors.
//
// One step n -> n + 1 (TVB's order):
//   1. the coupling c(n) was computed from the history (x_j(n - d_ij)) and x_i(n) at the end of
//      the previous step and is held fixed through all integrator stages;
//   2. every node is advanced by the integrator (with its noise increment, if any);
//   3. the new coupling variables are written to the delay buffer;
//   4. c(n + 1) is computed;
//   5. every monitor records step n + 1 (state and coupling).
//
// Coupling and Integrator may also be std::variant of several types, chosen at run time: the
// choice is visited once per step, outside the loops over nodes and connections.
//
// Value type (basic_simulator's first parameter; `simulator` is the double form):
//   double, float  one simulation; the state is stored in this type. Models that declare
//                  `vectorizable = true` are integrated W nodes at a time in SIMD registers when all
//                  nodes share their parameters (W = 8 doubles with AVX-512).
//   xsimd::batch   one simulation per lane (a parameter sweep): same connectome and delays, model
//                  and coupling parameters per lane (see set_lane_parameters and simd::pack);
//                  every lane has its own copy of each monitor.
// Layout: the state is [var][mode][node] (structure of arrays), coupling terms [term][mode][node];
// monitors receive both in that layout (one lane at a time, as double).
#include <brainweave/concepts/coupling.hpp>
#include <brainweave/concepts/integrator.hpp>
#include <brainweave/concepts/model.hpp>
#include <brainweave/concepts/monitor.hpp>
#include <brainweave/config.hpp>
#include <brainweave/connectivity/connectivity.hpp>
#include <brainweave/core/simd.hpp>
#include <brainweave/fwd.hpp>
#include <brainweave/simulator/delayed_coupling.hpp>
#include <brainweave/simulator/policies.hpp>
#include <brainweave/integrators/integrators.hpp>
#include <brainweave/stimuli/region_stimulus.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace brainweave {

template <class Value, class Model, class Coupling, class Integrator, class... Monitors>
class basic_simulator {
    BRAINWEAVE_ASSERT_MODEL(Model);
    static_assert((Monitor<Monitors> && ...), "brainweave: every monitor must satisfy the Monitor concept "
                                               "(name, configure, record, output); see docs/concepts.md");

public:
    using value_type = Value;
    using scalar_type = simd::scalar_t<Value>;
    static constexpr std::size_t lanes = simd::lanes_v<Value>;
    using model_type = Model;
    using traits = model_traits<Model>;
    using parameters_type = typename Model::parameters;
    /// Whether parameters are stored in the value type (per lane, or as float): they must be a
    /// template over their scalar (simd::rebindable) and not derived into other node data.
    static constexpr bool rebinds_parameters = !std::is_same_v<Value, double> &&
                                               !detail::has_derived_node_data<Model> &&
                                               simd::rebindable<parameters_type>;
    using node_data_type = typename std::conditional_t<rebinds_parameters, simd::rebind<parameters_type, Value>,
                                                       std::type_identity<node_data_t<Model>>>::type;
    static constexpr std::size_t n_state = traits::n_state;
    static constexpr std::size_t n_cvar = traits::n_cvar;
    static constexpr std::size_t n_modes = traits::n_modes;
    static constexpr std::size_t node_size = traits::node_size;
    using network_type = delayed_coupling<Value, Model, Coupling>;
    static constexpr std::size_t n_coupling = network_type::n_coupling;

    basic_simulator(Model, Coupling coupling, Integrator integrator, const connectivity& conn, Monitors... monitors)
        : coupling_(std::move(coupling)), integrator_(std::move(integrator)) {
        monitors_.fill(std::tuple<Monitors...>(std::move(monitors)...));
        check_policies();
        conn.validate();
        set_connectivity(conn.weights, conn.delays_in_steps(dt()));
        set_region_flags(conn.hemispheres, conn.cortical);
    }

    /// Builds from explicit weights and integer delays (in steps), e.g. a TVB reference case.
    template <class W, class D>
    basic_simulator(Model, Coupling coupling, Integrator integrator, const W& weights, const D& delays,
                    Monitors... monitors)
        : coupling_(std::move(coupling)), integrator_(std::move(integrator)) {
        monitors_.fill(std::tuple<Monitors...>(std::move(monitors)...));
        check_policies();
        set_connectivity(weights, delays);
    }

    // --- configuration --------------------------------------------------------------------
    std::size_t n_nodes() const noexcept { return net_.n_nodes(); }
    double dt() const {
        return detail::visit_policy(integrator_, [](const auto& i) { return static_cast<double>(i.dt); });
    }
    /// Model parameters: one value for all nodes or one per node, set by name.
    parameter_table<parameters_type>& parameters() noexcept {
        prepared_ = false;
        return params_;
    }
    const parameter_table<parameters_type>& parameters() const noexcept { return params_; }
    /// One parameter set per lane (all nodes of a lane share it); needs a value type with lanes and
    /// a model whose parameters are rebindable. Sets past the lane count are an error, fewer sets
    /// leave the remaining lanes with a copy of the first.
    void set_lane_parameters(std::vector<parameters_type> sets) {
        if constexpr (!(rebinds_parameters && lanes > 1)) {
            throw config_error(std::string("set_lane_parameters: ") + std::string(Model::name) +
                               (lanes > 1 ? "'s parameters cannot vary across lanes (they are not a template over "
                                            "their scalar type)"
                                          : " simulation has a scalar value type (one lane)"));
        } else {
            if (sets.empty() || sets.size() > lanes)
                throw config_error("set_lane_parameters: expected 1 to " + std::to_string(lanes) + " parameter sets, got " +
                                   std::to_string(sets.size()));
            lane_params_ = std::move(sets);
            prepared_ = false;
        }
    }
    /// The coupling policy; changing it takes effect from the next step computed (the coupling
    /// terms computed ahead are dropped).
    Coupling& coupling() noexcept {
        coupling_ready_ = false;
        return coupling_;
    }
    Integrator& integrator() noexcept { return integrator_; }
    const Integrator& integrator() const noexcept { return integrator_; }
    const sparse_connectivity& sparse() const noexcept { return net_.sparse(); }
    /// Drives the model's stimulus variables (model_traits::stvar) with weight[node] f(t), as TVB's
    /// StimuliRegion; see stimuli/region_stimulus.hpp for the timing.
    void set_stimulus(stimuli::region_stimulus s) {
        s.validate(n_nodes());
        stimulus_ = std::move(s);
        stim_.assign(n_nodes() * node_size, Value(0.0));
    }
    void clear_stimulus() {
        stimulus_.reset();
        stim_.clear();
    }

    /// Hemisphere (true = right) and cortical flags of the nodes, for monitors that group nodes
    /// (set from the connectivity by the connectivity constructor).
    void set_region_flags(std::vector<bool> hemispheres, std::vector<bool> cortical) {
        if ((!hemispheres.empty() && hemispheres.size() != n_nodes()) || (!cortical.empty() && cortical.size() != n_nodes()))
            throw config_error("region flags: expected one hemisphere/cortical flag per node (" + std::to_string(n_nodes()) + ")");
        hemispheres_ = std::move(hemispheres);
        cortical_ = std::move(cortical);
        configured_monitors_ = false;
    }
    /// Steps of history needed: longest delay + 1.
    std::size_t horizon() const noexcept { return net_.horizon(); }

    /// Monitor I (of lane `lane`, for a value type with lanes).
    template <std::size_t I>
    auto& monitor(std::size_t lane = 0) {
        return std::get<I>(monitors_.at(lane));
    }
    template <std::size_t I>
    const monitor_output& output(std::size_t lane = 0) const {
        return std::get<I>(monitors_.at(lane)).output();
    }

    /// Initial history in time order, shape (n_time, n_state, n_nodes, n_modes) in C order: the last
    /// entry is the current state, the one before it the previous step, and so on (TVB's
    /// `initial_conditions`). The simulation continues from step n_time - 1, so time stamps match TVB.
    void set_history(std::span<const double> history, std::size_t n_time) {
        const std::size_t per_step = n_state * n_nodes() * n_modes;
        detail::check_history(history, n_time, n_state, n_nodes(), n_modes, horizon(), "initial history");
        // Keep the given length so that slots match TVB's; each step is converted from TVB's
        // [var][node][mode] to the simulator's [var][mode][node] and its coupling variables stored.
        net_.reset(n_time);
        state_.assign(n_nodes() * node_size, Value(0.0));
        for (std::size_t t = 0; t < n_time; ++t) {
            detail::from_tvb_layout(history.data() + t * per_step, n_state, n_nodes(), n_modes, state_.data());
            net_.write(static_cast<std::int64_t>(t), state_.data());
        }  // state_ now holds the last entry: the current state
        step_ = static_cast<std::int64_t>(n_time) - 1;
        first_step_ = step_;  // stimuli count time from here
        has_history_ = true;
        coupling_ready_ = false;
    }

    /// History where every past step equals `state` ([var][node][mode], n_state*n_nodes*n_modes values).
    void set_constant_history(std::span<const double> state) {
        const std::size_t H = horizon();
        std::vector<double> h;
        h.reserve(H * state.size());
        for (std::size_t t = 0; t < H; ++t) h.insert(h.end(), state.begin(), state.end());
        set_history(h, H);
    }

    /// TVB's default: every value of the history uniform in the model's state_variable_range.
    void set_random_history(std::uint64_t seed) {
        std::mt19937_64 rng(seed);
        const std::size_t H = horizon();
        const std::size_t per_step = n_state * n_nodes() * n_modes;
        std::vector<double> h(H * per_step);
        for (std::size_t t = 0; t < H; ++t) detail::draw_random_state<Model>(rng, n_nodes(), h.data() + t * per_step);
        set_history(h, H);
    }

    // --- running --------------------------------------------------------------------------
    std::int64_t current_step() const noexcept { return step_; }
    double current_time() const { return static_cast<double>(step_) * dt(); }
    /// Current state, [var][mode][node].
    std::span<const Value> state() const noexcept { return state_; }

    /// Advances by `duration` ms (rint(duration / dt) steps).
    void run(double duration) { run_steps(detail::steps_of(duration, dt())); }

    void run_steps(std::int64_t n_steps) {
        run_steps(n_steps, [](std::int64_t, std::span<Value>) {});
    }

    /// Advances by n_steps and calls after_step(step, state) after the integration of each step,
    /// before the new state enters the history, the coupling and the monitors: the hook may
    /// overwrite state variables (a co-simulation's proxy regions, see cosim/cosimulator.hpp).
    /// `state` is [var][mode][node].
    template <class Hook>
    void run_steps(std::int64_t n_steps, Hook&& after_step) {
        prepare();
        for (auto& lane : monitors_) std::apply([&](auto&... m) { (reserve_monitor(m, n_steps), ...); }, lane);
        for (std::int64_t s = 0; s < n_steps; ++s) step_once(after_step);
    }

    /// The coupling terms that node `node` will receive at step `step` (n_coupling * n_modes
    /// values, [term][mode]), computed now from the delayed history: needs every afferent delay
    /// d of the node to satisfy step - d <= current_step(). The coupling must not read the target's
    /// own state (couplings that do declare `reads_target`), which is not known ahead.
    void coupling_ahead(std::size_t node, std::int64_t step, std::span<double> out) {
        static_assert(lanes == 1, "coupling_ahead: one simulation per value (no parameter-sweep lanes)");
        prepare();
        if (node >= n_nodes()) throw config_error("coupling_ahead: node " + std::to_string(node) + " out of range");
        if (out.size() != n_coupling * n_modes)
            throw config_error("coupling_ahead: expected room for " + std::to_string(n_coupling * n_modes) + " values");
        net_.ahead(coupling_, node, step, step_, out);
    }

    // --- checkpoints -----------------------------------------------------------------------
    /// Saves what a continued run depends on: the step, the state, the delay history and every
    /// monitor's samples and partial windows (see docs/checkpoints.md). Noise needs nothing: its
    /// draws are a function of (seed, step, node). Written to `<path>.partial`, then renamed.
    void save_checkpoint(const std::filesystem::path& path) { serial::save(path, *this, "region simulator"); }
    /// Restores a checkpoint into a simulator built the way the saving one was (model, connectome,
    /// integrator, monitors; checked, with an error naming what differs). Parameters, coupling,
    /// noise seed and stimulus come from this simulator: set them as before. On any error the
    /// simulator is left as it was.
    void load_checkpoint(const std::filesystem::path& path) { serial::restore(path, *this, "region simulator"); }

    /// The records of a checkpoint (core/serialize.hpp).
    template <class Archive>
    void serialize(Archive& ar) {
        prepare();
        detail::serialize_run<Model>(ar, "nodes", n_nodes(), lanes, dt(), step_, first_step_, state_, net_);
        for (std::size_t l = 0; l < lanes; ++l) detail::serialize_monitors(ar, monitors_[l], "lane " + std::to_string(l) + "/");
        if constexpr (Archive::loading) coupling_ready_ = false;  // c(step) is recomputed from the history
    }

private:
    void check_policies() {
        if constexpr (!detail::is_variant<Coupling>::value)
            static_assert(coupling_valid_for<Coupling, n_cvar>(),
                          "brainweave: this coupling cannot serve the model's coupling variables (see the "
                          "coupling's `requirement`)");
        const double dt = this->dt();
        if (!(dt > 0.0) || !std::isfinite(dt))
            throw config_error("integrator: dt must be > 0 ms, got " + std::to_string(dt));
    }

    template <class W, class D>
    void set_connectivity(const W& weights, const D& delays) {
        net_.set_connectivity(sparse_connectivity::from_dense(weights, delays));
        params_.check_nodes(net_.n_nodes());
    }

    void prepare() {
        if (!has_history_) set_random_history(42);
        if (!prepared_) {
            params_.check_nodes(n_nodes());
            node_data_.clear();
            if constexpr (rebinds_parameters) {
                if (!lane_params_.empty()) {
                    if (params_.all().size() > 1)
                        throw config_error("parameters: per-node values and per-lane parameter sets cannot be combined");
                    node_data_.push_back(simd::pack<Value>(std::span<const parameters_type>(lane_params_)));
                } else {
                    for (const auto& p : params_.all()) node_data_.push_back(simd::broadcast<Value>(p));
                }
            } else {
                for (const auto& p : params_.all()) node_data_.push_back(derive_node_data<Model>(p));
            }
            heterogeneous_ = node_data_.size() > 1;
            detail::prepare_policies(coupling_, integrator_, n_nodes(), n_state);
            prepared_ = true;
        }
        if (!configured_monitors_) {
            auto ctx = detail::model_monitor_context<Model>(dt(), n_nodes(), n_coupling);
            ctx.hemispheres = hemispheres_;
            ctx.cortical = cortical_;
            for (auto& lane : monitors_) std::apply([&](auto&... m) { (m.configure(ctx), ...); }, lane);
            if constexpr (!std::is_same_v<Value, double>) {
                lane_state_.assign(lanes * n_nodes() * node_size, 0.0);
                lane_coupling_.assign(lanes * n_nodes() * n_coupling * n_modes, 0.0);
            }
            configured_monitors_ = true;
        }
        if (!coupling_ready_) {
            block_steps_ = net_.block_steps(coupling_);
            coupling_values_.assign(n_nodes() * n_coupling * n_modes, Value(0.0));
            block_pos_ = 0;
            compute_coupling();
            coupling_ready_ = true;
        }
    }

    /// c(step_) for every node, from the history: one step at a time, or, for couplings that do not
    /// read the target, the far connections of block_steps_ steps at once and the near ones each
    /// step (delayed_coupling's Blocks; the same bits).
    void compute_coupling() {
        if (block_steps_ == 1) return net_.compute(coupling_, step_, coupling_values_.data());
        if (block_pos_ == 0) net_.compute_block(coupling_, step_);
        net_.complete(coupling_, step_ - static_cast<std::int64_t>(block_pos_), block_pos_, coupling_values_.data());
    }
    /// The coupling terms of the current step, [term][mode][node].
    Value* coupling_now() noexcept { return coupling_values_.data(); }

    template <class Hook>
    void step_once(Hook& after_step) {
        const std::int64_t next = step_ + 1;
        if (stimulus_) update_stimulus(next);
        detail::visit_policy(integrator_, [&](const auto& integ) { integrate_with(integ, next); });
        after_step(next, std::span<Value>(state_));
#if BRAINWEAVE_CHECK_FINITE
        check_finite(next);
#endif
        step_ = next;
        net_.write(step_, state_.data());
        if (++block_pos_ == block_steps_) block_pos_ = 0;
        compute_coupling();
        record();
    }

    /// The stimulus of the step to `next`, at t = (next - 1 - first_step_) dt (see region_stimulus.hpp).
    void update_stimulus(std::int64_t next) {
        const double f = stimulus_->temporal_value(static_cast<double>(next - 1 - first_step_) * dt());
        const std::size_t n = n_nodes();
        for (std::size_t v : traits::stvar)
            for (std::size_t m = 0; m < n_modes; ++m)
                for (std::size_t i = 0; i < n; ++i)
                    stim_[(v * n_modes + m) * n + i] = Value(static_cast<scalar_type>(stimulus_->weight[i] * f));
    }

    void record() {
        if constexpr (std::is_same_v<Value, double>) {
            std::apply([&](auto&... m) { (m.record(step_, state_.data(), coupling_now()), ...); }, monitors_[0]);
        } else {  // monitors see one lane at a time, in double: transpose once, then record lane by lane
            const std::size_t ns = state_.size(), nc = n_nodes() * n_coupling * n_modes;
            const Value* now = coupling_now();
            simd::to_lanes(state_.data(), ns, lane_state_.data(), ns);
            if constexpr ((monitor_uses_coupling<Monitors>() || ...)) simd::to_lanes(now, nc, lane_coupling_.data(), nc);
            for (std::size_t l = 0; l < lanes; ++l)
                std::apply([&](auto&... m) { (m.record(step_, lane_state_.data() + l * ns, lane_coupling_.data() + l * nc), ...); },
                           monitors_[l]);
        }
    }

    /// Nodes are integrated one at a time in the value type, or, for vectorizable models with
    /// scalar values and shared parameters, W at a time in a SIMD batch (the remainder one at a time).
    template <class I>
    void integrate_with(const I& integ, std::int64_t next) {
        BRAINWEAVE_ASSERT_INTEGRATOR(I);
        std::size_t first = 0;
        if constexpr (lanes == 1 && vectorizable_model<Model>)
            if (!heterogeneous_) first = integrate_nodes<xsimd::batch<scalar_type>>(integ, next, 0, n_nodes());
        integrate_nodes<Value>(integ, next, first, n_nodes());
    }

    /// Integrates nodes [first, last) in groups of lanes_v<Block> nodes (a Block of scalar values
    /// holds consecutive nodes); returns the first node not integrated.
    template <class Block, class I>
    std::size_t integrate_nodes(const I& integ, std::int64_t next, std::size_t first, std::size_t last) {
        constexpr std::size_t W = std::is_same_v<Block, Value> ? 1 : simd::lanes_v<Block>;
        const std::size_t n = n_nodes();
        const std::size_t nc = n_coupling * n_modes;
        const auto& d = node_data_[0];
        const Value* coupling = coupling_now();
        std::size_t i = first;
        for (; i + W <= last; i += W) {
            integrators::node_array<Model, Block> x, dW, stim;
            std::array<Block, n_coupling * n_modes> c;
            for (std::size_t k = 0; k < node_size; ++k) x[k] = simd::load<Block>(&state_[k * n + i]);
            for (std::size_t k = 0; k < nc; ++k) c[k] = simd::load<Block>(coupling + k * n + i);
            if constexpr (I::noise_type::enabled) noise_increments<Block, W>(integ, next, i, dW);
            if (stimulus_)
                for (std::size_t k = 0; k < node_size; ++k) stim[k] = simd::load<Block>(&stim_[k * n + i]);
            integ.template step<Model>(heterogeneous_ ? node_data_[i] : d, x.data(), c.data(), dW.data(),
                                       stimulus_ ? stim.data() : nullptr);
            for (std::size_t k = 0; k < node_size; ++k) simd::store(x[k], &state_[k * n + i]);
        }
        return i;
    }

    /// Noise increments of W consecutive nodes starting at i, each drawn for its own node.
    template <class Block, std::size_t W, class I>
    void noise_increments(const I& integ, std::int64_t next, std::size_t i,
                          integrators::node_array<Model, Block>& dW) const {
        const std::size_t n = n_nodes();
        if constexpr (W == 1) {
            integrators::node_array<Model, Value> x;
            for (std::size_t k = 0; k < node_size; ++k) x[k] = state_[k * n + i];
            integ.noise.template increment<n_state, n_modes>(next, i, x.data(), dW.data(), integ.dt);
        } else {
            std::array<std::array<scalar_type, W>, node_size> lanes_dW;
            for (std::size_t j = 0; j < W; ++j) {
                integrators::node_array<Model, scalar_type> x, w;
                for (std::size_t k = 0; k < node_size; ++k) x[k] = state_[k * n + i + j];
                integ.noise.template increment<n_state, n_modes>(next, i + j, x.data(), w.data(), integ.dt);
                for (std::size_t k = 0; k < node_size; ++k) lanes_dW[k][j] = w[k];
            }
            for (std::size_t k = 0; k < node_size; ++k) dW[k] = Block::load_unaligned(lanes_dW[k].data());
        }
    }

    void check_finite(std::int64_t next) const {
        {  // a branch-free scan first; the details only on failure
            constexpr auto big = std::numeric_limits<scalar_type>::max();
            bool finite = true;
            for (const Value& v : state_) {
                if constexpr (lanes == 1)
                    finite &= std::abs(v) <= big;
                else
                    finite &= xsimd::all(xsimd::abs(v) <= Value(big));
            }
            if (finite) [[likely]]
                return;
        }
        const std::size_t n = n_nodes();
        for (std::size_t k = 0; k < state_.size(); ++k)
            for (std::size_t l = 0; l < lanes; ++l)
                if (!std::isfinite(simd::lane(state_[k], l))) [[unlikely]] {
                    const std::size_t node = k % n, var = k / n / n_modes, mode = k / n % n_modes;
                    const std::string where = "node " + std::to_string(node) + ", variable " +
                                              std::string(Model::state_variables[var]) +
                                              (n_modes > 1 ? ", mode " + std::to_string(mode) : "") +
                                              (lanes > 1 ? ", lane " + std::to_string(l) : "");
                    throw numerical_error("simulation produced a non-finite value at step " + std::to_string(next) +
                                              " (t = " + std::to_string(static_cast<double>(next) * dt()) + " ms), " +
                                              where,
                                          next, node, std::string(Model::state_variables[var]));
                }
    }

    Coupling coupling_;
    Integrator integrator_;
    std::array<std::tuple<Monitors...>, lanes> monitors_;
    network_type net_;
    parameter_table<parameters_type> params_;
    std::vector<parameters_type> lane_params_;
    std::vector<node_data_type> node_data_;
    bool heterogeneous_ = false;
    std::vector<Value> state_;
    std::vector<Value> coupling_values_;  // c(step_): [term][mode][node]
    std::size_t block_steps_ = 1, block_pos_ = 0;
    std::vector<double> lane_state_, lane_coupling_;  // [lane][...] state and coupling as double, for monitors
    std::vector<bool> hemispheres_, cortical_;
    std::optional<stimuli::region_stimulus> stimulus_;
    std::vector<Value> stim_;  // [var][mode][node]: the stimulus of the current step (if any)
    std::int64_t step_ = 0, first_step_ = 0;
    bool has_history_ = false, prepared_ = false, configured_monitors_ = false, coupling_ready_ = false;
};

/// Composes a simulator; the model type is deduced from its first argument.
template <class Model, class Coupling, class Integrator, class... Monitors>
auto make_simulator(Model m, Coupling c, Integrator i, const connectivity& conn, Monitors... mons) {
    return simulator<Model, Coupling, Integrator, Monitors...>(m, std::move(c), std::move(i), conn, std::move(mons)...);
}

}  // namespace brainweave

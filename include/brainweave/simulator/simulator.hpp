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
#include <brainweave/concepts/coupling.hpp>
#include <brainweave/concepts/integrator.hpp>
#include <brainweave/concepts/model.hpp>
#include <brainweave/concepts/monitor.hpp>
#include <brainweave/config.hpp>
#include <brainweave/connectivity/connectivity.hpp>
#include <brainweave/history/delay_buffer.hpp>
#include <brainweave/integrators/integrators.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace brainweave {

namespace detail {
template <class T>
struct is_variant : std::false_type {};
template <class... Ts>
struct is_variant<std::variant<Ts...>> : std::true_type {};

/// Calls f with the policy itself, or with its active alternative if it is a std::variant.
template <class P, class F>
decltype(auto) visit_policy(P& p, F&& f) {
    if constexpr (is_variant<std::remove_const_t<P>>::value)
        return std::visit(std::forward<F>(f), p);
    else
        return f(p);
}

/// Number of coupling terms a coupling (or every alternative of a variant) hands the model.
template <class C, std::size_t NC>
struct coupling_outputs {
    static constexpr std::size_t value = C::n_out(NC);
};
template <class... Cs, std::size_t NC>
struct coupling_outputs<std::variant<Cs...>, NC> {
    static constexpr std::size_t value = std::max({Cs::n_out(NC)...});
};
}  // namespace detail

template <class Model, class Coupling, class Integrator, class... Monitors>
class simulator {
    BRAINWEAVE_ASSERT_MODEL(Model);
    static_assert((Monitor<Monitors> && ...), "brainweave: every monitor must satisfy the Monitor concept "
                                               "(name, configure, record, output); see docs/concepts.md");

public:
    using model_type = Model;
    using traits = model_traits<Model>;
    using parameters_type = typename Model::parameters;
    static constexpr std::size_t n_state = traits::n_state;
    static constexpr std::size_t n_cvar = traits::n_cvar;
    static constexpr std::size_t n_modes = traits::n_modes;
    static constexpr std::size_t node_size = traits::node_size;
    static constexpr std::size_t n_coupling = detail::coupling_outputs<Coupling, n_cvar>::value;

    simulator(Model, Coupling coupling, Integrator integrator, const connectivity& conn, Monitors... monitors)
        : coupling_(std::move(coupling)), integrator_(std::move(integrator)), monitors_(std::move(monitors)...) {
        check_policies();
        conn.validate();
        set_connectivity(conn.weights, conn.delays_in_steps(dt()));
        set_region_flags(conn.hemispheres, conn.cortical);
    }

    /// Builds from explicit weights and integer delays (in steps), e.g. a TVB reference case.
    template <class W, class D>
    simulator(Model, Coupling coupling, Integrator integrator, const W& weights, const D& delays, Monitors... monitors)
        : coupling_(std::move(coupling)), integrator_(std::move(integrator)), monitors_(std::move(monitors)...) {
        check_policies();
        set_connectivity(weights, delays);
    }

    // --- configuration --------------------------------------------------------------------
    std::size_t n_nodes() const noexcept { return csr_.n_nodes; }
    double dt() const {
        return detail::visit_policy(integrator_, [](const auto& i) { return static_cast<double>(i.dt); });
    }
    /// Model parameters: one value for all nodes or one per node, set by name.
    parameter_table<parameters_type>& parameters() noexcept {
        prepared_ = false;
        return params_;
    }
    const parameter_table<parameters_type>& parameters() const noexcept { return params_; }
    Coupling& coupling() noexcept { return coupling_; }
    Integrator& integrator() noexcept { return integrator_; }
    const sparse_connectivity& sparse() const noexcept { return csr_; }
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
    std::size_t horizon() const noexcept { return csr_.max_delay + 1; }

    template <std::size_t I>
    auto& monitor() noexcept { return std::get<I>(monitors_); }
    template <std::size_t I>
    const monitor_output& output() const { return std::get<I>(monitors_).output(); }

    /// Initial history in time order, shape (n_time, n_state, n_nodes, n_modes) in C order: the last
    /// entry is the current state, the one before it the previous step, and so on (TVB's
    /// `initial_conditions`). The simulation continues from step n_time - 1, so time stamps match TVB.
    void set_history(std::span<const double> history, std::size_t n_time) {
        const std::size_t per_step = n_state * n_nodes() * n_modes;
        if (history.size() != n_time * per_step)
            throw config_error("initial history: expected shape (" + std::to_string(n_time) + ", " +
                               std::to_string(n_state) + ", " + std::to_string(n_nodes()) + ", " +
                               std::to_string(n_modes) + ") = " + std::to_string(n_time * per_step) +
                               " values, got " + std::to_string(history.size()));
        if (n_time < horizon())
            throw config_error("initial history: " + std::to_string(n_time) + " steps given but the longest delay needs " +
                               std::to_string(horizon()));
        for (double v : history)
            if (!std::isfinite(v)) throw config_error("initial history contains NaN or Inf");
        // Keep the given length so that slots match TVB's; each step is converted from TVB's
        // [var][node][mode] to the simulator's [node][var][mode] and its coupling variables stored.
        buffer_ = delay_buffer(n_time, n_nodes(), n_modes * n_cvar);
        state_.assign(n_nodes() * node_size, 0.0);
        for (std::size_t t = 0; t < n_time; ++t) {
            const double* h = history.data() + t * per_step;
            for (std::size_t v = 0; v < n_state; ++v)
                for (std::size_t i = 0; i < n_nodes(); ++i)
                    for (std::size_t m = 0; m < n_modes; ++m)
                        state_[i * node_size + v * n_modes + m] = h[(v * n_nodes() + i) * n_modes + m];
            write_history(static_cast<std::int64_t>(t));
        }  // state_ now holds the last entry: the current state
        step_ = static_cast<std::int64_t>(n_time) - 1;
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
        std::vector<double> h(H * n_state * n_nodes() * n_modes);
        std::size_t k = 0;
        for (std::size_t t = 0; t < H; ++t)
            for (std::size_t v = 0; v < n_state; ++v)
                for (std::size_t i = 0; i < n_nodes() * n_modes; ++i) {
                    const auto r = Model::state_variable_range[v];
                    h[k++] = std::uniform_real_distribution<double>(r.lo, r.hi)(rng);
                }
        set_history(h, H);
    }

    // --- running --------------------------------------------------------------------------
    std::int64_t current_step() const noexcept { return step_; }
    double current_time() const { return static_cast<double>(step_) * dt(); }
    /// Current state, [node][var][mode].
    std::span<const double> state() const noexcept { return state_; }

    /// Advances by `duration` ms (rint(duration / dt) steps).
    void run(double duration) {
        if (!(duration >= 0.0) || !std::isfinite(duration))
            throw config_error("run: duration must be >= 0 ms, got " + std::to_string(duration));
        run_steps(static_cast<std::int64_t>(std::nearbyint(duration / dt())));
    }

    void run_steps(std::int64_t n_steps) {
        prepare();
        for (std::int64_t s = 0; s < n_steps; ++s) step_once();
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
        csr_ = sparse_connectivity::from_dense(weights, delays);
        params_.check_nodes(csr_.n_nodes);
    }

    void prepare() {
        if (!has_history_) set_random_history(42);
        if (!prepared_) {
            params_.check_nodes(n_nodes());
            node_data_.clear();
            for (const auto& p : params_.all()) node_data_.push_back(derive_node_data<Model>(p));
            heterogeneous_ = node_data_.size() > 1;
            detail::visit_policy(coupling_, [&](auto& c) {
                if constexpr (requires { c.n_nodes; }) c.n_nodes = static_cast<double>(n_nodes());
            });
            detail::visit_policy(integrator_, [&](auto& i) {
                if constexpr (decltype(i.noise)::enabled) i.noise.check(n_state, i.name);
            });
            prepared_ = true;
        }
        if (!configured_monitors_) {
            monitor_context ctx;
            ctx.dt = dt();
            ctx.n_nodes = n_nodes();
            ctx.n_state = n_state;
            ctx.n_modes = n_modes;
            ctx.n_coupling = n_coupling;
            for (auto s : Model::state_variables) ctx.state_variables.emplace_back(s);
            ctx.hemispheres = hemispheres_;
            ctx.cortical = cortical_;
            std::apply([&](auto&... m) { (m.configure(ctx), ...); }, monitors_);
            configured_monitors_ = true;
        }
        if (!coupling_ready_) {
            coupling_values_.assign(n_nodes() * n_coupling * n_modes, 0.0);
            compute_coupling();
            coupling_ready_ = true;
        }
    }

    /// Writes the coupling variables of the current state into the slot of `step`.
    void write_history(std::int64_t step) {
        for (std::size_t i = 0; i < n_nodes(); ++i) {
            double* dst = buffer_.at(step, i);
            const double* x = state_.data() + i * node_size;
            for (std::size_t m = 0; m < n_modes; ++m)
                for (std::size_t k = 0; k < n_cvar; ++k) dst[m * n_cvar + k] = x[Model::cvar[k] * n_modes + m];
        }
    }

    /// c(step) from x_j(step - d_ij) and x_i(step), for every node.
    void compute_coupling() {
        detail::visit_policy(coupling_, [&](const auto& c) { compute_coupling_with(c); });
    }

    template <class C>
    void compute_coupling_with(const C& c) {
        BRAINWEAVE_ASSERT_COUPLING(C, n_cvar);
        if constexpr (!coupling_valid_for<C, n_cvar>()) {
            throw config_error(std::string(C::name) + " coupling needs " + std::string(C::requirement) + "; model " +
                               std::string(Model::name) + " has " + std::to_string(n_cvar));
        } else {
            accumulate_coupling(c);
        }
    }

    template <class C>
    void accumulate_coupling(const C& c) {
        constexpr std::size_t n_pre = C::n_pre(n_cvar), n_out = C::n_out(n_cvar);
        const std::size_t cur = buffer_.slot_of(step_);
        const std::size_t H = buffer_.horizon(), stride = buffer_.slot_stride();
        constexpr std::size_t block = n_modes * n_cvar;
        const double* base = buffer_.slot(0);
        const double* now = buffer_.slot(cur);
        for (std::size_t i = 0; i < n_nodes(); ++i) {
            const std::size_t e0 = csr_.row_begin[i], e1 = csr_.row_begin[i + 1];
            double* out = coupling_values_.data() + i * n_coupling * n_modes;
            for (std::size_t m = 0; m < n_modes; ++m) {
                const double* xi = now + i * block + m * n_cvar;
                // gx_k = sum_j w_ij pre_k(x_i, x_j(t - d_ij)), summed in connection order. (TVB sums
                // with NumPy's pairwise order; the two agree to round-off, ~1e-15 on the references.)
                std::array<double, n_pre> gx{};
                for (std::size_t e = e0; e < e1; ++e) {
                    const std::size_t d = csr_.delay[e];
                    const std::size_t slot = cur >= d ? cur - d : cur + H - d;
                    const double* xj = base + slot * stride + csr_.source[e] * block + m * n_cvar;
                    std::array<double, n_pre> pre;
                    c.template pre<n_cvar>(xi, xj, pre.data());
                    const double w = csr_.weight[e];
                    for (std::size_t k = 0; k < n_pre; ++k) gx[k] += w * pre[k];
                }
                std::array<double, n_out> post;
                c.template post<n_cvar>(gx.data(), xi, post.data());
                for (std::size_t k = 0; k < n_out; ++k) out[k * n_modes + m] = post[k];
                for (std::size_t k = n_out; k < n_coupling; ++k) out[k * n_modes + m] = 0.0;
            }
        }
    }

    void step_once() {
        const std::int64_t next = step_ + 1;
        detail::visit_policy(integrator_, [&](const auto& integ) { integrate_with(integ, next); });
        step_ = next;
        write_history(step_);
        compute_coupling();
        std::apply([&](auto&... m) { (m.record(step_, state_.data(), coupling_values_.data()), ...); }, monitors_);
    }

    template <class I>
    void integrate_with(const I& integ, std::int64_t next) {
        BRAINWEAVE_ASSERT_INTEGRATOR(I);
        std::array<double, node_size> dW{};
        const double dt = integ.dt;
        for (std::size_t i = 0; i < n_nodes(); ++i) {
            double* x = state_.data() + i * node_size;
            const double* c = coupling_values_.data() + i * n_coupling * n_modes;
            if constexpr (I::noise_type::enabled) integ.noise.template increment<n_state, n_modes>(next, i, x, dW.data(), dt);
            integ.template step<Model>(node_data_[heterogeneous_ ? i : 0], x, c, dW.data());
#if BRAINWEAVE_CHECK_FINITE
            for (std::size_t k = 0; k < node_size; ++k)
                if (!std::isfinite(x[k])) [[unlikely]]
                    throw numerical_error("simulation produced a non-finite value at step " + std::to_string(next) +
                                              " (t = " + std::to_string(static_cast<double>(next) * dt) + " ms), node " +
                                              std::to_string(i) + ", variable " +
                                              std::string(Model::state_variables[k / n_modes]) +
                                              (n_modes > 1 ? ", mode " + std::to_string(k % n_modes) : ""),
                                          next, i, std::string(Model::state_variables[k / n_modes]));
#endif
        }
    }

    Coupling coupling_;
    Integrator integrator_;
    std::tuple<Monitors...> monitors_;
    sparse_connectivity csr_;
    parameter_table<parameters_type> params_;
    std::vector<node_data_t<Model>> node_data_;
    bool heterogeneous_ = false;
    delay_buffer buffer_;
    std::vector<double> state_;
    std::vector<double> coupling_values_;
    std::vector<bool> hemispheres_, cortical_;
    std::int64_t step_ = 0;
    bool has_history_ = false, prepared_ = false, configured_monitors_ = false, coupling_ready_ = false;
};

/// Composes a simulator; the model type is deduced from its first argument.
template <class Model, class Coupling, class Integrator, class... Monitors>
auto make_simulator(Model m, Coupling c, Integrator i, const connectivity& conn, Monitors... mons) {
    return simulator<Model, Coupling, Integrator, Monitors...>(m, std::move(c), std::move(i), conn, std::move(mons)...);
}

}  // namespace brainweave

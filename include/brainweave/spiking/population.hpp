#pragma once
// A population of identical point neurons of one model, in structure-of-arrays layout: one
// contiguous array per state variable, so the update loop streams through memory and vectorises.
//
// Refractoriness follows Brian 2 and NEST: a neuron that spiked at step s is refractory during the
// updates of steps s+1 .. s+r-1 with r = round(t_ref/dt) (its membrane potential is held; the model
// decides what else evolves), and cannot spike while refractory.
//
// The network (spiking/network.hpp) drives a population through four calls per step:
// begin_step (currents from devices), update (integrate and test the threshold, appending the
// indices of the neurons that spiked), the delivery of synaptic input into `receptor(r)`, and
// reset (for the neurons that spiked).
#include <brainweave/core/error.hpp>
#include <brainweave/core/parameters.hpp>
#include <brainweave/spiking/devices.hpp>
#include <brainweave/spiking/neuron_model.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace brainweave::spiking {

template <neuron_model M>
class population {
public:
    using model = M;
    using parameters = typename M::parameters;
    static constexpr std::size_t n_state = std::tuple_size_v<typename M::state>;
    static constexpr bool has_receptors = true;

    population(std::string name, std::size_t n, parameters p = M::defaults())
        : name_(std::move(name)), n_(n), p_(p), last_spike_(n, never), fired_(n, 0), i_stim_(n, 0.0) {
        if (n > std::numeric_limits<std::uint32_t>::max())
            throw config_error("population '" + name_ + "': at most 2^32-1 neurons");
        const auto s0 = M::initial_state(p_);
        for (std::size_t k = 0; k < n_state; ++k) x_[k].assign(n, s0[k]);
    }

    const std::string& name() const noexcept { return name_; }
    std::size_t size() const noexcept { return n_; }
    const parameters& params() const noexcept { return p_; }
    /// Sets a model parameter by name (config_error naming the population if unknown or invalid).
    void set_parameter(std::string_view name, double value) {
        brainweave::set_parameter(p_, name, std::span<const double>(&value, 1), "population '" + name_ + "'");
    }
    void set_parameters(const parameters& p) { p_ = p; }

    // --- state -----------------------------------------------------------------------------------
    static constexpr std::size_t n_variables() noexcept { return n_state; }
    static std::string_view variable_name(std::size_t k) noexcept { return M::state_names[k]; }
    std::size_t variable_index(std::string_view var) const {
        for (std::size_t k = 0; k < n_state; ++k)
            if (M::state_names[k] == var) return k;
        std::string known;
        for (auto n : M::state_names) known += (known.empty() ? "" : ", ") + std::string(n);
        throw config_error("population '" + name_ + "' (" + std::string(M::name) + ") has no state variable '" +
                           std::string(var) + "' (known: " + known + ")");
    }
    std::span<const double> variable(std::size_t k) const noexcept { return x_[k]; }
    std::span<const double> get(std::string_view var) const { return x_[variable_index(var)]; }
    /// Sets a state variable of every neuron.
    void set(std::string_view var, double value) {
        if (!std::isfinite(value))
            throw config_error("population '" + name_ + "': initial " + std::string(var) + " must be finite");
        std::ranges::fill(x_[variable_index(var)], value);
    }
    /// Sets a state variable neuron by neuron (values.size() == size()).
    void set(std::string_view var, std::span<const double> values) {
        auto& x = x_[variable_index(var)];
        if (values.size() != n_)
            throw config_error("population '" + name_ + "': " + std::to_string(values.size()) + " values for " +
                               std::string(var) + ", expected one per neuron (" + std::to_string(n_) + ")");
        for (std::size_t i = 0; i < n_; ++i) {
            if (!std::isfinite(values[i]))
                throw config_error("population '" + name_ + "': " + std::string(var) + " of neuron " +
                                   std::to_string(i) + " must be finite");
            x[i] = values[i];
        }
    }

    // --- devices ---------------------------------------------------------------------------------
    void inject(step_current c) { currents_.push_back(std::move(c)); }
    const std::vector<step_current>& currents() const noexcept { return currents_; }
    /// A current (pA) into every neuron, added to the step currents from the next step on until
    /// changed (a co-simulation's activity-to-current transformer; NEST's dc_generator whose
    /// amplitude is set between runs).
    void set_drive(double amplitude) {
        if (!std::isfinite(amplitude))
            throw config_error("population '" + name_ + "': drive current must be finite, got " + std::to_string(amplitude));
        drive_ = amplitude;
    }
    double drive() const noexcept { return drive_; }

    // --- receptors -------------------------------------------------------------------------------
    static constexpr std::size_t n_receptors() noexcept { return M::receptor_names.size(); }
    std::size_t receptor_index(std::string_view r) const {
        for (std::size_t k = 0; k < M::receptor_names.size(); ++k)
            if (M::receptor_names[k] == r) return k;
        std::string known;
        for (auto n : M::receptor_names) known += (known.empty() ? "" : ", ") + std::string(n);
        throw config_error("population '" + name_ + "' (" + std::string(M::name) + ") has no receptor '" +
                           std::string(r) + "' (known: " + known + ")");
    }
    double* receptor(std::size_t r) noexcept { return x_[M::receptor_variable[r]].data(); }
    double receptor_scale(std::size_t r) const noexcept { return M::receptor_scale(q_, r); }

    // --- the network's calls ---------------------------------------------------------------------
    static constexpr bool chunked = true;  ///< update may run on disjoint neuron ranges in parallel

    void prepare(double dt, double /*seconds_per_time_unit*/) {
        q_ = M::prepare(p_, dt);
        ref_steps_ = std::llround(M::refractory_period(p_) / dt);
        prepared_currents_.clear();
        for (std::size_t k = 0; k < currents_.size(); ++k)
            prepared_currents_.push_back(
                detail::prepare_current(currents_[k], dt, n_, "population '" + name_ + "' current " + std::to_string(k)));
    }

    void begin_step(std::int64_t step) noexcept {
        if (prepared_currents_.empty() && drive_ == i_stim_level_) return;
        std::ranges::fill(i_stim_, drive_);
        i_stim_level_ = drive_;
        for (const auto& c : prepared_currents_) {
            const double a = c.amplitude_at(step);
            if (a != 0.0)
                for (auto t : c.targets) i_stim_[t] += a;
        }
    }

    /// Advances neurons [begin, end) by one step and appends those that crossed their threshold.
    /// One pass that the compiler vectorises (state in SoA arrays, the refractory test and the
    /// threshold as masks, a byte flag per neuron), then a scan of the flags eight at a time.
    void update(std::int64_t step, std::size_t begin, std::size_t end, std::vector<std::uint32_t>& spikes) noexcept {
        std::array<double*, n_state> x;
        for (std::size_t k = 0; k < n_state; ++k) x[k] = x_[k].data();
        const double* I = i_stim_.data();
        const double* last = last_spike_.data();
        unsigned char* fired = fired_.data();
        // Not refractory if the last spike was at least ref_steps ago (steps held as doubles, exact
        // below 2^53, so that the test vectorises with the state arithmetic).
        const double free_after = static_cast<double>(step - ref_steps_);
        const auto q = q_;
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC ivdep
#endif
        for (std::size_t i = begin; i < end; ++i) {
            typename M::state s;
            for (std::size_t k = 0; k < n_state; ++k) s[k] = x[k][i];
            const bool active = last[i] <= free_after;
            M::update(q, s, active, I[i]);
            for (std::size_t k = 0; k < n_state; ++k) x[k][i] = s[k];
            fired[i] = static_cast<unsigned char>(active & M::spiking(q, s));
        }
        std::size_t i = begin;
        for (; i + 8 <= end; i += 8) {
            std::uint64_t word;
            std::memcpy(&word, fired + i, 8);
            if (word == 0) continue;
            for (std::size_t k = i; k < i + 8; ++k)
                if (fired[k]) spikes.push_back(static_cast<std::uint32_t>(k));
        }
        for (; i < end; ++i)
            if (fired[i]) spikes.push_back(static_cast<std::uint32_t>(i));
    }

    void reset(std::int64_t step, std::span<const std::uint32_t> spikes) noexcept {
        for (auto i : spikes) {
            typename M::state s;
            for (std::size_t k = 0; k < n_state; ++k) s[k] = x_[k][i];
            M::reset(q_, s);
            for (std::size_t k = 0; k < n_state; ++k) x_[k][i] = s[k];
            last_spike_[i] = static_cast<double>(step);
        }
    }

    /// Checkpoint records (core/serialize.hpp): the state of every neuron (receptor inputs
    /// included), their last spikes, the stimulus currents.
    template <class Archive>
    void serialize(Archive& ar) {
        ar.same("model", std::string(M::name));
        ar.same("neurons", n_);
        for (std::size_t k = 0; k < n_state; ++k) ar.sized(M::state_names[k], x_[k], n_);
        ar.sized("last spike", last_spike_, n_);
        ar.sized("stimulus", i_stim_, n_);
        ar("drive", drive_);
        ar("stimulus level", i_stim_level_);
    }

    /// Bytes of state held (for memory reports).
    std::size_t bytes() const noexcept { return n_ * (n_state * sizeof(double) + 2 * sizeof(double) + 1); }

private:
    static constexpr double never = -1e18;
    std::string name_;
    std::size_t n_;
    parameters p_;
    std::array<std::vector<double>, n_state> x_;
    std::vector<double> last_spike_;  // step of the last spike
    std::vector<unsigned char> fired_;
    std::vector<double> i_stim_;
    std::vector<step_current> currents_;
    std::vector<detail::prepared_current> prepared_currents_;
    typename M::propagator q_{};
    std::int64_t ref_steps_ = 0;
    double drive_ = 0.0, i_stim_level_ = 0.0;  // i_stim_level_: the drive i_stim_ holds without step currents
};

}  // namespace brainweave::spiking

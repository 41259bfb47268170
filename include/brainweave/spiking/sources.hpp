#pragma once
// Spike sources: groups without dynamics whose units emit spikes that projections carry, like
// Brian 2's SpikeGeneratorGroup and PoissonGroup (in NEST: spike_generator and poisson_generator
// connected through parrot neurons).
//
// - spike_generator: unit `indices[k]` spikes at `times[k]`; a spike at time t is emitted in step
//   round(t/dt). Several spikes of one unit in one step are all delivered.
// - poisson_generator: n independent Poisson trains; unit i spikes in step n with probability
//   rate_i(n) * dt. The rate is a constant, or a time series (one rate for all units or one per
//   unit, per sample; sample k holds for [k*period, (k+1)*period), the last one after the end).
//   Draws come from a counter-based stream addressed by (seed, step): reproducible, and
//   independent of threads.
#include <brainweave/core/error.hpp>
#include <brainweave/core/random.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <vector>

namespace brainweave::spiking {

namespace detail {
/// Base of the groups that have no state variables and no receptors.
struct stateless_group {
    static constexpr bool has_receptors = false;
    static constexpr bool chunked = false;  ///< updated by one thread over the whole group
    static constexpr std::size_t n_variables() noexcept { return 0; }
    static std::string_view variable_name(std::size_t) noexcept { return {}; }
    static constexpr std::size_t n_receptors() noexcept { return 0; }
    void begin_step(std::int64_t) noexcept {}
    void reset(std::int64_t, std::span<const std::uint32_t>) noexcept {}
    std::size_t bytes() const noexcept { return 0; }
};

/// A source's checkpoint: nothing evolves (spike_generator finds its place from the step,
/// poisson_generator draws from (seed, step)), so only its identity is checked.
template <class Archive, class Source>
void serialize_source(Archive& ar, const Source& s) {
    ar.same("source", s.name());
    ar.same("units", s.size());
}
}  // namespace detail

class spike_generator : public detail::stateless_group {
public:
    spike_generator(std::string name, std::size_t n, std::vector<std::uint32_t> indices, std::vector<double> times)
        : name_(std::move(name)), n_(n), indices_(std::move(indices)), times_(std::move(times)) {
        if (indices_.size() != times_.size())
            throw config_error("spike_generator '" + name_ + "': " + std::to_string(indices_.size()) + " indices but " +
                               std::to_string(times_.size()) + " times");
        for (std::size_t k = 0; k < indices_.size(); ++k) {
            if (indices_[k] >= n_)
                throw config_error("spike_generator '" + name_ + "': index " + std::to_string(indices_[k]) +
                                   " (spike " + std::to_string(k) + ") is outside the group (size " + std::to_string(n_) + ")");
            if (!std::isfinite(times_[k]) || times_[k] < 0)
                throw config_error("spike_generator '" + name_ + "': time of spike " + std::to_string(k) +
                                   " must be finite and >= 0, got " + std::to_string(times_[k]));
        }
    }
    const std::string& name() const noexcept { return name_; }
    std::size_t size() const noexcept { return n_; }
    const std::vector<std::uint32_t>& indices() const noexcept { return indices_; }
    const std::vector<double>& times() const noexcept { return times_; }

    void prepare(double dt, double) {
        order_.resize(indices_.size());
        std::iota(order_.begin(), order_.end(), std::size_t{0});
        steps_.resize(indices_.size());
        for (std::size_t k = 0; k < indices_.size(); ++k) steps_[k] = std::llround(times_[k] / dt);
        std::ranges::stable_sort(order_, [&](std::size_t a, std::size_t b) {
            return steps_[a] != steps_[b] ? steps_[a] < steps_[b] : indices_[a] < indices_[b];
        });
        cursor_ = 0;
    }
    void update(std::int64_t step, std::size_t, std::size_t, std::vector<std::uint32_t>& spikes) {
        while (cursor_ < order_.size() && steps_[order_[cursor_]] < step) ++cursor_;
        while (cursor_ < order_.size() && steps_[order_[cursor_]] == step) spikes.push_back(indices_[order_[cursor_++]]);
    }
    std::size_t bytes() const noexcept { return indices_.size() * (sizeof(std::uint32_t) + sizeof(double) * 2 + sizeof(std::size_t)); }
    template <class Archive>
    void serialize(Archive& ar) {
        detail::serialize_source(ar, *this);
        ar.same("spikes", indices_.size());
    }

private:
    std::string name_;
    std::size_t n_;
    std::vector<std::uint32_t> indices_;
    std::vector<double> times_;
    std::vector<std::int64_t> steps_;
    std::vector<std::size_t> order_;
    std::size_t cursor_ = 0;
};

class poisson_generator : public detail::stateless_group {
public:
    /// Homogeneous: every unit fires at `rate` Hz.
    poisson_generator(std::string name, std::size_t n, double rate, std::uint64_t seed = 1)
        : poisson_generator(std::move(name), n, std::vector<double>{rate}, 0.0, seed) {}
    /// Inhomogeneous: `rates` holds samples of period `period` (time units), one rate for all units
    /// per sample (see rates_per_unit for one rate per unit).
    poisson_generator(std::string name, std::size_t n, std::vector<double> rates, double period, std::uint64_t seed = 1)
        : name_(std::move(name)), n_(n), rates_(std::move(rates)), period_(period), seed_(seed) {
        if (rates_.empty()) throw config_error("poisson_generator '" + name_ + "': no rate given");
        for (double r : rates_)
            if (!(r >= 0) || !std::isfinite(r))
                throw config_error("poisson_generator '" + name_ + "': rates must be finite and >= 0 (Hz), got " +
                                   std::to_string(r));
        if (rates_.size() > 1 && !(period_ > 0))
            throw config_error("poisson_generator '" + name_ + "': a rate time series needs a period > 0");
        samples_ = rates_.size();
    }
    const std::string& name() const noexcept { return name_; }
    std::size_t size() const noexcept { return n_; }
    const std::vector<double>& rates() const noexcept { return rates_; }
    double period() const noexcept { return period_; }
    std::uint64_t seed() const noexcept { return seed_; }
    bool per_unit() const noexcept { return per_unit_; }
    /// Reads the series as one rate per unit and sample (sample-major) instead of one per sample.
    poisson_generator& rates_per_unit(bool on) {
        if (on && rates_.size() % n_ != 0)
            throw config_error("poisson_generator '" + name_ + "': " + std::to_string(rates_.size()) +
                               " rates are not a whole number of samples of " + std::to_string(n_) + " units");
        per_unit_ = on;
        samples_ = on ? rates_.size() / n_ : rates_.size();
        return *this;
    }

    void prepare(double dt, double seconds_per_time_unit) {
        dt_ = dt;
        p_scale_ = dt * seconds_per_time_unit;
    }
    void update(std::int64_t step, std::size_t, std::size_t, std::vector<std::uint32_t>& spikes) {
        std::size_t sample = 0;
        if (samples_ > 1)
            sample = std::min<std::size_t>(samples_ - 1, static_cast<std::size_t>(std::max(0.0, std::floor(static_cast<double>(step) * dt_ / period_))));
        const double* r = rates_.data() + sample * (per_unit_ ? n_ : 1);
        random::uniform_stream u(seed_, static_cast<std::uint64_t>(step));
        for (std::size_t i = 0; i < n_; ++i)
            if (u() < r[per_unit_ ? i : 0] * p_scale_) spikes.push_back(static_cast<std::uint32_t>(i));
    }

    template <class Archive>
    void serialize(Archive& ar) {
        detail::serialize_source(ar, *this);
    }

private:
    std::string name_;
    std::size_t n_;
    std::vector<double> rates_;
    double period_;
    std::uint64_t seed_;
    bool per_unit_ = false;
    std::size_t samples_ = 1;
    double dt_ = 0, p_scale_ = 0;
};

}  // namespace brainweave::spiking

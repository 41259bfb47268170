#pragma once
// Recorders: spikes of a group, spike counts per step of a group, and chosen state variables of chosen neurons at a chosen interval.
//
// A state recorder samples at the start of a step, before the update (Brian 2's StateMonitor
// default, `when='start'`): sample k of a recorder with interval m holds the state at time
// (start + k m) dt. Spikes are recorded with the step in which the threshold was crossed; the spike
// time is step * dt.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace brainweave::spiking {

class spike_recorder {
public:
    spike_recorder(std::size_t group, std::string group_name) : group_(group), group_name_(std::move(group_name)) {}
    std::size_t group() const noexcept { return group_; }
    const std::string& group_name() const noexcept { return group_name_; }
    std::size_t size() const noexcept { return senders_.size(); }
    const std::vector<std::int64_t>& steps() const noexcept { return steps_; }
    const std::vector<std::uint32_t>& senders() const noexcept { return senders_; }
    /// Spike times (time units) for a step dt.
    std::vector<double> times(double dt) const {
        std::vector<double> t(steps_.size());
        for (std::size_t k = 0; k < t.size(); ++k) t[k] = static_cast<double>(steps_[k]) * dt;
        return t;
    }
    void record(std::int64_t step, std::span<const std::uint32_t> spikes) {
        steps_.insert(steps_.end(), spikes.size(), step);
        senders_.insert(senders_.end(), spikes.begin(), spikes.end());
    }
    void clear() noexcept {
        steps_.clear();
        senders_.clear();
    }
    template <class Archive>
    void serialize(Archive& ar) {
        ar.same("group", group_name_);
        ar("steps", steps_);
        ar.sized("senders", senders_, steps_.size());
    }

private:
    std::size_t group_;
    std::string group_name_;
    std::vector<std::int64_t> steps_;
    std::vector<std::uint32_t> senders_;
};

/// Number of spikes of a group per step (Brian 2's PopulationRateMonitor, as counts): what a
/// spikes-to-rates transformer reads. `clear` restarts (keeping the memory) after they are read.
class spike_counter {
public:
    spike_counter(std::size_t group, std::string group_name, std::size_t group_size)
        : group_(group), group_name_(std::move(group_name)), group_size_(group_size) {}
    std::size_t group() const noexcept { return group_; }
    const std::string& group_name() const noexcept { return group_name_; }
    std::size_t group_size() const noexcept { return group_size_; }
    /// Step of counts()[0].
    std::int64_t first_step() const noexcept { return first_step_; }
    const std::vector<std::uint32_t>& counts() const noexcept { return counts_; }
    void record(std::int64_t step, std::span<const std::uint32_t> spikes) {
        if (counts_.empty()) first_step_ = step;
        counts_.push_back(static_cast<std::uint32_t>(spikes.size()));
    }
    void clear() noexcept { counts_.clear(); }
    template <class Archive>
    void serialize(Archive& ar) {
        ar.same("group", group_name_);
        ar("first step", first_step_);
        ar("counts", counts_);
    }

private:
    std::size_t group_;
    std::string group_name_;
    std::size_t group_size_;
    std::int64_t first_step_ = 0;
    std::vector<std::uint32_t> counts_;
};

class state_recorder {
public:
    state_recorder(std::size_t group, std::vector<std::string> variables, std::vector<std::size_t> variable_index,
                   std::vector<std::uint32_t> neurons, std::int64_t interval)
        : group_(group), names_(std::move(variables)), index_(std::move(variable_index)), neurons_(std::move(neurons)),
          interval_(interval), data_(names_.size()) {}
    std::size_t group() const noexcept { return group_; }
    const std::vector<std::string>& variables() const noexcept { return names_; }
    const std::vector<std::uint32_t>& neurons() const noexcept { return neurons_; }
    std::int64_t interval() const noexcept { return interval_; }
    std::size_t samples() const noexcept { return steps_.size(); }
    const std::vector<std::int64_t>& steps() const noexcept { return steps_; }
    /// Samples of variable v (index into variables()), sample-major: [sample][neuron].
    const std::vector<double>& data(std::size_t v) const noexcept { return data_[v]; }
    /// The trace of variable v for the k-th recorded neuron.
    std::vector<double> trace(std::size_t v, std::size_t k) const {
        std::vector<double> out(samples());
        for (std::size_t s = 0; s < out.size(); ++s) out[s] = data_[v][s * neurons_.size() + k];
        return out;
    }

    /// Drops the samples taken so far (after a writer has streamed them to a file).
    void clear() noexcept {
        steps_.clear();
        for (auto& d : data_) d.clear();
    }

    bool due(std::int64_t step) const noexcept { return step % interval_ == 0; }
    template <class Archive>
    void serialize(Archive& ar) {
        ar.same("variables", names_);
        ar.same("neurons", neurons_.size());
        ar.same("interval", interval_);
        ar("steps", steps_);
        for (std::size_t v = 0; v < data_.size(); ++v) ar.sized(names_[v], data_[v], steps_.size() * neurons_.size());
    }
    /// Appends one sample; `variable(i)` returns the state array of variable index i.
    template <class Get>
    void sample(std::int64_t step, Get&& variable) {
        steps_.push_back(step);
        for (std::size_t v = 0; v < index_.size(); ++v) {
            std::span<const double> x = variable(index_[v]);
            for (auto n : neurons_) data_[v].push_back(x[n]);
        }
    }

private:
    std::size_t group_;
    std::vector<std::string> names_;
    std::vector<std::size_t> index_;
    std::vector<std::uint32_t> neurons_;
    std::int64_t interval_;
    std::vector<std::int64_t> steps_;
    std::vector<std::vector<double>> data_;
};

}  // namespace brainweave::spiking

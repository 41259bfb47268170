#pragma once
// A projection: the synapses from one group to a receptor of another, stored compactly by source
// (CSR), and the delivery of spikes through a delay ring.
//
// Storage per synapse: the target index (4 bytes), plus the weight (8 bytes) only if weights differ
// between synapses, plus the delay in steps (2 bytes) only if delays differ. Homogeneous weights
// and delays are stored once per projection (as NEST's *_hom_w synapses do). Each source's row is
// sorted by target (stably, so synapses onto the same target keep their order), which lets
// threads deliver into disjoint target ranges.
//
// Delivery order (reproduces Brian 2's spike queue, so sums onto one target are bitwise equal):
// in step n, first the input that was scheduled for step n by earlier spikes, in the order it
// was scheduled (older spikes first, then by source, then by synapse), then the zero-delay synapses
// of the spikes of step n. A spike at step s through a synapse of delay d (steps) is delivered in
// step s + d, after the update and threshold of that step: it affects the membrane from step
// s + d + 1 on.
#include <brainweave/core/error.hpp>
#include <brainweave/spiking/connect.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

namespace brainweave::spiking {

/// What each synapse of a projection carries: weight and delay (time units), each either one value
/// for all synapses or, with an explicit list, one per synapse; and the target receptor by name.
struct synapse_spec {
    std::vector<double> weight{1.0};
    std::vector<double> delay{0.0};
    std::string receptor = "ex";
};

class projection {
public:
    projection(std::string name, std::size_t pre, std::size_t post, std::size_t receptor)
        : name_(std::move(name)), pre_(pre), post_(post), receptor_(receptor) {}

    /// Builds the synapses of `rule` between groups of sizes n_pre and n_post.
    void build(const connection_rule& rule, std::size_t n_pre, std::size_t n_post, bool same_group,
               std::uint64_t seed, const synapse_spec& syn, double dt) {
        n_post_ = n_post;
        row_.assign(n_pre + 1, 0);
        for_each_synapse(rule, n_pre, n_post, same_group, seed,
                         [&](std::uint32_t i, std::uint32_t, std::size_t) { ++row_[i + 1]; });
        std::partial_sum(row_.begin(), row_.end(), row_.begin());
        const std::size_t n = row_.back();
        auto values = [&](const std::vector<double>& v, const char* what) {
            if (v.size() != 1 && v.size() != n)
                throw config_error("projection '" + name_ + "': " + std::to_string(v.size()) + " " + what +
                                   " values for " + std::to_string(n) + " synapses (give 1 or one per synapse)");
            for (double x : v)
                if (!std::isfinite(x)) throw config_error("projection '" + name_ + "': " + what + " values must be finite");
        };
        values(syn.weight, "weight");
        values(syn.delay, "delay");
        std::vector<std::uint16_t> delay_steps(syn.delay.size());
        for (std::size_t k = 0; k < syn.delay.size(); ++k) {
            const double d = std::round(syn.delay[k] / dt);
            if (syn.delay[k] < 0 || d > std::numeric_limits<std::uint16_t>::max())
                throw config_error("projection '" + name_ + "': delay " + std::to_string(syn.delay[k]) + " of synapse " +
                                   std::to_string(k) + " must be >= 0 and at most 65535 steps");
            delay_steps[k] = static_cast<std::uint16_t>(d);
        }
        const bool hom_w = syn.weight.size() == 1 || std::ranges::all_of(syn.weight, [&](double w) { return w == syn.weight[0]; });
        const bool hom_d = delay_steps.size() == 1 || std::ranges::all_of(delay_steps, [&](auto d) { return d == delay_steps[0]; });
        target_.resize(n);
        weight_.assign(hom_w ? 1 : n, syn.weight[0]);
        delay_.assign(hom_d ? 0 : n, 0);
        hom_delay_ = delay_steps[0];
        std::vector<std::size_t> fill(row_.begin(), row_.end() - 1);
        for_each_synapse(rule, n_pre, n_post, same_group, seed, [&](std::uint32_t i, std::uint32_t j, std::size_t k) {
            const std::size_t at = fill[i]++;
            target_[at] = j;
            if (!hom_w) weight_[at] = syn.weight[k];
            if (!hom_d) delay_[at] = delay_steps[k];
        });
        sort_rows_by_target();
        max_delay_ = hom_d ? hom_delay_ : (delay_.empty() ? 0 : *std::ranges::max_element(delay_));
    }

    const std::string& name() const noexcept { return name_; }
    std::size_t pre() const noexcept { return pre_; }
    std::size_t post() const noexcept { return post_; }
    std::size_t receptor() const noexcept { return receptor_; }
    std::size_t size() const noexcept { return target_.size(); }
    std::size_t n_pre() const noexcept { return row_.empty() ? 0 : row_.size() - 1; }
    bool homogeneous_weight() const noexcept { return weight_.size() == 1; }
    bool homogeneous_delay() const noexcept { return delay_.empty(); }
    std::uint32_t max_delay() const noexcept { return max_delay_; }
    /// Bytes held by the synapses (targets, weights, delays, row offsets).
    std::size_t bytes() const noexcept {
        return target_.size() * sizeof(std::uint32_t) + weight_.size() * sizeof(double) +
               delay_.size() * sizeof(std::uint16_t) + row_.size() * sizeof(std::size_t);
    }
    /// The synapses of source i: targets, and weights/delays (one value if homogeneous).
    std::span<const std::uint32_t> targets(std::size_t i) const noexcept {
        return {target_.data() + row_[i], row_[i + 1] - row_[i]};
    }
    double weight(std::size_t synapse) const noexcept { return weight_[weight_.size() == 1 ? 0 : synapse]; }
    std::uint32_t delay(std::size_t synapse) const noexcept { return delay_.empty() ? hom_delay_ : delay_[synapse]; }
    std::size_t row_begin(std::size_t i) const noexcept { return row_[i]; }

    // --- run time ------------------------------------------------------------------------------------
    /// Points the projection at the receptor array of its target and sizes the ring (spikes in
    /// flight are kept when it has its size already: a network prepared again, or restored).
    void bind(double* receptor, double scale) {
        input_ = receptor;
        scale_ = scale;
        hom_scaled_ = weight_[0] * scale;
        const std::size_t slots = homogeneous_delay() ? hom_delay_ : max_delay_ + 1u;
        if (ring_.size() != slots) ring_.assign(slots, {});
    }

    /// Checkpoint records: the spikes in flight (after bind). The synapses themselves are
    /// configuration; their number and a hash of their targets and delays are checked.
    template <class Archive>
    void serialize(Archive& ar) {
        ar.same("projection", name_);
        ar.same("synapses", target_.size());
        std::uint64_t h = 1469598103934665603ull;
        auto mix = [&](std::uint64_t x) { h = (h ^ x) * 1099511628211ull; };
        for (auto t : target_) mix(t);
        for (auto d : delay_) mix(d);
        ar.same("hash of targets and delays", h);
        ar.same("delay slots", ring_.size());
        ar("spikes in flight", ring_);
        if constexpr (Archive::loading)
            for (const auto& slot : ring_)
                for (auto k : slot)
                    if (k >= (homogeneous_delay() ? n_pre() : target_.size()))
                        throw io_error(ar.source() + ": projection '" + name_ + "' has a spike in flight from outside it");
    }

    /// Applies the input due in `step` to targets in [lo, hi). `spikes` are the sources that
    /// spiked in this step. May run concurrently for disjoint target ranges.
    void deliver(std::int64_t step, std::span<const std::uint32_t> spikes, std::uint32_t lo, std::uint32_t hi) const noexcept {
        if (homogeneous_delay()) {
            if (hom_delay_ == 0) {
                for (auto s : spikes) apply_row(s, lo, hi);
            } else {
                for (auto s : ring_[slot(step)]) apply_row(s, lo, hi);
            }
            return;
        }
        for (auto k : ring_[slot(step)]) {  // synapse indices scheduled for this step
            const auto t = target_[k];
            if (t >= lo && t < hi) input_[t] += synaptic_weight(k);
        }
        for (auto s : spikes)
            for (std::size_t k = row_[s]; k < row_[s + 1]; ++k)
                if (delay_[k] == 0 && target_[k] >= lo && target_[k] < hi) input_[target_[k]] += synaptic_weight(k);
    }

    /// After every range has been delivered: frees this step's slot and schedules the spikes of
    /// this step. Runs on one thread.
    void commit(std::int64_t step, std::span<const std::uint32_t> spikes) {
        if (homogeneous_delay()) {
            if (hom_delay_ > 0) ring_[slot(step)].assign(spikes.begin(), spikes.end());
            return;
        }
        ring_[slot(step)].clear();
        for (auto s : spikes)
            for (std::size_t k = row_[s]; k < row_[s + 1]; ++k)
                if (delay_[k] > 0) ring_[slot(step + delay_[k])].push_back(static_cast<std::uint32_t>(k));
    }

private:
    std::size_t slot(std::int64_t step) const noexcept {
        return static_cast<std::size_t>(step % static_cast<std::int64_t>(ring_.size()));
    }
    double synaptic_weight(std::size_t k) const noexcept {
        return weight_.size() == 1 ? hom_scaled_ : (scale_ == 1.0 ? weight_[k] : weight_[k] * scale_);
    }
    void apply_row(std::uint32_t s, std::uint32_t lo, std::uint32_t hi) const noexcept {
        const std::uint32_t* t = target_.data();
        std::size_t b = row_[s], e = row_[s + 1];
        if (lo > 0) b = static_cast<std::size_t>(std::lower_bound(t + b, t + e, lo) - t);
        if (hi < n_post_) e = static_cast<std::size_t>(std::lower_bound(t + b, t + e, hi) - t);
        double* in = input_;
        if (weight_.size() == 1) {
            const double w = hom_scaled_;
            for (std::size_t k = b; k < e; ++k) in[t[k]] += w;
        } else {
            for (std::size_t k = b; k < e; ++k) in[t[k]] += synaptic_weight(k);
        }
    }
    void sort_rows_by_target() {
        std::vector<std::size_t> order;
        for (std::size_t i = 0; i + 1 < row_.size(); ++i) {
            const std::size_t b = row_[i], e = row_[i + 1];
            if (std::is_sorted(target_.begin() + static_cast<std::ptrdiff_t>(b), target_.begin() + static_cast<std::ptrdiff_t>(e)))
                continue;
            order.resize(e - b);
            std::iota(order.begin(), order.end(), b);
            std::ranges::stable_sort(order, [&](std::size_t x, std::size_t y) { return target_[x] < target_[y]; });
            auto permute = [&](auto& v) {
                if (v.size() != target_.size()) return;
                std::vector<std::remove_cvref_t<decltype(v[0])>> tmp(order.size());
                for (std::size_t k = 0; k < order.size(); ++k) tmp[k] = v[order[k]];
                std::ranges::copy(tmp, v.begin() + static_cast<std::ptrdiff_t>(b));
            };
            permute(weight_);
            permute(delay_);
            permute(target_);
        }
    }

    std::string name_;
    std::size_t pre_, post_, receptor_;
    std::size_t n_post_ = 0;
    std::vector<std::size_t> row_;
    std::vector<std::uint32_t> target_;
    std::vector<double> weight_;
    std::vector<std::uint16_t> delay_;
    std::uint32_t hom_delay_ = 0, max_delay_ = 0;
    double* input_ = nullptr;
    double scale_ = 1.0, hom_scaled_ = 0.0;
    std::vector<std::vector<std::uint32_t>> ring_;  // sources (homogeneous delay) or synapse indices
};

}  // namespace brainweave::spiking

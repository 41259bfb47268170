#pragma once
// Region-level monitors with TVB's semantics and time stamps (TVB `monitors`):
//
// | monitor           | records at step n                          | time stamp            |
// |-------------------|--------------------------------------------|-----------------------|
// | raw               | every step                                 | n dt                  |
// | sub_sample        | n % istep == 0                             | n dt                  |
// | temporal_average  | mean of the last istep states (see below)  | (n - istep/2) dt      |
// | global_average    | n % istep == 0: mean over nodes            | n dt                  |
// | spatial_average   | n % istep == 0: mean over each area of a   | n dt                  |
// |                   | mask (default: hemispheres)                |                       |
// | afferent_coupling | n % istep == 0: the coupling terms         | n dt                  |
//
// istep = rint(period / dt). TemporalAverage keeps a zero-initialised stock of istep states and
// writes state n into slot (n % istep) - 1 (slot istep - 1 when n % istep == 0). Because a run
// starts in the middle of a period, TVB's first average includes zeros of the unfilled stock;
// this is reproduced deliberately for parity.
#include <brainweave/concepts/monitor.hpp>
#include <brainweave/monitors/output.hpp>

#include <algorithm>
#include <numeric>
#include <string_view>
#include <variant>

namespace brainweave::monitors {

inline constexpr double default_period = 0.9765625;  // TVB's default, 1024 Hz

struct raw : detail::voi_selection {
    static constexpr std::string_view name = "Raw";
    void configure(const monitor_context& ctx) {
        ctx_ = ctx;
        voi_ = resolve(ctx, name);
        detail::init_output(out_, ctx, voi_, ctx.n_nodes);
    }
    void record(std::int64_t step, const double* state, const double*) {
        out_.time.push_back(static_cast<double>(step) * ctx_.dt);
        detail::append_sample(ctx_, voi_, state, out_.data);
    }
    const monitor_output& output() const noexcept { return out_; }

private:
    monitor_context ctx_;
    std::vector<std::size_t> voi_;
    monitor_output out_;
};

struct sub_sample : detail::voi_selection {
    static constexpr std::string_view name = "SubSample";
    double period = default_period;
    void configure(const monitor_context& ctx) {
        ctx_ = ctx;
        voi_ = resolve(ctx, name);
        istep_ = detail::period_in_steps(period, ctx.dt, name);
        detail::init_output(out_, ctx, voi_, ctx.n_nodes);
    }
    void record(std::int64_t step, const double* state, const double*) {
        if (step % istep_ != 0) return;
        out_.time.push_back(static_cast<double>(step) * ctx_.dt);
        detail::append_sample(ctx_, voi_, state, out_.data);
    }
    const monitor_output& output() const noexcept { return out_; }

private:
    monitor_context ctx_;
    std::vector<std::size_t> voi_;
    std::int64_t istep_ = 1;
    monitor_output out_;
};

struct temporal_average : detail::voi_selection {
    static constexpr std::string_view name = "TemporalAverage";
    double period = default_period;
    void configure(const monitor_context& ctx) {
        ctx_ = ctx;
        voi_ = resolve(ctx, name);
        istep_ = detail::period_in_steps(period, ctx.dt, name);
        sample_size_ = voi_.size() * ctx.n_nodes * ctx.n_modes;
        stock_.assign(static_cast<std::size_t>(istep_) * sample_size_, 0.0);
        scratch_.clear();
        detail::init_output(out_, ctx, voi_, ctx.n_nodes);
    }
    void record(std::int64_t step, const double* state, const double*) {
        const std::int64_t r = step % istep_;
        const std::size_t slot = static_cast<std::size_t>(r == 0 ? istep_ - 1 : r - 1);
        scratch_.clear();
        detail::append_sample(ctx_, voi_, state, scratch_);
        std::copy(scratch_.begin(), scratch_.end(), stock_.begin() + static_cast<std::ptrdiff_t>(slot * sample_size_));
        if (r != 0) return;
        out_.time.push_back((static_cast<double>(step) - static_cast<double>(istep_) / 2.0) * ctx_.dt);
        for (std::size_t k = 0; k < sample_size_; ++k) {
            double s = 0.0;
            for (std::int64_t t = 0; t < istep_; ++t) s += stock_[static_cast<std::size_t>(t) * sample_size_ + k];
            out_.data.push_back(s / static_cast<double>(istep_));
        }
    }
    const monitor_output& output() const noexcept { return out_; }

private:
    monitor_context ctx_;
    std::vector<std::size_t> voi_;
    std::int64_t istep_ = 1;
    std::size_t sample_size_ = 0;
    std::vector<double> stock_, scratch_;
    monitor_output out_;
};

/// Averages over groups of nodes given by a mask (one group index per node, groups numbered
/// contiguously from 0). Shared by global_average (one group) and spatial_average.
struct grouped_average_base : detail::voi_selection {
    double period = default_period;

protected:
    void configure_groups(const monitor_context& ctx, std::vector<std::size_t> mask, std::string_view name) {
        ctx_ = ctx;
        voi_ = resolve(ctx, name);
        istep_ = detail::period_in_steps(period, ctx.dt, name);
        if (mask.size() != ctx.n_nodes)
            throw config_error(std::string(name) + " monitor: spatial_mask has " + std::to_string(mask.size()) +
                               " entries for " + std::to_string(ctx.n_nodes) + " nodes");
        n_groups_ = mask.empty() ? 0 : *std::max_element(mask.begin(), mask.end()) + 1;
        std::vector<std::size_t> count(n_groups_, 0);
        for (auto g : mask) ++count[g];
        for (std::size_t g = 0; g < n_groups_; ++g)
            if (count[g] == 0)
                throw config_error(std::string(name) + " monitor: spatial_mask must number its areas contiguously "
                                   "from 0; area " + std::to_string(g) + " has no node");
        mask_ = std::move(mask);
        weight_.resize(n_groups_);
        for (std::size_t g = 0; g < n_groups_; ++g) weight_[g] = 1.0 / static_cast<double>(count[g]);
        detail::init_output(out_, ctx, voi_, n_groups_);
    }
    void record_groups(std::int64_t step, const double* state, bool divide) {
        if (step % istep_ != 0) return;
        out_.time.push_back(static_cast<double>(step) * ctx_.dt);
        const std::size_t nm = ctx_.n_modes, block = ctx_.n_state * nm;
        const std::size_t base = out_.data.size();
        out_.data.resize(base + voi_.size() * n_groups_ * nm, 0.0);
        for (std::size_t a = 0; a < voi_.size(); ++a)
            for (std::size_t i = 0; i < ctx_.n_nodes; ++i)
                for (std::size_t m = 0; m < nm; ++m) {
                    const double x = state[i * block + voi_[a] * nm + m];
                    out_.data[base + (a * n_groups_ + mask_[i]) * nm + m] += divide ? x : weight_[mask_[i]] * x;
                }
        if (divide)
            for (std::size_t a = 0; a < voi_.size(); ++a)
                for (std::size_t g = 0; g < n_groups_; ++g)
                    for (std::size_t m = 0; m < nm; ++m)
                        out_.data[base + (a * n_groups_ + g) * nm + m] /= static_cast<double>(ctx_.n_nodes);
    }

public:
    const monitor_output& output() const noexcept { return out_; }

protected:
    monitor_context ctx_;
    std::vector<std::size_t> voi_, mask_;
    std::vector<double> weight_;
    std::size_t n_groups_ = 0;
    std::int64_t istep_ = 1;
    monitor_output out_;
};

struct global_average : grouped_average_base {
    static constexpr std::string_view name = "GlobalAverage";
    void configure(const monitor_context& ctx) { configure_groups(ctx, std::vector<std::size_t>(ctx.n_nodes, 0), name); }
    void record(std::int64_t step, const double* state, const double*) { record_groups(step, state, true); }
};

struct spatial_average : grouped_average_base {
    static constexpr std::string_view name = "SpatialAverage";
    std::vector<std::size_t> spatial_mask;  ///< empty: use default_mask
    std::string default_mask = "hemispheres";  ///< or "cortical", as TVB
    void configure(const monitor_context& ctx) {
        std::vector<std::size_t> mask = spatial_mask;
        if (mask.empty()) {
            const auto& flags = default_mask == "cortical" ? ctx.cortical : ctx.hemispheres;
            if (default_mask != "cortical" && default_mask != "hemispheres")
                throw config_error("SpatialAverage monitor: default_mask must be 'hemispheres' or 'cortical', got '" +
                                   default_mask + "'");
            if (flags.size() != ctx.n_nodes)
                throw config_error("SpatialAverage monitor: no spatial_mask given and the connectivity has no " +
                                   default_mask + " information");
            for (bool f : flags) mask.push_back(f ? 1 : 0);
        }
        configure_groups(ctx, std::move(mask), name);
    }
    void record(std::int64_t step, const double* state, const double*) { record_groups(step, state, false); }
};

struct afferent_coupling {
    static constexpr std::string_view name = "AfferentCoupling";
    double period = default_period;
    void configure(const monitor_context& ctx) {
        ctx_ = ctx;
        istep_ = detail::period_in_steps(period, ctx.dt, name);
        out_.clear();
        out_.n_var = ctx.n_coupling;
        out_.n_space = ctx.n_nodes;
        out_.n_modes = ctx.n_modes;
        out_.variables.clear();
        for (std::size_t k = 0; k < ctx.n_coupling; ++k) out_.variables.push_back("c_" + std::to_string(k));
    }
    void record(std::int64_t step, const double*, const double* coupling) {
        if (step % istep_ != 0) return;
        out_.time.push_back(static_cast<double>(step) * ctx_.dt);
        const std::size_t nm = ctx_.n_modes, block = ctx_.n_coupling * nm;
        for (std::size_t k = 0; k < ctx_.n_coupling; ++k)
            for (std::size_t i = 0; i < ctx_.n_nodes; ++i)
                for (std::size_t m = 0; m < nm; ++m) out_.data.push_back(coupling[i * block + k * nm + m]);
    }
    const monitor_output& output() const noexcept { return out_; }

private:
    monitor_context ctx_;
    std::int64_t istep_ = 1;
    monitor_output out_;
};

/// A list of monitors chosen at run time (e.g. from a JSON file); itself a Monitor whose output()
/// is that of its first element. Use `at(k)` for each.
template <class... Ms>
struct runtime_list {
    static constexpr std::string_view name = "RuntimeList";
    using value_type = std::variant<Ms...>;
    std::vector<value_type> items;

    void configure(const monitor_context& ctx) {
        for (auto& m : items) std::visit([&](auto& x) { x.configure(ctx); }, m);
    }
    void record(std::int64_t step, const double* state, const double* coupling) {
        for (auto& m : items) std::visit([&](auto& x) { x.record(step, state, coupling); }, m);
    }
    const monitor_output& at(std::size_t k) const {
        return std::visit([](const auto& x) -> const monitor_output& { return x.output(); }, items.at(k));
    }
    std::string_view name_of(std::size_t k) const {
        return std::visit([](const auto& x) -> std::string_view { return x.name; }, items.at(k));
    }
    const monitor_output& output() const { return at(0); }
};

using any_region_monitor =
    runtime_list<raw, sub_sample, temporal_average, global_average, spatial_average, afferent_coupling>;

}  // namespace brainweave::monitors

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
// |                   | mask (default: hemispheres; on a surface   |                       |
// |                   | "region_mapping" gives region averages)    |                       |
// | afferent_coupling | n % istep == 0: the coupling terms         | n dt                  |
//
// istep = rint(period / dt). TVB's TemporalAverage keeps a zero-initialised stock of istep states
// and writes state n into slot (n % istep) - 1 (slot istep - 1 when n % istep == 0). Because a run
// starts in the middle of a period, TVB's first average includes zeros of the unfilled stock (it
// divides by istep, not by the states seen); this is reproduced deliberately for parity.
#include <brainweave/concepts/monitor.hpp>
#include <brainweave/monitors/balloon.hpp>
#include <brainweave/monitors/bold.hpp>
#include <brainweave/monitors/output.hpp>

#include <algorithm>
#include <numeric>
#include <string_view>
#include <variant>

namespace brainweave::monitors {

struct raw {
    static constexpr std::string_view name = "Raw";
    static constexpr bool uses_coupling = false;
    std::vector<std::size_t> variables_of_interest{};  ///< indices of state variables; empty = all
    detail::recorder rec_{};

    void configure(const monitor_context& ctx) { detail::configure_recorder(rec_, ctx, variables_of_interest, name, std::nullopt); }
    void record(std::int64_t step, const double* state, const double*) {
        rec_.out.time.push_back(static_cast<double>(step) * rec_.ctx.dt);
        detail::append_sample(rec_.ctx, rec_.voi, state, rec_.out.data);
    }
    BRAINWEAVE_MONITOR_OUTPUT
};

struct sub_sample {
    static constexpr std::string_view name = "SubSample";
    static constexpr bool uses_coupling = false;
    double period = default_period;
    std::vector<std::size_t> variables_of_interest{};
    detail::recorder rec_{};

    void configure(const monitor_context& ctx) {
        detail::configure_recorder(rec_, ctx, variables_of_interest, name, period);
    }
    void record(std::int64_t step, const double* state, const double*) {
        if (step % rec_.istep != 0) return;
        rec_.out.time.push_back(static_cast<double>(step) * rec_.ctx.dt);
        detail::append_sample(rec_.ctx, rec_.voi, state, rec_.out.data);
    }
    BRAINWEAVE_MONITOR_OUTPUT
};

struct temporal_average {
    static constexpr std::string_view name = "TemporalAverage";
    static constexpr bool uses_coupling = false;
    double period = default_period;
    std::vector<std::size_t> variables_of_interest{};
    detail::recorder rec_{};
    detail::window_sum st_{};  ///< states since the last sample (see window_sum)

    void configure(const monitor_context& ctx) {
        detail::configure_recorder(rec_, ctx, variables_of_interest, name, period);
        st_.reset(rec_.out.sample_size());
    }
    void record(std::int64_t step, const double* state, const double*) {
        st_.add(rec_.ctx, rec_.voi, state);
        if (step % rec_.istep != 0) return;
        rec_.out.time.push_back((static_cast<double>(step) - static_cast<double>(rec_.istep) / 2.0) * rec_.ctx.dt);
        st_.append_mean(rec_.istep, rec_.out.data);
    }
    BRAINWEAVE_MONITOR_OUTPUT
};

namespace detail {
/// Averages over groups of nodes given by a mask (one group index per node, groups numbered
/// contiguously from 0). Shared by global_average (one group) and spatial_average.
struct group_average {
    std::vector<std::size_t> mask;
    std::vector<double> weight;  ///< 1 / nodes in the group
    std::size_t n_groups = 0;

    void configure(recorder& rec, const monitor_context& ctx, std::vector<std::size_t> m, std::string_view name) {
        if (m.size() != ctx.n_nodes)
            throw config_error(std::string(name) + " monitor: spatial_mask has " + std::to_string(m.size()) +
                               " entries for " + std::to_string(ctx.n_nodes) + " nodes");
        n_groups = m.empty() ? 0 : *std::max_element(m.begin(), m.end()) + 1;
        std::vector<std::size_t> count(n_groups, 0);
        for (auto g : m) ++count[g];
        for (std::size_t g = 0; g < n_groups; ++g)
            if (count[g] == 0)
                throw config_error(std::string(name) + " monitor: spatial_mask must number its areas contiguously "
                                   "from 0; area " + std::to_string(g) + " has no node");
        mask = std::move(m);
        weight.resize(n_groups);
        for (std::size_t g = 0; g < n_groups; ++g) weight[g] = 1.0 / static_cast<double>(count[g]);
        init_output(rec.out, ctx, rec.voi, n_groups);
    }
    /// TVB's GlobalAverage divides the sum by the node count (numpy.mean); SpatialAverage takes a
    /// dot product with the 1/count weights. Both orders are kept for parity.
    void record(recorder& rec, std::int64_t step, const double* state, bool divide) const {
        if (step % rec.istep != 0) return;
        rec.out.time.push_back(static_cast<double>(step) * rec.ctx.dt);
        const std::size_t nm = rec.ctx.n_modes, n = rec.ctx.n_nodes, nv = rec.voi.size();
        const std::size_t base = rec.out.data.size();
        rec.out.data.resize(base + nv * n_groups * nm, 0.0);
        double* out = rec.out.data.data() + base;
        for (std::size_t a = 0; a < nv; ++a)
            for (std::size_t i = 0; i < rec.ctx.n_nodes; ++i)
                for (std::size_t m = 0; m < nm; ++m) {
                    const double x = state[(rec.voi[a] * nm + m) * n + i];
                    out[(a * n_groups + mask[i]) * nm + m] += divide ? x : weight[mask[i]] * x;
                }
        if (divide)
            for (std::size_t k = 0; k < nv * n_groups * nm; ++k) out[k] /= static_cast<double>(rec.ctx.n_nodes);
    }
};
}  // namespace detail

struct global_average {
    static constexpr std::string_view name = "GlobalAverage";
    static constexpr bool uses_coupling = false;
    double period = default_period;
    std::vector<std::size_t> variables_of_interest{};
    detail::recorder rec_{};
    detail::group_average groups_{};

    void configure(const monitor_context& ctx) {
        detail::configure_recorder(rec_, ctx, variables_of_interest, name, period);
        groups_.configure(rec_, ctx, std::vector<std::size_t>(ctx.n_nodes, 0), name);
    }
    void record(std::int64_t step, const double* state, const double*) { groups_.record(rec_, step, state, true); }
    BRAINWEAVE_MONITOR_OUTPUT
};

struct spatial_average {
    static constexpr std::string_view name = "SpatialAverage";
    static constexpr bool uses_coupling = false;
    double period = default_period;
    std::vector<std::size_t> variables_of_interest{};
    std::vector<std::size_t> spatial_mask{};   ///< area of each node; empty: use default_mask
    std::string default_mask = "hemispheres";  ///< or "cortical", or "region_mapping" on a surface, as TVB
    detail::recorder rec_{};
    detail::group_average groups_{};

    void configure(const monitor_context& ctx) {
        detail::configure_recorder(rec_, ctx, variables_of_interest, name, period);
        std::vector<std::size_t> mask = spatial_mask;
        if (mask.empty()) {
            if (default_mask == "region_mapping") {
                if (ctx.region_mapping.size() != ctx.n_nodes)
                    throw config_error("SpatialAverage monitor: default_mask 'region_mapping' needs a surface simulation");
                groups_.configure(rec_, ctx, ctx.region_mapping, name);
                return;
            }
            if (default_mask != "cortical" && default_mask != "hemispheres")
                throw config_error("SpatialAverage monitor: default_mask must be 'hemispheres', 'cortical' or "
                                   "'region_mapping' (surfaces), got '" + default_mask + "'");
            const auto& flags = default_mask == "cortical" ? ctx.cortical : ctx.hemispheres;
            if (flags.size() != ctx.n_nodes)
                throw config_error("SpatialAverage monitor: no spatial_mask given and the connectivity has no " +
                                   default_mask + " information");
            for (bool f : flags) mask.push_back(f ? 1 : 0);
        }
        groups_.configure(rec_, ctx, std::move(mask), name);
    }
    void record(std::int64_t step, const double* state, const double*) { groups_.record(rec_, step, state, false); }
    BRAINWEAVE_MONITOR_OUTPUT
};

struct afferent_coupling {
    static constexpr std::string_view name = "AfferentCoupling";
    double period = default_period;
    detail::recorder rec_{};

    void configure(const monitor_context& ctx) {
        rec_.ctx = ctx;
        rec_.istep = detail::period_in_steps(period, ctx.dt, name);
        rec_.out.clear();
        rec_.out.n_var = ctx.n_coupling;
        rec_.out.n_space = ctx.n_nodes;
        rec_.out.n_modes = ctx.n_modes;
        rec_.out.variables.clear();
        for (std::size_t k = 0; k < ctx.n_coupling; ++k) rec_.out.variables.push_back("c_" + std::to_string(k));
    }
    void record(std::int64_t step, const double*, const double* coupling) {
        if (step % rec_.istep != 0) return;
        rec_.out.time.push_back(static_cast<double>(step) * rec_.ctx.dt);
        const std::size_t nm = rec_.ctx.n_modes, n = rec_.ctx.n_nodes;
        for (std::size_t k = 0; k < rec_.ctx.n_coupling; ++k)
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t m = 0; m < nm; ++m) rec_.out.data.push_back(coupling[(k * nm + m) * n + i]);
    }
    BRAINWEAVE_MONITOR_OUTPUT
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
    void reserve_steps(std::int64_t steps) {
        for (auto& m : items) std::visit([&](auto& x) { reserve_monitor(x, steps); }, m);
    }
    /// Drops the samples monitor k has taken so far (see BRAINWEAVE_MONITOR_OUTPUT).
    void clear_output(std::size_t k) {
        std::visit([](auto& x) { x.clear_output(); }, items.at(k));
    }
    void clear_output() { clear_output(0); }
    /// Every monitor's records, in order (a checkpoint).
    template <class Archive>
    void serialize(Archive& ar) {
        ar.same("monitors", items.size());
        for (std::size_t k = 0; k < items.size(); ++k)
            std::visit([&](auto& x) { ar("monitor " + std::to_string(k), x); }, items[k]);
    }
};

using any_region_monitor =
    runtime_list<raw, sub_sample, temporal_average, global_average, spatial_average, afferent_coupling, bold,
                 balloon_windkessel>;

}  // namespace brainweave::monitors

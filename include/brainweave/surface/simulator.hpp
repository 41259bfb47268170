#pragma once
// The surface simulator: a neural mass on every vertex of a cortical mesh (TVB's surface
// simulation). Composed from the same policies as the region simulator (Model, Coupling,
// Integrator, Monitors...):
//
//   - the state lives on vertices, [var][mode][vertex];
//   - the delay history lives on regions: each step stores the mean of the coupling variables over
//     the vertices of every region (region mapping; summed in blocks of 256 vertices in vertex
//     order, the blocks in order, then divided by the count; TVB sums in vertex order);
//   - long-range coupling is computed per region (delayed_coupling) and applied to every vertex of
//     the region;
//   - local coupling lc_k = strength (L @ x[lcvar[k]]) with a sparse vertex operator L (a local
//     connectivity, surface/local_connectivity.hpp, or a Laplace-Beltrami operator,
//     surface/laplace_beltrami.hpp) enters the model's dfun at every integrator stage, computed
//     from that stage's values of the neighbours;
//   - monitors see vertices (n_nodes = vertices); spatial_average with default_mask
//     "region_mapping" averages them per region.
//
// One step n -> n + 1, as TVB's: stimulus and noise of the step; the integrator's stages over the
// whole field (each stage: local coupling from the stage values, then dfun per vertex with the
// region's coupling held fixed); region means of the new state into the history; coupling of
// step n + 1; monitors.
//
// Threads (set_threads): every thread integrates a block of vertices, with barriers around the
// local-coupling products, checks its vertices for non-finite values (BRAINWEAVE_CHECK_FINITE) and
// sums them per region in fixed blocks of 256 vertices; combining the blocks, the coupling and the
// monitors run on one thread while the others start the next step. Results do not depend on the
// number of threads (every sum has the same terms in the same order).
#include <brainweave/concepts/integrator.hpp>
#include <brainweave/concepts/model.hpp>
#include <brainweave/concepts/monitor.hpp>
#include <brainweave/config.hpp>
#include <brainweave/connectivity/connectivity.hpp>
#include <brainweave/core/error.hpp>
#include <brainweave/core/parameters.hpp>
#include <brainweave/core/simd.hpp>
#include <brainweave/integrators/integrators.hpp>
#include <brainweave/parallel/team.hpp>
#include <brainweave/simulator/delayed_coupling.hpp>
#include <brainweave/simulator/policies.hpp>
#include <brainweave/stimuli/region_stimulus.hpp>
#include <brainweave/surface/sparse_operator.hpp>

#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <limits>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace brainweave {

template <class Model, class Coupling, class Integrator, class... Monitors>
class surface_simulator {
    BRAINWEAVE_ASSERT_MODEL(Model);
    static_assert((Monitor<Monitors> && ...), "brainweave: every monitor must satisfy the Monitor concept "
                                               "(name, configure, record, output); see docs/concepts.md");

public:
    using model_type = Model;
    using traits = model_traits<Model>;
    using parameters_type = typename Model::parameters;
    using network_type = delayed_coupling<double, Model, Coupling>;
    static constexpr std::size_t n_state = traits::n_state;
    static constexpr std::size_t n_cvar = traits::n_cvar;
    static constexpr std::size_t n_modes = traits::n_modes;
    static constexpr std::size_t node_size = traits::node_size;
    static constexpr std::size_t n_local = traits::n_local;
    static constexpr std::size_t n_coupling = network_type::n_coupling;

    /// region_mapping: the region of every vertex (0 <= r < regions of conn; every region needs at
    /// least one vertex, since its history is the mean over its vertices).
    surface_simulator(Model, Coupling coupling, Integrator integrator, const connectivity& conn,
                      std::vector<int> region_mapping, Monitors... monitors)
        : coupling_(std::move(coupling)), integrator_(std::move(integrator)), monitors_(std::move(monitors)...) {
        conn.validate();
        init(sparse_connectivity::from_dense(conn.weights, conn.delays_in_steps(dt())), std::move(region_mapping));
        hemispheres_ = conn.hemispheres;
    }

    /// From explicit region weights and integer delays (in steps), e.g. a TVB reference case.
    template <class W, class D>
    surface_simulator(Model, Coupling coupling, Integrator integrator, const W& weights, const D& delays,
                      std::vector<int> region_mapping, Monitors... monitors)
        : coupling_(std::move(coupling)), integrator_(std::move(integrator)), monitors_(std::move(monitors)...) {
        init(sparse_connectivity::from_dense(weights, delays), std::move(region_mapping));
    }

    // --- configuration --------------------------------------------------------------------
    std::size_t n_vertices() const noexcept { return region_.size(); }
    std::size_t n_regions() const noexcept { return net_.n_nodes(); }
    const std::vector<int>& region_mapping() const noexcept { return region_; }
    double dt() const {
        return detail::visit_policy(integrator_, [](const auto& i) { return static_cast<double>(i.dt); });
    }
    std::size_t horizon() const noexcept { return net_.horizon(); }
    /// Model parameters: one value for all vertices or one per vertex, set by name.
    parameter_table<parameters_type>& parameters() noexcept {
        prepared_ = false;
        return params_;
    }
    Coupling& coupling() noexcept { return coupling_; }
    Integrator& integrator() noexcept { return integrator_; }
    const sparse_connectivity& sparse() const noexcept { return net_.sparse(); }

    /// The local coupling: lc_k = strength * (L @ x[lcvar[k]]). L is n_vertices square; TVB's
    /// Cortex.coupling_strength scales its entries once (one value, or one per target vertex).
    void set_local_coupling(const surface::sparse_operator& L, std::span<const double> strength) {
        if constexpr (n_local == 0) {
            (void)L;
            (void)strength;
            throw config_error("local coupling: model " + std::string(Model::name) +
                               " has no local-coupling term (it declares no lcvar)");
        } else {
            const auto n = static_cast<Eigen::Index>(n_vertices());
            if (L.rows() != n || L.cols() != n)
                throw config_error("local coupling: the operator is " + std::to_string(L.rows()) + " x " +
                                   std::to_string(L.cols()) + ", expected " + std::to_string(n) + " x " +
                                   std::to_string(n) + " (one row and column per vertex)");
            if (strength.size() != 1 && strength.size() != n_vertices())
                throw config_error("local coupling: expected one strength or one per vertex (" +
                                   std::to_string(n_vertices()) + "), got " + std::to_string(strength.size()));
            surface::sparse_operator C = L;
            C.makeCompressed();
            for (Eigen::Index i = 0; i < n; ++i)
                for (surface::sparse_operator::InnerIterator it(C, i); it; ++it) {
                    const double s = strength[strength.size() == 1 ? 0 : static_cast<std::size_t>(i)];
                    if (!std::isfinite(it.value()) || !std::isfinite(s))
                        throw config_error("local coupling: entry (" + std::to_string(i) + ", " + std::to_string(it.col()) +
                                           ") or its strength is not finite");
                    it.valueRef() *= s;  // TVB scales the matrix once: (s L) @ x
                }
            local_matrix_ = std::move(C);
            local_threads_ = 0;  // the product is laid out for the thread count at the next run
            has_local_ = true;
        }
    }
    void set_local_coupling(const surface::sparse_operator& L, double strength = 1.0) {
        set_local_coupling(L, std::span<const double>(&strength, 1));
    }
    void clear_local_coupling() { has_local_ = false; }

    /// Drives the model's stimulus variables with weight[vertex] f(t) (TVB's StimuliSurface).
    void set_stimulus(stimuli::region_stimulus s) {
        s.validate(n_vertices());
        stimulus_ = std::move(s);
        stim_.assign(n_vertices() * node_size, 0.0);
    }
    void clear_stimulus() {
        stimulus_.reset();
        stim_.clear();
    }

    /// Threads that integrate (0: one per hardware thread); results do not depend on it.
    void set_threads(std::size_t n) { threads_ = n == 0 ? std::max(1u, std::thread::hardware_concurrency()) : n; }

    template <std::size_t I>
    auto& monitor() {
        return std::get<I>(monitors_);
    }
    template <std::size_t I>
    const monitor_output& output() const {
        return std::get<I>(monitors_).output();
    }

    /// TVB's initial conditions of a surface simulation, shape (n_time, n_state, n_vertices, n_modes) in
    /// C order: every step is averaged to regions for the history; the last one is the current
    /// vertex state. The simulation continues from step n_time - 1.
    void set_history(std::span<const double> history, std::size_t n_time) {
        const std::size_t per_step = n_state * n_vertices() * n_modes;
        detail::check_history(history, n_time, n_state, n_vertices(), n_modes, horizon(), "initial history", "vertices");
        net_.reset(n_time);
        state_.assign(n_vertices() * node_size, 0.0);
        for (std::size_t t = 0; t < n_time; ++t) {
            detail::from_tvb_layout(history.data() + t * per_step, n_state, n_vertices(), n_modes, state_.data());
            store_all_region_means(static_cast<std::int64_t>(t));
        }
        started(n_time);
    }

    /// The same from a history already averaged to regions, (n_time, n_state, n_regions, n_modes),
    /// and the current vertex state, (n_state, n_vertices, n_modes).
    void set_region_history(std::span<const double> region_history, std::size_t n_time, std::span<const double> state) {
        const std::size_t per_step = n_state * n_regions() * n_modes;
        detail::check_history(region_history, n_time, n_state, n_regions(), n_modes, horizon(), "initial region history",
                              "regions");
        detail::check_history(state, 1, n_state, n_vertices(), n_modes, 1, "initial state (one step)", "vertices");
        net_.reset(n_time);
        std::vector<double> regions(n_regions() * node_size);
        for (std::size_t t = 0; t < n_time; ++t) {
            detail::from_tvb_layout(region_history.data() + t * per_step, n_state, n_regions(), n_modes, regions.data());
            net_.write(static_cast<std::int64_t>(t), regions.data());
        }
        state_.assign(n_vertices() * node_size, 0.0);
        detail::from_tvb_layout(state.data(), n_state, n_vertices(), n_modes, state_.data());
        started(n_time);
    }

    /// TVB's default: every vertex value of every history step uniform in the model's
    /// state_variable_range.
    void set_random_history(std::uint64_t seed) {
        std::mt19937_64 rng(seed);
        const std::size_t H = horizon();
        net_.reset(H);
        state_.assign(n_vertices() * node_size, 0.0);
        std::vector<double> drawn(n_vertices() * node_size);
        for (std::size_t t = 0; t < H; ++t) {
            detail::draw_random_state<Model>(rng, n_vertices(), drawn.data());
            detail::from_tvb_layout(drawn.data(), n_state, n_vertices(), n_modes, state_.data());
            store_all_region_means(static_cast<std::int64_t>(t));
        }
        started(H);
    }

    // --- running --------------------------------------------------------------------------
    std::int64_t current_step() const noexcept { return step_; }
    double current_time() const { return static_cast<double>(step_) * dt(); }
    /// Current vertex state, [var][mode][vertex].
    std::span<const double> state() const noexcept { return state_; }
    /// The coupling terms of the regions for the next step, [term][mode][region].
    std::span<const double> region_coupling() const noexcept { return region_coupling_; }

    void run(double duration) { run_steps(detail::steps_of(duration, dt())); }

    void run_steps(std::int64_t n_steps) {
        prepare();
        std::apply([&](auto&... m) { (reserve_monitor(m, n_steps), ...); }, monitors_);
        const std::size_t T = std::min(threads_, std::max<std::size_t>(1, n_vertices() / 256));
        if (has_local_ && local_threads_ != T) {
            std::vector<std::size_t> edges;
            for (std::size_t t = 0; t < T; ++t) edges.push_back(parallel::share(n_vertices(), t, T).begin);
            edges.push_back(n_vertices());
            local_ = surface::length_sorted_product(local_matrix_, std::move(edges));
            local_threads_ = T;
        }
        std::atomic<bool> failed{false}, non_finite{false};
        const std::int64_t start = step_;
        parallel::run_team(T, [&](std::size_t t, parallel::spin_barrier& barrier) {
            const auto r = parallel::share(n_vertices(), t, T, region_block);
            for (std::int64_t s = 0; s < n_steps; ++s) {
                // While thread 0 finishes the previous step (region means, coupling, monitors), the
                // others go on with this one up to its first barrier: stimulus, noise and the local
                // products of the first stage read nothing thread 0 writes. After that barrier
                // every thread sees whether the previous step failed, and all leave together.
                step_context ctx{barrier, failed};
                detail::visit_policy(integrator_, [&](const auto& integ) { integrate(integ, start + s + 1, r, ctx); });
                if (!ctx.aborted) {
#if BRAINWEAVE_CHECK_FINITE
                    if (!finite(r)) non_finite = true;
#endif
                    partial_region_sums(r);
                }
                barrier.arrive_and_wait();
                if (ctx.aborted) break;
                if (t == 0) {
                    try {
                        if (non_finite) report_non_finite(start + s + 1);
                        finish_step(start + s + 1);
                    } catch (...) {
                        error_ = std::current_exception();
                        failed = true;
                    }
                }
            }
        });
        if (failed) std::rethrow_exception(error_);
    }

    // --- checkpoints (see the region simulator and docs/checkpoints.md) ---------------------
    void save_checkpoint(const std::filesystem::path& path) { serial::save(path, *this, "surface simulator"); }
    /// Restores into a simulator built the way the saving one was; on any error it is left as it was.
    void load_checkpoint(const std::filesystem::path& path) { serial::restore(path, *this, "surface simulator"); }
    template <class Archive>
    void serialize(Archive& ar) {
        prepare();
        detail::serialize_run<Model>(ar, "vertices", n_vertices(), 1, dt(), step_, first_step_, state_, net_);
        detail::serialize_monitors(ar, monitors_);
        if constexpr (Archive::loading) coupling_ready_ = false;  // c(step) is recomputed from the history
    }

private:
    void init(sparse_connectivity csr, std::vector<int> region_mapping) {
        const double dt = this->dt();
        if (!(dt > 0.0) || !std::isfinite(dt)) throw config_error("integrator: dt must be > 0 ms, got " + std::to_string(dt));
        if constexpr (!detail::is_variant<Coupling>::value)
            static_assert(coupling_valid_for<Coupling, n_cvar>(),
                          "brainweave: this coupling cannot serve the model's coupling variables (see the "
                          "coupling's `requirement`)");
        net_.set_connectivity(std::move(csr));
        const std::size_t nr = net_.n_nodes();
        if (region_mapping.empty()) throw config_error("region mapping: no vertices");
        count_.assign(nr, 0);
        for (std::size_t v = 0; v < region_mapping.size(); ++v) {
            const int r = region_mapping[v];
            if (r < 0 || static_cast<std::size_t>(r) >= nr)
                throw config_error("region mapping: vertex " + std::to_string(v) + " maps to region " + std::to_string(r) +
                                   ", outside 0.." + std::to_string(nr - 1) + " of the connectivity");
            ++count_[static_cast<std::size_t>(r)];
        }
        for (std::size_t r = 0; r < nr; ++r)
            if (count_[r] == 0)
                throw config_error("region mapping: region " + std::to_string(r) +
                                   " has no vertex (its delayed state would be the mean of nothing)");
        region_ = std::move(region_mapping);
        index_region_blocks();
        threads_ = 1;
    }

    void started(std::size_t n_time) {
        step_ = static_cast<std::int64_t>(n_time) - 1;
        first_step_ = step_;  // stimuli count time from here
        has_history_ = true;
        coupling_ready_ = false;
    }

    /// Region sums in fixed blocks of vertices, whatever the number of threads: each block sums its
    /// vertices per region in vertex order (partial_region_sums, by the thread that owns the block),
    /// then the blocks' sums are added in block order (store_region_means). (TVB adds all vertices
    /// in order; the two agree to round-off, 4e-15 on g2d_surface.)
    static constexpr std::size_t region_block = 256;

    void index_region_blocks() {
        const std::size_t nv = n_vertices();
        slot_of_.assign(nv, 0);
        slot_region_.clear();
        block_slot_.assign(1, 0);
        for (std::size_t b0 = 0; b0 < nv; b0 += region_block) {
            const std::size_t first = slot_region_.size();
            for (std::size_t v = b0; v < std::min(nv, b0 + region_block); ++v) {
                std::size_t k = first;
                while (k < slot_region_.size() && slot_region_[k] != region_[v]) ++k;
                if (k == slot_region_.size()) slot_region_.push_back(region_[v]);
                slot_of_[v] = static_cast<std::uint32_t>(k);
            }
            block_slot_.push_back(slot_region_.size());
        }
        partial_.assign(n_cvar * n_modes * slot_region_.size(), 0.0);
    }

    /// The per-block sums of the coupling variables over the vertices r (whole blocks).
    void partial_region_sums(parallel::range r) {
        if (r.begin >= r.end) return;
        const std::size_t nv = n_vertices(), ns = slot_region_.size();
        const std::size_t b0 = r.begin / region_block, b1 = (r.end + region_block - 1) / region_block;
        for (std::size_t k = 0; k < n_cvar; ++k)
            for (std::size_t m = 0; m < n_modes; ++m) {
                const double* x = state_.data() + (Model::cvar[k] * n_modes + m) * nv;
                double* p = partial_.data() + (k * n_modes + m) * ns;
                std::fill(p + block_slot_[b0], p + block_slot_[b1], 0.0);
                // a run of vertices in one region is summed in a register
                std::uint32_t slot = slot_of_[r.begin];
                double acc = 0.0;
                for (std::size_t v = r.begin; v < r.end; ++v) {
                    if (slot_of_[v] != slot) {
                        p[slot] += acc;
                        slot = slot_of_[v];
                        acc = 0.0;
                    }
                    acc += x[v];
                }
                p[slot] += acc;
            }
    }

    /// The mean over each region's vertices of the coupling variables, stored as step `step`
    /// (after partial_region_sums of every block).
    void store_region_means(std::int64_t step) {
        const std::size_t nr = n_regions(), ns = slot_region_.size();
        region_cvar_.assign(nr * node_size, 0.0);  // [var][mode][region]; only coupling variables filled
        for (std::size_t k = 0; k < n_cvar; ++k)
            for (std::size_t m = 0; m < n_modes; ++m) {
                const double* p = partial_.data() + (k * n_modes + m) * ns;
                double* out = region_cvar_.data() + (Model::cvar[k] * n_modes + m) * nr;
                for (std::size_t q = 0; q < ns; ++q) out[slot_region_[q]] += p[q];
                for (std::size_t r = 0; r < nr; ++r) out[r] /= static_cast<double>(count_[r]);
            }
        net_.write(step, region_cvar_.data());
    }

    /// Both, on one thread (initial history).
    void store_all_region_means(std::int64_t step) {
        partial_region_sums({0, n_vertices()});
        store_region_means(step);
    }

    void prepare() {
        if (!has_history_) set_random_history(42);
        if (!prepared_) {
            params_.check_nodes(n_vertices(), "model (one value, or one per vertex)");
            node_data_.clear();
            for (const auto& p : params_.all()) node_data_.push_back(derive_node_data<Model>(p));
            detail::prepare_policies(coupling_, integrator_, n_regions(), n_state);
            for (auto& w : work_) w.assign(n_vertices() * node_size, 0.0);
            dW_.assign(n_vertices() * node_size, 0.0);
            lc_.assign(n_vertices() * std::max<std::size_t>(n_local, 1) * n_modes, 0.0);
            prepared_ = true;
        }
        if (!configured_monitors_) {
            auto ctx = detail::model_monitor_context<Model>(dt(), n_vertices(), n_coupling);
            ctx.region_mapping.assign(region_.begin(), region_.end());
            if (!hemispheres_.empty())
                for (int r : region_) ctx.hemispheres.push_back(hemispheres_[static_cast<std::size_t>(r)]);
            std::apply([&](auto&... m) { (m.configure(ctx), ...); }, monitors_);
            configured_monitors_ = true;
        }
        if (!coupling_ready_) {
            region_coupling_.assign(n_regions() * n_coupling * n_modes, 0.0);
            net_.compute(coupling_, step_, region_coupling_.data());
            coupling_ready_ = true;
        }
    }

    /// The part of the field one thread integrates: vertices [r.begin, r.end) of every value row.
    /// What one thread's step shares with the others: the barrier, whether an earlier step failed,
    /// and (per thread) whether this step is the first stage's and was abandoned.
    struct step_context {
        parallel::spin_barrier& barrier;
        const std::atomic<bool>& failed;
        bool first_stage = true, aborted = false;
    };

    struct field {
        surface_simulator& sim;
        parallel::range r;
        step_context& ctx;

        void deriv(const double* x, double* dx) { sim.derivatives(x, dx, r, ctx); }
        void bound(double* x) const {
            const std::size_t nv = sim.n_vertices();
            for (const auto& b : Model::state_variable_boundaries)
                for (std::size_t m = 0; m < n_modes; ++m) {
                    double* row = x + (b.variable * n_modes + m) * nv;
                    for (std::size_t v = r.begin; v < r.end; ++v) integrators::detail::clamp(row[v], b.lo, b.hi);
                }
        }
        template <class F>
        void each(F&& f) const {
            const std::size_t nv = sim.n_vertices();
            for (std::size_t k = 0; k < node_size; ++k)
                for (std::size_t v = r.begin; v < r.end; ++v) f(k * nv + v);
        }
        double* scratch(std::size_t k) { return sim.work_[k].data(); }
    };

    template <class I>
    void integrate(const I& integ, std::int64_t next, parallel::range r, step_context& ctx) {
        BRAINWEAVE_ASSERT_INTEGRATOR(I);
        const std::size_t nv = n_vertices();
        if (stimulus_) {  // the stimulus of the step to `next`, at t = (next - 1 - first_step_) dt
            const double f = stimulus_->temporal_value(static_cast<double>(next - 1 - first_step_) * dt());
            for (std::size_t v : traits::stvar)
                for (std::size_t m = 0; m < n_modes; ++m)
                    for (std::size_t i = r.begin; i < r.end; ++i)
                        stim_[(v * n_modes + m) * nv + i] = stimulus_->weight[i] * f;
        }
        if constexpr (I::noise_type::enabled) {
            for (std::size_t i = r.begin; i < r.end; ++i) {
                integrators::node_array<Model, double> x, w;
                for (std::size_t k = 0; k < node_size; ++k) x[k] = state_[k * nv + i];
                integ.noise.template increment<n_state, n_modes>(next, i, x.data(), w.data(), integ.dt);
                for (std::size_t k = 0; k < node_size; ++k) dW_[k * nv + i] = w[k];
            }
        }
        field f{*this, r, ctx};
        integ.advance(f, state_.data(), dW_.data(), stimulus_ ? stim_.data() : nullptr);
    }

    /// dx = f(x) for vertices [r.begin, r.end): the local coupling of the stage first, then the model
    /// per vertex, W vertices at a time in SIMD registers where the model allows it. Barriers: before
    /// the local products of a later stage (every thread has written its part of x), and after them
    /// (everyone has read x before anyone moves on); in the first stage x is the state, complete
    /// since the last step, and the barrier after the products also waits for thread 0's
    /// finish_step (the region coupling the model reads).
    void derivatives(const double* x, double* dx, parallel::range r, step_context& ctx) {
        const bool local = n_local > 0 && has_local_;
        if (local && !ctx.first_stage) ctx.barrier.arrive_and_wait();
        if (local && !ctx.aborted) local_products(x, r);
        if (local || ctx.first_stage) ctx.barrier.arrive_and_wait();
        if (ctx.first_stage) ctx.aborted = ctx.failed.load();
        ctx.first_stage = false;
        if (ctx.aborted) return;  // every thread goes through the same barriers and then stops
        std::size_t i = r.begin;
        if constexpr (vectorizable_model<Model>)
            if (node_data_.size() == 1) i = model_blocks<xsimd::batch<double>>(x, dx, i, r.end, local);
        model_blocks<double>(x, dx, i, r.end, local);
    }

    /// lc for the vertices r of one thread (the product is laid out in the threads' blocks).
    void local_products(const double* x, parallel::range r) {
        const std::size_t nv = n_vertices();
        for (std::size_t k = 0; k < n_local; ++k)
            for (std::size_t m = 0; m < n_modes; ++m)
                local_.multiply(x + (traits::lcvar[k] * n_modes + m) * nv, lc_.data() + (k * n_modes + m) * nv, r.begin, r.end);
    }

    template <class Block>
    std::size_t model_blocks(const double* x, double* dx, std::size_t first, std::size_t last, bool local) {
        constexpr std::size_t W = simd::lanes_v<Block>;
        const std::size_t nv = n_vertices(), nr = n_regions();
        std::size_t i = first;
        for (; i + W <= last; i += W) {
            std::array<Block, node_size> xb, db;
            std::array<Block, n_coupling * n_modes> cb;
            std::array<Block, std::max<std::size_t>(n_local, 1) * n_modes> lb;
            for (std::size_t k = 0; k < node_size; ++k) xb[k] = simd::load<Block>(x + k * nv + i);
            for (std::size_t k = 0; k < n_coupling * n_modes; ++k) {
                std::array<double, W> c;
                for (std::size_t j = 0; j < W; ++j) c[j] = region_coupling_[k * nr + static_cast<std::size_t>(region_[i + j])];
                cb[k] = simd::load<Block>(c.data());
            }
            const auto& d = node_data_[node_data_.size() == 1 ? 0 : i];
            if constexpr (n_local > 0) {
                if (local) {
                    for (std::size_t k = 0; k < n_local * n_modes; ++k) lb[k] = simd::load<Block>(lc_.data() + k * nv + i);
                    Model::dfun(d, xb.data(), cb.data(), db.data(), static_cast<const Block*>(lb.data()));
                } else {
                    Model::dfun(d, xb.data(), cb.data(), db.data());
                }
            } else {
                (void)local;
                Model::dfun(d, xb.data(), cb.data(), db.data());
            }
            for (std::size_t k = 0; k < node_size; ++k) simd::store(db[k], dx + k * nv + i);
        }
        return i;
    }

    /// After every thread has integrated: history, coupling, checks and monitors of step `next`.
    void finish_step(std::int64_t next) {
        step_ = next;
        store_region_means(step_);
        net_.compute(coupling_, step_, region_coupling_.data());
        const double* coupling = nullptr;
        if constexpr ((monitor_uses_coupling<Monitors>() || ...)) {
            const std::size_t nv = n_vertices(), nr = n_regions();
            vertex_coupling_.resize(nv * n_coupling * n_modes);
            for (std::size_t k = 0; k < n_coupling * n_modes; ++k)
                for (std::size_t v = 0; v < nv; ++v)
                    vertex_coupling_[k * nv + v] = region_coupling_[k * nr + static_cast<std::size_t>(region_[v])];
            coupling = vertex_coupling_.data();
        }
        std::apply([&](auto&... m) { (m.record(step_, state_.data(), coupling), ...); }, monitors_);
    }

    /// Whether the state of vertices r is finite (a bit test that vectorises; run by every thread
    /// on its own vertices).
    bool finite(parallel::range r) const noexcept {
        constexpr std::uint64_t exponent = 0x7ff0000000000000ULL;
        const std::size_t nv = n_vertices();
        std::uint64_t bad = 0;
        for (std::size_t k = 0; k < node_size; ++k)
            for (std::size_t v = r.begin; v < r.end; ++v)
                bad |= static_cast<std::uint64_t>((std::bit_cast<std::uint64_t>(state_[k * nv + v]) & exponent) == exponent);
        return bad == 0;
    }

    [[noreturn]] void report_non_finite(std::int64_t next) const {
        const std::size_t nv = n_vertices();
        std::size_t k = 0;
        while (k + 1 < state_.size() && std::isfinite(state_[k])) ++k;
        const std::size_t vertex = k % nv, var = k / nv / n_modes;
        throw numerical_error("surface simulation produced a non-finite value at step " + std::to_string(next) + " (t = " +
                                  std::to_string(static_cast<double>(next) * dt()) + " ms), vertex " + std::to_string(vertex) +
                                  " (region " + std::to_string(region_[vertex]) + "), variable " +
                                  std::string(Model::state_variables[var]),
                              next, vertex, std::string(Model::state_variables[var]));
    }

    Coupling coupling_;
    Integrator integrator_;
    std::tuple<Monitors...> monitors_;
    network_type net_;
    std::vector<int> region_;
    std::vector<std::size_t> count_;     // vertices per region
    std::vector<std::uint32_t> slot_of_;  // per vertex: its (block, region) slot in partial_
    std::vector<int> slot_region_;        // per slot: the region
    std::vector<std::size_t> block_slot_;  // per block of region_block vertices: its first slot
    std::vector<double> partial_;          // [cvar][mode][slot]: per-block region sums
    std::vector<bool> hemispheres_;      // per region, from the connectivity (may be empty)
    parameter_table<parameters_type> params_;
    std::vector<node_data_t<Model>> node_data_;
    std::vector<double> state_;          // [var][mode][vertex]
    std::vector<double> region_cvar_;    // [var][mode][region] scratch for the region means
    std::vector<double> region_coupling_, vertex_coupling_;
    std::array<std::vector<double>, 5> work_;  // the integrator's stage arrays (shared by threads)
    std::vector<double> dW_, stim_, lc_;
    surface::sparse_operator local_matrix_;  // strength * L
    surface::length_sorted_product local_;   // its product, in blocks of local_threads_ threads
    std::size_t local_threads_ = 0;
    bool has_local_ = false;
    std::optional<stimuli::region_stimulus> stimulus_;
    std::size_t threads_ = 1;
    std::exception_ptr error_;
    std::int64_t step_ = 0, first_step_ = 0;
    bool has_history_ = false, prepared_ = false, configured_monitors_ = false, coupling_ready_ = false;
};

/// Composes a surface simulator; the model type is deduced from its first argument.
template <class Model, class Coupling, class Integrator, class... Monitors>
auto make_surface_simulator(Model m, Coupling c, Integrator i, const connectivity& conn, std::vector<int> region_mapping,
                            Monitors... mons) {
    return surface_simulator<Model, Coupling, Integrator, Monitors...>(m, std::move(c), std::move(i), conn,
                                                                       std::move(region_mapping), std::move(mons)...);
}

}  // namespace brainweave

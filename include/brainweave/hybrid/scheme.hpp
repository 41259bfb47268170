#pragma once
// The hybrid scheme (Hagen et al. 2016, hybridLFPy): spikes of a point-neuron network drive
// populations of passive multicompartment cells whose transmembrane currents give the LFP, CSD and
// current dipole moment of each population and of the whole column.
//
// hybrid_scheme::run simulates every cell (threads share the cells; per-cell work is independent),
// applies each cell's forward maps block-wise (multicompartment::accumulate_signals) and sums the
// signals per population in a fixed order (blocks of 16 consecutive cells, then the blocks), so
// that results are bitwise the same for any number of threads or MPI ranks (hybrid/mpi.hpp). A
// fraction of the cells' own contributions can be kept.
//
// The kernel method: the cells are linear and their synapses current-based, so every synapse
// contributes its impulse response convolved with its presynaptic spike train. Averaging over which
// presynaptic neuron a synapse listens to gives, for cell population X and network population Y,
// the kernel H_XY(t) = (1/N_Y) sum over X's synapses from Y of their impulse responses (computed by
// one simulation per cell with every Y synapse hit once at t = 0, delays included), and the signal
// phi_X(t) = sum_Y (H_XY * nu_Y)(t), nu_Y the spike count of Y per step. It is exact in
// expectation over the wiring, and its cost no longer grows with the number of spikes
// (LFPykernels, Hagen et al. 2022). The convolution uses FFTs (Eigen's).
#include <brainweave/core/error.hpp>
#include <brainweave/extracellular/forward_models.hpp>
#include <brainweave/hybrid/populations.hpp>
#include <brainweave/multicompartment/cable.hpp>
#include <brainweave/parallel/team.hpp>

#include <Eigen/Core>
#include <unsupported/Eigen/FFT>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <complex>
#include <cstdint>
#include <exception>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace brainweave::hybrid {

/// What to measure: a set of contacts (LFP), optional CSD cylinders and the current dipole moment.
struct probes {
    extracellular::contact_positions contacts;
    double sigma = 0.3;  ///< S/m
    bool line_source = true;  ///< else point sources
    Eigen::Matrix<double, Eigen::Dynamic, 2> csd_bounds;  ///< [lower, upper) z per volume; empty: no CSD
    Eigen::VectorXd csd_radius;  ///< per volume (um)
    bool dipole = true;

    Eigen::Index lfp_rows() const { return contacts.rows(); }
    Eigen::Index csd_rows() const { return csd_bounds.rows(); }
    Eigen::Index rows() const { return lfp_rows() + csd_rows() + (dipole ? 3 : 0); }

    /// The stacked forward map [LFP; CSD; dipole] of a placed cell (rows() x segments).
    Eigen::MatrixXd forward_map(const multicompartment::segment_geometry& g) const {
        Eigen::MatrixXd M(rows(), static_cast<Eigen::Index>(g.size()));
        Eigen::Index r = 0;
        if (lfp_rows() > 0) {
            M.topRows(lfp_rows()) = line_source ? extracellular::line_source_potential(g, contacts, sigma)
                                                : extracellular::point_source_potential(g, contacts, sigma);
            r += lfp_rows();
        }
        if (csd_rows() > 0) {
            M.middleRows(r, csd_rows()) = extracellular::laminar_csd(g, csd_bounds, csd_radius);
            r += csd_rows();
        }
        if (dipole) M.middleRows(r, 3) = extracellular::current_dipole_moment(g);
        return M;
    }
};

/// Signals over time (columns: t = 0, dt, ..., tstop).
struct signals {
    Eigen::MatrixXd lfp;     ///< contacts x time (mV)
    Eigen::MatrixXd csd;     ///< volumes x time (nA/um^3)
    Eigen::MatrixXd dipole;  ///< 3 x time (nA um)
};

/// Spike trains of one presynaptic population: sorted spike times (ms) per neuron.
struct spike_trains {
    std::vector<std::vector<double>> times;

    spike_trains() = default;
    explicit spike_trains(std::size_t neurons) : times(neurons) {}
    std::size_t size() const { return times.size(); }

    /// From (sender, time) pairs, e.g. a spike recorder's senders() and times(dt) or a NEST/GDF
    /// file; senders are shifted by -first_id and must then lie in [0, neurons).
    static spike_trains from_pairs(std::span<const std::uint32_t> senders, std::span<const double> times_ms, std::size_t neurons,
                                   std::uint32_t first_id = 0) {
        if (senders.size() != times_ms.size()) throw config_error("spike_trains: senders and times differ in length");
        spike_trains s(neurons);
        for (std::size_t k = 0; k < senders.size(); ++k) {
            if (senders[k] < first_id || senders[k] - first_id >= neurons)
                throw config_error("spike_trains: sender " + std::to_string(senders[k]) + " is outside [" + std::to_string(first_id) + ", " +
                                   std::to_string(first_id + neurons) + ")");
            if (!std::isfinite(times_ms[k])) throw config_error("spike_trains: spike times must be finite (ms)");
            s.times[senders[k] - first_id].push_back(times_ms[k]);
        }
        for (auto& t : s.times) std::sort(t.begin(), t.end());
        return s;
    }
};

/// Output of a hybrid run.
struct hybrid_result {
    std::vector<double> time;             ///< ms
    std::vector<signals> population;      ///< per cell population
    signals total;
    std::vector<std::vector<signals>> single_cells;  ///< per population, the kept cells (first ones)
    double wall_seconds = 0;
};

/// Kernels of the kernel method: per cell population X, per network population Y, the response
/// (rows() x kernel samples) of X's signals to one spike of an average neuron of Y.
struct kernel_set {
    double dt_ms = 0;
    std::vector<std::vector<Eigen::MatrixXd>> H;  ///< [X][Y]
    double wall_seconds = 0;
};

class hybrid_scheme {
public:
    /// `network_sizes[Y]`: sizes of the point-neuron populations that drive the cells.
    hybrid_scheme(std::vector<layer> layers, std::vector<std::size_t> network_sizes, std::vector<cell_population> populations,
                  probes probe, double dt_ms, std::uint64_t seed)
        : layers_(std::move(layers)), sizes_(std::move(network_sizes)), specs_(std::move(populations)), probe_(std::move(probe)), dt_(dt_ms) {
        if (!(dt_ms > 0)) throw config_error("hybrid_scheme: dt must be positive (ms)");
        if (probe_.csd_radius.size() != probe_.csd_bounds.rows()) throw config_error("hybrid_scheme: one CSD radius per CSD volume expected");
        for (std::size_t x = 0; x < specs_.size(); ++x) placed_.push_back(place_population(specs_[x], layers_, sizes_, dt_, seed, x));
    }

    // The placed populations point at this object's specifications: no copies.
    hybrid_scheme(const hybrid_scheme&) = delete;
    hybrid_scheme& operator=(const hybrid_scheme&) = delete;
    hybrid_scheme(hybrid_scheme&&) = default;

    const std::vector<placed_population>& populations() const { return placed_; }
    const probes& probe() const { return probe_; }
    double dt() const { return dt_; }

    /// Per-cell simulation of every cell for tstop ms with the network's spike trains (one per
    /// network population). `keep_fraction` of each population's cells (the first ones) keep
    /// their own signals.
    hybrid_result run(const std::vector<spike_trains>& input, double tstop_ms, std::size_t threads = 1, double keep_fraction = 0) const {
        check_input(input);
        const auto t0 = std::chrono::steady_clock::now();
        const auto steps = steps_of(tstop_ms);
        const Eigen::Index T = steps + 1, R = probe_.rows();
        hybrid_result res = empty_result(steps);
        Eigen::MatrixXd all = Eigen::MatrixXd::Zero(R, T);
        for (std::size_t x = 0; x < placed_.size(); ++x) {
            const auto& pp = placed_[x];
            std::vector<std::size_t> blocks(blocks_of(pp));
            for (std::size_t b = 0; b < blocks.size(); ++b) blocks[b] = b;
            Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(R, T);
            block_sums(pp, blocks, input, steps, threads, kept_cells(pp, keep_fraction), [&](std::size_t, const Eigen::MatrixXd& m) { sum += m; },
                       [&](std::size_t, const Eigen::MatrixXd& m) { res.single_cells[x].push_back(split(m)); });
            all += sum;
            res.population.push_back(split(sum));
        }
        res.total = split(all);
        res.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return res;
    }

    /// Cells are summed in blocks of this many consecutive cells, then the blocks in order: the
    /// order that makes results independent of threads and of MPI ranks (hybrid/mpi.hpp).
    static constexpr std::size_t cells_per_block = 16;
    static std::size_t blocks_of(const placed_population& pp) { return (pp.cells.size() + cells_per_block - 1) / cells_per_block; }
    static std::size_t kept_cells(const placed_population& pp, double keep_fraction) {
        if (!(keep_fraction >= 0 && keep_fraction <= 1)) throw config_error("hybrid_scheme: keep_fraction must lie in [0, 1]");
        return static_cast<std::size_t>(std::ceil(keep_fraction * static_cast<double>(pp.cells.size()) - 1e-9));
    }

    /// The signals of the given blocks of a population (increasing), on `threads` threads:
    /// on_block(b, sum of the block's cells) in increasing b, on_kept(c, cell c's signals) for the
    /// cells c < keep among them, in increasing c.
    template <class OnBlock, class OnKept>
    void block_sums(const placed_population& pp, const std::vector<std::size_t>& blocks, const std::vector<spike_trains>& input,
                    std::int64_t steps, std::size_t threads, std::size_t keep, OnBlock&& on_block, OnKept&& on_kept) const {
        const Eigen::Index T = steps + 1, R = probe_.rows();
        std::vector<std::size_t> cells;
        for (std::size_t b : blocks)
            for (std::size_t c = b * cells_per_block; c < std::min(pp.cells.size(), (b + 1) * cells_per_block); ++c) cells.push_back(c);
        Eigen::MatrixXd acc = Eigen::MatrixXd::Zero(R, T);
        for_cells_in_order(cells.size(), threads, R, T, [&](std::size_t i, Eigen::MatrixXd& out) { simulate_cell(pp, cells[i], input, steps, out); },
                           [&](std::size_t i, const Eigen::MatrixXd& out) {
                               const std::size_t c = cells[i];
                               if (c < keep) on_kept(c, out);
                               acc += out;
                               if ((c + 1) % cells_per_block == 0 || c + 1 == pp.cells.size()) {
                                   on_block(c / cells_per_block, acc);
                                   acc.setZero();
                               }
                           });
    }

    std::int64_t steps_of(double tstop_ms) const {
        const auto steps = static_cast<std::int64_t>(std::llround(tstop_ms / dt_));
        if (steps < 1) throw config_error("hybrid_scheme::run: tstop must be at least one step");
        return steps;
    }
    hybrid_result empty_result(std::int64_t steps) const {
        hybrid_result res;
        for (std::int64_t k = 0; k <= steps; ++k) res.time.push_back(static_cast<double>(k) * dt_);
        res.single_cells.resize(placed_.size());
        return res;
    }
    signals split(const Eigen::MatrixXd& m) const {
        signals s;
        Eigen::Index r = 0;
        s.lfp = m.topRows(probe_.lfp_rows());
        r += probe_.lfp_rows();
        s.csd = m.middleRows(r, probe_.csd_rows());
        r += probe_.csd_rows();
        if (probe_.dipole) s.dipole = m.middleRows(r, 3);
        return s;
    }
    void check_input(const std::vector<spike_trains>& input) const {
        if (input.size() != sizes_.size())
            throw config_error("hybrid_scheme: expected spike trains of " + std::to_string(sizes_.size()) + " network populations, got " +
                               std::to_string(input.size()));
        for (std::size_t y = 0; y < input.size(); ++y)
            if (input[y].size() != sizes_[y])
                throw config_error("hybrid_scheme: network population " + std::to_string(y) + " has " + std::to_string(sizes_[y]) +
                                   " neurons, its spike trains " + std::to_string(input[y].size()));
    }

    /// Kernels H_XY of `length_ms` (see the header comment), from the first `cells_per_population`
    /// cells of each population (0 = all), scaled to the whole population.
    kernel_set kernels(double length_ms, std::size_t threads = 1, std::size_t cells_per_population = 0) const {
        const auto t0 = std::chrono::steady_clock::now();
        const auto steps = static_cast<std::int64_t>(std::llround(length_ms / dt_));
        if (steps < 1) throw config_error("hybrid_scheme::kernels: length must be at least one step");
        const Eigen::Index K = steps + 1, R = probe_.rows();
        kernel_set ks;
        ks.dt_ms = dt_;
        for (std::size_t x = 0; x < placed_.size(); ++x) {
            const auto& pp = placed_[x];
            const std::size_t n = cells_per_population == 0 ? pp.cells.size() : std::min(cells_per_population, pp.cells.size());
            std::vector<Eigen::MatrixXd> hx;
            for (std::size_t y = 0; y < sizes_.size(); ++y) {
                Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(R, K);
                bool any = false;
                for (const auto& ct : pp.spec->inputs) any = any || ct.pre == y;
                if (any)
                    for_cells_in_order(n, threads, R, K, [&](std::size_t c, Eigen::MatrixXd& out) { impulse_response(pp, c, y, steps, out); },
                                       [&](std::size_t, const Eigen::MatrixXd& out) { sum += out; });
                sum *= static_cast<double>(pp.cells.size()) / static_cast<double>(n) / static_cast<double>(sizes_[y]);
                hx.push_back(std::move(sum));
            }
            ks.H.push_back(std::move(hx));
        }
        ks.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return ks;
    }

    /// The kernel method's signals for the network's spike trains (same layout as run()).
    hybrid_result run_kernels(const kernel_set& ks, const std::vector<spike_trains>& input, double tstop_ms) const {
        check_input(input);
        if (ks.H.size() != placed_.size() || ks.dt_ms != dt_) throw config_error("hybrid_scheme::run_kernels: kernels of another model");
        const auto t0 = std::chrono::steady_clock::now();
        const auto steps = steps_of(tstop_ms);
        const Eigen::Index T = steps + 1, R = probe_.rows();
        // Spike counts per delivery step of each network population.
        std::vector<Eigen::VectorXd> nu;
        for (const auto& trains : input) {
            Eigen::VectorXd v = Eigen::VectorXd::Zero(T);
            for (const auto& tr : trains.times)
                for (double t : tr) {
                    const auto s = multicompartment::delivery_step(t, dt_);
                    if (s >= 0 && s < T) v(s) += 1;
                }
            nu.push_back(std::move(v));
        }
        hybrid_result res = empty_result(steps);
        Eigen::MatrixXd all = Eigen::MatrixXd::Zero(R, T);
        for (std::size_t x = 0; x < placed_.size(); ++x) {
            Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(R, T);
            for (std::size_t y = 0; y < nu.size(); ++y)
                if (ks.H[x][y].cwiseAbs().maxCoeff() > 0) sum += convolve(ks.H[x][y], nu[y], T);
            all += sum;
            res.population.push_back(split(sum));
        }
        res.total = split(all);
        res.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return res;
    }

    /// Causal convolution of each row of H (rows x K) with v, first T samples (FFT).
    static Eigen::MatrixXd convolve(const Eigen::MatrixXd& H, const Eigen::VectorXd& v, Eigen::Index T) {
        std::size_t n = 1;
        while (n < static_cast<std::size_t>(T + H.cols())) n <<= 1;
        Eigen::FFT<double> fft;
        std::vector<double> a(n, 0.0), b(n, 0.0), out;
        std::vector<std::complex<double>> fa, fb;
        for (Eigen::Index k = 0; k < std::min<Eigen::Index>(T, v.size()); ++k) a[static_cast<std::size_t>(k)] = v(k);
        fft.fwd(fa, a);
        Eigen::MatrixXd y(H.rows(), T);
        for (Eigen::Index r = 0; r < H.rows(); ++r) {
            std::fill(b.begin(), b.end(), 0.0);
            for (Eigen::Index k = 0; k < H.cols(); ++k) b[static_cast<std::size_t>(k)] = H(r, k);
            fft.fwd(fb, b);
            for (std::size_t k = 0; k < fb.size(); ++k) fb[k] *= fa[k];
            fft.inv(out, fb);
            for (Eigen::Index k = 0; k < T; ++k) y(r, k) = out[static_cast<std::size_t>(k)];
        }
        return y;
    }

private:
    // Runs work(c, buffer) for c in [0, n) on `threads` threads and commit(c, buffer) strictly in
    // the order c = 0, 1, ..., so sums are independent of the thread count.
    template <class Work, class Commit>
    static void for_cells_in_order(std::size_t n, std::size_t threads, Eigen::Index rows, Eigen::Index cols, Work&& work, Commit&& commit) {
        threads = std::max<std::size_t>(1, std::min(threads, n));
        std::atomic<std::size_t> next{0}, committed{0};
        std::exception_ptr failure;
        std::mutex failure_lock;
        std::atomic<bool> failed{false};
        parallel::run_team(threads, [&](std::size_t, parallel::spin_barrier&) {
            Eigen::MatrixXd buf(rows, cols);
            for (;;) {
                const std::size_t c = next.fetch_add(1);
                if (c >= n) break;
                if (!failed.load()) {
                    try {
                        buf.setZero();
                        work(c, buf);
                    } catch (...) {
                        std::lock_guard<std::mutex> g(failure_lock);
                        if (!failure) failure = std::current_exception();
                        failed = true;
                    }
                }
                while (committed.load(std::memory_order_acquire) != c) std::this_thread::yield();
                if (!failed.load()) commit(c, buf);
                committed.store(c + 1, std::memory_order_release);
            }
        });
        if (failure) std::rethrow_exception(failure);
    }

    void simulate_cell(const placed_population& pp, std::size_t c, const std::vector<spike_trains>& input, std::int64_t steps,
                       Eigen::MatrixXd& out) const {
        const cell_instance& ci = pp.cells[c];
        multicompartment::passive_cell cell(pp.cell.nodes, pp.spec->passive, dt_);
        multicompartment::spike_schedule sched;
        for (const auto& s : ci.synapses) {
            const connection_type& ct = pp.spec->inputs[s.type];
            const auto ch = cell.add_synapse({s.segment, ct.tau_ms, ct.weight_nA, ct.kernel});
            for (double t : input[ct.pre].times[s.pre_neuron]) sched.add(t + s.delay_ms, dt_, ch, ct.weight_nA);
        }
        sched.sort();
        multicompartment::accumulate_signals(cell, sched, steps, probe_.forward_map(ci.geometry), out);
    }

    void impulse_response(const placed_population& pp, std::size_t c, std::size_t y, std::int64_t steps, Eigen::MatrixXd& out) const {
        const cell_instance& ci = pp.cells[c];
        multicompartment::passive_cell cell(pp.cell.nodes, pp.spec->passive, dt_);
        multicompartment::spike_schedule sched;
        for (const auto& s : ci.synapses) {
            const connection_type& ct = pp.spec->inputs[s.type];
            if (ct.pre != y) continue;
            const auto ch = cell.add_synapse({s.segment, ct.tau_ms, ct.weight_nA, ct.kernel});
            sched.add(s.delay_ms, dt_, ch, ct.weight_nA);
        }
        sched.sort();
        multicompartment::accumulate_signals(cell, sched, steps, probe_.forward_map(ci.geometry), out);
    }

    std::vector<layer> layers_;
    std::vector<std::size_t> sizes_;
    std::vector<cell_population> specs_;
    std::vector<placed_population> placed_;
    probes probe_;
    double dt_;
};

}  // namespace brainweave::hybrid

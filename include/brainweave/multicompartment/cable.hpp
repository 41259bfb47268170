#pragma once
// Passive cable solver on a node graph (discretization.hpp) with current-based synapses.
//
// Each step solves the tree-structured linear system of the cable equation by the Hines algorithm:
// elimination from the leaves to the root and substitution back, O(n) in node order (parents before
// children), no dense matrices. The matrix of a passive cell does not change, so its elimination
// factors are computed once; a step costs a few multiply-adds per node.
//
// Schemes (NEURON's fixed step):
//  - backward_euler: (C/dt + G_leak + G_axial) v' = C/dt v + G_leak e_pas + I_syn.
//  - crank_nicolson: the same system with dt/2 gives v at mid-step; v' = 2 v_mid - v (NEURON's
//    secondorder = 1). The leak current is then taken at mid-step.
// Units: mV, nA, ms, uS, nF. Membrane capacitance C = cm * area * 1e-5 nF, leak conductance
// area / rm * 1e-2 uS (area um^2, cm uF/cm^2, rm ohm cm^2), axial conductance 1 / ri (ri MOhm).
//
// Synapses inject current (positive depolarizes) i(t) = w k(t - t_spike) per input spike:
//  - exponential: k(s) = exp(-s / tau)      (NEURON ExpISyn, tests/data/lfp/expsyni_ev.mod)
//  - alpha:       k(s) = (s / tau) exp(1 - s / tau)   (peak 1 at s = tau)
// A spike at time t is delivered at the start of step n = ceil(t / dt - 1/2) (the step whose
// interval contains t to within half a step, as NEURON's fixed-step event delivery); the step uses
// the synaptic state after delivery and the state then decays exactly over dt.
//
// Transmembrane current per segment (nA, positive outward): capacitive + leak - synaptic, which
// sums to zero over the cell (charge conservation; checked in the tests).
#include <brainweave/core/error.hpp>
#include <brainweave/multicompartment/discretization.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace brainweave::multicompartment {

enum class time_scheme { backward_euler, crank_nicolson };
enum class synapse_kernel { exponential, alpha };

/// A current-based synapse on a segment.
struct current_synapse {
    int segment = 0;
    double tau_ms = 0.5;
    double weight_nA = 0.0;
    synapse_kernel kernel = synapse_kernel::exponential;
};

/// Step index at which a spike at time `t_ms` is delivered (see the header comment).
inline std::int64_t delivery_step(double t_ms, double dt_ms) {
    return static_cast<std::int64_t>(std::ceil(t_ms / dt_ms - 0.5 - 1e-9));
}

/// A passive multicompartment cell advanced by fixed steps.
class passive_cell {
public:
    passive_cell(node_graph nodes, const passive_properties& props, double dt_ms,
                 time_scheme scheme = time_scheme::backward_euler)
        : g_(std::move(nodes)), props_(props), dt_(dt_ms), scheme_(scheme) {
        g_.validate();
        props_.validate();
        if (!(dt_ms > 0) || !std::isfinite(dt_ms)) throw config_error("passive_cell: dt must be positive (ms)");
        const std::size_t n = g_.size();
        nseg_ = g_.segments();
        seg_node_.assign(nseg_, 0);
        for (std::size_t i = 0; i < n; ++i)
            if (g_.segment[i] >= 0) seg_node_[static_cast<std::size_t>(g_.segment[i])] = static_cast<int>(i);
        c_over_h_.assign(n, 0.0);
        gl_.assign(n, 0.0);
        a_.assign(n, 0.0);
        const double h = scheme_ == time_scheme::crank_nicolson ? dt_ / 2 : dt_;
        std::vector<double> d(n, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            c_over_h_[i] = props_.cm_uF_per_cm2 * g_.area[i] * 1e-5 / h;
            gl_[i] = g_.area[i] / props_.rm_ohm_cm2 * 1e-2;
            d[i] += c_over_h_[i] + gl_[i];
            if (i > 0) {
                const double gax = 1.0 / g_.ri[i];
                a_[i] = -gax;
                d[i] += gax;
                d[static_cast<std::size_t>(g_.parent[i])] += gax;
            }
        }
        // Eliminate once: the matrix is constant. After this, inv_d_ holds the pivots' inverses and
        // f_ the factors that carry a child's right-hand side to its parent.
        f_.assign(n, 0.0);
        for (std::size_t i = n; i-- > 1;) {
            const auto p = static_cast<std::size_t>(g_.parent[i]);
            f_[i] = a_[i] / d[i];
            d[p] -= f_[i] * a_[i];
        }
        inv_d_.resize(n);
        a_inv_d_.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            if (!(d[i] > 0)) throw config_error("passive_cell: node " + std::to_string(i) + " has no conductance to the rest of the cell");
            inv_d_[i] = 1.0 / d[i];
            a_inv_d_[i] = a_[i] / d[i];
        }
        // Runs of nodes whose parent is the previous node (unbranched cable), as [runs_[r], runs_[r+1]).
        for (std::size_t i = 0; i < n; ++i)
            if (i == 0 || g_.parent[i] != static_cast<int>(i) - 1) runs_.push_back(i);
        runs_.push_back(n);
        v_.assign(n, props_.v_init_mV);
        b_.assign(n, 0.0);
        rhs_.assign(n, 0.0);
        gle_.resize(n);
        c_plus_g_.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            gle_[i] = gl_[i] * props_.e_pas_mV;
            c_plus_g_[i] = c_over_h_[i] + gl_[i];
        }
        imem_.assign(nseg_, 0.0);
        vseg_.assign(nseg_, props_.v_init_mV);
    }

    /// Adds a synapse; returns its channel. Synapses with the same segment, tau and kernel share a
    /// channel (their currents add linearly); `weight_nA` is the default weight of deliver().
    std::size_t add_synapse(const current_synapse& s) {
        if (s.segment < 0 || static_cast<std::size_t>(s.segment) >= nseg_)
            throw config_error("passive_cell: synapse on segment " + std::to_string(s.segment) + ", the cell has " +
                               std::to_string(nseg_) + " segments");
        if (!(s.tau_ms > 0) || !std::isfinite(s.tau_ms)) throw config_error("passive_cell: synapse tau must be positive (ms)");
        if (!std::isfinite(s.weight_nA)) throw config_error("passive_cell: synapse weight must be finite (nA)");
        const auto key = std::make_tuple(s.segment, s.tau_ms, static_cast<int>(s.kernel));
        auto [it, fresh] = channel_of_.try_emplace(key, channels_.size());
        if (fresh) {
            channel c;
            c.node = seg_node_[static_cast<std::size_t>(s.segment)];
            c.decay = std::exp(-dt_ / s.tau_ms);
            c.alpha = s.kernel == synapse_kernel::alpha;
            c.alpha_drive = std::exp(1.0) / s.tau_ms;
            channels_.push_back(c);
        }
        return it->second;
    }

    /// Delivers a spike of the given weight (nA) to a channel at the start of the next step.
    void deliver(std::size_t channel_index, double weight_nA) {
        channel& c = channels_[channel_index];
        if (c.alpha) c.rate += weight_nA * c.alpha_drive;
        else c.current += weight_nA;
    }

    /// Back to v_init with silent synapses.
    void reset() {
        std::fill(v_.begin(), v_.end(), props_.v_init_mV);
        std::fill(imem_.begin(), imem_.end(), 0.0);
        for (channel& c : channels_) c.current = c.rate = 0;
    }

    /// Advances one step of dt.
    void step() {
        const std::size_t n = v_.size();
        for (std::size_t i = 0; i < n; ++i) rhs_[i] = b_[i] = c_over_h_[i] * v_[i] + gle_[i];
        for (const channel& c : channels_) {
            b_[static_cast<std::size_t>(c.node)] += c.current;
            rhs_[static_cast<std::size_t>(c.node)] += c.current;
        }
        // Elimination towards the root, then substitution back, run by run: inside a run each node's
        // parent is the node before it, so the running value stays in a register and each node
        // costs one dependent multiply-add (the loop is bound by that dependency chain).
        for (std::size_t r = runs_.size() - 1; r-- > 0;) {
            const std::size_t first = runs_[r], last = runs_[r + 1] - 1;
            double acc = b_[last];
            for (std::size_t i = last; i > first; --i) {
                b_[i] = acc;
                acc = b_[i - 1] - f_[i] * acc;
            }
            b_[first] = acc;
            if (first > 0) b_[static_cast<std::size_t>(g_.parent[first])] -= f_[first] * acc;
        }
        for (std::size_t r = 0; r + 1 < runs_.size(); ++r) {
            const std::size_t first = runs_[r], end = runs_[r + 1];
            double prev = first == 0 ? b_[0] * inv_d_[0]
                                     : b_[first] * inv_d_[first] - a_inv_d_[first] * b_[static_cast<std::size_t>(g_.parent[first])];
            b_[first] = prev;
            for (std::size_t i = first + 1; i < end; ++i) {
                prev = b_[i] * inv_d_[i] - a_inv_d_[i] * prev;
                b_[i] = prev;
            }
        }
        // b_ now holds v at the end of the step (backward Euler) or at mid-step (Crank-Nicolson).
        // The membrane current (capacitive + leak - synaptic) is then (C/h + g_leak) v - rhs for
        // both schemes (for Crank-Nicolson, C/dt (v' - v) = C/h (v_mid - v), leak at mid-step).
        for (std::size_t s = 0; s < nseg_; ++s) {
            const auto i = static_cast<std::size_t>(seg_node_[s]);
            imem_[s] = c_plus_g_[i] * b_[i] - rhs_[i];
        }
        if (scheme_ == time_scheme::crank_nicolson)
            for (std::size_t i = 0; i < n; ++i) v_[i] = 2 * b_[i] - v_[i];
        else
            v_.swap(b_);
        for (channel& c : channels_) {
            if (c.alpha) {  // exact propagation of (current, rate) for the kernel s exp(-s/tau)
                c.current = c.decay * (c.current + dt_ * c.rate);
                c.rate *= c.decay;
            } else {
                c.current *= c.decay;
            }
        }
        ++steps_;
    }

    std::span<const double> imem() const { return imem_; }   ///< nA per segment, after the last step
    /// mV per segment, after the last step.
    std::span<const double> vmem() const {
        for (std::size_t s = 0; s < nseg_; ++s) vseg_[s] = v_[static_cast<std::size_t>(seg_node_[s])];
        return vseg_;
    }
    std::size_t segments() const { return nseg_; }
    std::size_t channels() const { return channels_.size(); }
    double dt() const { return dt_; }
    std::int64_t steps_taken() const { return steps_; }
    const node_graph& nodes() const { return g_; }

private:
    struct channel {
        int node = 0;
        double current = 0, rate = 0, decay = 1, alpha_drive = 0;
        bool alpha = false;
    };
    node_graph g_;
    passive_properties props_;
    double dt_;
    time_scheme scheme_;
    std::size_t nseg_ = 0;
    std::vector<int> seg_node_;
    std::vector<std::size_t> runs_;
    std::vector<double> c_over_h_, gl_, gle_, c_plus_g_, a_, f_, inv_d_, a_inv_d_, v_, b_, rhs_, imem_;
    mutable std::vector<double> vseg_;
    std::vector<channel> channels_;
    std::map<std::tuple<int, double, int>, std::size_t> channel_of_;
    std::int64_t steps_ = 0;
};

/// Spike events for a cell: (step, channel, weight), sorted by step.
struct spike_schedule {
    struct event {
        std::int64_t step;
        std::uint32_t channel;
        double weight_nA;
    };
    std::vector<event> events;

    void add(double t_ms, double dt_ms, std::size_t channel, double weight_nA) {
        if (!std::isfinite(t_ms)) throw config_error("spike_schedule: spike times must be finite (ms)");
        events.push_back({delivery_step(t_ms, dt_ms), static_cast<std::uint32_t>(channel), weight_nA});
    }
    void sort() {
        std::stable_sort(events.begin(), events.end(), [](const event& a, const event& b) { return a.step < b.step; });
    }
};

/// Runs `steps` steps from the cell's current state, delivering the schedule's events (sorted)
/// whose step falls in the run; calls on_step(k) after step k (0-based, time (k + 1) dt).
template <class OnStep>
void simulate(passive_cell& cell, const spike_schedule& schedule, std::int64_t steps, OnStep&& on_step) {
    auto it = std::lower_bound(schedule.events.begin(), schedule.events.end(), cell.steps_taken(),
                               [](const spike_schedule::event& e, std::int64_t s) { return e.step < s; });
    const std::int64_t first = cell.steps_taken();
    for (std::int64_t k = 0; k < steps; ++k) {
        const std::int64_t now = first + k;
        for (; it != schedule.events.end() && it->step == now; ++it) cell.deliver(it->channel, it->weight_nA);
        cell.step();
        on_step(k);
    }
}

/// Runs `steps` steps like simulate() and adds M * imem to the columns 1..steps of `out`
/// (rows of M: any linear measurements, e.g. stacked forward maps; column 0 of `out` is the initial
/// state, whose transmembrane currents are zero). The currents are gathered 256 steps at a time and
/// multiplied as one matrix product, never stored for the whole run.
inline void accumulate_signals(passive_cell& cell, const spike_schedule& schedule, std::int64_t steps, const Eigen::MatrixXd& M,
                               Eigen::MatrixXd& out) {
    const auto nseg = static_cast<Eigen::Index>(cell.segments());
    if (M.cols() != nseg) throw config_error("accumulate_signals: the map has " + std::to_string(M.cols()) + " columns, the cell " + std::to_string(nseg) + " segments");
    if (out.rows() != M.rows() || out.cols() < steps + 1) throw config_error("accumulate_signals: output must be rows(M) x (steps + 1)");
    constexpr Eigen::Index block = 256;
    Eigen::MatrixXd I(nseg, block);
    Eigen::Index filled = 0, first = 1;  // column of out for I's first column
    simulate(cell, schedule, steps, [&](std::int64_t) {
        const auto im = cell.imem();
        std::copy(im.begin(), im.end(), I.col(filled).data());
        if (++filled == block) {
            out.middleCols(first, block).noalias() += M * I;
            first += block;
            filled = 0;
        }
    });
    if (filled > 0) out.middleCols(first, filled).noalias() += M * I.leftCols(filled);
}

/// M * imem over a run of `steps` steps (rows(M) x (steps + 1), column 0 the initial state).
inline Eigen::MatrixXd simulate_signals(passive_cell& cell, const spike_schedule& schedule, std::int64_t steps, const Eigen::MatrixXd& M) {
    Eigen::MatrixXd out = Eigen::MatrixXd::Zero(M.rows(), steps + 1);
    accumulate_signals(cell, schedule, steps, M, out);
    return out;
}

}  // namespace brainweave::multicompartment

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
//  - exponential: k(s) = exp(-s / tau)      (NEURON ExpISyn of reference/lfp/expsyni_ev.mod)
//  - alpha:       k(s) = (s / tau) exp(1 - s / tau)   (peak 1 at s = tau)
// A spike at time t is delivered at the start of step n = ceil(t / dt - 1/2) (the step whose
// interval contains t to within half a step, as NEURON's fixed-step event delivery); the step uses
// the synaptic state after delivery and the state then decays exactly over dt.
//
// Transmembrane current per segment (nA, positive outward): capacitive + leak - synaptic, which
// sums to zero over the cell (charge conservation; checked in the tests).
#include <brainweave/core/error.hpp>
#include <brainweave/multicompartment/discretization.hpp>

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
        for (std::size_t i = 0; i < n; ++i) {
            if (!(d[i] > 0)) throw config_error("passive_cell: node " + std::to_string(i) + " has no conductance to the rest of the cell");
            inv_d_[i] = 1.0 / d[i];
        }
        v_.assign(n, props_.v_init_mV);
        b_.assign(n, 0.0);
        isyn_.assign(n, 0.0);
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
        std::fill(vseg_.begin(), vseg_.end(), props_.v_init_mV);
        std::fill(imem_.begin(), imem_.end(), 0.0);
        for (channel& c : channels_) c.current = c.rate = 0;
    }

    /// Advances one step of dt.
    void step() {
        const std::size_t n = v_.size();
        std::fill(isyn_.begin(), isyn_.end(), 0.0);
        for (channel& c : channels_) isyn_[static_cast<std::size_t>(c.node)] += c.current;
        const double e = props_.e_pas_mV;
        for (std::size_t i = 0; i < n; ++i) b_[i] = c_over_h_[i] * v_[i] + gl_[i] * e + isyn_[i];
        for (std::size_t i = n; i-- > 1;) b_[static_cast<std::size_t>(g_.parent[i])] -= f_[i] * b_[i];
        b_[0] *= inv_d_[0];
        for (std::size_t i = 1; i < n; ++i) b_[i] = (b_[i] - a_[i] * b_[static_cast<std::size_t>(g_.parent[i])]) * inv_d_[i];
        // b_ now holds v at the end of the step (backward Euler) or at mid-step (Crank-Nicolson).
        const bool cn = scheme_ == time_scheme::crank_nicolson;
        const double c_scale = cn ? 0.5 : 1.0;  // C/dt from C/h
        for (std::size_t s = 0; s < nseg_; ++s) {
            const auto i = static_cast<std::size_t>(seg_node_[s]);
            const double v_new = cn ? 2 * b_[i] - v_[i] : b_[i];
            imem_[s] = c_scale * c_over_h_[i] * (v_new - v_[i]) + gl_[i] * (b_[i] - e) - isyn_[i];
            vseg_[s] = v_new;
        }
        if (cn)
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
    std::span<const double> vmem() const { return vseg_; }   ///< mV per segment, after the last step
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
    std::vector<double> c_over_h_, gl_, a_, f_, inv_d_, v_, b_, isyn_, imem_, vseg_;
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

}  // namespace brainweave::multicompartment

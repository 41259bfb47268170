#pragma once
// The co-simulator: a region simulator whose proxy regions are simulated by a spiking side
// (tvb-multiscale's TVB + NEST), exchanging data once per synchronization window.
//
// Window of W region steps, from step n (the region side's current step):
//   1. for every input port, the coupling term of its region at steps n .. n+W-1, computed from
//      the delayed history (simulator::coupling_ahead): every connection into a proxy has a delay
//      d >= W steps, so these read steps <= n, which are known;
//   2. the spiking side simulates the window and returns, for every output port, the proxy's
//      state variable after each step n+1 .. n+W;
//   3. the region side integrates the W steps; after each, the proxy state variables are
//      overwritten with the returned values before they enter the history, the coupling and the
//      monitors. Connections out of a proxy also have d >= W, so with the spiking side on another
//      rank the two sides could work on a window at the same time.
// The exchange is exact: the spiking side sees the region signal of every step, not a window
// average, and the region side sees the proxies' values at every step.
//
// T_sync must satisfy dt <= T_sync <= the shortest delay of any connection (non-zero weight) into
// or out of a proxy region; anything else is a config_error that names the connection. T_sync = 0
// (cosim::longest_sync) chooses that delay (or one step if no connection touches a proxy).
#include <brainweave/core/error.hpp>
#include <brainweave/core/serialize.hpp>
#include <brainweave/cosim/spiking_side.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace brainweave::cosim {

/// Asks the co-simulator for the longest synchronization window the connectome allows.
inline constexpr double longest_sync = 0.0;

template <class Sim, spiking_side Side>
class cosimulator {
public:
    cosimulator(Sim& sim, Side& side, double t_sync) : sim_(sim), side_(side) {
        const std::size_t n = sim_.n_nodes();
        inputs_ = side_.inputs();
        for (const auto& p : side_.outputs()) {
            if (p.region >= n || p.mode >= Sim::n_modes)
                throw config_error("co-simulation output port: region " + std::to_string(p.region) + " / mode " +
                                   std::to_string(p.mode) + " out of range (" + std::to_string(n) + " regions)");
            outputs_.push_back({p.region, variable_index(p.variable) * Sim::n_modes + p.mode});
        }
        for (const auto& p : inputs_) {
            if (p.region >= n || p.term >= Sim::n_coupling || p.mode >= Sim::n_modes)
                throw config_error("co-simulation input port: region " + std::to_string(p.region) + ", coupling term " +
                                   std::to_string(p.term) + ", mode " + std::to_string(p.mode) + " out of range (" +
                                   std::to_string(n) + " regions, " + std::to_string(Sim::n_coupling) + " terms)");
            // ports of one region share its coupling, computed once per step
            const auto it = std::find(input_regions_.begin(), input_regions_.end(), p.region);
            input_slot_.push_back(static_cast<std::size_t>(it - input_regions_.begin()));
            if (it == input_regions_.end()) input_regions_.push_back(p.region);
        }
        is_proxy_.assign(n, false);
        for (const auto& p : inputs_) is_proxy_[p.region] = true;
        for (const auto& p : outputs_) is_proxy_[p.region] = true;
        for (std::size_t r = 0; r < n; ++r)
            if (is_proxy_[r]) proxies_.push_back(r);
        set_sync(t_sync);
    }

    /// Regions simulated by the spiking side (those named by a port).
    const std::vector<std::size_t>& proxies() const noexcept { return proxies_; }
    /// The synchronization window in region steps.
    std::size_t window() const noexcept { return window_; }
    /// The shortest delay (steps) of a connection into or out of a proxy (max of size_t: none).
    std::size_t min_proxy_delay() const noexcept { return min_delay_; }

    /// Runs for `duration` ms; on_window(t_ms) is called after each window (progress reports).
    template <class F>
    void run(double duration, F&& on_window) {
        if (!(duration >= 0.0) || !std::isfinite(duration))
            throw config_error("co-simulation: run duration must be finite and >= 0 ms, got " + std::to_string(duration));
        const std::int64_t total = std::llround(duration / sim_.dt());
        if (!started_) {
            side_.start(sim_.dt(), sim_.current_step());
            started_ = true;
        }
        constexpr std::size_t nc = Sim::n_coupling * Sim::n_modes;
        std::vector<double> coupling(input_regions_.size() * nc);
        const std::size_t N = sim_.n_nodes();
        for (std::int64_t done = 0; done < total;) {
            const auto W = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(window_), total - done));
            const std::int64_t n0 = sim_.current_step();
            to_side_.assign(inputs_.size() * W, 0.0);
            from_side_.assign(outputs_.size() * W, 0.0);
            for (std::size_t k = 0; k < W; ++k) {
                for (std::size_t r = 0; r < input_regions_.size(); ++r)
                    sim_.coupling_ahead(input_regions_[r], n0 + static_cast<std::int64_t>(k),
                                        std::span<double>(coupling).subspan(r * nc, nc));
                for (std::size_t ch = 0; ch < inputs_.size(); ++ch)
                    to_side_[ch * W + k] = coupling[input_slot_[ch] * nc + inputs_[ch].term * Sim::n_modes + inputs_[ch].mode];
            }
            side_.advance(n0, W, to_side_, from_side_);
            sim_.run_steps(static_cast<std::int64_t>(W), [&](std::int64_t step, auto state) {
                const auto k = static_cast<std::size_t>(step - n0 - 1);
                for (std::size_t ch = 0; ch < outputs_.size(); ++ch)
                    state[outputs_[ch].slot * N + outputs_[ch].region] = from_side_[ch * W + k];
            });
            done += static_cast<std::int64_t>(W);
            on_window(sim_.current_time());
        }
    }
    void run(double duration) {
        run(duration, [](double) {});
    }
    // --- checkpoints (docs/checkpoints.md) ---------------------------------------------------------
    /// Saves the co-simulation between windows (between calls of run): the region simulator and
    /// the spiking side (for a network_side: the network and the transformers' state).
    void save_checkpoint(const std::filesystem::path& path) {
        static_assert(checkpointable, "save_checkpoint: this spiking side has no checkpoint (an MPI side is saved on its own rank)");
        serial::save(path, *this, "co-simulation");
    }
    /// Restores into a co-simulation built the way the saving one was: first into copies of the
    /// region simulator and the side's state, which checks every record, then into them; on any
    /// error both are left as they were.
    void load_checkpoint(const std::filesystem::path& path) {
        static_assert(checkpointable, "load_checkpoint: this spiking side has no checkpoint");
        serial::restore(path, *this, "co-simulation", [&] {
            return trial<decltype(side_.checkpoint_copy())>{sim_, side_.checkpoint_copy()};
        });
    }
    template <class Archive>
    void serialize(Archive& ar) {
        ar("region simulator", sim_);
        ar("spiking side", side_);
    }

    /// Tells the spiking side that no window follows (an MPI side then stops serving).
    void finish() {
        if (!finished_) side_.finish();
        finished_ = true;
    }

private:
    static constexpr bool checkpointable = requires(Side& s) { s.checkpoint_copy(); };
    /// Copies of what a checkpoint restores, with the same records (load_checkpoint's check).
    template <class SideState>
    struct trial {
        Sim sim;
        SideState side;
        template <class Archive>
        void serialize(Archive& ar) {
            ar("region simulator", sim);
            ar("spiking side", side);
        }
    };

    struct bound_output {
        std::size_t region, slot;  // slot: var * n_modes + mode
    };

    static std::size_t variable_index(const std::string& name) {
        using Model = typename Sim::model_type;
        for (std::size_t v = 0; v < Model::state_variables.size(); ++v)
            if (Model::state_variables[v] == name) return v;
        std::string known;
        for (auto s : Model::state_variables) known += (known.empty() ? "" : ", ") + std::string(s);
        throw config_error("co-simulation output port: " + std::string(Model::name) + " has no state variable '" + name +
                           "' (known: " + known + ")");
    }

    void set_sync(double t_sync) {
        const double dt = sim_.dt();
        std::int64_t w = std::llround(t_sync / dt);
        if (!std::isfinite(t_sync) || (t_sync != longest_sync && w < 1))
            throw config_error("co-simulation: T_sync must be at least one region step (dt = " + std::to_string(dt) +
                               " ms), got " + std::to_string(t_sync) + " ms");
        const auto& csr = sim_.sparse();
        min_delay_ = std::numeric_limits<std::size_t>::max();
        std::size_t from = 0, to = 0;
        for (std::size_t i = 0; i < csr.n_nodes; ++i)
            for (std::size_t e = csr.row_begin[i]; e < csr.row_begin[i + 1]; ++e)
                if ((is_proxy_[i] || is_proxy_[csr.source[e]]) && csr.delay[e] < min_delay_) {
                    min_delay_ = csr.delay[e];
                    from = csr.source[e];
                    to = i;
                }
        if (t_sync == longest_sync)
            w = min_delay_ == std::numeric_limits<std::size_t>::max() ? 1 : std::max<std::int64_t>(1, static_cast<std::int64_t>(min_delay_));
        if (static_cast<std::size_t>(w) > min_delay_ && from == to)
            throw config_error("co-simulation: the self-connection of region " + std::to_string(from) + " has a delay of " +
                               std::to_string(min_delay_) + " steps, shorter than T_sync (" + std::to_string(w) +
                               " steps); a proxy's own recurrence belongs to its spiking network: set its weight "
                               "to zero (connectivity.weights(r, r) = 0)");
        if (static_cast<std::size_t>(w) > min_delay_)
            throw config_error("co-simulation: T_sync = " + std::to_string(t_sync) + " ms (" + std::to_string(w) +
                               " steps) exceeds the shortest delay into or out of a proxy region: " +
                               std::to_string(min_delay_) + " steps (" + std::to_string(static_cast<double>(min_delay_) * dt) +
                               " ms) from region " + std::to_string(from) + " to region " + std::to_string(to) +
                               "; use T_sync <= that delay");
        window_ = static_cast<std::size_t>(w);
    }

    Sim& sim_;
    Side& side_;
    std::vector<input_port> inputs_;
    std::vector<std::size_t> input_regions_, input_slot_;  // distinct input regions; per port its index there
    std::vector<bound_output> outputs_;
    std::vector<bool> is_proxy_;
    std::vector<std::size_t> proxies_;
    std::size_t window_ = 1, min_delay_ = 0;
    std::vector<double> to_side_, from_side_;
    bool started_ = false, finished_ = false;
};

}  // namespace brainweave::cosim

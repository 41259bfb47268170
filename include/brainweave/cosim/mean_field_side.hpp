#pragma once
// A stand-in for the spiking side that integrates the proxy regions with the region model itself,
// driven by the coupling the co-simulator sends: the transformer chain "coupling -> the region's
// own mean-field dynamics -> its state". With it a co-simulation must reproduce the pure region
// simulation (to round-off), which checks the exchange: windows, delays, ports and overwrites.
// It also lets a region be moved to another MPI rank without changing its model.
//
// The integrator must be deterministic (noise increments belong to the region simulator).
#include <brainweave/concepts/model.hpp>
#include <brainweave/core/error.hpp>
#include <brainweave/cosim/spiking_side.hpp>
#include <brainweave/integrators/integrators.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <type_traits>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace brainweave::cosim {

template <class Model, class Integrator, std::size_t NCoupling>
class mean_field_side {
    static_assert(!Integrator::noise_type::enabled, "mean_field_side: the integrator must be deterministic");
    using traits = model_traits<Model>;
    static constexpr std::size_t node_size = traits::node_size, n_modes = traits::n_modes,
                                 nc = NCoupling * traits::n_modes;

public:
    /// One parameter set and one state ([var][mode]) per region.
    mean_field_side(Integrator integrator, std::vector<std::size_t> regions, std::vector<typename Model::parameters> params,
                    std::vector<std::array<double, node_size>> state)
        : integ_(std::move(integrator)), regions_(std::move(regions)), state_(std::move(state)) {
        if (params.size() != regions_.size() || state_.size() != regions_.size())
            throw config_error("mean_field_side: expected one parameter set and one state per region");
        for (const auto& p : params) data_.push_back(derive_node_data<Model>(p));
    }

    std::vector<input_port> inputs() const {
        std::vector<input_port> p;
        for (auto r : regions_)
            for (std::size_t t = 0; t < NCoupling; ++t)
                for (std::size_t m = 0; m < n_modes; ++m) p.push_back({r, t, m});
        return p;
    }
    std::vector<output_port> outputs() const {
        std::vector<output_port> p;
        for (auto r : regions_)
            for (std::size_t v = 0; v < traits::n_state; ++v)
                for (std::size_t m = 0; m < n_modes; ++m) p.push_back({r, std::string(Model::state_variables[v]), m});
        return p;
    }
    void start(double dt, std::int64_t) {
        if (std::abs(dt - static_cast<double>(integ_.dt)) > 1e-12 * dt)
            throw config_error("mean_field_side: the integrator's dt differs from the region simulator's");
    }
    void advance(std::int64_t, std::size_t W, std::span<const double> in, std::span<double> out) {
        for (std::size_t k = 0; k < W; ++k)
            for (std::size_t r = 0; r < regions_.size(); ++r) {
                std::array<double, nc> c;
                for (std::size_t j = 0; j < nc; ++j) c[j] = in[(r * nc + j) * W + k];
                integrators::node_array<Model, double> dW{};
                integ_.template step<Model>(data_[r], state_[r].data(), c.data(), dW.data(), static_cast<const double*>(nullptr));
                for (std::size_t j = 0; j < node_size; ++j) out[(r * node_size + j) * W + k] = state_[r][j];
            }
    }
    void finish() {}

    // --- checkpoints (cosimulator::save_checkpoint): the proxies' states ---------------------------
    struct checkpoint_state {
        std::vector<std::array<double, node_size>> state;
        template <class Archive>
        void serialize(Archive& ar) {
            serialize_states(ar, state);
        }
    };
    checkpoint_state checkpoint_copy() const { return {state_}; }
    template <class Archive>
    void serialize(Archive& ar) {
        serialize_states(ar, state_);
    }

private:
    template <class Archive>
    static void serialize_states(Archive& ar, std::vector<std::array<double, node_size>>& states) {
        std::vector<double> flat;
        for (const auto& s : states) flat.insert(flat.end(), s.begin(), s.end());
        ar.sized("proxy states", flat, flat.size());
        if constexpr (Archive::loading)
            for (std::size_t r = 0; r < states.size(); ++r) std::copy_n(flat.begin() + static_cast<std::ptrdiff_t>(r * node_size), node_size, states[r].begin());
    }

    Integrator integ_;
    std::vector<std::size_t> regions_;
    std::vector<node_data_t<Model>> data_;
    std::vector<std::array<double, node_size>> state_;
};

/// The stand-in for `regions` of a region simulator, from its integrator, parameters and current state.
template <class Sim>
auto mean_field_side_for(const Sim& sim, std::vector<std::size_t> regions) {
    using Model = typename Sim::model_type;
    using I = std::decay_t<decltype(sim.integrator())>;
    const auto& all = sim.parameters().all();
    const std::size_t n = sim.n_nodes();
    std::vector<typename Model::parameters> params;
    std::vector<std::array<double, Sim::node_size>> state;
    for (auto r : regions) {
        if (r >= n) throw config_error("mean_field_side: region " + std::to_string(r) + " out of range");
        params.push_back(all.size() == 1 ? all[0] : all[r]);
        std::array<double, Sim::node_size> x;
        for (std::size_t k = 0; k < Sim::node_size; ++k) x[k] = sim.state()[k * n + r];
        state.push_back(x);
    }
    return mean_field_side<Model, I, Sim::n_coupling>(sim.integrator(), std::move(regions),
                                                      std::move(params), std::move(state));
}

}  // namespace brainweave::cosim

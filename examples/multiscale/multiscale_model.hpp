#pragma once
// The flagship multiscale model, shared by the single-process example (main.cpp) and its MPI form
// (mpi_main.cpp): a ReducedWongWangExcInh whole-brain model on TVB's 76-region connectome in
// which two regions are spiking E/I networks of iaf_cond_alpha neurons, coupled both ways.
// README.md in this folder describes the model and its parameters.
#include <brainweave/brainweave.hpp>
#include <brainweave/cosim.hpp>
#include <brainweave/spiking.hpp>

#include <array>
#include <string>
#include <tuple>
#include <vector>

namespace flagship {

namespace bw = brainweave;
namespace sp = brainweave::spiking;
namespace cs = brainweave::cosim;

struct settings {
    std::size_t n_exc = 800, n_inh = 200;                  ///< neurons per spiking region
    std::array<std::string, 2> spiking_regions{"rM1", "rS1"};  ///< labels in the connectome
    double duration = 3000.0;                              ///< ms
    double t_sync = 0.0;                                   ///< ms; 0: the longest window allowed
    double dt = 0.1;                                       ///< ms, both scales
    double speed = 4.0;                                    ///< conduction speed (mm/ms)
    std::size_t threads = 2;                               ///< of the spiking network
    std::uint64_t seed = 2026;
};

// --- the region side ------------------------------------------------------------------------
using region_noise = bw::noise::additive<>;
using region_model = bw::models::reduced_wong_wang_exc_inh;
using region_sim = bw::simulator<region_model, bw::coupling::linear, bw::integrators::heun<region_noise>,
                                 bw::monitors::temporal_average>;

/// Index of a region label (config_error listing the labels if it is unknown).
inline std::size_t region_index(const bw::connectivity& conn, const std::string& label) {
    for (std::size_t r = 0; r < conn.region_labels.size(); ++r)
        if (conn.region_labels[r] == label) return r;
    throw bw::config_error("no region labelled '" + label + "' in the connectome");
}

/// The connectome at the chosen speed; the spiking regions lose their self-connections (their
/// recurrence is the spiking network's own connectivity).
inline bw::connectivity load_connectome(const std::string& path, const settings& s, std::array<std::size_t, 2>& proxies) {
    auto conn = bw::io::load_tvb_connectivity(path).with_speed(s.speed);
    for (std::size_t k = 0; k < 2; ++k) {
        proxies[k] = region_index(conn, s.spiking_regions[k]);
        const auto r = static_cast<Eigen::Index>(proxies[k]);
        conn.weights(r, r) = 0.0;
    }
    return conn;
}

/// Linear coupling scale: with TVB's G = 2 and connectivity_76's weights (row sums ~40) the regions
/// sit in the low-activity state (S_e 0.17 .. 0.4); ten times more drives them all to saturation.
inline constexpr double coupling_a = 0.003;

/// Deco et al. 2014's parameters (TVB's defaults, G = 2); weak noise on S_e and S_i.
inline region_sim make_region_sim(const bw::connectivity& conn, const settings& s) {
    region_noise nz;
    nz.nsig = {1e-5, 1e-5};
    nz.source = bw::noise::philox_normal(s.seed);
    region_sim sim(region_model{}, bw::coupling::linear{.a = coupling_a}, bw::integrators::heun<region_noise>{.dt = s.dt, .noise = nz},
                   conn, bw::monitors::temporal_average{.period = 1.0});
    std::vector<double> init(2 * conn.n_regions());
    for (std::size_t i = 0; i < conn.n_regions(); ++i) init[i] = 0.15, init[conn.n_regions() + i] = 0.05;
    sim.set_constant_history(init);
    return sim;
}

// --- the spiking side -------------------------------------------------------------------------
using neuron = sp::models::iaf_cond_alpha<>;
using population = sp::population<neuron>;

/// Group names of spiking region k: "E <label>", "I <label>".
inline std::string exc_name(const settings& s, std::size_t k) { return "E " + s.spiking_regions[k]; }
inline std::string inh_name(const settings& s, std::size_t k) { return "I " + s.spiking_regions[k]; }

/// Two E/I networks (Brunel-style sparse random connectivity, 10% in-degree), each neuron with its
/// own Poisson background (alone: E ~1 Hz, I ~7 Hz; with the input from the other regions E ~3-5
/// Hz, as the mean field's low state, H_e ~3 Hz). Group order: E0, I0, E1, I1.
inline auto make_network(const settings& s) {
    auto net = sp::network(s.dt, population(exc_name(s, 0), s.n_exc), population(inh_name(s, 0), s.n_inh),
                           population(exc_name(s, 1), s.n_exc), population(inh_name(s, 1), s.n_inh));
    net.set_threads(s.threads);
    const auto ke = static_cast<std::size_t>(0.1 * static_cast<double>(s.n_exc));
    const auto ki = static_cast<std::size_t>(0.1 * static_cast<double>(s.n_inh));
    const double w_e = 2.0, w_i = 8.0;  // nS: g_ex jumps per E spike, g_in per I spike
    for (std::size_t k = 0; k < 2; ++k) {
        const std::string E = exc_name(s, k), I = inh_name(s, k);
        const std::uint64_t seed = s.seed + 100 * k;
        net.connect(E, E, sp::rules::fixed_indegree{ke}, {.weight = {w_e}, .delay = {1.5}, .receptor = "ex"}, seed + 1);
        net.connect(E, I, sp::rules::fixed_indegree{ke}, {.weight = {w_e}, .delay = {1.5}, .receptor = "ex"}, seed + 2);
        net.connect(I, E, sp::rules::fixed_indegree{ki}, {.weight = {w_i}, .delay = {0.8}, .receptor = "in"}, seed + 3);
        net.connect(I, I, sp::rules::fixed_indegree{ki}, {.weight = {w_i}, .delay = {0.8}, .receptor = "in"}, seed + 4);
        net.add({.target = E, .receptor = "ex", .n_sources = 1, .rate = 4000.0, .weight = w_e, .seed = seed + 5});
        net.add({.target = I, .receptor = "ex", .n_sources = 1, .rate = 4600.0, .weight = w_e, .seed = seed + 6});
    }
    return net;
}

/// Rate (Hz, per neuron) of the input that region activity sends a spiking region, per unit of
/// its coupling c = sum_j w_ij S_e,j: the other regions' excitatory output as extra Poisson input.
inline constexpr double rate_per_coupling = 20000.0;

/// The ports: the coupling of each spiking region drives its E and I populations through Poisson
/// trains; their rates give the region's S_e and S_i through the reduced Wong-Wang gating.
template <class Net>
auto make_side(Net& net, const settings& s, const std::array<std::size_t, 2>& proxies) {
    using to_rate = cs::chain<cs::linear, cs::clamp>;
    auto drive = [&](std::size_t k, const std::string& target) {
        const auto h = net.add({.target = target, .receptor = "ex", .n_sources = 1, .rate = 0.0, .weight = 2.0,
                                .seed = s.seed + 100 * k + 7 + (target[0] == 'I')});
        return cs::rates_in<to_rate>{.region = proxies[k], .input = h, .to_rate = to_rate{cs::linear{rate_per_coupling}, cs::clamp{}}};
    };
    auto gating_e = [&](std::size_t k) {
        return cs::rate_out<cs::rww_gating>{.population = exc_name(s, k), .region = proxies[k], .variable = "S_e",
                                            .from_rate = cs::rww_gating{.tau_s = 100.0, .gamma = 0.641e-3, .tau_r = 10.0, .S = 0.15}};
    };
    auto gating_i = [&](std::size_t k) {
        return cs::rate_out<cs::rww_gating>{.population = inh_name(s, k), .region = proxies[k], .variable = "S_i",
                                            .from_rate = cs::rww_gating{.tau_s = 10.0, .gamma = 1e-3, .tau_r = 10.0,
                                                                        .saturating = false, .S = 0.05}};
    };
    return cs::network_side(net, std::tuple{drive(0, exc_name(s, 0)), drive(0, inh_name(s, 0)), drive(1, exc_name(s, 1)),
                                            drive(1, inh_name(s, 1))},
                            std::tuple{gating_e(0), gating_i(0), gating_e(1), gating_i(1)});
}

}  // namespace flagship

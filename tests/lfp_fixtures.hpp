#pragma once
// A small hybrid-scheme model shared by test_lfp and the MPI test: ball-and-stick cells in two
// layers driven by two network populations with Poisson spike trains.
#include <brainweave/core/random.hpp>
#include <brainweave/lfp.hpp>

#include <vector>

namespace lfp_fixtures {
namespace bw = brainweave;
namespace mc = brainweave::multicompartment;
namespace hy = brainweave::hybrid;

// Poisson spike trains on a 0.1 ms grid.
inline hy::spike_trains poisson_trains(std::size_t n, double rate_hz, double tstop_ms, std::uint64_t seed) {
    hy::spike_trains s(n);
    bw::random::uniform_stream u(seed, 0);
    const double p = rate_hz * 1e-4;
    for (std::size_t i = 0; i < n; ++i)
        for (int k = 0; k < static_cast<int>(tstop_ms * 10); ++k)
            if (u() < p) s.times[i].push_back(k * 0.1);
    return s;
}

inline hy::probes laminar_probe() {
    hy::probes pr;
    pr.contacts.resize(8, 3);
    pr.csd_bounds.resize(8, 2);
    for (int k = 0; k < 8; ++k) {
        pr.contacts.row(k) << 0, 0, -100.0 * k;
        pr.csd_bounds.row(k) << -100.0 * k - 50, -100.0 * k + 50;
    }
    pr.csd_radius = Eigen::VectorXd::Constant(8, 300.0);
    return pr;
}

inline std::vector<hy::cell_population> ballstick_populations(std::size_t size = 12) {
    hy::cell_population pop;
    pop.name = "ballstick";
    pop.morphology = mc::ball_and_stick();
    pop.size = size;
    pop.radius_um = 200;
    pop.z_min_um = -750;
    pop.z_max_um = -650;
    pop.min_soma_distance_um = 10;
    hy::connection_type exc{0, {20, 10}, 0.05, 0.5, mc::synapse_kernel::exponential, 1.5, 0.3, {}};
    hy::connection_type inh{1, {0, 15}, -0.2, 2.0, mc::synapse_kernel::alpha, 1.0, 0.2, {}};
    pop.inputs = {exc, inh};
    return {pop};
}
inline const std::vector<hy::layer> two_layers{{"upper", -400, 0}, {"lower", -800, -400}};

}  // namespace lfp_fixtures

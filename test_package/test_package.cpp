// The smallest use of the package: a two-region Generic2dOscillator simulation.
#include <brainweave/brainweave.hpp>

#include <cmath>
#include <cstdio>

namespace bw = brainweave;

int main() {
    Eigen::MatrixXd w(2, 2), d(2, 2);
    w << 0.0, 1.0, 1.0, 0.0;
    d << 0.0, 10.0, 10.0, 0.0;  // mm
    auto conn = bw::connectivity::from_matrices(w, d, 4.0);
    auto sim = bw::make_simulator(bw::models::generic_2d_oscillator{}, bw::coupling::linear{.a = 0.1},
                                  bw::integrators::heun<>{.dt = 0.1}, conn, bw::monitors::temporal_average{.period = 1.0});
    sim.set_random_history(1);
    sim.run(100.0);
    const auto& out = sim.output<0>();
    const double v = out(out.n_samples() - 1, 0, 0);
    std::printf("brainweave %s: %zu samples, V[0] = %.6f\n", BRAINWEAVE_VERSION_STRING, out.n_samples(), v);
    return out.n_samples() == 100 && std::isfinite(v) ? 0 : 1;
}

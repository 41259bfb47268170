// A program that uses brainweave from its installed package: loads a connectome, runs 100 ms.
#include <brainweave/brainweave.hpp>

#include <cstdio>

namespace bw = brainweave;

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    auto conn = bw::io::load_tvb_connectivity(argv[1]).with_speed(4.0);
    auto sim = bw::make_simulator(bw::models::generic_2d_oscillator{}, bw::coupling::linear{.a = 0.0152, .b = 0.0},
                                  bw::integrators::heun<>{.dt = 0.1}, conn,
                                  bw::monitors::temporal_average{.period = 1.0});
    sim.run(100.0);
    const auto& out = sim.output<0>();
    std::printf("brainweave %s: %zu samples of %zu regions\n", BRAINWEAVE_VERSION_STRING, out.n_samples(), out.n_space);
    return out.n_samples() == 100 ? 0 : 1;
}

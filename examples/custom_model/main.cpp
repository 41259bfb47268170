// Adding a model: a Stuart-Landau oscillator written in ~30 lines, checked against the Model
// concept at compile time, and run on TVB's default connectome. This file is the example of
// docs/adding_a_model.md and is compiled and run by the test suite.
#include <brainweave/brainweave.hpp>

#include <cmath>
#include <cstdio>

// 1. Parameters: an aggregate with the defaults as initialisers, adapted for reflection so that
//    they can be set by name (JSON, sweeps) and listed. Written as a template over its scalar, so
//    that float simulations and SIMD parameter sweeps can hold it in their own value type.
namespace lab {
template <class S = double>
struct basic_stuart_landau_parameters {
    S lambda = -0.1;  // distance from the Hopf bifurcation (1/ms)
    S omega = 0.25;   // angular frequency (rad/ms)
};
using stuart_landau_parameters = basic_stuart_landau_parameters<>;
}  // namespace lab
BOOST_HANA_ADAPT_STRUCT(lab::basic_stuart_landau_parameters<double>, lambda, omega);

namespace lab {
// 2. The model: names, coupling variables, ranges, boundaries and the vector field.
//    dx/dt = (lambda - x^2 - y^2) x - omega y + c_0
//    dy/dt = (lambda - x^2 - y^2) y + omega x
struct stuart_landau {
    static constexpr std::string_view name = "StuartLandau";
    static constexpr bool vectorizable = true;  // dfun is branch-free on a generic T
    using parameters = stuart_landau_parameters;
    static constexpr std::size_t n_modes = 1;
    static constexpr std::array<std::string_view, 2> state_variables{"x", "y"};
    static constexpr std::array<std::size_t, 1> cvar{0};
    static constexpr std::array<brainweave::interval, 2> state_variable_range{{{-1.0, 1.0}, {-1.0, 1.0}}};
    static constexpr std::array<brainweave::boundary, 0> state_variable_boundaries{};

    template <class P, class T>
    static void dfun(const P& p, const T* s, const T* c, T* ds) noexcept {
        const T r2 = s[0] * s[0] + s[1] * s[1];
        ds[0] = (p.lambda - r2) * s[0] - p.omega * s[1] + c[0];
        ds[1] = (p.lambda - r2) * s[1] + p.omega * s[0];
    }
};
BRAINWEAVE_ASSERT_MODEL(stuart_landau);  // a readable error if a requirement is missing
}  // namespace lab

namespace bw = brainweave;

int main(int argc, char** argv) try {
    const char* connectome = argc > 1 ? argv[1] : BRAINWEAVE_EXAMPLE_CONNECTOME;
    auto conn = bw::io::load_tvb_connectivity(connectome).with_speed(5.0);
    // 3. Compose it with any coupling, integrator and monitors.
    auto sim = bw::make_simulator(lab::stuart_landau{}, bw::coupling::difference{.a = 0.001},
                                  bw::integrators::rk4<>{.dt = 0.05}, conn,
                                  bw::monitors::sub_sample{.period = 1.0});
    sim.parameters().set("lambda", 0.5);  // by name, as TVB users do
    sim.set_random_history(11);
    sim.run(500.0);
    const auto& out = sim.output<0>();
    // On the limit cycle the amplitude approaches sqrt(lambda) (slightly changed by the coupling).
    double amplitude = 0.0;
    for (std::size_t i = 0; i < out.n_space; ++i) {
        const auto t = out.n_samples() - 1;
        amplitude += std::hypot(out(t, 0, i), out(t, 1, i)) / static_cast<double>(out.n_space);
    }
    std::printf("StuartLandau on %zu regions: mean amplitude %.3f (sqrt(lambda) = %.3f)\n", out.n_space, amplitude,
                std::sqrt(0.5));
    return std::abs(amplitude - std::sqrt(0.5)) < 0.05 ? 0 : 1;
} catch (const std::exception& e) {
    std::fprintf(stderr, "example_custom_model: %s\n", e.what());
    return 1;
}

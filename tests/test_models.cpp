// Models, couplings and integrators on their own.
#include "test_helpers.hpp"

#include <cmath>
#include <tuple>

namespace bw = brainweave;
namespace m = bw::models;

using all_models = std::tuple<m::generic_2d_oscillator, m::jansen_rit, m::wilson_cowan, m::kuramoto, m::sup_hopf,
                              m::linear, m::reduced_wong_wang, m::reduced_wong_wang_exc_inh, m::montbrio_pazo_roxin,
                              m::coombes_byrne, m::hopfield, m::hopfield_dynamic, m::epileptor, m::larter_breakspear,
                              m::zerlaut_adaptation_first_order, m::reduced_set_fitzhugh_nagumo,
                              m::reduced_set_hindmarsh_rose>;

TEMPLATE_LIST_TEST_CASE("every model satisfies the Model concept and has a finite vector field", "[models]", all_models) {
    using M = TestType;
    STATIC_REQUIRE(bw::Model<M>);
    constexpr auto n = bw::model_traits<M>::node_size;
    typename M::parameters p{};
    if constexpr (std::is_same_v<M, m::hopfield_dynamic>) p.dynamic = true;
    const auto d = bw::derive_node_data<M>(p);
    std::array<double, n> x{}, dx{};
    for (std::size_t v = 0; v < M::state_variables.size(); ++v)
        for (std::size_t k = 0; k < M::n_modes; ++k) {
            const auto r = M::state_variable_range[v];
            x[v * M::n_modes + k] = r.lo + 0.37 * (r.hi - r.lo);
        }
    std::array<double, 4 * M::n_modes> c{};
    M::dfun(d, x.data(), c.data(), dx.data());
    for (double v : dx) CHECK(std::isfinite(v));
    for (auto b : M::state_variable_boundaries) CHECK(b.variable < M::state_variables.size());
    for (auto k : M::cvar) CHECK(k < M::state_variables.size());
}

TEST_CASE("model defaults are TVB's", "[models]") {
    // A few values from TVB 2.11's class definitions (as recorded in the reference cases).
    CHECK(m::jansen_rit::parameters{}.nu_max == 0.0025);
    CHECK(m::reduced_wong_wang_exc_inh::parameters{}.gamma_e == 0.641 / 1000.0);
    CHECK(m::epileptor::parameters{}.r == 0.00035);
    CHECK(m::zerlaut_adaptation_first_order::parameters{}.P_e[0] == -0.04983106);
    CHECK(m::larter_breakspear::parameters{}.TCa == -0.01);
    CHECK(bw::parameter_names<m::wilson_cowan::parameters>().size() == 23);
    CHECK(m::jansen_rit::cvar == std::array<std::size_t, 2>{1, 2});
    CHECK(m::reduced_set_hindmarsh_rose::n_modes == 3);
}

TEST_CASE("Hopfield's type must match its 'dynamic' parameter", "[models]") {
    m::hopfield::parameters p{};
    p.dynamic = true;
    CHECK_THROWS_WITH(bw::derive_node_data<m::hopfield>(p), Catch::Contains("choose the type that matches"));
}

TEST_CASE("reduced-set coefficients follow from the normal distribution", "[models][reduced_set]") {
    const auto v = m::reduced_set::integrate_modes(0.0, 1.0);
    // Each mode is normalised: int V^2 dz = 1; modes partition the samples symmetrically.
    CHECK(v.v[0] == Approx(v.v[2]).epsilon(1e-12));
    CHECK(v.z_v[0] == Approx(-v.z_v[2]).epsilon(1e-12));
    CHECK(std::abs(v.z_v[1]) < 1e-12);
    CHECK(v.g_v[1] > v.g_v[0]);
}

TEST_CASE("couplings: pre and post functions", "[coupling]") {
    const double xi[2] = {0.5, 0.1}, xj[2] = {2.0, 1.0};
    double out[2] = {};
    bw::coupling::difference{.a = 0.5}.pre<2>(xi, xj, out);
    CHECK(out[0] == 1.5);
    double gx[2] = {2.0, 4.0};
    bw::coupling::linear{.a = 0.5, .b = 1.0}.post<2>(gx, xi, out);
    CHECK(out[1] == 3.0);
    bw::coupling::sigmoidal s{};
    s.post<1>(gx, xi, out);
    CHECK(out[0] == Approx(-1.0 + 2.0 / (1.0 + std::exp(-2.0 / 230.0))));
    bw::coupling::kuramoto k{.a = 2.0, .normalise_by_nodes = false, .n_nodes = 1.0};
    k.post<1>(gx, xi, out);
    CHECK(out[0] == 4.0);  // TVB divides by the number of coupling variables (1)
    k.normalise_by_nodes = true;
    k.n_nodes = 4.0;
    k.post<1>(gx, xi, out);
    CHECK(out[0] == 1.0);
    STATIC_REQUIRE_FALSE(bw::coupling_valid_for<bw::coupling::sigmoidal_jansen_rit, 1>());
    STATIC_REQUIRE(bw::coupling_valid_for<bw::coupling::sigmoidal_jansen_rit, 2>());
    bw::coupling::sigmoidal_jansen_rit jr{};
    jr.pre<2>(xi, xj, out);
    CHECK(out[0] == Approx(0.005 / (1.0 + std::exp(0.56 * (6.0 - 1.0)))));
}

namespace {
/// Integrates dx/dt = gamma x for one node to t = 1 and returns the error against exp(gamma).
template <class I>
double decay_error(double dt) {
    I integ{};
    integ.dt = dt;
    m::linear::parameters p{.gamma = -1.0};
    double x = 1.0, c = 0.0;
    const int n = static_cast<int>(std::lround(1.0 / dt));
    for (int s = 0; s < n; ++s) integ.template step<m::linear>(p, &x, &c, static_cast<const double*>(nullptr));
    return std::abs(x - std::exp(-1.0));
}
}  // namespace

TEST_CASE("integrators converge at their order", "[integrators]") {
    const double e1 = decay_error<bw::integrators::euler<>>(0.01), e1h = decay_error<bw::integrators::euler<>>(0.005);
    const double e2 = decay_error<bw::integrators::heun<>>(0.01), e2h = decay_error<bw::integrators::heun<>>(0.005);
    const double e4 = decay_error<bw::integrators::rk4<>>(0.1), e4h = decay_error<bw::integrators::rk4<>>(0.05);
    CHECK(e1 / e1h == Approx(2.0).epsilon(0.02));
    CHECK(e2 / e2h == Approx(4.0).epsilon(0.02));
    CHECK(e4 / e4h == Approx(16.0).epsilon(0.05));
}

TEST_CASE("integrators clamp to the model's boundaries at every stage", "[integrators]") {
    m::reduced_wong_wang::parameters p{};
    double S = 0.999, c = 1000.0;  // a huge input drives S above 1
    bw::integrators::heun<> h{.dt = 10.0};
    h.step<m::reduced_wong_wang>(p, &S, &c, static_cast<const double*>(nullptr));
    CHECK(S == 1.0);
}

TEST_CASE("noise increments: additive and multiplicative, from the start-of-step state", "[noise]") {
    // A source that always draws 1 makes the increment equal sqrt(dt) g(x).
    struct ones {
        void fill(std::int64_t, std::size_t, double* z, std::size_t n) const {
            for (std::size_t k = 0; k < n; ++k) z[k] = 1.0;
        }
    };
    const double x[2] = {4.0, 9.0};
    double dW[2] = {};
    bw::noise::additive<ones> add{.nsig = {0.5, 2.0}, .source = {}};
    add.increment<2, 1>(0, 0, x, dW, 0.25);
    CHECK(dW[0] == Approx(0.5 * std::sqrt(2 * 0.5)));
    CHECK(dW[1] == Approx(0.5 * std::sqrt(2 * 2.0)));
    bw::noise::multiplicative<ones> mul{.nsig = {0.5}, .source = {}, .a = 1.0, .b = 0.0};
    mul.increment<2, 1>(0, 0, x, dW, 0.25);
    CHECK(dW[1] == Approx(0.5 * std::sqrt(2 * 0.5 * 9.0)));
    CHECK_THROWS_WITH(add.check(3, "HeunStochastic"), Catch::Contains("nsig has 2 values; expected 1 or one per state variable (3)"));
}

// Parameter sweeps: SIMD lanes equal scalar runs, results independent of threads, batching by
// speed, fallbacks and errors; simulations in float.
#include "test_helpers.hpp"

#include <cmath>

namespace bw = brainweave;
namespace m = bw::models;
namespace sw = bw::sweep;

namespace {
bw::connectivity connectome() {
    static const bw::connectivity c = bw::io::load_tvb_connectivity(bwtest::data("connectivity/connectivity_76.zip"));
    return c;
}

double max_abs_diff(const bw::monitor_output& a, const bw::monitor_output& b) {
    REQUIRE(a.data.size() == b.data.size());
    REQUIRE(a.time == b.time);
    double d = 0.0;
    for (std::size_t k = 0; k < a.data.size(); ++k) d = std::max(d, std::abs(a.data[k] - b.data[k]));
    return d;
}

/// Max |lanes - scalar| over all sets and monitors, checking the lane count used.
template <class P>
double lanes_vs_scalar(const P& pb, const std::vector<sw::parameter_set>& sets, std::size_t expected_lanes) {
    const auto vec = sw::run(pb, sets, sw::keep_outputs{}, {.threads = 2});
    const auto one = sw::run(pb, sets, sw::keep_outputs{}, {.threads = 2, .simd = false});
    CHECK(vec.lanes == expected_lanes);
    CHECK(one.lanes == 1);
    double d = 0.0;
    for (std::size_t s = 0; s < sets.size(); ++s)
        for (std::size_t k = 0; k < vec.values[s].size(); ++k) d = std::max(d, max_abs_diff(vec.values[s][k], one.values[s][k]));
    return d;
}
}  // namespace

TEST_CASE("grid and linspace", "[sweep]") {
    const auto v = sw::linspace(0.0, 1.0, 5);
    CHECK(v == std::vector<double>{0.0, 0.25, 0.5, 0.75, 1.0});
    const auto g = sw::grid({{"coupling.a", {1, 2, 3}}, {"speed", {4, 5}}});
    REQUIRE(g.size() == 6);
    CHECK(g[0][0].value == 1);
    CHECK(g[0][1].value == 4);
    CHECK(g[1][1].value == 5);  // last axis fastest
    CHECK(g[5][0].value == 3);
    CHECK_THROWS_WITH(sw::grid({{"speed", {}}}), Catch::Contains("axis 'speed' has no values"));
}

TEST_CASE("sweep: SIMD lanes equal scalar runs (Generic2dOscillator, coupling x speed x model.a)", "[sweep]") {
    sw::problem<m::generic_2d_oscillator, bw::coupling::linear, bw::integrators::heun<>, bw::monitors::temporal_average,
                bw::monitors::raw>
        pb;
    pb.conn = connectome();
    pb.duration = 100.0;
    pb.monitors = {bw::monitors::temporal_average{.period = 1.0}, bw::monitors::raw{}};
    auto sets = sw::grid({{"coupling.a", sw::linspace(0.0, 0.03, 5)}, {"speed", {2.0, 4.0}}, {"model.a", {-2.0, -1.5}}});
    // Only + - * / in this model: lanes equal scalar runs bitwise, unless the compiler fuses
    // multiply-adds differently in the two code paths (-march=native with FMA): then to round-off.
    const double d = lanes_vs_scalar(pb, sets, bw::simd::lanes_v<bw::simd::native_double>);
    INFO("max |lanes - scalar| = " << d);
    CHECK(d <= 1e-12);

    const auto r = sw::run(pb, sets, sw::global_variance{.start_point = 50.0});
    REQUIRE(r.values.size() == 20);
    const std::size_t L = r.lanes;
    CHECK(r.batches == 2 * ((10 + L - 1) / L));  // two speeds, ten sets each
    // Coupling changes the dynamics: the summaries are not all equal.
    CHECK(*std::max_element(r.values.begin(), r.values.end()) > *std::min_element(r.values.begin(), r.values.end()));
}

TEST_CASE("sweep: results are bitwise independent of the number of threads", "[sweep]") {
    sw::problem<m::jansen_rit, bw::coupling::sigmoidal_jansen_rit, bw::integrators::heun<>, bw::monitors::temporal_average> pb;
    pb.conn = connectome();
    pb.duration = 50.0;
    pb.monitors = {bw::monitors::temporal_average{.period = 1.0}};
    const auto sets = sw::grid({{"coupling.a", sw::linspace(0.5, 2.0, 11)}, {"model.mu", {0.1, 0.22}}});
    const auto t1 = sw::run(pb, sets, sw::keep_outputs{}, {.threads = 1});
    const auto t3 = sw::run(pb, sets, sw::keep_outputs{}, {.threads = 3});
    CHECK(t1.threads == 1);
    CHECK(t3.threads == std::min<std::size_t>(3, t3.batches));
    for (std::size_t s = 0; s < sets.size(); ++s) CHECK(t1.values[s][0].data == t3.values[s][0].data);
}

TEST_CASE("sweep: lanes with SIMD math functions agree with scalar runs to round-off", "[sweep]") {
    // JansenRit's sigmoid uses exp: xsimd's exp differs from the C library's by an ulp or so.
    sw::problem<m::jansen_rit, bw::coupling::sigmoidal_jansen_rit, bw::integrators::heun<>, bw::monitors::raw> pb;
    pb.conn = connectome();
    pb.duration = 50.0;
    const auto sets = sw::grid({{"coupling.a", sw::linspace(0.5, 2.0, 8)}});
    const double d = lanes_vs_scalar(pb, sets, bw::simd::lanes_v<bw::simd::native_double>);
    INFO("max |lanes - scalar| = " << d);
    CHECK(d <= 1e-10);
}

TEST_CASE("sweep: stochastic lanes draw the same noise as the scalar run", "[sweep]") {
    using noise_t = bw::noise::additive<>;
    sw::problem<m::montbrio_pazo_roxin, bw::coupling::linear, bw::integrators::heun<noise_t>, bw::monitors::raw> pb;
    pb.conn = connectome();
    pb.duration = 20.0;
    pb.integrator.dt = 0.01;
    pb.integrator.noise.nsig = {0.01, 0.02};
    pb.integrator.noise.source = bw::noise::philox_normal(7);
    const auto sets = sw::grid({{"coupling.a", sw::linspace(0.0, 0.2, 6)}, {"model.eta", {-5.0, -4.6}}});
    const double d = lanes_vs_scalar(pb, sets, bw::simd::lanes_v<bw::simd::native_double>);
    INFO("max |lanes - scalar| = " << d);
    CHECK(d <= 1e-12);
}

TEST_CASE("sweep: parameters that cannot vary per lane run one set per simulation", "[sweep]") {
    // WilsonCowan's parameters hold a flag, so they are not a template over the scalar type.
    sw::problem<m::wilson_cowan, bw::coupling::linear, bw::integrators::heun<>, bw::monitors::raw> pb;
    pb.conn = connectome();
    pb.duration = 10.0;
    const auto model_sets = sw::grid({{"model.P", {0.0, 0.5, 1.0}}});
    CHECK(lanes_vs_scalar(pb, model_sets, 1) == 0.0);
    // ... but a coupling sweep still uses lanes.
    const auto coupling_sets = sw::grid({{"coupling.a", {0.0, 0.01, 0.02}}});
    CHECK(lanes_vs_scalar(pb, coupling_sets, bw::simd::lanes_v<bw::simd::native_double>) <= 1e-12);
}

TEST_CASE("sweep: bad parameter names and values are reported", "[sweep]") {
    sw::problem<m::generic_2d_oscillator, bw::coupling::linear, bw::integrators::heun<>, bw::monitors::raw> pb;
    pb.conn = connectome();
    pb.duration = 1.0;
    CHECK_THROWS_WITH(sw::run(pb, {{{"model.nope", 1.0}}}, sw::keep_outputs{}),
                      Catch::Contains("unknown parameter 'model.nope'"));
    CHECK_THROWS_WITH(sw::run(pb, {{{"coupling.q", 1.0}}}, sw::keep_outputs{}),
                      Catch::Contains("Linear coupling has no parameter 'q'"));
    CHECK_THROWS_WITH(sw::run(pb, {{{"speed", 0.0}}}, sw::keep_outputs{}), Catch::Contains("speed must be > 0"));
    CHECK_THROWS_WITH(sw::run(pb, {{{"model.a", std::nan("")}}}, sw::keep_outputs{}), Catch::Contains("finite"));
    CHECK(sw::run(pb, {}, sw::keep_outputs{}).values.empty());
}

TEST_CASE("TVB metrics: global variance and variance of node variances", "[sweep]") {
    bw::monitor_output o;
    o.n_var = 1;
    o.n_space = 2;
    o.n_modes = 1;
    o.time = {0.0, 1.0, 2.0, 3.0};
    o.data = {0, 10, 2, 10, 0, 10, 2, 10};  // node 0: 0 2 0 2 (variance 1), node 1: constant
    sw::set_view v;
    v.outputs = {&o};
    CHECK(sw::global_variance{}(v) == Approx(0.5));
    CHECK(sw::variance_node_variance{}(v) == Approx(0.25));
    CHECK(sw::global_variance{.start_point = 2.0}(v) == Approx(0.5));
    CHECK_THROWS_WITH(sw::global_variance{.start_point = 9.0}(v), Catch::Contains("no samples after the start point"));
}

TEST_CASE("float simulations follow double ones to single precision", "[simulator][float]") {
    const auto conn = connectome().with_speed(4.0);
    auto run = [&](auto value) {
        bw::basic_simulator<decltype(value), m::generic_2d_oscillator, bw::coupling::linear, bw::integrators::heun<>,
                            bw::monitors::raw>
            sim({}, bw::coupling::linear{.a = 0.0152}, bw::integrators::heun<>{.dt = 0.1}, conn, bw::monitors::raw{});
        sim.set_random_history(3);
        sim.run(100.0);
        return sim.template output<0>();
    };
    const auto d = run(0.0), f = run(0.0f);
    double err = 0.0, scale = 0.0;
    for (std::size_t k = 0; k < d.data.size(); ++k) {
        err = std::max(err, std::abs(d.data[k] - f.data[k]));
        scale = std::max(scale, std::abs(d.data[k]));
    }
    INFO("max |float - double| = " << err << " of " << scale);
    CHECK(err > 0.0);
    CHECK(err < 1e-3 * scale);
}

TEST_CASE("lane parameters: one set per lane, and clear errors", "[sweep]") {
    using B = bw::simd::native_double;
    constexpr std::size_t L = bw::simd::lanes_v<B>;
    const auto conn = connectome().with_speed(4.0);
    bw::basic_simulator<B, m::generic_2d_oscillator, bw::coupling::basic_linear<B>, bw::integrators::heun<>, bw::monitors::raw>
        sim({}, bw::simd::broadcast<B>(bw::coupling::linear{.a = 0.01}), {.dt = 0.1}, conn, bw::monitors::raw{});
    CHECK_THROWS_WITH(sim.set_lane_parameters({}), Catch::Contains("expected 1 to " + std::to_string(L)));
    CHECK_THROWS_WITH(sim.set_lane_parameters(std::vector<m::generic_2d_oscillator_parameters>(L + 1)),
                      Catch::Contains("got " + std::to_string(L + 1)));
    // Lane 1 gets a different `a`; lanes past the sets given repeat the first.
    std::vector<m::generic_2d_oscillator_parameters> sets(2);
    sets[1].a = -1.0;
    sim.set_lane_parameters(sets);
    sim.set_random_history(5);
    sim.run(10.0);
    CHECK(sim.output<0>(0).data != sim.output<0>(1).data);
    if (L > 2) CHECK(sim.output<0>(0).data == sim.output<0>(2).data);
    // Per-node parameters cannot be combined with lane sets.
    std::vector<double> per_node(conn.n_regions(), -2.0);
    sim.parameters().set("a", per_node, conn.n_regions());
    CHECK_THROWS_WITH(sim.run(1.0), Catch::Contains("cannot be combined"));

    bw::simulator<m::generic_2d_oscillator, bw::coupling::linear, bw::integrators::heun<>, bw::monitors::raw> scalar(
        {}, {}, {.dt = 0.1}, conn, bw::monitors::raw{});
    CHECK_THROWS_WITH(scalar.set_lane_parameters(sets), Catch::Contains("scalar value type"));
    bw::basic_simulator<B, m::wilson_cowan, bw::coupling::basic_linear<B>, bw::integrators::heun<>, bw::monitors::raw> wc(
        {}, bw::simd::broadcast<B>(bw::coupling::linear{}), {.dt = 0.1}, conn, bw::monitors::raw{});
    CHECK_THROWS_WITH(wc.set_lane_parameters({m::wilson_cowan::parameters{}}), Catch::Contains("cannot vary across lanes"));
}

// Forward models: TVB's Bold monitor and its HRF kernels (rww_bold parity runs through
// brainweave-run --check on tests/data/tvb/rww_bold, see tests/CMakeLists.txt).
#include "test_helpers.hpp"

#include <brainweave/brainweave.hpp>

namespace bw = brainweave;
namespace eq = bw::equations;

namespace {
/// One variable on `n` nodes, one mode.
bw::monitor_context context(double dt, std::size_t n = 1) {
    bw::monitor_context ctx;
    ctx.dt = dt;
    ctx.n_nodes = n;
    ctx.n_state = 1;
    ctx.n_modes = 1;
    ctx.state_variables = {"x"};
    return ctx;
}
}  // namespace

TEST_CASE("HRF kernels follow their closed forms", "[forward][bold]") {
    const std::vector<double> t{0.0, 0.5, 1.0, 2.5, 7.0};
    SECTION("FirstOrderVolterra: damped oscillator, zero at t = 0") {
        const eq::first_order_volterra k;
        const auto h = k.sample(t);
        const double w = std::sqrt(1 / 0.4 - 1 / (4 * 0.64));
        CHECK(h[0] == 0.0);
        for (std::size_t i = 0; i < t.size(); ++i)
            CHECK(h[i] == Approx(std::exp(-t[i] / 1.6) * std::sin(w * t[i]) / (3 * w)).margin(1e-15));
        CHECK(k.bold(1.5) == Approx(0.5 * 5.6 * 0.02));
    }
    SECTION("Gamma: peaks at (n - 1) tau, scaled so that its largest sample is a") {
        eq::gamma k;
        std::vector<double> grid;
        for (int i = 0; i <= 1000; ++i) grid.push_back(0.01 * i);
        const auto h = k.sample(grid);
        const auto peak = std::max_element(h.begin(), h.end()) - h.begin();
        CHECK(*std::max_element(h.begin(), h.end()) == Approx(0.1));
        CHECK(grid[static_cast<std::size_t>(peak)] == Approx(2 * 1.08).margin(0.01));
    }
    SECTION("MixtureOfGammas: difference of two gamma densities") {
        const eq::mixture_of_gammas k;
        const auto h = k.sample(t);
        const double x = 2.5;
        CHECK(h[3] == Approx(std::pow(x, 5) * std::exp(-x) / 120.0 - 0.4 * std::pow(x, 12) * std::exp(-x) / 479001600.0));
    }
    SECTION("DoubleExponential: scaled to a maximum of a") {
        const auto h = eq::double_exponential{}.sample(t);
        CHECK(*std::max_element(h.begin(), h.end()) == Approx(0.1));
    }
    SECTION("kernels that cannot be scaled or do not oscillate are rejected") {
        CHECK_THROWS_WITH(eq::gamma{}.sample(std::vector<double>{0.0}), Catch::Contains("largest sampled value"));
        CHECK_THROWS_WITH((eq::first_order_volterra{.tau_s = 0.1, .tau_f = 1.0}.sample(t)), Catch::Contains("tau_f"));
    }
}

TEST_CASE("Bold monitor: 4 ms averages weighted by the reversed, rotated kernel, as TVB", "[forward][bold]") {
    // dt = 1 ms: 4 steps per interim average; hrf_length 40 ms: a ring of 10 averages, kernel
    // sampled at k * 4 ms. Period 40 ms. Gamma kernel (no offset), so BOLD is the weighted sum.
    bw::monitors::bold m{.period = 40.0, .hrf_length = 40.0, .hrf_kernel = eq::gamma{.tau = 0.004}};
    m.configure(context(1.0));
    const auto& h = m.kernel();
    REQUIRE(h.size() == 10);
    // One 4 ms window of ones: steps 9..12 (the average completed at step 12 is the third).
    for (std::int64_t step = 1; step <= 40; ++step) {
        const double x = (step >= 9 && step <= 12) ? 1.0 : 0.0;
        m.record(step, &x, nullptr);
    }
    // At step 40 the ring holds averages 1..10 (slots 0..9); the shift is 10 mod 10 - 1 = -1,
    // so slot i gets h[9 - ((i + 1) mod 10)]: average 3 (slot 2) gets h[6].
    REQUIRE(m.output().n_samples() == 1);
    CHECK(m.output().time[0] == 40.0);
    CHECK(m.output()(0, 0, 0) == Approx(h[6]));
    // Newest average (slot 9) gets h[9], the one before it h[0]: a window in the last 4 ms.
    bw::monitors::bold last{.period = 40.0, .hrf_length = 40.0, .hrf_kernel = eq::gamma{.tau = 0.004}};
    last.configure(context(1.0));
    for (std::int64_t step = 1; step <= 40; ++step) {
        const double x = step > 36 ? 1.0 : 0.0;
        last.record(step, &x, nullptr);
    }
    CHECK(last.output()(0, 0, 0) == Approx(h[9]));
}

TEST_CASE("Bold monitor: a constant input gives k_1 V_0 (x sum(h) - 1) once the ring is full", "[forward][bold]") {
    bw::monitors::bold m{.period = 100.0, .hrf_length = 100.0};
    m.configure(context(0.5, 3));
    double sum = 0.0;
    for (double v : m.kernel()) sum += v;
    const std::vector<double> x{0.2, 0.4, 0.6};
    for (std::int64_t step = 1; step <= 400; ++step) m.record(step, x.data(), nullptr);
    REQUIRE(m.output().n_samples() == 2);
    for (std::size_t i = 0; i < 3; ++i) CHECK(m.output()(1, 0, i) == Approx(5.6 * 0.02 * (x[i] * sum - 1.0)));
}

TEST_CASE("Bold monitor rejects settings it cannot honour", "[forward][bold][errors]") {
    bw::monitors::bold m;
    m.hrf_length = -1.0;
    CHECK_THROWS_WITH(m.configure(context(0.5)), Catch::Contains("hrf_length must be > 0"));
    bw::monitors::bold coarse{.period = 2000.0};
    CHECK_THROWS_WITH(coarse.configure(context(10.0)), Catch::Contains("shorter than the integration step"));
}

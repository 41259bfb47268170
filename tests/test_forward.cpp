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

// --- EEG, MEG, sEEG -------------------------------------------------------------------------------

TEST_CASE("sensor files of tvb-data load, with orientations for MEG", "[forward][sensors][io]") {
    const auto e = bw::io::load_sensors(bwtest::data("sensors/eeg_brainstorm_65.txt"));
    CHECK(e.size() == 65);
    CHECK(e.labels[0] == "Fp1");
    CHECK(e.locations(0, 0) == Approx(102.519220));
    CHECK(e.orientations.rows() == 0);
    const auto m = bw::io::load_sensors(bwtest::data("sensors/meg_brainstorm_276.txt"));
    CHECK(m.size() == 276);
    CHECK(m.orientations.rows() == 276);
    CHECK(bw::io::load_sensors(bwtest::data("sensors/seeg_588.txt")).size() == 588);
    CHECK(e.index_of("Fp2") == 1);
    CHECK_THROWS_WITH(e.index_of("Cz9"), Catch::Contains("no sensor labelled 'Cz9'"));
    CHECK_THROWS_WITH(bw::io::parse_sensors("A 1 2\n", "f"), Catch::Contains("expected 4 (label x y z)"));
    CHECK_THROWS_WITH(bw::io::parse_sensors("A 1 2 3\nB 1 x 3\n", "f"),
                      Catch::Contains("sensor 2 ('B'), column 3: 'x' is not a finite number"));
    CHECK_THROWS_WITH(bw::io::parse_sensors("A 1 2 3\nB 1 2 3 4 5 6\n", "f"), Catch::Contains("sensor 2 has 7 columns"));
    CHECK_THROWS_WITH(bw::io::load_sensors("/nonexistent/s.txt"), Catch::Contains("cannot open"));
}

TEST_CASE("dipole potential in an infinite medium: closed form on and off axis", "[forward][eeg]") {
    const Eigen::Vector3d q(0, 0, 1), r0(0, 0, 0);
    CHECK(bw::forward::dipole_potential({0, 0, 10}, r0, q) == Approx(1.0 / (4 * std::numbers::pi * 100)));
    CHECK(bw::forward::dipole_potential({0, 0, 10}, r0, q, 0.33) == Approx(1.0 / (4 * std::numbers::pi * 0.33 * 100)));
    CHECK(bw::forward::dipole_potential({10, 0, 0}, r0, q) == Approx(0.0).margin(1e-18));  // in the equatorial plane
    // At 45 degrees: cos(45) / (4 pi d^2).
    CHECK(bw::forward::dipole_potential({0, 5, 5}, r0, q) ==
          Approx(std::cos(std::numbers::pi / 4) / (4 * std::numbers::pi * 50)));
}

TEST_CASE("Sarvas field: no field from a radial dipole; radial part equals the dipole's Biot-Savart field",
          "[forward][meg]") {
    const Eigen::Vector3d r0(10, 20, 30);
    CHECK(bw::forward::sarvas_field({50, 60, 70}, r0, r0.normalized()).norm() == Approx(0.0).margin(1e-30));
    const Eigen::Vector3d q(0.3, -0.8, 0.5), r(60, -40, 75);
    const Eigen::Vector3d b = bw::forward::sarvas_field(r, r0, q);
    const Eigen::Vector3d a = r - r0;
    const double biot_savart_radial = bw::forward::mu_0 / (4 * std::numbers::pi) * q.cross(a).dot(r.normalized()) /
                                      std::pow(a.norm(), 3);
    CHECK(b.dot(r.normalized()) == Approx(biot_savart_radial).epsilon(1e-12));
    CHECK(b.norm() > std::abs(biot_savart_radial));  // volume currents add a tangential part
}

TEST_CASE("TVB's analytic gains: sensors on a sphere around the sources, zeros for unusable sensors",
          "[forward][eeg][meg]") {
    bw::sensors s;
    s.labels = {"A", "B", "TRIGGER"};
    s.locations.resize(3, 3);
    s.locations << 100, 0, 0, 0, 0, 200, 0, 0, 0;  // the last one at the origin, as MEG trigger channels
    Eigen::MatrixX3d src(2, 3), ori(2, 3);
    src << 1, 0, 0, -1, 0, 0;  // centroid 0, farthest source at 1: EEG sphere radius 1.05125
    ori << 1, 0, 0, 0, 0, 1;
    const auto g = bw::forward::analytic_gain(bw::forward::modality::eeg, s, src, ori);
    REQUIRE(g.rows() == 3);
    CHECK(g(0, 0) == Approx(bw::forward::dipole_potential({1.05125, 0, 0}, src.row(0).transpose(), ori.row(0).transpose())));
    CHECK(g(1, 1) == Approx(bw::forward::dipole_potential({0, 0, 1.05125}, src.row(1).transpose(), ori.row(1).transpose())));
    CHECK(g.row(2).isZero());
    const auto m = bw::forward::analytic_gain(bw::forward::modality::meg, s, src, ori);
    CHECK(m(1, 0) == Approx(bw::forward::sarvas_field({0, 0, 1.01}, src.row(0).transpose(), ori.row(0).transpose()).norm()));
    CHECK(m(0, 0) == Approx(0.0).margin(1e-30));  // radial dipole
    const auto i = bw::forward::analytic_gain(bw::forward::modality::seeg, s, src, ori);
    CHECK(i(0, 0) == Approx(bw::forward::dipole_potential({100, 0, 0}, src.row(0).transpose(), ori.row(0).transpose())));
    CHECK_THROWS_WITH(bw::forward::analytic_gain(bw::forward::modality::eeg, s, src, Eigen::MatrixX3d(1, 3)),
                      Catch::Contains("one orientation per source"));
}

TEST_CASE("region gains on connectivity_76 with the shipped sensors", "[forward][eeg][meg]") {
    const auto conn = bw::io::load_tvb_connectivity(bwtest::data("connectivity/connectivity_76.zip"));
    for (auto [kind, file] : {std::pair{bw::forward::modality::eeg, "eeg_brainstorm_65.txt"},
                              std::pair{bw::forward::modality::meg, "meg_brainstorm_276.txt"},
                              std::pair{bw::forward::modality::seeg, "seeg_588.txt"}}) {
        const auto s = bw::io::load_sensors(bwtest::data(std::string("sensors/") + file));
        const auto g = bw::forward::region_gain(kind, s, conn);
        CHECK(g.rows() == static_cast<Eigen::Index>(s.size()));
        CHECK(g.cols() == 76);
        CHECK(g.allFinite());
        CHECK(g.cwiseAbs().maxCoeff() > 0.0);
    }
    // Subcortical regions form their own source set (own centroid and sphere), as in TVB
    // (connectivity_76 marks every region cortical: mark three as subcortical).
    auto mixed = conn;
    mixed.cortical.assign(76, true);
    const std::vector<Eigen::Index> subs{3, 40, 70};
    for (auto i : subs) mixed.cortical[static_cast<std::size_t>(i)] = false;
    const auto s = bw::io::load_sensors(bwtest::data("sensors/eeg_brainstorm_65.txt"));
    const auto g = bw::forward::region_gain(bw::forward::modality::eeg, s, mixed);
    Eigen::MatrixX3d ssrc(3, 3), sori(3, 3);
    for (Eigen::Index k = 0; k < 3; ++k) {
        ssrc.row(k) = conn.centres.row(subs[static_cast<std::size_t>(k)]);
        sori.row(k) = conn.orientations.row(subs[static_cast<std::size_t>(k)]);
    }
    const auto gs = bw::forward::analytic_gain(bw::forward::modality::eeg, s, ssrc, sori);
    for (Eigen::Index k = 0; k < 3; ++k) CHECK(g.col(subs[static_cast<std::size_t>(k)]).isApprox(gs.col(k)));
    CHECK(!g.col(0).isApprox(bw::forward::region_gain(bw::forward::modality::eeg, s, conn).col(0)));
    // A vertex-level gain summed per region.
    Eigen::MatrixXd vg(2, 4);
    vg << 1, 2, 3, 4, 5, 6, 7, 8;
    const auto rg = bw::forward::region_gain_from_vertices(vg, {1, 0, 1, 1}, 2);
    CHECK(rg(0, 0) == 2);
    CHECK(rg(1, 1) == 5 + 7 + 8);
    CHECK_THROWS_WITH(bw::forward::region_gain_from_vertices(vg, {0, 1}, 2), Catch::Contains("region mapping 2 vertices"));
}

TEST_CASE("projection monitors average G x over the period; EEG references", "[forward][eeg]") {
    Eigen::MatrixXd g(3, 2);
    g << 1, 2, 3, 4, -1, 0.5;
    auto ctx = context(0.5, 2);
    bw::monitors::eeg e{.period = 2.0, .gain = g, .reference = "average"};
    bw::monitors::meg m{.period = 2.0, .gain = g};
    e.configure(ctx);
    m.configure(ctx);
    for (std::int64_t step = 1; step <= 8; ++step) {  // x = (step, 1): mean over steps 1..4 is (2.5, 1)
        const std::vector<double> x{static_cast<double>(step), 1.0};
        e.record(step, x.data(), nullptr);
        m.record(step, x.data(), nullptr);
    }
    const auto& mo = m.output();
    REQUIRE(mo.n_samples() == 2);
    CHECK(mo.time[0] == Approx((4 - 2) * 0.5));
    CHECK(mo(0, 0, 0) == Approx(2.5 + 2));
    CHECK(mo(0, 0, 1) == Approx(7.5 + 4));
    CHECK(mo(1, 0, 2) == Approx(-6.5 + 0.5));
    const auto& eo = e.output();
    double sum = 0.0;
    for (std::size_t s = 0; s < 3; ++s) sum += eo(0, 0, s);
    CHECK(sum == Approx(0.0).margin(1e-12));
    CHECK(eo(0, 0, 0) == Approx(4.5 - (4.5 + 11.5 - 2.0) / 3.0));

    bw::monitors::eeg byname{.period = 2.0, .gain = g, .reference = "B", .sensor_labels = {"A", "B", "C"}};
    byname.configure(ctx);
    for (std::int64_t step = 1; step <= 4; ++step) {
        const std::vector<double> x{1.0, 2.0};
        byname.record(step, x.data(), nullptr);
    }
    CHECK(byname.output()(0, 0, 1) == 0.0);
    CHECK(byname.output()(0, 0, 0) == Approx(5.0 - 11.0));

    bw::monitors::eeg noisy{.period = 2.0, .gain = g, .obs_noise_std = 0.1, .obs_noise_seed = 3};
    noisy.configure(ctx);
    for (std::int64_t step = 1; step <= 4; ++step) {
        const std::vector<double> x{1.0, 2.0};
        noisy.record(step, x.data(), nullptr);
    }
    CHECK(noisy.output()(0, 0, 0) != 5.0);
    CHECK(noisy.output()(0, 0, 0) == Approx(5.0).margin(0.5));
}

TEST_CASE("projection monitors reject bad gains and references", "[forward][errors]") {
    auto ctx = context(0.5, 2);
    bw::monitors::eeg wrong{.gain = Eigen::MatrixXd::Ones(3, 5)};
    CHECK_THROWS_WITH(wrong.configure(ctx), Catch::Contains("expected sensors x 2 nodes"));
    bw::monitors::meg ref{.gain = Eigen::MatrixXd::Ones(3, 2), .reference = "average"};
    CHECK_THROWS_WITH(ref.configure(ctx), Catch::Contains("only EEG takes a reference"));
    bw::monitors::eeg label{.gain = Eigen::MatrixXd::Ones(2, 2), .reference = "Cz", .sensor_labels = {"A", "B"}};
    CHECK_THROWS_WITH(label.configure(ctx), Catch::Contains("'Cz' is not a sensor label"));
    Eigen::MatrixXd nan = Eigen::MatrixXd::Ones(2, 2);
    nan(0, 1) = std::nan("");
    bw::monitors::ieeg bad{.gain = nan};
    CHECK_THROWS_WITH(bad.configure(ctx), Catch::Contains("NaN or Inf"));
    bw::monitors::ieeg fast{.period = 0.1, .gain = Eigen::MatrixXd::Ones(2, 2)};
    CHECK_THROWS_WITH(fast.configure(ctx), Catch::Contains("shorter than the integration step"));
}

// --- stimuli --------------------------------------------------------------------------------------

TEST_CASE("temporal equations of TVB's stimuli", "[stimuli]") {
    const eq::pulse_train p{.T = 42.0, .tau = 13.0, .amp = 2.0, .onset = 30.0};
    CHECK(p(29.0) == 0.0);
    CHECK(p(30.0) == 0.0);  // strictly after the onset
    CHECK(p(31.0) == 2.0);
    CHECK(p(43.5) == 0.0);
    CHECK(p(73.0) == 2.0);  // second pulse
    CHECK(eq::gaussian{.amp = 3.0, .sigma = 2.0, .midpoint = 10.0, .offset = 0.5}(10.0) == 3.5);
    CHECK(eq::gaussian{.sigma = 2.0}(2.0) == Approx(std::exp(-0.5)));
    CHECK(eq::sinusoid{.amp = 2.0, .frequency = 0.01}(25.0) == Approx(2.0));
    CHECK(eq::linear{.a = 2.0, .b = 1.0}(3.0) == 7.0);
    const eq::double_exponential_pulse d;
    double mx = 0.0;
    for (double t = 0.0; t < 100.0; t += 0.01) mx = std::max(mx, d(t));
    CHECK(mx == Approx(0.1).epsilon(1e-6));
}

TEST_CASE("a region stimulus drives the stimulus variables as TVB's integrators do", "[stimuli]") {
    // Two uncoupled Linear nodes (dx/dt = gamma x + c), weights 0: x' = x + dt (gamma x + s) for
    // Euler, TVB's Heun with dt s in predictor and corrector; s = w_i f((n - 1) dt).
    bw::connectivity conn;
    conn.weights = Eigen::MatrixXd::Zero(2, 2);
    conn.tract_lengths = Eigen::MatrixXd::Zero(2, 2);
    conn.centres = Eigen::MatrixX3d::Zero(2, 3);
    conn.region_labels = {"a", "b"};
    const bw::stimuli::region_stimulus stim{.weight = {1.0, -0.5},
                                            .temporal = eq::pulse_train{.T = 2.0, .tau = 1.0, .amp = 3.0, .onset = 0.5}};
    const double dt = 0.05, gamma = -10.0;  // dt |gamma| = 0.5: stable for both schemes
    auto expected = [&](bool heun, double w) {
        double x = 0.0;
        for (int n = 1; n <= 40; ++n) {
            const double s = w * std::get<eq::pulse_train>(stim.temporal)((n - 1) * dt);
            if (heun) {
                const double k1 = gamma * x, inter = x + dt * k1 + dt * s, k2 = gamma * inter;
                x = x + (k1 + k2) * dt / 2.0 + dt * s;
            } else {
                x = x + dt * (gamma * x + s);
            }
        }
        return x;
    };
    // The last sample of each node after 40 steps with the stimulus, for integrator `integ`.
    auto run_with = [&](auto integ) {
        auto sim = bw::make_simulator(bw::models::linear{}, bw::coupling::linear{.a = 0.0}, integ, conn, bw::monitors::raw{});
        sim.set_constant_history(std::vector<double>{0.0, 0.0});
        sim.set_stimulus(stim);
        sim.run(40 * dt);
        return sim;
    };
    const auto euler = run_with(bw::integrators::euler<>{.dt = dt});
    const auto& eo = euler.output<0>();
    CHECK(eo(eo.n_samples() - 1, 0, 0) == Approx(expected(false, 1.0)).epsilon(1e-13));
    CHECK(eo(eo.n_samples() - 1, 0, 1) == Approx(expected(false, -0.5)).epsilon(1e-13));
    CHECK(expected(false, 1.0) != 0.0);
    // Time counts from the first step after the initial history, however long that history is.
    auto late = bw::make_simulator(bw::models::linear{}, bw::coupling::linear{.a = 0.0}, bw::integrators::euler<>{.dt = dt}, conn,
                                   bw::monitors::raw{});
    late.set_history(std::vector<double>(30 * 2, 0.0), 30);
    late.set_stimulus(stim);
    late.run(40 * dt);
    CHECK(late.output<0>()(late.output<0>().n_samples() - 1, 0, 0) == Approx(expected(false, 1.0)).epsilon(1e-13));
    auto heun = run_with(bw::integrators::heun<>{.dt = dt});
    const auto& ho = heun.output<0>();
    CHECK(ho(ho.n_samples() - 1, 0, 0) == Approx(expected(true, 1.0)).epsilon(1e-13));
    heun.clear_stimulus();
    heun.run(10 * dt);  // decays without the drive
    CHECK(std::abs(heun.output<0>()(heun.output<0>().n_samples() - 1, 0, 0)) < std::abs(expected(true, 1.0)));

    CHECK_THROWS_WITH(heun.set_stimulus({.weight = {1.0}}), Catch::Contains("expected one per node (2)"));
    CHECK_THROWS_WITH(heun.set_stimulus({.weight = {1.0, std::nan("")}}), Catch::Contains("node 1 is not finite"));
}

// --- Balloon-Windkessel ---------------------------------------------------------------------------

namespace {
/// The Balloon-Windkessel equations written out again (classic coefficients), advanced by RK4 at
/// 1e-5 s: the independent reference for the monitor (Heun at the simulation's dt).
struct balloon_reference {
    double kappa = 0.65, gamma = 0.41, tau = 0.98, alpha = 0.32, E0 = 0.34, V0 = 0.02;
    std::array<double, 4> y{0.0, 1.0, 1.0, 1.0};
    std::array<double, 4> rhs(double z, const std::array<double, 4>& u) const {
        const double outflow = std::pow(u[2], 1.0 / alpha);
        const double extraction = 1.0 - std::pow(1.0 - E0, 1.0 / u[1]);
        return {z - kappa * u[0] - gamma * (u[1] - 1.0), u[0], (u[1] - outflow) / tau,
                (u[1] * extraction / E0 - outflow * u[3] / u[2]) / tau};
    }
    void advance(double z, double seconds) {
        const double h = 1e-5;
        for (int n = 0; n < static_cast<int>(std::lround(seconds / h)); ++n) {
            auto add = [&](const std::array<double, 4>& a, const std::array<double, 4>& b, double c) {
                std::array<double, 4> r;
                for (int i = 0; i < 4; ++i) r[i] = a[i] + c * b[i];
                return r;
            };
            const auto k1 = rhs(z, y), k2 = rhs(z, add(y, k1, h / 2)), k3 = rhs(z, add(y, k2, h / 2)),
                       k4 = rhs(z, add(y, k3, h));
            for (int i = 0; i < 4; ++i) y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
    }
    double bold() const { return V0 * (7 * E0 * (1 - y[3]) + 2 * (1 - y[3] / y[2]) + (2 * E0 - 0.2) * (1 - y[2])); }
};
}  // namespace

TEST_CASE("Balloon-Windkessel monitor agrees with an independent RK4 integration", "[forward][balloon]") {
    // A 1 s block of input z = 1 from t = 0, then rest; dt = 0.1 ms, BOLD every 500 ms for 20 s.
    bw::monitors::balloon_windkessel m{.period = 500.0};
    m.configure(context(0.1));
    balloon_reference ref;
    std::vector<double> expected;
    for (int s = 1; s <= 40; ++s) {
        ref.advance(s <= 2 ? 1.0 : 0.0, 0.5);
        expected.push_back(ref.bold());
    }
    for (std::int64_t step = 1; step <= 200000; ++step) {
        const double x = step <= 10000 ? 1.0 : 0.0;
        m.record(step, &x, nullptr);
    }
    const auto& o = m.output();
    REQUIRE(o.n_samples() == 40);
    double peak = 0.0, err = 0.0;
    for (std::size_t t = 0; t < 40; ++t) {
        peak = std::max(peak, std::abs(expected[t]));
        err = std::max(err, std::abs(o(t, 0, 0) - expected[t]));
    }
    CHECK(err <= 1e-6 * peak);
    CHECK(peak > 1e-3);  // a visible response (about 1 % signal change)
}

TEST_CASE("Balloon-Windkessel and TVB's HRF Bold respond alike to a brief input", "[forward][balloon][bold]") {
    // Both see a 1 s block at t = 20..21 s (after the HRF ring has filled); compare their shapes.
    bw::monitors::balloon_windkessel bw_m{.period = 250.0};
    bw::monitors::bold hrf{.period = 250.0};
    bw_m.configure(context(1.0));
    hrf.configure(context(1.0));
    for (std::int64_t step = 1; step <= 60000; ++step) {
        const double x = (step > 20000 && step <= 21000) ? 1.0 : 0.0;
        bw_m.record(step, &x, nullptr);
        hrf.record(step, &x, nullptr);
    }
    auto peak_time = [](const bw::monitor_output& o, double baseline) {
        std::size_t best = 0;
        for (std::size_t t = 0; t < o.n_samples(); ++t)
            if (o(t, 0, 0) - baseline > o(best, 0, 0) - baseline) best = t;
        return o.time[best] / 1000.0 - 20.0;  // s after onset
    };
    const double b_peak = peak_time(bw_m.output(), 0.0);
    const double h_peak = peak_time(hrf.output(), hrf.output()(79, 0, 0));  // baseline before the input
    CHECK(b_peak > 3.0);
    CHECK(b_peak < 7.0);
    // TVB's default FirstOrderVolterra kernel (tau_s 0.8, tau_f 0.4) is a faster damped
    // oscillation: its response peaks about 1 s after the input, the balloon's about 4-5 s.
    INFO("peak after onset: balloon " << b_peak << " s, HRF (FirstOrderVolterra) " << h_peak << " s");
    CHECK(h_peak > 0.5);
    CHECK(h_peak < 3.0);
    CHECK(b_peak > h_peak);
    double undershoot = 0.0;  // the balloon's post-stimulus undershoot
    for (std::size_t t = 0; t < bw_m.output().n_samples(); ++t) undershoot = std::min(undershoot, bw_m.output()(t, 0, 0));
    CHECK(undershoot < 0.0);
}

TEST_CASE("Balloon-Windkessel monitor rejects bad parameters and runaway input", "[forward][balloon][errors]") {
    bw::monitors::balloon_windkessel bad{.E0 = 1.5};
    CHECK_THROWS_WITH(bad.configure(context(0.1)), Catch::Contains("E0 must be in (0, 1)"));
    bw::monitors::balloon_windkessel m{.input_scale = -1e6};
    m.configure(context(0.1));
    const double x = 1.0;
    CHECK_THROWS_AS([&] { for (std::int64_t s = 1; s <= 100000; ++s) m.record(s, &x, nullptr); }(), bw::numerical_error);
}

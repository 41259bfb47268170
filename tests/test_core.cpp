// Core utilities: reflection of parameters, special functions, noise sources, delay buffer, CSR.
#include "test_helpers.hpp"

#include <brainweave/core/parse.hpp>

#include <cmath>
#include <limits>

namespace bw = brainweave;

TEST_CASE("parameters are listed, read and set by TVB's names", "[core][parameters]") {
    using P = bw::models::generic_2d_oscillator::parameters;
    const auto names = bw::parameter_names<P>();
    CHECK(names == std::vector<std::string>{"tau", "I", "a", "b", "c", "d", "e", "f", "g", "alpha", "beta", "gamma"});
    P p{};
    CHECK(bw::get_parameter(p, "d") == std::vector<double>{0.02});
    const double v = 1.5;
    bw::set_parameter(p, "a", std::span<const double>(&v, 1));
    CHECK(p.a == 1.5);
    CHECK_THROWS_WITH(bw::set_parameter(p, "tauu", std::span<const double>(&v, 1), "Generic2dOscillator"),
                      Catch::Contains("has no parameter 'tauu'") && Catch::Contains("known: tau, I, a"));
    const double nan = std::nan("");
    CHECK_THROWS_WITH(bw::set_parameter(p, "a", std::span<const double>(&nan, 1)), Catch::Contains("must be finite"));
}

TEST_CASE("array and flag parameters", "[core][parameters]") {
    bw::models::zerlaut_adaptation_first_order::parameters z{};
    CHECK(bw::get_parameter(z, "P_e").size() == 10);
    std::vector<double> three{1, 2, 3};
    CHECK_THROWS_WITH(bw::set_parameter(z, "P_e", three), Catch::Contains("expects 10 values, got 3"));
    bw::models::wilson_cowan::parameters w{};
    std::vector<double> zero{0.0}, two{2.0};
    bw::set_parameter(w, "shift_sigmoid", zero);
    CHECK_FALSE(w.shift_sigmoid);
    CHECK_THROWS_WITH(bw::set_parameter(w, "shift_sigmoid", two), Catch::Contains("expects 0 or 1"));
}

TEST_CASE("parameter tables hold one value or one per node", "[core][parameters]") {
    bw::parameter_table<bw::models::generic_2d_oscillator::parameters> t;
    CHECK_FALSE(t.heterogeneous());
    t.set("a", 1.0, 4);
    CHECK(t[3].a == 1.0);
    std::vector<double> per_node{1, 2, 3, 4};
    t.set("b", per_node, 4);
    CHECK(t.heterogeneous());
    CHECK(t[2].b == 3.0);
    CHECK(t[2].a == 1.0);
    std::vector<double> bad{1, 2};
    CHECK_THROWS_WITH(t.set("c", bad, 4), Catch::Contains("expects 1 value or one per node (4), got 2"));
    CHECK_THROWS_AS(t.check_nodes(5), bw::config_error);
}

TEST_CASE("normal quantile and density", "[core][math]") {
    using bw::math::normal_quantile;
    CHECK(normal_quantile(0.5) == 0.0);
    CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-15));
    CHECK(normal_quantile(0.025) == Approx(-1.959963984540054).epsilon(1e-15));
    CHECK(normal_quantile(1e-10) == Approx(-6.361340902404056).epsilon(1e-14));
    CHECK(normal_quantile(0.8413447460685429) == Approx(1.0).epsilon(1e-14));
    for (double p : {1e-6, 0.01, 0.3, 0.7, 0.99, 1 - 1e-9}) {
        const double x = normal_quantile(p);
        CHECK(0.5 * std::erfc(-x / std::sqrt(2.0)) == Approx(p).epsilon(1e-13));
    }
    CHECK(std::isinf(normal_quantile(0.0)));
    CHECK(std::isnan(normal_quantile(1.5)));
    CHECK(bw::math::normal_pdf(0.0, 0.0, 1.0) == Approx(0.3989422804014327));
}

TEST_CASE("Philox normal draws: deterministic, independent of request order, standard normal", "[core][noise]") {
    bw::noise::philox_normal g(123);
    std::array<double, 6> a{}, b{};
    g.fill(10, 3, a.data(), a.size());
    g.fill(11, 4, b.data(), b.size());  // another (step, node) in between
    std::array<double, 6> a2{};
    g.fill(10, 3, a2.data(), a2.size());
    CHECK(a == a2);
    CHECK(a != b);
    double sum = 0, sq = 0;
    const int n = 200000;
    std::array<double, 2> z{};
    for (int k = 0; k < n / 2; ++k) {
        g.fill(k, 0, z.data(), 2);
        sum += z[0] + z[1];
        sq += z[0] * z[0] + z[1] * z[1];
    }
    CHECK(std::abs(sum / n) < 0.01);
    CHECK(std::abs(sq / n - 1.0) < 0.02);
}

TEST_CASE("replayed draws are addressed by step and node", "[core][noise]") {
    // shape (steps=2, n_state=2, nodes=3, modes=1)
    std::vector<double> draws(12);
    for (std::size_t k = 0; k < draws.size(); ++k) draws[k] = static_cast<double>(k);
    bw::noise::replay_normal r(draws, 2, 2, 3, 1, 100);
    std::array<double, 2> z{};
    r.fill(101, 2, z.data(), 2);
    CHECK(z[0] == 6 + 2);
    CHECK(z[1] == 6 + 3 + 2);
    CHECK_THROWS_WITH(r.fill(102, 0, z.data(), 2), Catch::Contains("run is longer than the draws"));
}

TEST_CASE("delay buffer maps step n to slot n mod horizon", "[core][history]") {
    bw::delay_buffer b(5, 2, 1);
    b.at(7, 1)[0] = b.at(7, 1)[b.twin()] = 3.0;  // step 7 read back with delay 3 from step 10 (slot 0)
    CHECK(b.slot_of(7) == 2);
    CHECK(b.slot_of(-1) == 4);
    CHECK(b.at(2, 1)[0] == 3.0);
    CHECK(b.origin(10)[b.read_offset(3, 1)] == 3.0);
    CHECK(b.origin(8)[b.read_offset(1, 1)] == 3.0);
    CHECK(b.origin(8)[b.read_offset(1, 0)] == 0.0);
    // a node's consecutive steps follow each other, across the end of the ring (the twin)
    for (std::int64_t n = 10; n <= 19; ++n) b.at(n, 1)[0] = b.at(n, 1)[b.twin()] = static_cast<double>(n);
    for (std::int64_t d = 1; d < 5; ++d)
        for (std::int64_t k = 0; k <= d; ++k)
            CHECK(b.origin(19)[b.read_offset(static_cast<std::size_t>(d), 1) + static_cast<std::size_t>(k) * b.step_stride()] ==
                  static_cast<double>(19 - d + k));
}

TEST_CASE("sparse connectivity keeps non-zero weights with their delays", "[core][connectivity]") {
    Eigen::MatrixXd w(3, 3);
    w << 0, 1, 0, 2, 0, 3, 0, 0, 0;
    Eigen::Matrix<std::int64_t, -1, -1> d(3, 3);
    d << 0, 4, 9, 1, 0, 2, 0, 0, 0;
    auto s = bw::sparse_connectivity::from_dense(w, d);
    CHECK(s.nnz() == 3);
    CHECK(s.row_begin == std::vector<std::size_t>{0, 1, 3, 3});
    CHECK(s.source == std::vector<std::uint32_t>{1, 0, 2});
    CHECK(s.delay == std::vector<std::uint32_t>{4, 1, 2});
    CHECK(s.max_delay == 4);  // the zero-weight entry with delay 9 does not count
}

TEST_CASE("delays in steps round half to even, as numpy.rint", "[core][connectivity]") {
    Eigen::MatrixXd w = Eigen::MatrixXd::Ones(2, 2), tl(2, 2);
    tl << 0.0, 1.25, 1.75, 5.0;
    auto c = bw::connectivity::from_matrices(w, tl, 1.0);
    auto d = c.delays_in_steps(0.5);
    CHECK(d(0, 1) == 2);  // 2.5 -> 2
    CHECK(d(1, 0) == 4);  // 3.5 -> 4
    CHECK(d(1, 1) == 10);
    CHECK_THROWS_WITH(c.with_speed(-1.0), Catch::Contains("speed must be > 0"));
}

#include <brainweave/plot/svg.hpp>

TEST_CASE("plot: SVG figures are well formed and hold one mark per point", "[core][plot]") {
    namespace plot = brainweave::plot;
    CHECK(plot::nice_ticks(0, 1000) == std::vector<double>{0, 200, 400, 600, 800, 1000});
    CHECK(plot::nice_ticks(-0.3, 0.3, 3) == std::vector<double>{-0.2, 0, 0.2});
    CHECK(plot::viridis(0) == "#440154");
    CHECK(plot::viridis(1) == "#fde725");
    plot::figure fig(600, 400);
    auto& raster = fig.add_panel().title("a <raster> & more").xlabel("time (ms)");
    const std::vector<double> t{1, 2, 3, 4, 5}, i{0, 1, 0, 2, 1};
    raster.marks(t, i, "", "E");
    auto& img = fig.add_panel().ylabel("region");
    img.image(std::vector<double>{1, 2, 3, 4, 5, 6}, 2, 3, 0, 3, 0, 2, "S_e");
    CHECK(raster.n_marks() == 5);
    const auto svg = fig.svg();
    auto count = [&](const std::string& what) {
        std::size_t n = 0;
        for (auto p = svg.find(what); p != std::string::npos; p = svg.find(what, p + 1)) ++n;
        return n;
    };
    CHECK(count("<svg") == 1);
    CHECK(count("</svg>") == 1);
    CHECK(count("<g>") + count("<g ") == count("</g>"));
    const auto marks = svg.substr(svg.find("class='marks'"));
    CHECK(std::count(marks.begin(), marks.begin() + static_cast<std::ptrdiff_t>(marks.find("'/>")), 'M') == 5);
    CHECK(count("a &lt;raster&gt; &amp; more") == 1);
    CHECK(count("<rect x=") >= 6 + 40);  // six cells and the colour bar
    CHECK_THROWS_WITH(raster.line(t, std::vector<double>{1.0}), Catch::Contains("as many x as y"));
    const auto dir = bwtest::temp_dir("plot");
    fig.save(dir / "f.svg");
    CHECK(std::filesystem::file_size(dir / "f.svg") == svg.size());
    CHECK_FALSE(std::filesystem::exists(dir / "f.svg.partial"));
}

#include <brainweave/plot/spiking.hpp>

TEST_CASE("plot: rasters, population rates and state traces", "[core][plot]") {
    namespace plot = brainweave::plot;
    const std::vector<std::uint32_t> se{0, 3, 1, 2, 0, 4}, si{1, 0, 1};
    const std::vector<double> te{1.0, 2.0, 3.0, 4.0, 5.0, 12.0}, ti{1.5, 2.5, 9.0};
    const std::vector<plot::spike_group> groups{{"E", se, te, 5}, {"I", si, ti, 2}};
    plot::figure fig(600, 500);
    auto& r = plot::raster(fig.add_panel(), groups, 0.0, 10.0).title("raster");
    CHECK(r.n_marks() == 8);  // the spike at 12 is outside the window
    const auto svg = fig.svg();
    CHECK(svg.find(">E</text>") != std::string::npos);  // group labels on the axis
    CHECK(svg.find(">I</text>") != std::string::npos);
    const std::vector<plot::spike_group> bad{{"X", se, te, 3}};
    CHECK_THROWS_WITH(plot::raster(fig.add_panel(), bad, 0.0, 10.0), Catch::Contains("sender 3 outside group 'X'"));
    // Rates: 6 spikes of 3 neurons in [0, 1) s, bins of 0.25 s -> 2 / (3 x 0.25) Hz where 2 spikes fall.
    const std::vector<double> spikes{0.1, 0.2, 0.3, 0.6, 0.7, 0.8};
    const auto raw = plot::smoothed_rate(spikes, 3, 0.0, 1.0, 0.25);
    REQUIRE(raw.size() == 4);
    CHECK(raw[0] == Approx(8.0 / 3));
    CHECK(raw[1] == Approx(4.0 / 3));
    CHECK(raw[2] == Approx(8.0 / 3));
    CHECK(raw[3] == Approx(4.0 / 3));
    for (auto s : {plot::smoothing::gaussian, plot::smoothing::flat}) {
        const auto sm = plot::smoothed_rate(spikes, 3, 0.0, 1.0, 0.05, s, 0.1);
        double mass = 0;
        for (double v : sm) mass += v * 0.05 * 3;
        CHECK(mass <= 6.0 + 1e-9);  // smoothing spreads, the edges lose a little
        CHECK(mass > 4.5);
    }
    auto& rate = plot::population_rate(fig.add_panel(), spikes, 3, 0.0, 1.0, 0.05, plot::smoothing::gaussian, 0.1, "", "E");
    rate.xlabel("time (s)");
    auto& st = plot::state_traces(fig.add_panel(), std::vector<double>{0, 1, 2}, {{-65, -60, -55}, {-70, -64, -50}}, "V_m", "mV", {"n0", "n1"});
    (void)st;
    const auto svg2 = fig.svg();
    CHECK(svg2.find("V_m (mV)") != std::string::npos);
    CHECK(svg2.find("rate (Hz)") != std::string::npos);
    CHECK(svg2.find(">n1</text>") != std::string::npos);  // legend
}

TEST_CASE("numbers from text: all of the text, within the type, or an error naming the field", "[core][parse]") {
    CHECK(bw::to_number<double>(" 1.5e3 ") == 1500.0);
    CHECK(bw::to_number<double>("-inf") == -std::numeric_limits<double>::infinity());
    CHECK(std::isnan(*bw::to_number<double>("nan")));
    CHECK_FALSE(bw::to_number<double>("1e999"));   // overflows: not silently inf
    CHECK_FALSE(bw::to_number<double>("1.5x"));
    CHECK_FALSE(bw::to_number<double>(""));
    CHECK_FALSE(bw::to_number<float>("1e300"));    // fits a double, not a float
    CHECK(bw::to_number<std::uint32_t>("+42") == 42u);
    CHECK_FALSE(bw::to_number<std::uint32_t>("-1"));
    CHECK_FALSE(bw::to_number<std::uint32_t>("4294967296"));
    CHECK_FALSE(bw::to_number<std::int64_t>("3.0"));
    CHECK_THROWS_AS(bw::parse_number<std::size_t>("12a", "'net.nml', line 3: population size"), bw::io_error);
    CHECK_THROWS_WITH(bw::parse_number<std::uint8_t>("300", "'x.txt': type"),
                      "'x.txt': type: '300' is not a whole number from 0 to 255");
}

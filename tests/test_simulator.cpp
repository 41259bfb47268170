// The composed region simulator: delays, coupling, heterogeneous parameters, monitors, errors.
#include "test_helpers.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace bw = brainweave;
namespace m = bw::models;

namespace {
// Two nodes: node 0 receives from node 1 with weight 2 and a delay of 3 steps.
struct two_nodes {
    Eigen::MatrixXd w{{0.0, 2.0}, {0.0, 0.0}};
    Eigen::Matrix<std::int64_t, -1, -1> d{{0, 3}, {0, 0}};
};
}  // namespace

TEST_CASE("coupling reads the source's state delay steps back", "[simulator]") {
    two_nodes net;
    bw::simulator<m::linear, bw::coupling::linear, bw::integrators::euler<>, bw::monitors::raw, bw::monitors::afferent_coupling>
        sim({}, bw::coupling::linear{.a = 1.0, .b = 0.0}, bw::integrators::euler<>{.dt = 0.1}, net.w, net.d,
            bw::monitors::raw{}, bw::monitors::afferent_coupling{.period = 0.1});
    sim.parameters().set("gamma", 0.0);
    // history (time, var, node, mode): node 1 holds 10 * t at step t
    std::vector<double> h;
    for (int t = 0; t < 4; ++t) h.insert(h.end(), {0.0, 10.0 * t});
    sim.set_history(h, 4);
    CHECK(sim.current_step() == 3);
    sim.run_steps(1);
    // x0(4) = x0(3) + dt * (0 * x0 + 2 * x1(3 - 3)) = 0 + 0.1 * 2 * 0
    CHECK(sim.output<0>()(0, 0, 0) == 0.0);
    CHECK(sim.output<0>().time[0] == Approx(0.4));
    // the coupling recorded at step 4 is the one step 5 will use: 2 * x1(4 - 3) = 2 * 10
    CHECK(sim.output<1>()(0, 0, 0) == 20.0);
    sim.run_steps(1);
    CHECK(sim.output<0>()(1, 0, 0) == Approx(0.1 * 20.0));
}

TEST_CASE("a non-finite state is reported with step, node and variable", "[simulator]") {
    two_nodes net;
    bw::simulator<m::linear, bw::coupling::linear, bw::integrators::euler<>, bw::monitors::raw> sim(
        {}, bw::coupling::linear{}, bw::integrators::euler<>{.dt = 1.0}, net.w, net.d, bw::monitors::raw{});
    sim.parameters().set("gamma", 1e300);
    std::vector<double> h(8, 1.0);
    sim.set_history(h, 4);
    try {
        sim.run_steps(10);
        FAIL("expected a numerical_error");
    } catch (const bw::numerical_error& e) {
        CHECK(e.step() == 5);
        CHECK(e.variable() == "x");
        CHECK(std::string(e.what()).find("node 0") != std::string::npos);
    }
}

TEST_CASE("bad configuration is rejected with a clear message", "[simulator]") {
    two_nodes net;
    using sim_t = bw::simulator<m::linear, bw::coupling::linear, bw::integrators::euler<>, bw::monitors::sub_sample>;
    CHECK_THROWS_WITH(sim_t({}, {}, bw::integrators::euler<>{.dt = -1.0}, net.w, net.d, bw::monitors::sub_sample{}),
                      Catch::Contains("dt must be > 0"));
    sim_t sim({}, {}, bw::integrators::euler<>{.dt = 0.1}, net.w, net.d, bw::monitors::sub_sample{.period = 0.01});
    CHECK_THROWS_WITH(sim.run_steps(1), Catch::Contains("shorter than the integration step"));
    for (double bad : {0.0, -1.0, std::nan("")}) {  // a period <= 0 is not "every step" in disguise
        sim_t s3({}, {}, bw::integrators::euler<>{.dt = 0.1}, net.w, net.d, bw::monitors::sub_sample{.period = bad});
        CHECK_THROWS_WITH(s3.run_steps(1), Catch::Contains("SubSample monitor: period must be > 0 ms"));
    }
    sim_t sim2({}, {}, bw::integrators::euler<>{.dt = 0.1}, net.w, net.d, bw::monitors::sub_sample{});
    std::vector<double> short_history(2 * 2, 0.0);
    CHECK_THROWS_WITH(sim2.set_history(short_history, 2), Catch::Contains("longest delay needs 4"));
    std::vector<double> per_node{1.0, 2.0, 3.0};
    CHECK_THROWS_AS(sim2.parameters().set("gamma", per_node, 2), bw::config_error);
}

TEST_CASE("per-node parameters act node by node", "[simulator]") {
    two_nodes net;
    net.w.setZero();
    auto make = [&] {
        return bw::simulator<m::linear, bw::coupling::linear, bw::integrators::euler<>, bw::monitors::raw>(
            {}, {}, bw::integrators::euler<>{.dt = 0.1}, net.w, net.d, bw::monitors::raw{});
    };
    auto sim = make();
    std::vector<double> gammas{-1.0, -2.0};
    sim.parameters().set("gamma", gammas, 2);
    sim.set_constant_history(std::vector<double>{1.0, 1.0});
    sim.run_steps(1);
    CHECK(sim.output<0>()(0, 0, 0) == Approx(0.9));
    CHECK(sim.output<0>()(0, 0, 1) == Approx(0.8));
}

TEST_CASE("a run split in parts equals one run; variant policies equal static ones", "[simulator]") {
    auto conn = bw::io::load_tvb_connectivity(bwtest::data("connectivity/connectivity_76.zip")).with_speed(4.0);
    auto make_static = [&] {
        return bw::make_simulator(m::generic_2d_oscillator{}, bw::coupling::difference{.a = 0.01},
                                  bw::integrators::heun<bw::noise::additive<>>{.dt = 0.1, .noise = {.nsig = {0.001}, .source = bw::noise::philox_normal(5)}},
                                  conn, bw::monitors::temporal_average{.period = 1.0});
    };
    auto a = make_static();
    a.set_random_history(1);
    a.run(50.0);
    a.run(50.0);
    auto b = make_static();
    b.set_random_history(1);
    b.run(100.0);
    REQUIRE(a.output<0>().n_samples() == 100);
    CHECK(a.output<0>().data == b.output<0>().data);

    using cv = std::variant<bw::coupling::linear, bw::coupling::difference>;
    using iv = std::variant<bw::integrators::euler<>, bw::integrators::heun<bw::noise::additive<>>>;
    bw::simulator<m::generic_2d_oscillator, cv, iv, bw::monitors::temporal_average> c(
        {}, cv{bw::coupling::difference{.a = 0.01}},
        iv{bw::integrators::heun<bw::noise::additive<>>{.dt = 0.1, .noise = {.nsig = {0.001}, .source = bw::noise::philox_normal(5)}}},
        conn, bw::monitors::temporal_average{.period = 1.0});
    c.set_random_history(1);
    c.run(100.0);
    CHECK(c.output<0>().data == b.output<0>().data);
}

TEST_CASE("spatial and global averages", "[simulator][monitors]") {
    auto conn = bw::io::load_tvb_connectivity(bwtest::data("connectivity/connectivity_76.zip")).with_speed(4.0);
    auto sim = bw::make_simulator(m::generic_2d_oscillator{}, bw::coupling::linear{.a = 0.0, .b = 0.0},
                                  bw::integrators::heun<>{.dt = 0.1}, conn, bw::monitors::spatial_average{},
                                  bw::monitors::global_average{}, bw::monitors::raw{});
    sim.set_random_history(2);
    sim.run(10.0);
    const auto& sp = sim.output<0>();
    const auto& gl = sim.output<1>();
    const auto& raw = sim.output<2>();
    REQUIRE(sp.n_space == 2);  // two hemispheres
    REQUIRE(gl.n_space == 1);
    // the global average of the last sample equals the mean over nodes of the matching raw sample
    const std::size_t t = gl.n_samples() - 1;
    const double when = gl.time[t];
    std::size_t r = 0;
    while (std::abs(raw.time[r] - when) > 1e-9) ++r;
    double mean = 0.0, right = 0.0;
    std::size_t n_right = 0;
    for (std::size_t i = 0; i < 76; ++i) {
        mean += raw(r, 0, i);
        if (conn.hemispheres[i]) {
            right += raw(r, 0, i);
            ++n_right;
        }
    }
    CHECK(gl(t, 0, 0) == Approx(mean / 76.0).epsilon(1e-12));
    CHECK(sp(t, 0, 1) == Approx(right / static_cast<double>(n_right)).epsilon(1e-12));
}

TEST_CASE("spatial masks must number their areas contiguously", "[simulator][monitors]") {
    two_nodes net;
    bw::simulator<m::linear, bw::coupling::linear, bw::integrators::euler<>, bw::monitors::spatial_average> sim(
        {}, {}, bw::integrators::euler<>{.dt = 0.1}, net.w, net.d,
        bw::monitors::spatial_average{.period = 0.1, .spatial_mask = {0, 2}});
    CHECK_THROWS_WITH(sim.run_steps(1), Catch::Contains("area 1 has no node"));
    bw::simulator<m::linear, bw::coupling::linear, bw::integrators::euler<>, bw::monitors::spatial_average> sim2(
        {}, {}, bw::integrators::euler<>{.dt = 0.1}, net.w, net.d, bw::monitors::spatial_average{.period = 0.1});
    CHECK_THROWS_WITH(sim2.run_steps(1), Catch::Contains("no spatial_mask given and the connectivity has no hemispheres"));
}

TEST_CASE("coupling computed ahead in blocks equals the coupling computed step by step, bit for bit", "[simulator]") {
    // TVB's connectome at 1 mm/ms, with its zero-length self-connections: the far connections of a
    // block are summed at once, the self-connections (delay 0) step by step as the states arrive.
    const auto conn = bw::io::load_tvb_connectivity(bwtest::data("connectivity/connectivity_76.zip")).with_speed(1.0);
    const auto delays = conn.delays_in_steps(0.1);
    bw::delayed_coupling<double, m::generic_2d_oscillator, bw::coupling::linear> net;
    net.set_connectivity(bw::sparse_connectivity::from_dense(conn.weights, delays));
    const auto& csr = net.sparse();
    std::size_t near = 0;
    for (std::size_t i = 0; i < csr.n_nodes; ++i) {
        bool in_near = false;
        for (std::size_t e = csr.row_begin[i]; e < csr.row_begin[i + 1]; ++e) {
            const bool is_near = csr.delay[e] + 1 < net.max_block;
            CHECK((!in_near || is_near));  // far connections first
            in_near = is_near;
            near += is_near;
        }
    }
    CHECK(near >= 66);  // the self-connections
    const bw::coupling::linear c{.a = 0.3, .b = 0.1};
    const std::size_t K = net.block_steps(c);
    REQUIRE(K == net.max_block);
    CHECK(bw::delayed_coupling<double, m::generic_2d_oscillator, bw::coupling::difference>{}.block_steps({}) == 1);  // reads x_i
    const std::size_t n = 76, H = net.horizon();
    net.reset(H);
    std::mt19937_64 rng(3);
    std::vector<double> state(2 * n);
    auto write_random = [&](std::int64_t t) {
        for (auto& v : state) v = std::uniform_real_distribution<double>(-1.0, 1.0)(rng);
        net.write(t, state.data());
    };
    for (std::size_t t = 0; t < H; ++t) write_random(static_cast<std::int64_t>(t));
    const auto now = static_cast<std::int64_t>(H) - 1;
    net.compute_block(c, now);
    std::vector<double> block(n), one(n);
    for (std::size_t k = 0; k < K; ++k) {
        const std::int64_t t = now + static_cast<std::int64_t>(k);
        if (k > 0) write_random(t);  // the states the near connections of step t read
        net.complete(c, now, k, block.data());
        net.compute(c, t, one.data());
        CHECK(std::equal(one.begin(), one.end(), block.begin()));
    }
}

// Multicompartment cells and extracellular forward models. Parity with NEURON + LFPykit on the
// reference cases runs through brainweave-run --lfp-case --check (tests/CMakeLists.txt); here:
// SWC reading, NEURON's discretization rules, the Hines solver against a dense solve, the time
// schemes' orders, synaptic kernels, and the forward models against LFPykit's documented values.
#include "lfp_fixtures.hpp"
#include "test_helpers.hpp"

#include <brainweave/io/spike_files.hpp>
#include <brainweave/lfp.hpp>

#include <fstream>

#include <Eigen/Dense>

#include <numbers>

namespace bw = brainweave;
namespace mc = brainweave::multicompartment;
namespace ex = brainweave::extracellular;

namespace {
const char* ballstick_swc =
    "# ball and stick\n"
    "1 1 0 0 -10 10 -1\n"
    "2 1 0 0 10 10 1\n"
    "3 3 0 0 10 1 2\n"
    "4 3 0 0 610 1 3\n";

// A single compartment (one node with area, no axial connections).
mc::node_graph one_compartment(double area) { return {{-1}, {0.0}, {area}, {0}}; }
}  // namespace

TEST_CASE("SWC: sections, soma conventions and connection points", "[lfp][swc]") {
    SECTION("ball and stick: two sections, the dendrite on the soma's 1-end") {
        const auto m = bw::io::parse_swc(ballstick_swc, "test");
        REQUIRE(m.sections.size() == 2);
        CHECK(m.sections[0].name == "soma");
        CHECK(m.sections[0].length() == Approx(20));
        CHECK(m.sections[1].name == "dend[0]");
        CHECK(m.sections[1].parent == 0);
        CHECK(m.sections[1].parent_x == 1.0);
        CHECK(m.sections[1].points.size() == 2);  // first point coincides with the soma's end: no copy
    }
    SECTION("one-point soma becomes a cylinder along y; neurites attach at its middle") {
        const auto m = bw::io::parse_swc("1 1 0 0 0 5 -1\n2 3 0 0 8 1 1\n3 3 0 0 50 1 2\n", "test");
        REQUIRE(m.sections.size() == 2);
        CHECK(m.sections[0].length() == Approx(10));
        CHECK(m.sections[0].points[0].y == Approx(-5));
        CHECK(m.sections[1].parent_x == 0.5);
        CHECK(m.sections[1].points.front().z == 8);  // starts at its own first point, not in the soma
    }
    SECTION("three-point soma; branch points and type changes end sections; parent point copied") {
        const auto m = bw::io::parse_swc(
            "1 1 0 0 0 5 -1\n2 1 0 -5 0 5 1\n3 1 0 5 0 5 1\n"
            "4 3 0 0 5 1 1\n5 3 0 0 20 1 4\n"         // trunk from the soma's middle point
            "6 3 5 0 25 0.5 5\n7 3 10 0 30 0.5 6\n"   // first branch
            "8 3 -5 0 25 0.5 5\n"                     // second branch
            "9 2 0 0 -5 0.5 1\n10 2 0 0 -100 0.5 9\n"  // axon
            "11 3 0 9 0 0.5 3\n",                    // a one-point neurite: no length, dropped
            "test");
        REQUIRE(m.sections.size() == 5);
        CHECK(m.sections[0].length() == Approx(10));
        CHECK(m.sections[1].parent_x == Approx(0.5));
        const auto& b1 = m.sections[2];
        CHECK(b1.parent == 1);
        CHECK(b1.points.size() == 3);          // copy of the branch point + its two points
        CHECK(b1.points[0].z == 20);
        CHECK(b1.points[0].diam == 1.0);       // the child's diameter, not the parent's
        CHECK(m.sections[3].points.size() == 2);
        CHECK(m.sections[4].name == "axon[0]");
        CHECK(m.sections[4].parent_x == Approx(0.5));
    }
    SECTION("malformed files are refused naming the line") {
        CHECK_THROWS_WITH(bw::io::parse_swc("1 1 0 0 0 5\n", "f.swc"), Catch::Contains("f.swc, line 1: expected 7 columns"));
        CHECK_THROWS_WITH(bw::io::parse_swc("1 1 0 0 x 5 -1\n", "f.swc"), Catch::Contains("'x' is not a number"));
        CHECK_THROWS_WITH(bw::io::parse_swc("1 1 0 0 0 5 -1\n2 3 0 0 1 1 7\n", "f.swc"), Catch::Contains("line 2: parent 7 is not a point"));
        CHECK_THROWS_WITH(bw::io::parse_swc("1 1 0 0 0 5 -1\n2 3 0 0 1 1 -1\n", "f.swc"), Catch::Contains("a second root"));
        CHECK_THROWS_WITH(bw::io::parse_swc("1 1 0 0 0 -5 -1\n", "f.swc"), Catch::Contains("radius must be positive"));
        CHECK_THROWS_WITH(bw::io::parse_swc("1 1 0 0 0 5 -1\n2 3 0 0 1 1 3\n3 3 0 0 2 1 2\n", "f.swc"),
                          Catch::Contains("not connected to the root"));
        CHECK_THROWS_WITH(bw::io::read_swc("/nonexistent/cell.swc"), Catch::Contains("/nonexistent/cell.swc"));
    }
}

TEST_CASE("NEURON's discretization: d_lambda rule, areas, axial resistances, node graph", "[lfp][discretization]") {
    const mc::passive_properties props;  // Ra 150, cm 1
    const auto m = mc::ball_and_stick();
    SECTION("nseg by lambda_f(100 Hz): 1 for the soma, 19 for the 600 um dendrite") {
        CHECK(mc::nseg_by_lambda_rule(m.sections[0], 150, 1) == 1);
        CHECK(mc::nseg_by_lambda_rule(m.sections[1], 150, 1) == 19);
    }
    SECTION("cylinders: area pi d L / nseg, ri 4 Ra L / (pi d^2) per segment, node graph shape") {
        const auto c = mc::discretize(m, props);
        REQUIRE(c.geometry.size() == 20);
        CHECK(c.segment_area[0] == Approx(std::numbers::pi * 20 * 20));
        CHECK(c.segment_area[1] == Approx(std::numbers::pi * 2 * 600.0 / 19));
        const double seg_ri = 4 * 150 * (600.0 / 19) / (std::numbers::pi * 4) * 1e-2;  // MOhm
        // nodes: 0 root 0-end, 1 soma centre, 2 soma 1-end, 3.. dendrite centres, 22 dendrite 1-end
        REQUIRE(c.nodes.size() == 23);
        CHECK(c.nodes.parent[3] == 2);
        CHECK(c.nodes.ri[3] == Approx(seg_ri / 2));
        CHECK(c.nodes.ri[4] == Approx(seg_ri));
        CHECK(c.nodes.ri[22] == Approx(seg_ri / 2));
        CHECK(c.nodes.area[22] == 0);
        CHECK(c.nodes.segment[22] == -1);
        CHECK(c.geometry.start[1][2] == Approx(10));
        CHECK(c.geometry.end[19][2] == Approx(610));
    }
    SECTION("a tapered section: frustum areas and the resistance integral of a linear diameter") {
        mc::morphology t;
        t.sections.push_back({"cone", 3, {{0, 0, 0, 4}, {0, 0, 100, 2}}, -1, 1.0});
        const auto c = mc::discretize(t, props, {}, {1});
        const double slant = std::sqrt(100.0 * 100.0 + 1.0);
        CHECK(c.segment_area[0] == Approx(std::numbers::pi * (2 + 1) * slant));
        // 4 Ra / pi * integral dx / d(x)^2 over each half: d from 4 to 3 and 3 to 2 over 50 um.
        CHECK(c.nodes.ri[1] == Approx(4 * 150 / std::numbers::pi * 50 / (4 * 3) * 1e-2));
        CHECK(c.nodes.ri[2] == Approx(4 * 150 / std::numbers::pi * 50 / (3 * 2) * 1e-2));
        CHECK(c.geometry.diam[0] == Approx(3));
    }
    SECTION("a child at x = 0.5 hangs from the centre of the parent's middle segment") {
        mc::morphology b = m;
        b.sections.push_back({"side", 3, {{0, 0, 0, 1}, {50, 0, 0, 1}}, 0, 0.5});
        const auto c = mc::discretize(b, props, {}, {3, 1, 1});
        // soma: root 0, centres 1-3, 1-end 4; dend centre 5, end 6; side centre 7
        CHECK(c.nodes.parent[7] == 2);
        c.nodes.validate();
    }
    SECTION("bad input is refused") {
        mc::morphology bad = m;
        bad.sections[1].points[1].diam = 0;
        CHECK_THROWS_WITH(mc::discretize(bad, props), Catch::Contains("positive diameter"));
        mc::passive_properties p;
        p.rm_ohm_cm2 = -1;
        CHECK_THROWS_WITH(mc::discretize(m, p), Catch::Contains("rm must be positive"));
        CHECK_THROWS_WITH(mc::discretize(m, props, {}, {1}), Catch::Contains("nseg has 1 entries for 2 sections"));
    }
}

TEST_CASE("Cable solver: Hines elimination equals a dense solve; charge is conserved", "[lfp][cable]") {
    // A branched cell with tapers, rebuilt through the SWC reader and discretized.
    const auto m = bw::io::parse_swc(
        "1 1 0 0 0 10 -1\n2 1 0 0 20 10 1\n3 3 0 0 20 2 2\n4 3 0 0 300 1.5 3\n"
        "5 3 40 0 400 1 4\n6 3 -40 0 420 0.8 4\n7 4 0 0 0 1 1\n8 4 0 -200 0 1 7\n", "branched");
    mc::passive_properties props;
    props.e_pas_mV = -65;
    props.v_init_mV = -65;
    const auto c = mc::discretize(m, props);
    const double dt = 0.025;
    mc::passive_cell cell(c.nodes, props, dt);
    const auto syn = cell.add_synapse({static_cast<int>(c.geometry.size()) - 1, 2.0, 0.5});
    cell.deliver(syn, 0.5);
    cell.step();
    // Dense backward-Euler step from the initial state with the same synaptic current.
    const auto& g = c.nodes;
    const auto n = static_cast<Eigen::Index>(g.size());
    Eigen::MatrixXd A = Eigen::MatrixXd::Zero(n, n);
    Eigen::VectorXd b = Eigen::VectorXd::Zero(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const double C = props.cm_uF_per_cm2 * g.area[static_cast<std::size_t>(i)] * 1e-5, gl = g.area[static_cast<std::size_t>(i)] / props.rm_ohm_cm2 * 1e-2;
        A(i, i) += C / dt + gl;
        b(i) = C / dt * props.v_init_mV + gl * props.e_pas_mV;
        if (i > 0) {
            const auto p = g.parent[static_cast<std::size_t>(i)];
            const double ga = 1 / g.ri[static_cast<std::size_t>(i)];
            A(i, i) += ga;
            A(p, p) += ga;
            A(i, p) -= ga;
            A(p, i) -= ga;
        }
    }
    for (Eigen::Index i = 0; i < n; ++i)
        if (g.segment[static_cast<std::size_t>(i)] == static_cast<int>(c.geometry.size()) - 1) b(i) += 0.5;
    const Eigen::VectorXd v = A.partialPivLu().solve(b);
    double worst = 0;
    for (Eigen::Index i = 0; i < n; ++i)
        if (g.segment[static_cast<std::size_t>(i)] >= 0)
            worst = std::max(worst, std::abs(cell.vmem()[static_cast<std::size_t>(g.segment[static_cast<std::size_t>(i)])] - v(i)));
    CHECK(worst < 1e-10);
    // Sum of transmembrane currents is zero at every step (capacitive + leak = synaptic in total).
    double total = 0, largest = 0;
    for (int k = 0; k < 200; ++k) {
        cell.step();
        double s = 0;
        for (double i : cell.imem()) {
            s += i;
            largest = std::max(largest, std::abs(i));
        }
        total = std::max(total, std::abs(s));
    }
    CHECK(largest > 1e-3);
    CHECK(total < 1e-12 * std::max(1.0, largest) * 100);
}

TEST_CASE("Time schemes: backward Euler is first order, Crank-Nicolson second", "[lfp][cable]") {
    // One compartment driven by a step current (an exponential synapse with tau -> infinity):
    // v(t) = w / g (1 - exp(-t / tau_m)). A constant drive isolates the scheme's own order (an
    // exponential current is sampled at the start of each step, as NEURON does, itself first order).
    const double area = 1000, w = 0.1, T = 10.0;
    mc::passive_properties props;
    const double C = props.cm_uF_per_cm2 * area * 1e-5, g = area / props.rm_ohm_cm2 * 1e-2, tau_m = C / g;
    auto error = [&](mc::time_scheme s, double dt) {
        mc::passive_cell cell(one_compartment(area), props, dt, s);
        const auto ch = cell.add_synapse({0, 1e12, w});
        cell.deliver(ch, w);
        const auto steps = static_cast<int>(std::lround(T / dt));
        for (int k = 0; k < steps; ++k) cell.step();
        return std::abs(cell.vmem()[0] - w / g * (1 - std::exp(-T / tau_m)));
    };
    const double be1 = error(mc::time_scheme::backward_euler, 0.1), be2 = error(mc::time_scheme::backward_euler, 0.05);
    const double cn1 = error(mc::time_scheme::crank_nicolson, 0.1), cn2 = error(mc::time_scheme::crank_nicolson, 0.05);
    CHECK(be1 / be2 == Approx(2).epsilon(0.05));
    CHECK(cn1 / cn2 == Approx(4).epsilon(0.05));
    CHECK(cn1 < be1 / 10);
}

TEST_CASE("Synaptic kernels and spike delivery", "[lfp][cable]") {
    const double area = 500, dt = 0.1, tau = 1.5, w = 0.2;
    mc::passive_properties props;
    const double C = props.cm_uF_per_cm2 * area * 1e-5, g = area / props.rm_ohm_cm2 * 1e-2;
    for (auto kernel : {mc::synapse_kernel::exponential, mc::synapse_kernel::alpha}) {
        mc::passive_cell cell(one_compartment(area), props, dt);
        const auto ch = cell.add_synapse({0, tau, w, kernel});
        mc::spike_schedule sched;
        sched.add(0.0, dt, ch, w);
        sched.sort();
        double v_prev = props.v_init_mV, worst = 0;
        mc::simulate(cell, sched, 100, [&](std::int64_t k) {
            const double v = cell.vmem()[0];
            // Backward Euler on one compartment: I_syn(step k) = C (v' - v) / dt + g v'.
            const double isyn = C * (v - v_prev) / dt + g * v;
            const double s = static_cast<double>(k) * dt;
            const double expected = kernel == mc::synapse_kernel::alpha ? w * s / tau * std::exp(1 - s / tau) : w * std::exp(-s / tau);
            worst = std::max(worst, std::abs(isyn - expected));
            CHECK(cell.imem()[0] == Approx(0).margin(1e-12));  // a lone compartment's membrane current balances
            v_prev = v;
        });
        CHECK(worst < 1e-12);
    }
    CHECK(mc::delivery_step(1.1, 0.1) == 11);
    CHECK(mc::delivery_step(0.05, 0.1) == 0);  // within half a step of t = 0
    CHECK(mc::delivery_step(0.051, 0.1) == 1);
    mc::passive_cell cell(one_compartment(area), props, dt);
    CHECK_THROWS_WITH(cell.add_synapse({3, 1.0, 0.1}), Catch::Contains("synapse on segment 3, the cell has 1 segments"));
    CHECK_THROWS_WITH(cell.add_synapse({0, 0.0, 0.1}), Catch::Contains("tau must be positive"));
}

TEST_CASE("Forward models reproduce LFPykit's documented values", "[lfp][forward]") {
    // LFPykit's docstring cell: three 10 um segments along z, diameter 1 um.
    mc::segment_geometry g;
    for (int k = 0; k < 3; ++k) {
        g.start.push_back({0, 0, 10.0 * k});
        g.end.push_back({0, 0, 10.0 * (k + 1)});
        g.diam.push_back(1.0);
    }
    ex::contact_positions contacts(10, 3);
    for (int k = 0; k < 10; ++k) contacts.row(k) << 10, 0, 10.0 * k;
    Eigen::MatrixXd imem(3, 2);
    imem << -1, 1, 0, 0, 1, -1;
    SECTION("point source") {
        const Eigen::MatrixXd v = ex::point_source_potential(g, contacts, 0.3) * imem;
        CHECK(v(0, 0) == Approx(-0.01387397).epsilon(1e-6));
        CHECK(v(4, 0) == Approx(0.00742668).epsilon(1e-6));
        CHECK(v(9, 1) == Approx(-0.00093413).epsilon(1e-5));
    }
    SECTION("line source") {
        const Eigen::MatrixXd v = ex::line_source_potential(g, contacts, 0.3) * imem;
        CHECK(v(0, 0) == Approx(-0.01343699).epsilon(1e-6));
        CHECK(v(1, 0) == Approx(-0.0084647).epsilon(1e-5));
        CHECK(v(4, 0) == Approx(0.00758627).epsilon(1e-6));
        // Far away the line source is a point source.
        ex::contact_positions far(1, 3);
        far << 1e5, 0, 15;
        CHECK(ex::line_source_potential(g, far, 0.3)(0, 1) == Approx(ex::point_source_potential(g, far, 0.3)(0, 1)).epsilon(1e-9));
    }
    SECTION("laminar CSD") {
        Eigen::Matrix<double, Eigen::Dynamic, 2> z(5, 2);
        z << -10, 0, 0, 10, 10, 20, 20, 30, 30, 40;
        Eigen::MatrixXd i3(3, 3);
        i3 << 0, -1, 1, -1, 1, 0, 1, 0, -1;
        const Eigen::MatrixXd c = ex::laminar_csd(g, z, Eigen::VectorXd::Constant(5, 100.0)) * i3;
        CHECK(c(1, 1) == Approx(-3.18309886e-06).epsilon(1e-8));
        CHECK(c(2, 0) == Approx(-3.18309886e-06).epsilon(1e-8));
        CHECK(c(0, 0) == 0);
        CHECK(c(4, 2) == 0);
    }
    SECTION("current dipole moment and the infinite medium") {
        const Eigen::MatrixXd p = ex::current_dipole_moment(g) * imem;
        CHECK(p(2, 0) == Approx(20));
        CHECK(p(0, 0) == 0);
        ex::contact_positions r(1, 3);
        r << 1000, 0, 5000;
        const Eigen::MatrixXd v = ex::infinite_medium_dipole(r, Eigen::Vector3d::Zero(), 0.3) * Eigen::Vector3d(10, 10, 10);
        CHECK(v(0, 0) == Approx(1.20049432e-07).epsilon(1e-7));
    }
    SECTION("four-sphere head model") {
        Eigen::Matrix<double, Eigen::Dynamic, 3> el(2, 3);
        el << 0, 0, 90000, 0, 85000, 0;
        const ex::four_sphere_head head(el);
        const Eigen::MatrixXd v = head.transformation(Eigen::Vector3d(0, 0, 78000)) * Eigen::Vector3d(10, 10, 10);
        CHECK(v(0) == Approx(1.06247669e-08).epsilon(1e-7));
        CHECK(v(1) == Approx(2.39290752e-10).epsilon(1e-7));
        CHECK_THROWS_WITH(head.transformation(Eigen::Vector3d(0, 0, 79500)), Catch::Contains("inside the brain sphere"));
        Eigen::Matrix<double, Eigen::Dynamic, 3> outside(1, 3);
        outside << 0, 0, 95000;
        CHECK_THROWS_WITH(ex::four_sphere_head(outside), Catch::Contains("outside the scalp"));
    }
    SECTION("bad input") {
        CHECK_THROWS_WITH(ex::point_source_potential(g, contacts, -1), Catch::Contains("sigma must be positive"));
        Eigen::Matrix<double, Eigen::Dynamic, 2> z(1, 2);
        z << 10, 0;
        CHECK_THROWS_WITH(ex::laminar_csd(g, z, Eigen::VectorXd::Constant(1, 100.0)), Catch::Contains("lower < upper"));
    }
}

namespace hy = brainweave::hybrid;
using namespace lfp_fixtures;

TEST_CASE("Hybrid scheme: placement and synapses follow the specification", "[lfp][hybrid]") {
    const hy::hybrid_scheme h(two_layers, {80, 20}, ballstick_populations(), laminar_probe(), 0.1, 7);
    const auto& pp = h.populations().at(0);
    REQUIRE(pp.cells.size() == 12);
    double per_layer[2][2] = {{0, 0}, {0, 0}};
    for (std::size_t a = 0; a < pp.cells.size(); ++a) {
        const auto& c = pp.cells[a];
        CHECK(std::hypot(c.position[0], c.position[1]) <= 200);
        CHECK(c.position[2] >= -750);
        CHECK(c.position[2] <= -650);
        for (std::size_t b = 0; b < a; ++b) {
            const auto& d = pp.cells[b].position;
            CHECK(std::hypot(c.position[0] - d[0], c.position[1] - d[1], c.position[2] - d[2]) >= 10);
        }
        for (const auto& s : c.synapses) {
            const double z = c.geometry.mid(static_cast<std::size_t>(s.segment))[2];
            const int l = z >= -400 ? 0 : 1;
            per_layer[s.type][l] += 1;
            CHECK(s.pre_neuron < (s.type == 0 ? 80u : 20u));
            CHECK(s.delay_ms >= 0.1);
            CHECK(std::abs(s.delay_ms * 10 - std::round(s.delay_ms * 10)) < 1e-9);
        }
    }
    CHECK(per_layer[0][0] == 12 * 20);
    CHECK(per_layer[0][1] == 12 * 10);
    CHECK(per_layer[1][0] == 0);
    CHECK(per_layer[1][1] == 12 * 15);
    // Same seed, same model; another seed, another model.
    const hy::hybrid_scheme same(two_layers, {80, 20}, ballstick_populations(), laminar_probe(), 0.1, 7);
    CHECK(same.populations()[0].cells[3].synapses[5].segment == pp.cells[3].synapses[5].segment);
    CHECK(same.populations()[0].cells[3].position == pp.cells[3].position);
    const hy::hybrid_scheme other(two_layers, {80, 20}, ballstick_populations(), laminar_probe(), 0.1, 8);
    CHECK(other.populations()[0].cells[3].position != pp.cells[3].position);
    // Bad specifications name the population and field.
    auto bad = ballstick_populations();
    bad[0].inputs[0].in_degree = {1};
    CHECK_THROWS_WITH(hy::hybrid_scheme(two_layers, {80, 20}, bad, laminar_probe(), 0.1, 7), Catch::Contains("in_degree needs one entry per layer (2)"));
    bad = ballstick_populations();
    bad[0].inputs[1].pre = 5;
    CHECK_THROWS_WITH(hy::hybrid_scheme(two_layers, {80, 20}, bad, laminar_probe(), 0.1, 7), Catch::Contains("presynaptic population 5 does not exist"));
}

TEST_CASE("Hybrid scheme: per-cell signals are independent of threads; kernels exact for one presynaptic neuron", "[lfp][hybrid]") {
    const double tstop = 200;
    SECTION("threads") {
        const hy::hybrid_scheme h(two_layers, {80, 20}, ballstick_populations(), laminar_probe(), 0.1, 3);
        const std::vector<hy::spike_trains> in{poisson_trains(80, 8, tstop, 1), poisson_trains(20, 20, tstop, 2)};
        const auto one = h.run(in, tstop, 1, 0.25), two = h.run(in, tstop, 2, 0.25);
        CHECK(one.total.lfp == two.total.lfp);
        CHECK(one.total.csd == two.total.csd);
        CHECK(one.total.dipole == two.total.dipole);
        REQUIRE(one.single_cells[0].size() == 3);
        Eigen::MatrixXd kept_sum = Eigen::MatrixXd::Zero(one.total.lfp.rows(), one.total.lfp.cols());
        for (const auto& c : one.single_cells[0]) kept_sum += c.lfp;
        CHECK(kept_sum.cwiseAbs().maxCoeff() > 0);
        CHECK(one.total.lfp.cwiseAbs().maxCoeff() > kept_sum.cwiseAbs().maxCoeff() * 0.5);
        CHECK(one.total.lfp.col(0).isZero());
        CHECK(one.time.size() == 2001);
        // The kernel method approximates the per-cell result (averaging over the wiring).
        const auto ks = h.kernels(100, 2);
        const auto approx = h.run_kernels(ks, in, tstop);
        const double rel = (approx.total.lfp - one.total.lfp).norm() / one.total.lfp.norm();
        CHECK(rel < 0.5);
        CHECK(rel > 0);
    }
    SECTION("one presynaptic neuron per population: the kernel method is exact") {
        const hy::hybrid_scheme h(two_layers, {1, 1}, ballstick_populations(), laminar_probe(), 0.1, 3);
        const std::vector<hy::spike_trains> in{poisson_trains(1, 40, tstop, 1), poisson_trains(1, 40, tstop, 2)};
        const auto full = h.run(in, tstop, 2);
        const auto ks = h.kernels(tstop, 2);
        const auto approx = h.run_kernels(ks, in, tstop);
        const double scale = full.total.lfp.cwiseAbs().maxCoeff();
        REQUIRE(scale > 0);
        CHECK((approx.total.lfp - full.total.lfp).cwiseAbs().maxCoeff() < 1e-9 * scale);
        CHECK((approx.total.dipole - full.total.dipole).cwiseAbs().maxCoeff() < 1e-9 * full.total.dipole.cwiseAbs().maxCoeff());
    }
    SECTION("NEST spike files (NEST 3 ASCII backend, NEST 2 .gdf) as input") {
        const auto dir = bwtest::temp_dir("nest_spikes");
        {
            std::ofstream(dir / "nest3.dat") << "# NEST version: 3.6\n# RecordingBackendASCII version: 2\nsender\ttime_ms\n3\t1.500\n1\t2.100\n3\t7.000\n";
            std::ofstream(dir / "nest2.gdf") << "1 0.5\n2 0.7\n";
            std::ofstream(dir / "bad.gdf") << "1 0.5\n2 x\n";
        }
        const auto s3 = bw::io::load_spikes_text(dir / "nest3.dat");
        CHECK(s3.senders == std::vector<std::uint32_t>{3, 1, 3});
        CHECK(s3.times == std::vector<double>{1.5, 2.1, 7.0});
        const auto trains = hy::spike_trains::from_pairs(s3.senders, s3.times, 3, 1);  // NEST ids start at 1
        CHECK(trains.times[2] == std::vector<double>{1.5, 7.0});
        CHECK(trains.times[0] == std::vector<double>{2.1});
        CHECK(bw::io::load_spikes_text(dir / "nest2.gdf").times == std::vector<double>{0.5, 0.7});
        CHECK_THROWS_WITH(bw::io::load_spikes_text(dir / "bad.gdf"), Catch::Contains("bad.gdf', line 2"));
    }
    SECTION("spike input is checked") {
        const hy::hybrid_scheme h(two_layers, {80, 20}, ballstick_populations(), laminar_probe(), 0.1, 3);
        CHECK_THROWS_WITH(h.run({poisson_trains(80, 8, tstop, 1)}, tstop), Catch::Contains("spike trains of 2 network populations, got 1"));
        CHECK_THROWS_WITH(h.run({poisson_trains(80, 8, tstop, 1), poisson_trains(5, 8, tstop, 1)}, tstop),
                          Catch::Contains("has 20 neurons, its spike trains 5"));
        const std::vector<std::uint32_t> senders{3, 9};
        const std::vector<double> times{1.0, 2.0};
        CHECK_THROWS_WITH(hy::spike_trains::from_pairs(senders, times, 5), Catch::Contains("sender 9 is outside [0, 5)"));
    }
}

TEST_CASE("Signal analysis helpers agree with scipy.signal", "[lfp][analysis]") {
    namespace an = brainweave::analysis;
    // The test signals of the reference values (scipy 1.10, numpy 1.24; commands in the comments).
    const int N = 2000;
    const double fs = 1000;
    Eigen::MatrixXd x(1, N), y(1, N);
    for (int n = 0; n < N; ++n) {
        x(0, n) = std::sin(2 * std::numbers::pi * 10 * n / fs) + 0.5 * std::sin(2 * std::numbers::pi * 123 * n / fs) +
                  0.3 * std::cos(0.37 * std::pow(static_cast<double>(n), 1.1));
    }
    for (int n = 0; n < N; ++n) {  // y = 0.7 roll(x, 3) + ...
        y(0, n) = 0.7 * x(0, (n - 3 + N) % N) + 0.4 * std::sin(2 * std::numbers::pi * 55 * n / fs + 0.3) +
                  0.2 * std::sin(0.11 * std::pow(static_cast<double>(n), 1.2));
    }
    an::welch_options o;
    o.segment = 256;
    SECTION("Welch power spectrum: scipy.signal.welch(x, 1000, nperseg=256)") {
        const auto p = an::power_spectrum(x, fs, o);
        REQUIRE(p.frequency.size() == 129);
        CHECK(p.frequency[31] == Approx(31 * 1000.0 / 256));
        CHECK(p.values(0, 0) == Approx(0.0018824393943489555).epsilon(1e-9));
        CHECK(p.values(0, 3) == Approx(0.06626945593902152).epsilon(1e-9));
        CHECK(p.values(0, 31) == Approx(0.014773293024335889).epsilon(1e-9));
        CHECK(p.values(0, 10) == Approx(5.282213175031633e-08).epsilon(1e-6));
    }
    SECTION("cross spectrum and coherence: scipy.signal.csd / coherence") {
        const auto c = an::cross_spectrum(x, y, fs, o);
        CHECK(c.values(0, 3).real() == Approx(0.04556904456608475).epsilon(1e-9));
        CHECK(c.values(0, 3).imag() == Approx(-0.008692599275025178).epsilon(1e-9));
        CHECK(c.values(0, 31).imag() == Approx(-0.0076072398867848).epsilon(1e-9));
        const auto h = an::coherence(x, y, fs, o);
        CHECK(h.values(0, 3) == Approx(0.9999993852112975).epsilon(1e-9));
        CHECK(h.values(0, 14) == Approx(0.001122318481089076).epsilon(1e-6));
        CHECK(h.values(0, 100) == Approx(0.24598140847041589).epsilon(1e-7));  // a weak bin: FFT round-off
    }
    SECTION("decimate: scipy.signal.decimate(x, 4, ftype='fir')") {
        const auto d = an::decimate(x, 4);
        REQUIRE(d.cols() == 500);
        CHECK(d(0, 0) == Approx(0.5226860873130238).epsilon(1e-9));
        CHECK(d(0, 1) == Approx(0.12761397473527714).epsilon(1e-9));
        CHECK(d(0, 7) == Approx(0.9879288090935002).epsilon(1e-9));
        CHECK(d(0, 250) == Approx(-0.09667639695239788).epsilon(1e-9));
        CHECK(d(0, 499) == Approx(-0.12280238582066377).epsilon(1e-9));
    }
    SECTION("moving average: numpy.convolve(x, ones(n)/n, 'same')") {
        const auto m5 = an::moving_average(x, 5), m4 = an::moving_average(x, 4);
        CHECK(m5(0, 0) == Approx(0.3654472141922846).epsilon(1e-12));
        CHECK(m5(0, 2) == Approx(0.5428267471000854).epsilon(1e-12));
        CHECK(m5(0, 1999) == Approx(-0.43838811392671273).epsilon(1e-12));
        CHECK(m4(0, 0) == Approx(0.247892858176965).epsilon(1e-12));
        CHECK(m4(0, 1998) == Approx(-0.6411539183597792).epsilon(1e-12));
        CHECK(m4(0, 1999) == Approx(-0.5479851424083909).epsilon(1e-12));
    }
    SECTION("per-unit statistics and normalisation") {
        Eigen::MatrixXd counts(2, 4);
        counts << 1, 3, 2, 2, 0, 0, 4, 4;
        const auto s = an::statistics_per_unit(counts);
        CHECK(s.mean(0) == 2);
        CHECK(s.variance(0) == Approx(0.5));
        CHECK(s.fano(0) == Approx(0.25));
        CHECK(s.cv(1) == Approx(1.0));
        const auto z = an::normalize(counts);
        CHECK(z.row(1).mean() == Approx(0).margin(1e-15));
        CHECK(z.row(1).squaredNorm() / 4 == Approx(1));
    }
}

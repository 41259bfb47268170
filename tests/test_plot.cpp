// Figures: every SVG parses as XML and holds the expected marks (one cell, point, hexagon or
// segment per datum), the synapse-plot heuristic picks brian2tools' kinds, and plot(x) dispatches.
#include "test_helpers.hpp"

#include <brainweave/io/xml.hpp>
#include <brainweave/plot/plot.hpp>
#include <brainweave/spiking.hpp>
#include <brainweave/surface/geodesic.hpp>

namespace plot = brainweave::plot;
namespace bw = brainweave;

namespace {
/// Parses the SVG (well-formedness) and counts elements with a given name and, optionally, class.
std::size_t count(const plot::figure& fig, const std::string& element, const std::string& cls = "") {
    const auto root = bw::io::xml::parse(fig.svg(), "figure.svg");
    std::size_t n = 0;
    std::vector<const bw::io::xml::element*> stack{&root};
    while (!stack.empty()) {
        const auto* e = stack.back();
        stack.pop_back();
        if (e->name == element && (cls.empty() || e->attribute("class") == cls)) ++n;
        for (const auto& c : e->children) stack.push_back(&c);
    }
    return n;
}
}  // namespace

TEST_CASE("plot: synapses as image, scatter or hexbin by brian2tools' heuristic", "[core][plot]") {
    CHECK(plot::choose_synapse_plot(50000, 999, 999) == plot::synapse_plot::image);
    CHECK(plot::choose_synapse_plot(9999, 1000, 10) == plot::synapse_plot::scatter);
    CHECK(plot::choose_synapse_plot(10000, 1000, 10) == plot::synapse_plot::hexbin);
    // Small: an image with one cell per connected pair; a multapse makes the colour the count.
    const std::vector<std::uint32_t> s{0, 1, 2, 2, 3}, t{1, 2, 0, 0, 3};
    plot::figure a(500, 400);
    plot::synapses(a.add_panel(), s, t);
    CHECK(a[0].has_image());
    CHECK(a.svg().find("synapses per pair") != std::string::npos);
    CHECK(a.svg().find("url(#hatch") != std::string::npos);  // absent connections: hatched background
    // Rectangles: the page; the panel's frame and clip; 4 connected pairs; the background and its
    // pattern tile; the colour bar (40).
    CHECK(count(a, "rect") == 1 + 2 + 4 + 1 + 1 + 40);
    // Medium: a scatter, one point per pair, coloured by weight.
    std::vector<std::uint32_t> ms, mt;
    std::vector<double> w;
    for (std::uint32_t i = 0; i < 2000; i += 3)
        for (std::uint32_t j = 0; j < 5; ++j) ms.push_back(i), mt.push_back(j), w.push_back(i * 0.1 + j);
    plot::figure b(500, 400);
    auto& pb = plot::synapses(b.add_panel(), ms, mt, w, "weight (pA)");
    CHECK(pb.n_points() == ms.size());
    CHECK(count(b, "circle", "point") == ms.size());
    CHECK(b.svg().find("weight (pA)") != std::string::npos);
    // Large: hexagonal bins.
    std::vector<std::uint32_t> ls, lt;
    for (std::uint32_t i = 0; i < 4000; ++i)
        for (std::uint32_t j = 0; j < 4; ++j) ls.push_back(i), lt.push_back((i * 7 + j * 1013) % 4000);
    plot::figure c(500, 400);
    auto& pc = plot::synapses(c.add_panel(), ls, lt);
    CHECK(pc.n_hexagons() > 100);
    CHECK(pc.n_hexagons() <= 41 * 41 * 2);
    CHECK(count(c, "polygon", "hexagon") == pc.n_hexagons());
    // Forced kinds and errors.
    plot::figure d(500, 400);
    CHECK(plot::synapses(d.add_panel(), s, t, {}, "", plot::synapse_plot::scatter).n_points() == 4);  // 4 distinct pairs
    CHECK_THROWS_WITH(plot::synapses(d.add_panel(), s, std::vector<std::uint32_t>{1}), Catch::Contains("differ in length"));
}

TEST_CASE("plot: connectome, region series, matrices and sweep heat maps", "[core][plot]") {
    const auto conn = bw::io::load_tvb_connectivity(bwtest::data("connectivity/connectivity_76.zip"));
    plot::figure f(1000, 1900);
    plot::connectome(f.add_panel(), conn, plot::connectome_matrix::weights, true);
    std::size_t nonzero = 0;
    for (Eigen::Index i = 0; i < conn.weights.size(); ++i) nonzero += conn.weights.data()[i] != 0.0;
    // One cell per connection; absent ones show the grey background rectangle.
    CHECK(count(f, "rect") == 1 + 2 + nonzero + 1 + 40);
    CHECK(f.svg().find(">" + conn.region_labels[5] + "<") != std::string::npos);
    // Stacked series: one line per region.
    bw::monitor_output out;
    out.n_var = 1, out.n_space = 4, out.n_modes = 1;
    for (int k = 0; k < 50; ++k) {
        out.time.push_back(k);
        for (int s = 0; s < 4; ++s) out.data.push_back(std::sin(0.2 * k + s));
    }
    plot::figure g(600, 400);
    plot::stacked_series(g.add_panel(), out.time, plot::series(out), {"a", "b", "c", "d"});
    CHECK(count(g, "polyline") == 4);
    CHECK(g.svg().find(">c</text>") != std::string::npos);
    CHECK_THROWS_WITH(plot::series(out, 1), Catch::Contains("asked for variable 1"));
    // A matrix and a sweep heat map: one cell per entry.
    Eigen::MatrixXd fc = Eigen::MatrixXd::Identity(5, 5);
    fc(0, 1) = fc(1, 0) = -0.5;
    plot::figure h(600, 900);
    plot::matrix(h.add_panel(), fc, {"A", "B", "C", "D", "E"}, "correlation");
    Eigen::MatrixXd grid(3, 4);
    grid << 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12;
    const std::vector<double> xs{0.1, 0.2, 0.3, 0.4}, ys{1, 2, 3};
    plot::sweep_heatmap(h.add_panel(), grid, xs, ys, "G", "speed", "variance");
    CHECK(count(h, "rect") == 1 + 2 * 2 + 25 + 12 + 2 * 40);
    CHECK(h.svg().find("#ffffff") != std::string::npos);  // zeros are white on the diverging map
    CHECK_THROWS_WITH(plot::sweep_heatmap(h.add_panel(), grid, ys, xs, "", "", ""), Catch::Contains("ys.size() x xs.size()"));
}

TEST_CASE("plot: morphology, dendrogram, laminar LFP and CSD", "[core][plot]") {
    const auto m = bw::multicompartment::ball_and_stick();
    std::size_t segments = 0;
    for (const auto& s : m.sections) segments += s.points.size() - 1;
    plot::figure f(700, 900);
    CHECK(plot::morphology_2d(f.add_panel(), m).n_segments() == segments);
    CHECK(plot::dendrogram(f.add_panel(), m).n_segments() == 2 * m.sections.size() - 1);
    CHECK(count(f, "line", "segment") == segments + 2 * m.sections.size() - 1);
    const std::vector<double> t{0, 1, 2, 3, 4, 5}, depth{0, -100, -200};
    Eigen::MatrixXd lfp = Eigen::MatrixXd::Random(3, 6), csd = Eigen::MatrixXd::Random(3, 6);
    plot::figure g(600, 600);
    plot::laminar_lfp(g.add_panel(), t, lfp, depth, 1.0, 40);
    plot::laminar_csd(g.add_panel(), t, csd, depth, 1.0);
    CHECK(count(g, "polyline") == 3);
    CHECK(count(g, "rect") == 1 + 2 * 2 + 3 * 5 + 40);
    CHECK_THROWS_WITH(plot::laminar_lfp(g.add_panel(), t, lfp, std::vector<double>{0, 1}, 0, 1), Catch::Contains("contacts x samples"));
}

TEST_CASE("plot: a vertex field on a mesh, front faces only, hidden ones left out", "[core][plot]") {
    const auto sphere = bw::surface::icosphere(3, 10.0);  // 1280 triangles
    std::vector<double> z(sphere.n_vertices());
    for (std::size_t v = 0; v < z.size(); ++v) z[v] = sphere.vertices(static_cast<Eigen::Index>(v), 2);
    const plot::view from_top{.toward = {0, 0, 1}, .up = {0, 1, 0}};
    plot::figure f(500, 500);
    const std::size_t drawn = plot::surface_activity(f.add_panel(), sphere, z, from_top, {}, "z").n_triangles();
    CHECK(drawn > 560);  // about half of the 1280 face the viewer
    CHECK(drawn < 720);
    CHECK(count(f, "path") >= drawn);
    // Triangles wound the other way round are recognised as such: the same half is drawn.
    auto inverted = sphere;
    inverted.triangles.col(1).swap(inverted.triangles.col(2));
    plot::figure g(500, 500);
    CHECK(plot::surface_activity(g.add_panel(), inverted, z, from_top).n_triangles() == drawn);
    // A second sphere right behind the first is mostly hidden: few of its triangles are written.
    bw::surface::mesh two = sphere;
    two.vertices.conservativeResize(2 * sphere.vertices.rows(), 3);
    two.vertices.bottomRows(sphere.vertices.rows()) = sphere.vertices.rowwise() - Eigen::RowVector3d(0, 0, 30);
    two.triangles.conservativeResize(2 * sphere.triangles.rows(), 3);
    two.triangles.bottomRows(sphere.triangles.rows()) = sphere.triangles.array() + static_cast<int>(sphere.vertices.rows());
    std::vector<double> z2(z);
    z2.insert(z2.end(), z.begin(), z.end());
    plot::figure h(500, 500);
    CHECK(plot::surface_activity(h.add_panel(), two, z2, from_top).n_triangles() < drawn + drawn / 10);
    CHECK_THROWS_WITH(plot::surface_activity(h.add_panel(), sphere, std::vector<double>(3), from_top),
                      Catch::Contains("one value per vertex"));
    CHECK_THROWS_WITH(plot::surface_activity(h.add_panel(), sphere, z, {.toward = {0, 0, 1}, .up = {0, 0, 2}}),
                      Catch::Contains("not parallel"));
}

TEST_CASE("plot(x) picks the figure for what it is given", "[core][plot]") {
    namespace sp = bw::spiking;
    sp::network net(0.1, sp::poisson_generator("in", 50, 40.0), sp::population<sp::models::iaf_psc_exp>("E", 40));
    auto& proj = net.connect("in", "E", sp::rules::fixed_probability{0.3}, {.weight = {300.0}, .delay = {1.0}});
    auto& spikes = net.record_spikes("in");
    auto& states = net.record_state("E", {"V_m", "I_syn_ex"}, {0, 1, 2});
    net.run(100.0);
    const auto raster = plot::plot(spikes, net.dt());
    CHECK(raster.n_panels() == 1);
    const auto svg = raster.svg();
    std::size_t marks = 0;
    for (auto p = svg.find("class='marks'"); p != std::string::npos; p = svg.find("class='marks'", p + 1))
        marks += static_cast<std::size_t>(std::count(svg.begin() + static_cast<std::ptrdiff_t>(p),
                                                     svg.begin() + static_cast<std::ptrdiff_t>(svg.find("'/>", p)), 'M'));
    CHECK(marks == spikes.size());  // one mark per spike
    const auto traces = plot::plot(states, net.dt(), "E");
    CHECK(traces.n_panels() == 2);
    CHECK(count(traces, "polyline") == 6);
    const auto syn = plot::plot(proj);
    CHECK(syn[0].has_image());  // 50 x 40: an image
    CHECK(plot::plot(bw::io::load_tvb_connectivity(bwtest::data("connectivity/connectivity_76.zip"))).n_panels() == 2);
    CHECK(plot::plot(bw::multicompartment::ball_and_stick()).n_panels() == 2);
    CHECK(plot::plot(Eigen::MatrixXd::Identity(3, 3)).n_panels() == 1);
}

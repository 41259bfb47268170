// Cortical surfaces: TVB's 16k cortex, its region mapping and tvb-data's local connectivity matrix
// (MATLAB v5), checked against the g2d_surface reference case's copy of that matrix.
#include "test_helpers.hpp"

#include <brainweave/io/matlab.hpp>
#include <brainweave/io/tvb_surface.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <numeric>
#include <queue>
#include <random>
#include <tuple>

namespace bw = brainweave;

TEST_CASE("surface: TVB's 16k cortex, its geometry and region mapping", "[surface]") {
    const auto m = bw::io::load_tvb_surface(bwtest::data("surfaces/cortex_16384.zip"));
    REQUIRE(m.n_vertices() == 16384);
    REQUIRE(m.n_triangles() == 32760);
    REQUIRE(m.normals.rows() == 16384);
    const auto edges = m.edges();
    CHECK(edges.size() == 49140);  // closed: every edge in two triangles
    // Euler characteristic V - E + F = 4: two closed hemispheres, each a sphere.
    CHECK(static_cast<long>(m.n_vertices()) - static_cast<long>(edges.size()) + static_cast<long>(m.n_triangles()) == 4);
    const auto va = m.vertex_areas(), ta = m.triangle_areas();
    CHECK(std::accumulate(va.begin(), va.end(), 0.0) == Approx(std::accumulate(ta.begin(), ta.end(), 0.0)).epsilon(1e-12));
    CHECK(std::ranges::all_of(va, [](double a) { return a > 0; }));
    double mean_edge = 0;
    for (const auto& e : edges) mean_edge += e.length / static_cast<double>(edges.size());
    CHECK(mean_edge == Approx(3.976).margin(0.001));
    // Vertex normals from the triangles agree with the file's up to orientation (its triangles wind
    // the other way): mean angle under 5 degrees.
    auto bare = m;
    bare.normals.resize(0, 3);
    const auto n = bare.vertex_normals();
    double angle = 0;
    for (Eigen::Index v = 0; v < n.rows(); ++v) angle += std::acos(std::clamp(-n.row(v).dot(m.normals.row(v)), -1.0, 1.0)) / static_cast<double>(n.rows());
    CHECK(angle * 180 / 3.141592653589793 < 5.0);
    const auto map = bw::io::load_region_mapping(bwtest::data("surfaces/regionMapping_16k_76.txt"), m.n_vertices(), 76);
    CHECK(map.size() == 16384);
    CHECK(map[0] == 36);
    CHECK_THROWS_WITH(bw::io::load_region_mapping(bwtest::data("surfaces/regionMapping_16k_76.txt"), 100, 76),
                      Catch::Contains("16384 region indices for a surface of 100 vertices"));
    CHECK_THROWS_WITH(bw::io::load_region_mapping(bwtest::data("surfaces/regionMapping_16k_76.txt"), 16384, 30),
                      Catch::Contains("not a region index in 0..29"));
    auto broken = m;
    broken.triangles(5, 1) = 20000;
    CHECK_THROWS_WITH(broken.validate(), Catch::Contains("triangle 5 refers to vertex 20000"));
}

TEST_CASE("surface: tvb-data's local connectivity matrix read from its MAT-file", "[surface]") {
    const auto L = bw::io::read_mat_sparse(bwtest::data("surfaces/local_connectivity_16384.mat"));
    std::ifstream f(bwtest::data("surfaces/local_connectivity_check.json"));
    const auto ref = nlohmann::json::parse(f);
    REQUIRE(L.rows() == ref["shape"][0].get<long>());
    REQUIRE(L.cols() == ref["shape"][1].get<long>());
    CHECK(L.nonZeros() == ref["nnz"].get<long>());
    // Every sampled entry of the reference case's CSR, exactly.
    for (const auto& e : ref["entries"]) CHECK(L.coeff(e[0].get<long>(), e[1].get<long>()) == e[2].get<double>());
    const Eigen::SparseMatrix<double, Eigen::RowMajor> R = L;
    const auto& sums = ref["row_sums_every_97th"];
    for (std::size_t k = 0; k < sums.size(); ++k) CHECK(R.row(static_cast<Eigen::Index>(97 * k)).sum() == Approx(sums[k].get<double>()).epsilon(1e-15));
    // What the matrix is: each vertex's first-ring neighbours, weighted 1/degree (row-stochastic).
    const auto m = bw::io::load_tvb_surface(bwtest::data("surfaces/cortex_16384.zip"));
    const auto nb = m.neighbours();
    std::size_t same = 0;
    for (Eigen::Index r = 0; r < R.rows(); ++r) {
        std::vector<int> cols;
        bool weights = true;
        for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(R, r); it; ++it) {
            cols.push_back(static_cast<int>(it.col()));
            weights = weights && it.value() == 1.0 / static_cast<double>(nb[static_cast<std::size_t>(r)].size());
        }
        same += cols == nb[static_cast<std::size_t>(r)] && weights;
    }
    CHECK(same == 16384);
    CHECK_THROWS_WITH(bw::io::read_mat(bwtest::data("surfaces/regionMapping_16k_76.txt")), Catch::Contains("not a MATLAB level-5 MAT-file"));
    CHECK_THROWS_WITH(bw::io::read_mat_sparse(bwtest::data("surfaces/local_connectivity_16384.mat"), "nothing"),
                      Catch::Contains("holds no sparse matrix called 'nothing'"));
}

#include <brainweave/surface/geodesic.hpp>

TEST_CASE("surface: geodesic distances by fast marching, against great circles on a sphere", "[surface]") {
    const auto m = bw::surface::icosphere(5, 100.0);
    REQUIRE(m.n_vertices() == 10242);
    REQUIRE(m.n_triangles() == 20480);
    // Outward triangles: the computed normals point away from the centre.
    auto bare = m;
    const auto n = bare.vertex_normals();
    for (Eigen::Index v = 0; v < n.rows(); v += 97) CHECK(n.row(v).dot(m.vertices.row(v)) > 0.99 * 100.0);
    bw::surface::geodesic_solver g(m);
    double worst = 0, mean = 0;
    std::size_t pairs = 0;
    for (int source : {0, 17, 500, 4321}) {
        const auto& r = g.from(source, 40.0);
        const Eigen::Vector3d a = m.vertices.row(source);
        CHECK(r.front() == std::pair<int, double>{source, 0.0});
        for (const auto& [v, d] : r) {
            CHECK(d <= 40.0);
            if (v == source) continue;
            const Eigen::Vector3d b = m.vertices.row(v);
            const double exact = 100.0 * std::acos(std::clamp(a.dot(b) / 1e4, -1.0, 1.0));
            const double e = (d - exact) / exact;
            worst = std::max(worst, std::abs(e));
            mean += e;
            ++pairs;
        }
    }
    mean /= static_cast<double>(pairs);
    CHECK(pairs > 1500);  // a cap of 40 mm on this sphere holds about 400 vertices
    CHECK(worst < 0.035);
    CHECK(std::abs(mean) < 0.015);
    // The same solver, reused, gives the same distances.
    const auto first = g.from(17, 40.0);
    g.from(500, 40.0);
    CHECK(g.from(17, 40.0) == first);
}

#include <brainweave/surface/exact_geodesic.hpp>

namespace {
/// A planar n x n grid of spacing h (mm) whose inner vertices are moved at random by up to 0.3 h,
/// so that its triangles have all shapes (obtuse ones included); the outer ring stays straight.
bw::surface::mesh jittered_grid(int n, double h) {
    bw::surface::mesh m;
    m.source = "jittered grid";
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(-0.3 * h, 0.3 * h);
    m.vertices.resize(n * n, 3);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            const bool rim = i == 0 || j == 0 || i == n - 1 || j == n - 1;
            m.vertices.row(i * n + j) << h * i + (rim ? 0.0 : u(rng)), h * j + (rim ? 0.0 : u(rng)), 0.0;
        }
    m.triangles.resize(2 * (n - 1) * (n - 1), 3);
    Eigen::Index t = 0;
    for (int i = 0; i + 1 < n; ++i)
        for (int j = 0; j + 1 < n; ++j) {
            const int a = i * n + j, b = a + 1, c = a + n, d = c + 1;
            if ((i + j) % 2) {
                m.triangles.row(t++) << a, c, b;
                m.triangles.row(t++) << b, c, d;
            } else {
                m.triangles.row(t++) << a, c, d;
                m.triangles.row(t++) << a, d, b;
            }
        }
    return m;
}

/// Three triangles on one edge: not a manifold.
bw::surface::mesh fin() {
    bw::surface::mesh m;
    m.source = "fin";
    m.vertices.resize(5, 3);
    m.vertices << 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1;
    m.triangles.resize(3, 3);
    m.triangles << 0, 1, 2, 1, 0, 3, 0, 1, 4;
    return m;
}
}  // namespace

TEST_CASE("surface: exact geodesic distances (straight lines on a plane, great circles, symmetry on the cortex)", "[surface]") {
    // On a plane the geodesic is the straight line: exact to round-off from inner, rim and corner
    // sources, where fast marching is off by a few %.
    const auto grid = jittered_grid(30, 2.0);
    bw::surface::exact_geodesic_solver exact(grid);
    bw::surface::geodesic_solver marching(grid);
    for (int source : {0, 15, 30 * 15 + 14, 30 * 7 + 22}) {
        const auto& r = exact.from(source);
        CHECK(r.size() == 900);
        CHECK(r.front() == std::pair<int, double>{source, 0.0});
        double worst = 0, worst_fm = 0;
        for (const auto& [v, d] : r) worst = std::max(worst, std::abs(d - (grid.vertices.row(v) - grid.vertices.row(source)).norm()));
        for (const auto& [v, d] : marching.from(source)) {
            const double e = (grid.vertices.row(v) - grid.vertices.row(source)).norm();
            if (e > 0) worst_fm = std::max(worst_fm, std::abs(d - e) / e);
        }
        CHECK(worst < 1e-10);
        CHECK(worst_fm > 0.01);
    }
    // A cutoff keeps the vertices within it, in order of distance.
    const auto& near = exact.from(30 * 15 + 14, 7.5);
    CHECK(near.size() > 30);
    CHECK(std::ranges::is_sorted(near, {}, &std::pair<int, double>::second));
    CHECK(near.back().second <= 7.5);

    // On a sphere of radius 100 mm with 3.5 mm edges the polyhedron's geodesics are within 0.05 %
    // of the great circles (fast marching: 1.2 % on average, 3 % at worst, above).
    const auto sphere = bw::surface::icosphere(5, 100.0);
    bw::surface::exact_geodesic_solver on_sphere(sphere);
    double worst = 0;
    for (int source : {0, 17, 500, 4321}) {
        const Eigen::Vector3d a = sphere.vertices.row(source);
        for (const auto& [v, d] : on_sphere.from(source, 40.0)) {
            if (v == source) continue;
            const Eigen::Vector3d b = sphere.vertices.row(v);
            const double arc = 100.0 * std::acos(std::clamp(a.dot(b) / 1e4, -1.0, 1.0));
            worst = std::max(worst, std::abs(d - arc) / arc);
        }
    }
    CHECK(worst < 5e-4);

    // The folded cortex has saddle vertices, where shortest paths bend: distances are symmetric to
    // round-off (a method that missed a shorter path would not be), and never below the straight
    // line through space.
    const auto cortex = bw::io::load_tvb_surface(bwtest::data("surfaces/cortex_16384.zip"));
    bw::surface::exact_geodesic_solver on_cortex(cortex);
    double asymmetry = 0, below_chord = 0;
    std::size_t pairs = 0;
    for (int source : {5, 1000, 9000, 15000}) {
        const auto r = on_cortex.from(source, 25.0);
        for (std::size_t k = 1; k < r.size(); k += 9) {
            const auto [v, d] = r[k];
            below_chord = std::max(below_chord, (cortex.vertices.row(v) - cortex.vertices.row(source)).norm() - d);
            for (const auto& [w, back] : on_cortex.from(v, 25.0))
                if (w == source) {
                    asymmetry = std::max(asymmetry, std::abs(back - d));
                    ++pairs;
                }
        }
    }
    CHECK(pairs > 60);
    CHECK(asymmetry < 1e-9);
    CHECK(below_chord <= 1e-12);
    // An independent check: Dijkstra on a graph of straight segments within each triangle between its
    // vertices and 6 points on each edge gives lengths of real paths, so never less than the exact
    // distance, and close above it (1-2 % for these 3 mm edges) near the source.
    for (int source : {5, 1000, 9000, 15000}) {
        constexpr int k = 6;
        constexpr double R = 16.0;
        std::map<int, double> exact;
        for (const auto& [v, d] : on_cortex.from(source, R)) exact[v] = d;
        std::vector<Eigen::Vector3d> pos;
        std::map<int, int> at_vertex;
        std::map<std::tuple<int, int, int>, int> on_edge;
        auto vertex_node = [&](int v) {
            if (auto it = at_vertex.find(v); it != at_vertex.end()) return it->second;
            pos.push_back(cortex.vertices.row(v));
            return at_vertex[v] = static_cast<int>(pos.size()) - 1;
        };
        auto edge_node = [&](int a, int b, int i) {  // point i of k on edge (a, b), counted from a
            const auto key = a < b ? std::make_tuple(a, b, i) : std::make_tuple(b, a, k + 1 - i);
            if (auto it = on_edge.find(key); it != on_edge.end()) return it->second;
            const double t = std::get<2>(key) / (k + 1.0);
            pos.push_back((1 - t) * Eigen::Vector3d(cortex.vertices.row(std::get<0>(key))) +
                          t * Eigen::Vector3d(cortex.vertices.row(std::get<1>(key))));
            return on_edge[key] = static_cast<int>(pos.size()) - 1;
        };
        std::vector<std::vector<std::pair<int, double>>> graph;
        for (Eigen::Index f = 0; f < cortex.triangles.rows(); ++f) {
            const int a = cortex.triangles(f, 0), b = cortex.triangles(f, 1), c = cortex.triangles(f, 2);
            if (!exact.contains(a) || !exact.contains(b) || !exact.contains(c)) continue;
            std::vector<int> nodes{vertex_node(a), vertex_node(b), vertex_node(c)};
            for (auto [p, q] : {std::pair{a, b}, std::pair{b, c}, std::pair{c, a}})
                for (int i = 1; i <= k; ++i) nodes.push_back(edge_node(p, q, i));
            graph.resize(pos.size());
            for (std::size_t i = 0; i < nodes.size(); ++i)
                for (std::size_t j = i + 1; j < nodes.size(); ++j) {
                    const double l = (pos[static_cast<std::size_t>(nodes[i])] - pos[static_cast<std::size_t>(nodes[j])]).norm();
                    graph[static_cast<std::size_t>(nodes[i])].emplace_back(nodes[j], l);
                    graph[static_cast<std::size_t>(nodes[j])].emplace_back(nodes[i], l);
                }
        }
        std::vector<double> path(pos.size(), INFINITY);
        std::priority_queue<std::pair<double, int>, std::vector<std::pair<double, int>>, std::greater<>> queue;
        path[static_cast<std::size_t>(at_vertex.at(source))] = 0;
        queue.emplace(0.0, at_vertex.at(source));
        while (!queue.empty()) {
            const auto [d, u] = queue.top();
            queue.pop();
            if (d > path[static_cast<std::size_t>(u)]) continue;
            for (const auto& [w, l] : graph[static_cast<std::size_t>(u)])
                if (d + l < path[static_cast<std::size_t>(w)]) queue.emplace(path[static_cast<std::size_t>(w)] = d + l, w);
        }
        double below = 0, above = 0;
        for (const auto& [v, node] : at_vertex) {
            const double e = exact.at(v), p = path[static_cast<std::size_t>(node)];
            below = std::max(below, e - p);
            if (e > 0 && e < R / 2) above = std::max(above, (p - e) / e);
        }
        CHECK(at_vertex.size() > 50);
        CHECK(below < 1e-9);
        CHECK(above < 0.02);
    }

    // Bad input.
    CHECK_THROWS_WITH(on_cortex.from(16384), Catch::Contains("source vertex 16384 is not one of the 16384 vertices"));
    CHECK_THROWS_WITH(bw::surface::exact_geodesic_solver(fin()),
                      Catch::Contains("'fin' is not a manifold: the edge between vertices 0 and 1 belongs to 3 triangles"));
}

#include <brainweave/surface/local_connectivity.hpp>

TEST_CASE("surface: local connectivity from the mesh (TVB's kernels) and tvb-data's first-ring matrix", "[surface]") {
    // tvb-data's matrix, rebuilt from the mesh: identical, entry for entry.
    const auto cortex = bw::io::load_tvb_surface(bwtest::data("surfaces/cortex_16384.zip"));
    const Eigen::SparseMatrix<double, Eigen::RowMajor> mat = bw::io::read_mat_sparse(bwtest::data("surfaces/local_connectivity_16384.mat"));
    const auto ring = bw::surface::first_ring_average(cortex);
    CHECK(ring.nonZeros() == mat.nonZeros());
    CHECK((ring - mat).norm() == 0.0);
    // Kernels as TVB writes them.
    CHECK(bw::surface::kernels::gaussian{2.0, 5.0, 0.0, 0.1}(5.0) == Approx(2.0 * std::exp(-0.5) + 0.1));
    CHECK(bw::surface::kernels::double_gaussian{}(0.0) == Approx(-0.5));
    CHECK(bw::surface::kernels::sigmoid{}(5.0) == Approx(0.5));
    // On a sphere: the pattern is every vertex within the cutoff but itself, the values the kernel
    // of the distance, and the result does not depend on the number of threads.
    const auto m = bw::surface::icosphere(4, 100.0);
    const bw::surface::kernels::gaussian k{1.0, 10.0, 0.0, 0.0};
    const auto L1 = bw::surface::local_connectivity(m, k, 30.0, 1);
    const auto L2 = bw::surface::local_connectivity(m, k, 30.0, 2);
    CHECK((L1 - L2).norm() == 0.0);
    bw::surface::exact_geodesic_solver g(m);
    for (int i : {0, 100, 2000}) {
        const auto& r = g.from(i, 30.0);
        CHECK(L1.row(i).nonZeros() == static_cast<Eigen::Index>(r.size() - 1));
        for (const auto& [v, d] : r)
            if (v != i) CHECK(L1.coeff(i, v) == k(d));
        CHECK(L1.coeff(i, i) == 0.0);
    }
    // Fast marching on request: the same pattern but for vertices near the cutoff, values within
    // its first-order error.
    const auto F = bw::surface::local_connectivity(m, k, 30.0, 2, bw::surface::geodesic_method::fast_marching);
    bw::surface::geodesic_solver fm(m);
    for (const auto& [v, d] : fm.from(100, 30.0))
        if (v != 100) CHECK(F.coeff(100, v) == k(d));
    CHECK(std::abs(F.nonZeros() - L1.nonZeros()) < L1.nonZeros() / 20);
    CHECK_THROWS_WITH(bw::surface::local_connectivity(m, k, -1.0), Catch::Contains("cutoff must be a positive distance"));
    // A mesh the exact solver refuses is refused on the caller's thread, whatever the thread count.
    CHECK_THROWS_WITH(bw::surface::local_connectivity(fin(), k, 5.0, 2), Catch::Contains("'fin' is not a manifold"));
}

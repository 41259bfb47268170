#pragma once
// A vertex field on a triangle mesh (a cortical surface's activity) drawn on a plot::panel
// (plot/svg.hpp): the mesh is projected orthographically along a view direction, triangles facing
// away from the viewer are dropped and the rest drawn farthest first (painter's algorithm), each
// coloured by the mean of its three vertices' values. Outward is found from the mesh itself (the
// orientation for which the triangles' normals point away from the centroid of those drawn), so
// meshes whose triangles wind either way (TVB's 16k cortex winds inward) are drawn alike.
//
//   auto& p = fig.add_panel().title("t = 20 ms");
//   bw::plot::surface_activity(p, cortex, V, {.toward = {0, 1, 0}, .up = {0, 0, 1}}, left_hemisphere);
#include <brainweave/core/error.hpp>
#include <brainweave/plot/svg.hpp>
#include <brainweave/surface/mesh.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <string>
#include <vector>

namespace brainweave::plot {

/// Where the viewer is: `toward` points from the surface to the viewer, `up` is the screen's up;
/// the screen's right is up x toward. (Meshes differ in their axes: TVB's 16k cortex has x
/// posterior-anterior, y across the hemispheres and z up.)
struct view {
    Eigen::Vector3d toward{0.0, 0.0, 1.0};
    Eigen::Vector3d up{0.0, 1.0, 0.0};
};

/// Draws `values` (one per vertex) on the triangles of `m` that face the viewer; `keep` (one flag
/// per vertex, optional) restricts the drawing to triangles whose vertices are all kept (e.g. one
/// hemisphere). Screen coordinates are mm along the view's right and up. Triangles that own no
/// pixel of a `resolution`-pixel-wide rasterisation (hidden in folds, or smaller than a pixel) are
/// left out of the file.
inline panel& surface_activity(panel& p, const surface::mesh& m, std::span<const double> values, const view& v,
                               std::span<const char> keep = {}, std::string colour_label = "", std::size_t resolution = 600) {
    m.validate();
    if (values.size() != m.n_vertices())
        throw config_error("plot: surface_activity needs one value per vertex (" + std::to_string(m.n_vertices()) + "), got " +
                           std::to_string(values.size()));
    if (!keep.empty() && keep.size() != m.n_vertices())
        throw config_error("plot: surface_activity's selection needs one flag per vertex");
    const Eigen::Vector3d toward = v.toward.normalized();
    if (!toward.allFinite() || !(v.up.cross(toward).norm() > 1e-9 * v.up.norm()))
        throw config_error("plot: surface_activity's view needs a direction toward the viewer and an up direction "
                           "not parallel to it");
    const Eigen::Vector3d right = v.up.cross(toward).normalized(), up = toward.cross(right);
    std::vector<Eigen::Index> tri;
    Eigen::Vector3d centroid = Eigen::Vector3d::Zero();
    for (Eigen::Index t = 0; t < m.triangles.rows(); ++t) {
        bool in = true;
        for (int k = 0; k < 3 && !keep.empty(); ++k) in = in && keep[static_cast<std::size_t>(m.triangles(t, k))];
        if (!in) continue;
        tri.push_back(t);
        for (int k = 0; k < 3; ++k) centroid += m.vertices.row(m.triangles(t, k)).transpose() / 3.0;
    }
    if (tri.empty()) return p;
    centroid /= static_cast<double>(tri.size());
    auto centre = [&](Eigen::Index t) -> Eigen::Vector3d {
        return (m.vertices.row(m.triangles(t, 0)) + m.vertices.row(m.triangles(t, 1)) + m.vertices.row(m.triangles(t, 2))).transpose() / 3.0;
    };
    double outward = 0;
    for (auto t : tri) outward += m.cross(t).dot(centre(t) - centroid);
    const double sign = outward >= 0 ? 1.0 : -1.0;
    std::vector<std::pair<double, Eigen::Index>> drawn;  // (depth toward the viewer, triangle)
    for (auto t : tri)
        if (sign * m.cross(t).dot(toward) > 0) drawn.emplace_back(centre(t).dot(toward), t);
    std::ranges::sort(drawn);  // farthest first
    // Screen positions, then occlusion: rasterise at `resolution` pixels across (a depth buffer of
    // triangle ids) and keep the triangles that own a pixel; those hidden in folds are not written.
    std::vector<Eigen::Vector2d> screen(m.n_vertices());
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (const auto& [depth, t] : drawn)
        for (int k = 0; k < 3; ++k) {
            const auto vi = static_cast<std::size_t>(m.triangles(t, k));
            const Eigen::Vector3d q = m.vertices.row(m.triangles(t, k)).transpose();
            screen[vi] = {q.dot(right), q.dot(up)};
            x0 = std::min(x0, screen[vi].x()), x1 = std::max(x1, screen[vi].x());
            y0 = std::min(y0, screen[vi].y()), y1 = std::max(y1, screen[vi].y());
        }
    const double pixel = std::max(x1 - x0, y1 - y0) / static_cast<double>(std::max<std::size_t>(resolution, 16));
    const auto W = static_cast<std::size_t>((x1 - x0) / pixel) + 2, H = static_cast<std::size_t>((y1 - y0) / pixel) + 2;
    std::vector<std::size_t> owner(W * H, drawn.size());
    for (std::size_t d = 0; d < drawn.size(); ++d) {  // farthest first: nearer triangles overwrite
        const auto t = drawn[d].second;
        const Eigen::Vector2d a = screen[static_cast<std::size_t>(m.triangles(t, 0))], b = screen[static_cast<std::size_t>(m.triangles(t, 1))],
                              c = screen[static_cast<std::size_t>(m.triangles(t, 2))];
        const double area = (b - a).x() * (c - a).y() - (b - a).y() * (c - a).x();
        if (area == 0) continue;
        const auto i0 = static_cast<std::size_t>(std::max(0.0, (std::min({a.x(), b.x(), c.x()}) - x0) / pixel));
        const auto i1 = std::min(W - 1, static_cast<std::size_t>((std::max({a.x(), b.x(), c.x()}) - x0) / pixel) + 1);
        const auto j0 = static_cast<std::size_t>(std::max(0.0, (std::min({a.y(), b.y(), c.y()}) - y0) / pixel));
        const auto j1 = std::min(H - 1, static_cast<std::size_t>((std::max({a.y(), b.y(), c.y()}) - y0) / pixel) + 1);
        for (std::size_t j = j0; j <= j1; ++j)
            for (std::size_t i = i0; i <= i1; ++i) {
                const Eigen::Vector2d q{x0 + (static_cast<double>(i) + 0.5) * pixel, y0 + (static_cast<double>(j) + 0.5) * pixel};
                auto edge = [&](const Eigen::Vector2d& u, const Eigen::Vector2d& v) {
                    return ((v - u).x() * (q - u).y() - (v - u).y() * (q - u).x()) / area;
                };
                if (edge(a, b) >= 0 && edge(b, c) >= 0 && edge(c, a) >= 0) owner[j * W + i] = d;
            }
    }
    std::vector<char> visible(drawn.size(), 0);
    for (std::size_t o : owner)
        if (o < drawn.size()) visible[o] = 1;
    std::vector<double> xy, val;
    for (std::size_t d = 0; d < drawn.size(); ++d) {
        if (!visible[d]) continue;
        const auto t = drawn[d].second;
        double s = 0;
        for (int k = 0; k < 3; ++k) {
            const auto vi = static_cast<std::size_t>(m.triangles(t, k));
            xy.push_back(screen[vi].x());
            xy.push_back(screen[vi].y());
            s += values[vi];
        }
        val.push_back(s / 3.0);
    }
    return p.triangles(xy, val, std::move(colour_label)).equal_aspect();
}

}  // namespace brainweave::plot

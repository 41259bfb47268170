#pragma once
// A triangulated surface (a cortical mesh, a head surface): vertices (mm), triangles (vertex
// indices, counter-clockwise seen from outside), vertex normals; and what simulations and figures
// need of it, computed as TVB computes them: triangle areas and unit normals, vertex areas (a third
// of the adjacent triangles' areas), vertex normals (the mean of the adjacent triangles' unit
// normals, normalised), edges with their lengths, and each vertex's neighbours.
#include <brainweave/core/error.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace brainweave::surface {

using points = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;
using faces = Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>;

struct edge {
    int a, b;  ///< a < b
    double length;
};

struct mesh {
    points vertices;   ///< (n, 3), mm
    faces triangles;   ///< (m, 3), indices into vertices
    points normals;    ///< (n, 3) unit vertex normals; empty: vertex_normals() computes them
    std::string source;  ///< where it came from, for messages

    std::size_t n_vertices() const noexcept { return static_cast<std::size_t>(vertices.rows()); }
    std::size_t n_triangles() const noexcept { return static_cast<std::size_t>(triangles.rows()); }

    /// Throws config_error naming the surface, the triangle or the vertex at fault.
    void validate() const {
        const std::string where = source.empty() ? std::string("surface") : "surface '" + source + "'";
        if (vertices.rows() < 3 || triangles.rows() < 1) throw config_error(where + ": needs at least 3 vertices and 1 triangle");
        if (!vertices.allFinite()) throw config_error(where + ": vertex coordinates must be finite");
        for (Eigen::Index t = 0; t < triangles.rows(); ++t)
            for (int k = 0; k < 3; ++k) {
                const int v = triangles(t, k);
                if (v < 0 || v >= vertices.rows())
                    throw config_error(where + ": triangle " + std::to_string(t) + " refers to vertex " + std::to_string(v) +
                                       ", outside 0.." + std::to_string(vertices.rows() - 1));
            }
        if (normals.size() && (normals.rows() != vertices.rows() || !normals.allFinite()))
            throw config_error(where + ": " + std::to_string(normals.rows()) + " normals for " + std::to_string(vertices.rows()) +
                               " vertices (expected one finite normal per vertex)");
    }

    /// Twice the area vector of triangle t (cross product of two edges).
    Eigen::Vector3d cross(Eigen::Index t) const {
        const Eigen::Vector3d a = vertices.row(triangles(t, 0)), b = vertices.row(triangles(t, 1)), c = vertices.row(triangles(t, 2));
        return (b - a).cross(c - a);
    }
    std::vector<double> triangle_areas() const {
        std::vector<double> a(n_triangles());
        for (Eigen::Index t = 0; t < triangles.rows(); ++t) a[static_cast<std::size_t>(t)] = 0.5 * cross(t).norm();
        return a;
    }
    points triangle_normals() const {
        points n(triangles.rows(), 3);
        for (Eigen::Index t = 0; t < triangles.rows(); ++t) {
            const Eigen::Vector3d c = cross(t);
            const double l = c.norm();
            n.row(t) = l > 0 ? Eigen::Vector3d(c / l) : Eigen::Vector3d::Zero();
        }
        return n;
    }
    /// The area belonging to each vertex: a third of each adjacent triangle's (mm^2).
    std::vector<double> vertex_areas() const {
        std::vector<double> a(n_vertices(), 0.0);
        const auto ta = triangle_areas();
        for (Eigen::Index t = 0; t < triangles.rows(); ++t)
            for (int k = 0; k < 3; ++k) a[static_cast<std::size_t>(triangles(t, k))] += ta[static_cast<std::size_t>(t)] / 3.0;
        return a;
    }
    /// The stored normals, or the normalised mean of the adjacent triangles' unit normals.
    points vertex_normals() const {
        if (normals.size()) return normals;
        const points tn = triangle_normals();
        points n = points::Zero(vertices.rows(), 3);
        for (Eigen::Index t = 0; t < triangles.rows(); ++t)
            for (int k = 0; k < 3; ++k) n.row(triangles(t, k)) += tn.row(t);
        for (Eigen::Index v = 0; v < n.rows(); ++v) {
            const double l = n.row(v).norm();
            if (l > 0) n.row(v) /= l;
        }
        return n;
    }
    /// Every edge once (a < b), sorted, with its length.
    std::vector<edge> edges() const {
        std::vector<std::pair<int, int>> e;
        e.reserve(3 * n_triangles());
        for (Eigen::Index t = 0; t < triangles.rows(); ++t)
            for (int k = 0; k < 3; ++k) {
                const int a = triangles(t, k), b = triangles(t, (k + 1) % 3);
                e.emplace_back(std::min(a, b), std::max(a, b));
            }
        std::ranges::sort(e);
        e.erase(std::unique(e.begin(), e.end()), e.end());
        std::vector<edge> out;
        out.reserve(e.size());
        for (auto [a, b] : e) out.push_back({a, b, (vertices.row(a) - vertices.row(b)).norm()});
        return out;
    }
    /// The vertices sharing an edge with each vertex, in increasing order.
    std::vector<std::vector<int>> neighbours() const {
        std::vector<std::vector<int>> nb(n_vertices());
        for (const auto& e : edges()) {
            nb[static_cast<std::size_t>(e.a)].push_back(e.b);
            nb[static_cast<std::size_t>(e.b)].push_back(e.a);
        }
        for (auto& v : nb) std::ranges::sort(v);
        return nb;
    }
};

}  // namespace brainweave::surface

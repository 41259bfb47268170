#pragma once
// The Laplace-Beltrami operator of a triangle mesh (cotangent formula), as a sparse operator on
// vertex fields: a local connectivity for neural-field models with a second-order spatial term
// (models/damped_wave_field.hpp).
//
//   (Delta f)_i = 1/A_i  sum_j (cot a_ij + cot b_ij) / 2 (f_j - f_i)
//
// a_ij, b_ij: the angles opposite edge ij in its two triangles; A_i: the vertex's mixed Voronoi
// area (Meyer et al. 2003: the Voronoi part of each non-obtuse adjacent triangle; of an obtuse one,
// half its area at the obtuse vertex and a quarter at the others). Pinkall & Polthier 1993. On a
// sphere of radius R the spherical harmonics of degree l are its eigenfunctions with eigenvalue
// -l(l + 1) / R^2, to O(h^2) in the edge length h (tests/test_surface_simulator.cpp). 1/mm^2.
#include <brainweave/core/error.hpp>
#include <brainweave/surface/mesh.hpp>
#include <brainweave/surface/sparse_operator.hpp>

#include <array>
#include <string>
#include <vector>

namespace brainweave::surface {

/// Each vertex's mixed Voronoi area (mm^2; they sum to the surface's area).
inline std::vector<double> mixed_voronoi_areas(const mesh& m) {
    std::vector<double> area(m.n_vertices(), 0.0);
    for (Eigen::Index t = 0; t < m.triangles.rows(); ++t) {
        const double A = 0.5 * m.cross(t).norm();
        std::array<Eigen::Vector3d, 3> p;
        for (int k = 0; k < 3; ++k) p[static_cast<std::size_t>(k)] = m.vertices.row(m.triangles(t, k));
        std::array<double, 3> dot{};  // at each corner: the dot product of its two edges
        for (std::size_t k = 0; k < 3; ++k) dot[k] = (p[(k + 1) % 3] - p[k]).dot(p[(k + 2) % 3] - p[k]);
        const bool obtuse = dot[0] < 0 || dot[1] < 0 || dot[2] < 0;
        for (std::size_t k = 0; k < 3; ++k) {
            double a;
            if (obtuse) {
                a = dot[k] < 0 ? A / 2 : A / 4;
            } else {  // Voronoi: (|e_kj|^2 cot(angle at l) + |e_kl|^2 cot(angle at j)) / 8
                const std::size_t j = (k + 1) % 3, l = (k + 2) % 3;
                const double cot_j = dot[j] / (2 * A), cot_l = dot[l] / (2 * A);
                a = ((p[j] - p[k]).squaredNorm() * cot_l + (p[l] - p[k]).squaredNorm() * cot_j) / 8;
            }
            area[static_cast<std::size_t>(m.triangles(t, static_cast<Eigen::Index>(k)))] += a;
        }
    }
    return area;
}

/// The cotangent Laplace-Beltrami operator (row i: (Delta f)_i; the diagonal holds -sum of the row).
inline sparse_operator laplace_beltrami(const mesh& m) {
    m.validate();
    const auto n = static_cast<Eigen::Index>(m.n_vertices());
    std::vector<Eigen::Triplet<double>> w;
    w.reserve(12 * m.n_triangles());
    for (Eigen::Index t = 0; t < m.triangles.rows(); ++t) {
        const double twice_area = m.cross(t).norm();
        if (!(twice_area > 0))
            throw config_error("laplace_beltrami: triangle " + std::to_string(t) + " of " +
                               (m.source.empty() ? std::string("the surface") : "'" + m.source + "'") +
                               " has zero area");
        for (int k = 0; k < 3; ++k) {  // the angle at vertex a faces edge (b, c)
            const int a = m.triangles(t, k), b = m.triangles(t, (k + 1) % 3), c = m.triangles(t, (k + 2) % 3);
            const Eigen::Vector3d u = m.vertices.row(b) - m.vertices.row(a), v = m.vertices.row(c) - m.vertices.row(a);
            const double half_cot = 0.5 * u.dot(v) / twice_area;  // |u x v| = twice the area
            w.emplace_back(b, c, half_cot);
            w.emplace_back(c, b, half_cot);
            w.emplace_back(b, b, -half_cot);
            w.emplace_back(c, c, -half_cot);
        }
    }
    sparse_operator L(n, n);
    L.setFromTriplets(w.begin(), w.end());
    const auto area = mixed_voronoi_areas(m);
    for (Eigen::Index i = 0; i < n; ++i)
        for (sparse_operator::InnerIterator it(L, i); it; ++it) it.valueRef() /= area[static_cast<std::size_t>(i)];
    L.makeCompressed();
    return L;
}

}  // namespace brainweave::surface

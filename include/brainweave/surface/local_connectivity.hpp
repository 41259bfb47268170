#pragma once
// Local connectivity on a cortical surface, as TVB's LocalConnectivity: a sparse matrix whose
// entry (i, j) is a kernel of the geodesic distance from vertex i to vertex j, for the j within a
// cutoff (i != j: TVB's sparse distance matrix drops the zero diagonal). Kernels are TVB's
// finite-support equations of the distance x (mm):
//   gaussian         amp exp(-(x - midpoint)^2 / (2 sigma^2)) + offset
//   double_gaussian  amp_1 exp(-(x - midpoint_1)^2 / (2 sigma_1^2)) - amp_2 exp(-(x - midpoint_2)^2 / (2 sigma_2^2))
//                    (a Mexican hat: difference of Gaussians)
//   sigmoid          amp / (1 + exp(-pi/sqrt(3) (radius - x) / sigma)) + offset
// Distances are exact polyhedral geodesics by default (exact_geodesic.hpp, the kind of method TVB
// calls through gdist), or fast marching (geodesic.hpp: about 7x faster, first order, and on a
// folded cortex off by several % on average and far more across tight folds; docs/surfaces.md).
// Rows are computed on threads (one solver each) and assembled in row order, so the matrix does not
// depend on the number of threads. `first_ring_average` is the matrix tvb-data
// ships as local_connectivity_16384.mat: each vertex's edge neighbours weighted 1/degree.
#include <brainweave/parallel/team.hpp>
#include <brainweave/surface/exact_geodesic.hpp>
#include <brainweave/surface/geodesic.hpp>

#include <Eigen/Sparse>

#include <cmath>
#include <numbers>
#include <thread>
#include <type_traits>
#include <vector>

namespace brainweave::surface {

namespace kernels {
struct gaussian {
    double amp = 1.0, sigma = 1.0, midpoint = 0.0, offset = 0.0;
    double operator()(double x) const noexcept { return amp * std::exp(-(x - midpoint) * (x - midpoint) / (2.0 * sigma * sigma)) + offset; }
};
struct double_gaussian {
    double amp_1 = 0.5, sigma_1 = 20.0, midpoint_1 = 0.0, amp_2 = 1.0, sigma_2 = 10.0, midpoint_2 = 0.0;
    double operator()(double x) const noexcept {
        return amp_1 * std::exp(-(x - midpoint_1) * (x - midpoint_1) / (2.0 * sigma_1 * sigma_1)) -
               amp_2 * std::exp(-(x - midpoint_2) * (x - midpoint_2) / (2.0 * sigma_2 * sigma_2));
    }
};
struct sigmoid {
    double amp = 1.0, radius = 5.0, sigma = 1.0, offset = 0.0;
    double operator()(double x) const noexcept {
        return amp / (1.0 + std::exp(-std::numbers::pi / std::sqrt(3.0) * (radius - x) / sigma)) + offset;
    }
};
}  // namespace kernels

/// How local_connectivity measures geodesic distance.
enum class geodesic_method {
    exact,          ///< exact_geodesic_solver: polyhedral shortest paths, as TVB (gdist)
    fast_marching,  ///< geodesic_solver: first-order fast marching, about 7x faster
};

/// kernel(geodesic distance) for every pair within `cutoff` mm (row i: from vertex i), on
/// `threads` threads (0: all).
template <class Kernel>
Eigen::SparseMatrix<double, Eigen::RowMajor> local_connectivity(const mesh& m, const Kernel& kernel, double cutoff,
                                                                std::size_t threads = 0,
                                                                geodesic_method method = geodesic_method::exact) {
    if (!(cutoff > 0) || !std::isfinite(cutoff))
        throw config_error("local_connectivity: the cutoff must be a positive distance (mm), got " + std::to_string(cutoff));
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t n = m.n_vertices();
    std::vector<std::vector<std::pair<int, double>>> rows(n);
    // One solver per thread, built here so that a mesh a solver refuses throws on the caller's thread.
    auto fill = [&]<class Solver>(std::type_identity<Solver>) {
        std::vector<Solver> solvers;
        solvers.reserve(threads);
        for (std::size_t t = 0; t < threads; ++t) solvers.emplace_back(m);
        parallel::run_team(threads, [&](std::size_t t, parallel::spin_barrier&) {
            const auto r = parallel::share(n, t, threads);
            for (std::size_t i = r.begin; i < r.end; ++i) {
                auto& row = rows[i];
                for (const auto& [v, d] : solvers[t].from(static_cast<int>(i), cutoff))
                    if (static_cast<std::size_t>(v) != i) row.emplace_back(v, kernel(d));
                std::ranges::sort(row);
            }
        });
    };
    if (method == geodesic_method::exact)
        fill(std::type_identity<exact_geodesic_solver>{});
    else
        fill(std::type_identity<geodesic_solver>{});
    Eigen::SparseMatrix<double, Eigen::RowMajor> L(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
    std::vector<Eigen::Index> per_row(n);
    for (std::size_t i = 0; i < n; ++i) per_row[i] = static_cast<Eigen::Index>(rows[i].size());
    L.reserve(per_row);
    for (std::size_t i = 0; i < n; ++i)
        for (const auto& [j, v] : rows[i]) L.insert(static_cast<Eigen::Index>(i), j) = v;
    L.makeCompressed();
    return L;
}

/// Each vertex's edge neighbours, weighted 1/degree (row-stochastic): tvb-data's
/// local_connectivity_16384.mat for its 16k cortex.
inline Eigen::SparseMatrix<double, Eigen::RowMajor> first_ring_average(const mesh& m) {
    const auto nb = m.neighbours();
    Eigen::SparseMatrix<double, Eigen::RowMajor> L(static_cast<Eigen::Index>(nb.size()), static_cast<Eigen::Index>(nb.size()));
    std::vector<Eigen::Index> per_row(nb.size());
    for (std::size_t i = 0; i < nb.size(); ++i) per_row[i] = static_cast<Eigen::Index>(nb[i].size());
    L.reserve(per_row);
    for (std::size_t i = 0; i < nb.size(); ++i)
        for (int j : nb[i]) L.insert(static_cast<Eigen::Index>(i), j) = 1.0 / static_cast<double>(nb[i].size());
    L.makeCompressed();
    return L;
}

}  // namespace brainweave::surface

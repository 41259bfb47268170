#pragma once
// Lead fields (gain matrices, sensors x sources) for region sources: current dipoles at the
// connectome's centres with its average orientations, in the analytic single-sphere forms that
// TVB's EEG, MEG and iEEG monitors fall back on when no precomputed projection is given.
//
// | function          | formula (a = r - r0, SI-free units: mm, conductivity sigma)                |
// |-------------------|----------------------------------------------------------------------------|
// | dipole_potential  | V = Q . a / (4 pi sigma |a|^3)  (dipole in an infinite homogeneous medium,  |
// |                   | Sarvas 1987 eq. 12)                                                        |
// | sarvas_field      | B = mu0 / (4 pi F^2) (F Q x r0 - (Q x r0 . r) grad F), F = a(a r + r^2 -  |
// |                   | r0 . r), a = |a|, r = |r| (Sarvas 1987 eq. 25; sphere centred at 0)        |
// | eeg_gain          | TVB's EEG: sensors projected radially onto a sphere around the sources'    |
// |                   | centroid, radius 1.05125 x the farthest source; V at those points          |
// | meg_gain          | TVB's MEG: sensors projected onto a sphere of radius 1.01 x the farthest  |
// |                   | source around the centroid; |B| from sarvas_field (see below)              |
// | seeg_gain         | TVB's iEEG: V at the sensors' own positions                                |
//
// TVB behaviours reproduced: the sphere construction (centre, radius factors, radial projection of
// the sensors), |B| (not B . coil orientation) as the MEG gain, mu0 = 1.25663706e-6, sigma = 1,
// cortical and subcortical regions handled as two source sets (each with its own centroid and
// sphere, see region_gain), non-finite gains (sensors at the origin, e.g. MEG's TRIGGER channel)
// set to zero. One deliberate difference: TVB's MEG code multiplies the vector a element-wise where
// Sarvas' F and grad F use its length |a|, which makes its field depend on the coordinate frame;
// sarvas_field follows the paper (a radial dipole gives no field, and the radial component equals
// the Biot-Savart field of the dipole alone, both tested).
#include <brainweave/connectivity/connectivity.hpp>
#include <brainweave/core/error.hpp>
#include <brainweave/io/sensors.hpp>

#include <Eigen/Core>
#include <Eigen/Geometry>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace brainweave::forward {

inline constexpr double mu_0 = 1.25663706e-6;  ///< TVB's value of the magnetic constant

/// Potential at r of a unit-strength dipole Q at r0 in an infinite medium of conductivity sigma.
inline double dipole_potential(const Eigen::Vector3d& r, const Eigen::Vector3d& r0, const Eigen::Vector3d& Q,
                               double sigma = 1.0) {
    const Eigen::Vector3d a = r - r0;
    const double na = a.norm();
    return Q.dot(a / (na * na * na)) / (4.0 * std::numbers::pi * sigma);
}

/// Magnetic field at r (outside the sphere) of a dipole Q at r0 inside a spherically symmetric
/// conductor centred at the origin (Sarvas 1987, eq. 25).
inline Eigen::Vector3d sarvas_field(const Eigen::Vector3d& r, const Eigen::Vector3d& r0, const Eigen::Vector3d& Q) {
    const Eigen::Vector3d av = r - r0;
    const double a = av.norm(), rn = r.norm(), adotr = av.dot(r) / a;
    const double F = a * (rn * a + rn * rn - r0.dot(r));
    const Eigen::Vector3d gradF = (a * a / rn + adotr + 2.0 * a + 2.0 * rn) * r - (a + 2.0 * rn + adotr) * r0;
    const Eigen::Vector3d qxr0 = Q.cross(r0);
    return mu_0 / (4.0 * std::numbers::pi * F * F) * (F * qxr0 - qxr0.dot(r) * gradF);
}

enum class modality { eeg, meg, seeg };

namespace detail {
/// Sensors moved radially onto a sphere of radius factor x (farthest source from the centroid)
/// around the sources' centroid, as TVB's analytic EEG and MEG gains do.
inline Eigen::MatrixX3d project_onto_sphere(const sensors& s, const Eigen::MatrixX3d& src, double factor,
                                            Eigen::RowVector3d& centre) {
    centre = src.colwise().mean();
    const double radius = factor * (src.rowwise() - centre).rowwise().norm().maxCoeff();
    Eigen::MatrixX3d p(s.locations.rows(), 3);
    for (Eigen::Index k = 0; k < p.rows(); ++k) p.row(k) = s.locations.row(k) / s.locations.row(k).norm() * radius + centre;
    return p;  // a sensor at the origin gives NaN, zeroed by the caller as TVB does
}
}  // namespace detail

/// Gain (sensors x sources) for dipoles at `src` with orientations `ori` (rows), TVB's analytic
/// forms; non-finite entries are set to 0.
inline Eigen::MatrixXd analytic_gain(modality kind, const sensors& s, const Eigen::MatrixX3d& src,
                                     const Eigen::MatrixX3d& ori, double sigma = 1.0) {
    if (src.rows() == 0 || ori.rows() != src.rows())
        throw config_error("lead field: expected one orientation per source (" + std::to_string(src.rows()) +
                           " sources, " + std::to_string(ori.rows()) + " orientations)");
    if (s.size() == 0) throw config_error("lead field: no sensors");
    if (!(sigma > 0.0)) throw config_error("lead field: conductivity sigma must be > 0, got " + std::to_string(sigma));
    Eigen::MatrixXd g(static_cast<Eigen::Index>(s.size()), src.rows());
    Eigen::RowVector3d centre = Eigen::RowVector3d::Zero();
    Eigen::MatrixX3d at = s.locations;
    if (kind == modality::eeg) at = detail::project_onto_sphere(s, src, 1.05125, centre);
    if (kind == modality::meg) at = detail::project_onto_sphere(s, src, 1.01, centre);
    for (Eigen::Index k = 0; k < g.rows(); ++k)
        for (Eigen::Index j = 0; j < g.cols(); ++j) {
            const Eigen::Vector3d r = at.row(k).transpose(), r0 = src.row(j).transpose(), q = ori.row(j).transpose();
            const Eigen::Vector3d c = centre.transpose();
            g(k, j) = kind == modality::meg ? sarvas_field(r - c, r0 - c, q).norm() : dipole_potential(r, r0, q, sigma);
        }
    return g.unaryExpr([](double v) { return std::isfinite(v) ? v : 0.0; });
}

/// Region gain (sensors x regions) for a region simulation: cortical regions and subcortical ones
/// (conn.cortical; empty = all cortical) as two source sets, as TVB's projection monitors do.
inline Eigen::MatrixXd region_gain(modality kind, const sensors& s, const connectivity& conn, double sigma = 1.0) {
    const auto n = static_cast<Eigen::Index>(conn.n_regions());
    if (conn.orientations.rows() != n)
        throw config_error("region lead field: the connectivity has no average orientations (average_orientations.txt)");
    Eigen::MatrixXd g = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(s.size()), n);
    for (bool cortical : {true, false}) {
        std::vector<Eigen::Index> idx;
        for (Eigen::Index i = 0; i < n; ++i)
            if ((conn.cortical.empty() || conn.cortical[static_cast<std::size_t>(i)]) == cortical) idx.push_back(i);
        if (idx.empty()) continue;
        Eigen::MatrixX3d src(static_cast<Eigen::Index>(idx.size()), 3), ori(static_cast<Eigen::Index>(idx.size()), 3);
        for (std::size_t k = 0; k < idx.size(); ++k) {
            src.row(static_cast<Eigen::Index>(k)) = conn.centres.row(idx[k]);
            ori.row(static_cast<Eigen::Index>(k)) = conn.orientations.row(idx[k]);
        }
        const Eigen::MatrixXd part = analytic_gain(kind, s, src, ori, sigma);
        for (std::size_t k = 0; k < idx.size(); ++k) g.col(idx[k]) = part.col(static_cast<Eigen::Index>(k));
    }
    return g;
}

/// Region gain from a vertex-level gain (sensors x vertices, e.g. TVB's projection_*_16k files)
/// and a region mapping (one region per vertex): the columns of each region's vertices summed.
inline Eigen::MatrixXd region_gain_from_vertices(const Eigen::MatrixXd& vertex_gain, const std::vector<std::size_t>& region_of,
                                                 std::size_t n_regions) {
    if (static_cast<std::size_t>(vertex_gain.cols()) != region_of.size())
        throw config_error("region gain: the gain has " + std::to_string(vertex_gain.cols()) +
                           " columns but the region mapping " + std::to_string(region_of.size()) + " vertices");
    Eigen::MatrixXd g = Eigen::MatrixXd::Zero(vertex_gain.rows(), static_cast<Eigen::Index>(n_regions));
    for (std::size_t v = 0; v < region_of.size(); ++v) {
        if (region_of[v] >= n_regions)
            throw config_error("region gain: vertex " + std::to_string(v) + " maps to region " +
                               std::to_string(region_of[v]) + ", expected < " + std::to_string(n_regions));
        g.col(static_cast<Eigen::Index>(region_of[v])) += vertex_gain.col(static_cast<Eigen::Index>(v));
    }
    return g.unaryExpr([](double x) { return std::isfinite(x) ? x : 0.0; });
}

}  // namespace brainweave::forward

#pragma once
// Extracellular forward models of a multicompartment cell as linear maps: a matrix M (measurements x
// segments) such that the signal is M * I, I the transmembrane currents (segments x time, nA).
// The formulas are LFPykit's (LFPy/LFPykit, models.py and lfpcalc.py), written anew:
//  - point_source_potential: each segment a point source at its midpoint,
//      phi = I / (4 pi sigma r), r >= diam / 2 (the minimum-distance rule).
//  - line_source_potential: each segment a line source with uniform current density (Holt's
//      formula), the perpendicular distance r limited to >= diam / 2.
//  - laminar_csd: the current source density in cylinders around the z axis (nA/um^3), each
//      segment contributing the fraction of its length inside the cylinder (Hagen et al. 2017 Eq. 11,
//      fractions found in the (radius, z) plane as LFPykit does).
//  - current_dipole_moment: P = sum_i I_i r_i with r_i the segment midpoints (nA um), 3 x segments.
//  - infinite_medium_dipole: potential of a current dipole in an infinite homogeneous medium,
//      phi = p . R / (4 pi sigma |R|^3), contacts x 3 (multiply by the dipole moment).
// Units: um, nA, S/m; potentials come out in mV (1 nA / (1 S/m * 1 um) = 1 mV).
// The four-sphere head model is in extracellular/four_sphere.hpp.
#include <brainweave/core/error.hpp>
#include <brainweave/multicompartment/discretization.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string>

namespace brainweave::extracellular {

using multicompartment::segment_geometry;
using contact_positions = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;

namespace detail {
inline void check_sigma(double sigma, const char* who) {
    if (!(sigma > 0) || !std::isfinite(sigma)) throw config_error(std::string(who) + ": sigma must be positive (S/m)");
}
inline void check_contacts(const contact_positions& c, const char* who) {
    if (!c.allFinite()) throw config_error(std::string(who) + ": contact positions must be finite (um)");
}
// A point source's potential per unit current at squared distance r2, at least r_limit away.
inline double point_source(double r2, double r_limit, double sigma) {
    return 1.0 / (4 * std::numbers::pi * sigma * std::sqrt(std::max(r2, r_limit * r_limit)));
}
}  // namespace detail

/// Point-source potential (contacts x segments, mV per nA).
inline Eigen::MatrixXd point_source_potential(const segment_geometry& g, const contact_positions& contacts, double sigma) {
    g.validate("point_source_potential");
    detail::check_sigma(sigma, "point_source_potential");
    detail::check_contacts(contacts, "point_source_potential");
    Eigen::MatrixXd M(contacts.rows(), static_cast<Eigen::Index>(g.size()));
    for (Eigen::Index j = 0; j < M.cols(); ++j) {
        const auto m = g.mid(static_cast<std::size_t>(j));
        const double rlim = g.diam[static_cast<std::size_t>(j)] / 2;
        for (Eigen::Index c = 0; c < M.rows(); ++c) {
            const double dx = m[0] - contacts(c, 0), dy = m[1] - contacts(c, 1), dz = m[2] - contacts(c, 2);
            M(c, j) = detail::point_source(dx * dx + dy * dy + dz * dz, rlim, sigma);
        }
    }
    return M;
}

/// Line-source potential (contacts x segments, mV per nA). A zero-length segment is a point source.
inline Eigen::MatrixXd line_source_potential(const segment_geometry& g, const contact_positions& contacts, double sigma) {
    g.validate("line_source_potential");
    detail::check_sigma(sigma, "line_source_potential");
    detail::check_contacts(contacts, "line_source_potential");
    Eigen::MatrixXd M(contacts.rows(), static_cast<Eigen::Index>(g.size()));
    for (Eigen::Index j = 0; j < M.cols(); ++j) {
        const auto& s = g.start[static_cast<std::size_t>(j)];
        const auto& e = g.end[static_cast<std::size_t>(j)];
        const double rlim = g.diam[static_cast<std::size_t>(j)] / 2;
        const double ux = e[0] - s[0], uy = e[1] - s[1], uz = e[2] - s[2];
        const double ds = std::sqrt(ux * ux + uy * uy + uz * uz);
        for (Eigen::Index c = 0; c < M.rows(); ++c) {
            const double px = contacts(c, 0) - e[0], py = contacts(c, 1) - e[1], pz = contacts(c, 2) - e[2];
            if (ds == 0) {
                M(c, j) = detail::point_source(px * px + py * py + pz * pz, rlim, sigma);
                continue;
            }
            // h: longitudinal distance of the contact from the segment's end (negative before it),
            // l = h + length; r2: squared perpendicular distance to the segment's axis.
            const double h = (px * ux + py * uy + pz * uz) / ds;
            double r2 = std::abs(px * px + py * py + pz * pz - h * h);
            if (r2 < rlim * rlim) r2 = rlim * rlim;
            const double l = h + ds;
            double f;
            if (h < 0 && l < 0) f = std::log((std::sqrt(h * h + r2) - h) / (std::sqrt(l * l + r2) - l));
            else if (h < 0) f = std::log((std::sqrt(h * h + r2) - h) * (l + std::sqrt(l * l + r2)) / r2);
            else f = std::log((std::sqrt(l * l + r2) + l) / (std::sqrt(h * h + r2) + h));
            M(c, j) = f / (4 * std::numbers::pi * sigma * ds);
        }
    }
    return M;
}

/// Ground-truth laminar CSD in cylinders around the z axis (volumes x segments, nA/um^3 per nA).
/// `z_bounds` holds [lower, upper) per volume, `radius` one radius per volume (um).
inline Eigen::MatrixXd laminar_csd(const segment_geometry& g, const Eigen::Matrix<double, Eigen::Dynamic, 2>& z_bounds,
                                   const Eigen::VectorXd& radius) {
    g.validate("laminar_csd");
    if (radius.size() != z_bounds.rows()) throw config_error("laminar_csd: one radius per volume expected");
    for (Eigen::Index i = 0; i < z_bounds.rows(); ++i) {
        if (!(z_bounds(i, 1) > z_bounds(i, 0)) || !z_bounds.row(i).allFinite())
            throw config_error("laminar_csd: volume " + std::to_string(i) + " needs lower < upper z bound");
        if (!(radius(i) > 0) || !std::isfinite(radius(i))) throw config_error("laminar_csd: radius of volume " + std::to_string(i) + " must be positive");
    }
    const auto n = static_cast<Eigen::Index>(g.size());
    Eigen::MatrixXd M = Eigen::MatrixXd::Zero(z_bounds.rows(), n);
    // Intersection of the lines through (r0, z0)-(r1, z1) and (r2, z2)-(r3, z3), and whether it lies
    // on the first one's span.
    auto intersect = [](double r0, double z0, double r1, double z1, double r2, double z2, double r3, double z3,
                        double& pr, double& pz) {
        const double den = (r0 - r1) * (z2 - z3) - (z0 - z1) * (r2 - r3);
        pr = ((r0 * z1 - z0 * r1) * (r2 - r3) - (r0 - r1) * (r2 * z3 - r3 * z2)) / den;
        pz = ((r0 * z1 - z0 * r1) * (z2 - z3) - (z0 - z1) * (r2 * z3 - r3 * z2)) / den;
        return std::min(r0, r1) <= pr && pr <= std::max(r0, r1) && std::min(z0, z1) <= pz && pz <= std::max(z0, z1);
    };
    for (Eigen::Index i = 0; i < z_bounds.rows(); ++i) {
        const double zlo = z_bounds(i, 0), zhi = z_bounds(i, 1), rc = radius(i);
        const double br[3][2] = {{0, rc}, {0, rc}, {rc, rc}};      // lower, upper, side boundary (r)
        const double bz[3][2] = {{zlo, zlo}, {zhi, zhi}, {zlo, zhi}};  // (z)
        for (Eigen::Index k = 0; k < n; ++k) {
            const auto& s = g.start[static_cast<std::size_t>(k)];
            const auto& e = g.end[static_cast<std::size_t>(k)];
            const double R0 = std::hypot(s[0], s[1]), R1 = std::hypot(e[0], e[1]);
            const double z0 = s[2], z1 = e[2];
            const bool in0 = z0 >= zlo && z0 < zhi && R0 <= rc;
            const bool in1 = z1 >= zlo && z1 < zhi && R1 <= rc;
            if (in0 && in1) {
                M(i, k) = 1.0;
                continue;
            }
            if (in0 == in1) continue;  // neither end inside: LFPykit counts no contribution
            const double len = g.length(static_cast<std::size_t>(k));
            // The end inside, and the other end's radial distance.
            const double Rin = in0 ? R0 : R1, zin = in0 ? z0 : z1;
            const double Rout = in0 ? R1 : R0, zout = in0 ? z1 : z0;
            if (Rout <= rc) {  // leaves through the top or bottom: fraction from the z crossing
                const double zc = zout >= zhi ? zhi : zlo;
                const double dz = z1 - z0;
                if (std::abs(dz) > 1e-8) {
                    const double t = (zc - z0) / dz;
                    if (t >= 0 && t <= 1) {
                        M(i, k) = in0 ? std::abs(t) : std::abs(1 - t);
                        continue;
                    }
                }
            }
            for (int b = 0; b < 3; ++b) {
                double pr, pz;
                if (intersect(R0, z0, R1, z1, br[b][0], bz[b][0], br[b][1], bz[b][1], pr, pz))
                    M(i, k) = std::sqrt((pr - Rin) * (pr - Rin) + (pz - zin) * (pz - zin)) / len;
            }
        }
        M.row(i) /= std::numbers::pi * rc * rc * (zhi - zlo);
    }
    return M;
}

/// Current dipole moment map (3 x segments, um): P = M * I in nA um.
inline Eigen::MatrixXd current_dipole_moment(const segment_geometry& g) {
    g.validate("current_dipole_moment");
    Eigen::MatrixXd M(3, static_cast<Eigen::Index>(g.size()));
    for (Eigen::Index j = 0; j < M.cols(); ++j) {
        const auto m = g.mid(static_cast<std::size_t>(j));
        M(0, j) = m[0];
        M(1, j) = m[1];
        M(2, j) = m[2];
    }
    return M;
}

/// Potential of a current dipole at `location` in an infinite homogeneous medium (contacts x 3,
/// mV per nA um).
inline Eigen::MatrixXd infinite_medium_dipole(const contact_positions& contacts, const Eigen::Vector3d& location,
                                              double sigma) {
    detail::check_sigma(sigma, "infinite_medium_dipole");
    detail::check_contacts(contacts, "infinite_medium_dipole");
    Eigen::MatrixXd M(contacts.rows(), 3);
    for (Eigen::Index c = 0; c < contacts.rows(); ++c) {
        const Eigen::Vector3d R = contacts.row(c).transpose() - location;
        const double r = R.norm();
        if (!(r > 0)) throw config_error("infinite_medium_dipole: contact " + std::to_string(c) + " lies on the dipole");
        M.row(c) = R.transpose() / (4 * std::numbers::pi * sigma * r * r * r);
    }
    return M;
}

}  // namespace brainweave::extracellular

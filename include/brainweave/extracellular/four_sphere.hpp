#pragma once
// The four-sphere head model (brain, CSF, skull, scalp; air outside) with the corrected formulas of
// Naess et al. 2017 (Front. Hum. Neurosci. 11:490), as LFPykit's FourSphereVolumeConductor: the
// potential of a current dipole p at location rz inside the brain sphere, measured at electrodes
// anywhere in the four shells. The dipole is split into a radial part (along rz), whose potential
// is a Legendre series sum_n n c_n(r) P_n(cos theta), and a tangential part, a series
// sum_n c_n(r) P_n^1(cos theta) times sin(phi); theta is the angle between electrode and rz, phi
// the electrode's azimuth about rz measured from p_tan x rz. Each series is summed until a term
// falls below `stop_factor` times the running sum (LFPykit's rule, which also divides it by 1e6 for
// electrodes inside the brain sphere), so results agree with LFPykit to round-off.
// Units: um, S/m, nA um -> mV. transformation(rz) is the (electrodes x 3) map of a dipole moment.
#include <brainweave/core/error.hpp>

#include <Eigen/Core>
#include <Eigen/Geometry>

#include <array>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace brainweave::extracellular {

class four_sphere_head {
public:
    four_sphere_head(Eigen::Matrix<double, Eigen::Dynamic, 3> electrodes, std::array<double, 4> radii = {79000., 80000., 85000., 90000.},
                     std::array<double, 4> sigmas = {0.3, 1.5, 0.015, 0.3}, double stop_factor = 2.0 / 99.0 * 1e-6)
        : el_(std::move(electrodes)), r_(radii), s_(sigmas), stop_(stop_factor) {
        if (!(r_[0] > 0 && r_[0] < r_[1] && r_[1] < r_[2] && r_[2] < r_[3]))
            throw config_error("four_sphere_head: radii must satisfy 0 < brain < csf < skull < scalp (um)");
        for (double s : s_)
            if (!(s > 0) || !std::isfinite(s)) throw config_error("four_sphere_head: conductivities must be positive (S/m)");
        if (!(stop_ > 0)) throw config_error("four_sphere_head: stop_factor must be positive");
        if (!el_.allFinite()) throw config_error("four_sphere_head: electrode positions must be finite (um)");
        for (Eigen::Index i = 0; i < el_.rows(); ++i)
            if (el_.row(i).norm() > r_[3])
                throw config_error("four_sphere_head: electrode " + std::to_string(i) + " lies outside the scalp (|r| > " + std::to_string(r_[3]) + " um)");
    }

    /// Potential (mV) at every electrode per unit dipole moment (nA um) along x, y and z.
    Eigen::MatrixXd transformation(const Eigen::Vector3d& rz) const {
        const double rzn = rz.norm();
        if (!(rzn > 0)) throw config_error("four_sphere_head: the dipole may not sit at the centre of the head");
        if (rzn >= r_[0]) throw config_error("four_sphere_head: the dipole must lie inside the brain sphere (|rz| < " + std::to_string(r_[0]) + " um)");
        const Eigen::Vector3d zhat = rz / rzn;
        const auto n_el = el_.rows();
        for (Eigen::Index i = 0; i < n_el; ++i)
            if (el_.row(i).norm() < rzn) throw config_error("four_sphere_head: electrode " + std::to_string(i) + " is closer to the centre than the dipole");
        Eigen::MatrixXd M = Eigen::MatrixXd::Zero(n_el, 3);
        const coefficients co(*this, rzn);
        for (int k = 0; k < 3; ++k) {
            Eigen::Vector3d p = Eigen::Vector3d::Zero();
            p(k) = 1.0;
            const Eigen::Vector3d p_rad = zhat * zhat.dot(p);
            const Eigen::Vector3d p_tan = p - p_rad;
            const double prad = p_rad.norm(), ptan = p_tan.norm();
            for (Eigen::Index i = 0; i < n_el; ++i) {
                const Eigen::Vector3d r = el_.row(i).transpose();
                const double rn = r.norm();
                const double cos_theta = r.dot(rz) / (rn * rzn);
                const double theta = std::acos(cos_theta);
                double v = 0;
                if (prad != 0) {
                    const double sign = rz.dot(p) > 0 ? 1.0 : (rz.dot(p) < 0 ? -1.0 : 0.0);
                    v += sign * prad / (4 * std::numbers::pi * s_[0] * rzn * rzn) * co.series(rn, std::cos(theta), true);
                }
                if (ptan != 0 && theta != 0 && theta != std::numbers::pi) {
                    const Eigen::Vector3d rxy = r - zhat * r.dot(zhat);
                    const Eigen::Vector3d xaxis = p_tan.cross(zhat);
                    double phi = std::acos(rxy.dot(xaxis) / (rxy.norm() * xaxis.norm()));
                    if (rxy.dot(p_tan) < 0) phi = -phi;
                    v += -ptan / (4 * std::numbers::pi * s_[0] * rzn * rzn) * std::sin(phi) * co.series(rn, std::cos(theta), false);
                }
                M(i, k) = v;
            }
        }
        return M;
    }

    /// Potential (electrodes x time) of dipole moments p (3 x time) at rz.
    Eigen::MatrixXd potential(const Eigen::MatrixXd& p, const Eigen::Vector3d& rz) const { return transformation(rz) * p; }

    const Eigen::Matrix<double, Eigen::Dynamic, 3>& electrodes() const { return el_; }

private:
    // The shell coefficients of order n for a dipole at distance rz (Naess et al. 2017, Eqs. in
    // appendix; names as there: c1..d4, y_n, z_n, v_n).
    struct coefficients {
        const four_sphere_head& h;
        double rz;
        coefficients(const four_sphere_head& head, double rz_) : h(head), rz(rz_) {}

        struct order {
            double c1, c2, d2, c3, d3, c4, d4, y;
        };
        order at(int n) const {
            const double nn = n, r1 = h.r_[0], r2 = h.r_[1], r3 = h.r_[2], r4 = h.r_[3];
            const double s12 = h.s_[0] / h.s_[1], s23 = h.s_[1] / h.s_[2], s34 = h.s_[2] / h.s_[3];
            const double r12 = r1 / r2, r23 = r2 / r3, r34 = r3 / r4;
            const double rz1 = rz / r1;
            const double k = 2 * nn + 1;
            double rc = (std::pow(r34, k) - 1) / ((nn + 1) / nn * std::pow(r34, k) + 1);
            const double v = s23 + rc == 0.0 ? 1e12 : (nn / (nn + 1) * s34 - rc) / (s34 + rc);
            rc = (nn / (nn + 1) * std::pow(r23, k) - v) / (std::pow(r23, k) + v);
            const double y = s23 + rc == 0.0 ? 1e12 : (nn / (nn + 1) * s23 - rc) / (s23 + rc);
            const double z = (std::pow(r12, k) - (nn + 1) / nn * y) / (std::pow(r12, k) + y);
            order o;
            o.y = y;
            o.c1 = ((nn + 1) / nn * s12 + z) / (s12 - z) * std::pow(rz1, nn + 1);
            o.c2 = (o.c1 + std::pow(rz1, nn + 1)) * std::pow(r12, nn + 1) / (std::pow(r12, k) + y);
            o.d2 = y * o.c2;
            o.c3 = (o.c2 + o.d2) * std::pow(r23, nn + 1) / (std::pow(r23, k) + v);
            o.d3 = v * o.c3;
            o.c4 = (nn + 1) / nn * std::pow(r34, nn + 1) * (o.c3 + o.d3) / ((nn + 1) / nn * std::pow(r34, k) + 1);
            o.d4 = nn / (nn + 1) * o.c4;
            return o;
        }
        // Radial coefficient of order n at radius r (without the factor n of the radial series).
        double term(int n, double r) const {
            const order o = at(n);
            const double nn = n, r1 = h.r_[0], r2 = h.r_[1], r3 = h.r_[2], r4 = h.r_[3];
            if (r <= r1) return o.c1 * std::pow(r / r1, nn) + std::pow(rz / r, nn + 1);
            if (r <= r2) {
                const double rz1 = rz / r1, r12 = r1 / r2;
                const double t1 = (o.c1 + std::pow(rz1, nn + 1)) * r12 * std::pow(r1 * r / (r2 * r2), nn) / (std::pow(r12, 2 * nn + 1) + o.y);
                const double t2 = o.y * (o.c1 + std::pow(rz1, nn + 1)) /
                                  (r / r2 * std::pow(r1 * r / (r2 * r2), nn) + std::pow(r / r1, nn + 1) * o.y);
                return t1 + t2;
            }
            if (r <= r3) return o.c3 * std::pow(r / r3, nn) + o.d3 * std::pow(r3 / r, nn + 1);
            return o.c4 * std::pow(r / r4, nn) + o.d4 * std::pow(r4 / r, nn + 1);
        }
        // sum_n n c_n P_n(x) (radial) or sum_n c_n P_n^1(x) (tangential, Condon-Shortley phase).
        double series(double r, double x, bool radial) const {
            const double stop = r <= h.r_[0] && radial ? h.stop_ * 1e-6 : h.stop_;
            const double sx = std::sqrt(std::max(0.0, 1 - x * x));
            double sum = 0, coeff_sum = 0;
            double pm1 = radial ? 1.0 : 0.0;        // P_0 or P_0^1
            double p = radial ? x : -sx;            // P_1 or P_1^1
            for (int n = 1;; ++n) {
                const double c = (radial ? n : 1) * term(n, r);
                coeff_sum += c;
                sum += c * p;
                if (!(c > stop * coeff_sum)) break;
                // Bonnet's recurrence: (n + 1 - m) P_{n+1}^m = (2n + 1) x P_n^m - (n + m) P_{n-1}^m
                const int m = radial ? 0 : 1;
                const double next = ((2.0 * n + 1) * x * p - (n + m) * pm1) / (n + 1 - m);
                pm1 = p;
                p = next;
                if (n > 100000) throw numerical_error("four_sphere_head: series did not converge", n, 0, "potential");
            }
            return sum;
        }
    };

    Eigen::Matrix<double, Eigen::Dynamic, 3> el_;
    std::array<double, 4> r_, s_;
    double stop_;
};

}  // namespace brainweave::extracellular

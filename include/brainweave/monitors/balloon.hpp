#pragma once
// BOLD from a hemodynamic model: the Balloon-Windkessel equations (Buxton et al. 1998, Friston et
// al. 2000, Stephan et al. 2007) integrated alongside the simulation, one set per node and mode.
// TVB offers this only as an offline analyser; here it is a monitor.
//
// With z(t) = input_scale (x(t) - input_offset) the monitored variable (time in seconds):
//   ds/dt = z - kappa s - gamma (f - 1)          vasodilatory signal
//   df/dt = s                                    blood inflow
//   tau dv/dt = f - v^(1/alpha)                  blood volume
//   tau dq/dt = f (1 - (1 - E0)^(1/f)) / E0 - v^(1/alpha) q / v    deoxyhaemoglobin
//   BOLD = V0 (k1 (1 - q) + k2 (1 - q/v) + k3 (1 - v))
// from rest s = 0, f = v = q = 1. Coefficients: classic (Friston 2000: k1 = 7 E0, k2 = 2,
// k3 = 2 E0 - 0.2) or revised (Stephan 2007: k1 = 4.3 theta0 E0 TE, k2 = epsilon r0 E0 TE,
// k3 = 1 - epsilon). Defaults: kappa 0.65 /s, gamma 0.41 /s, tau 0.98 s, alpha 0.32, E0 0.34,
// V0 0.02 (Friston et al. 2003); theta0 40.3 /s, r0 25 /s, epsilon 1, TE 0.04 s (Stephan 2007).
// The equations advance with the simulation's dt by Heun's method (dt is 1e-4 to 1e-3 s, four
// orders below the hemodynamic time constants). Sampled every `period` ms (n % istep == 0, time
// stamp n dt); output shape (voi, nodes, modes), dimensionless (fractional signal change).
#include <brainweave/monitors/output.hpp>

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace brainweave::monitors {

namespace detail {
struct balloon_state {
    std::vector<double> s, f, v, q;  ///< one per monitored value ([voi][node][mode])
    std::vector<double> z;

    template <class Archive>
    void serialize(Archive& ar) {
        for (auto [x, name] : {std::pair{&s, "s"}, std::pair{&f, "f"}, std::pair{&v, "v"}, std::pair{&q, "q"}})
            ar.sized(name, *x, z.size());
    }
};
}  // namespace detail

struct balloon_windkessel {
    static constexpr std::string_view name = "BalloonWindkessel";
    static constexpr bool uses_coupling = false;
    double period = 2000.0;  ///< ms (TR)
    double kappa = 0.65, gamma = 0.41, tau = 0.98, alpha = 0.32, E0 = 0.34, V0 = 0.02;
    bool revised = false;  ///< Stephan 2007 coefficients instead of Friston 2000's
    double theta0 = 40.3, r0 = 25.0, epsilon = 1.0, TE = 0.04;
    double input_scale = 1.0, input_offset = 0.0;
    std::vector<std::size_t> variables_of_interest{};
    detail::recorder rec_{};
    detail::balloon_state st_{};

    /// Derivatives (per second) of (s, f, v, q) for input z.
    void derivatives(double z, const double* y, double* dy) const noexcept {
        const double s = y[0], f = y[1], v = y[2], q = y[3];
        const double vout = std::pow(v, 1.0 / alpha);
        dy[0] = z - kappa * s - gamma * (f - 1.0);
        dy[1] = s;
        dy[2] = (f - vout) / tau;
        dy[3] = (f * (1.0 - std::pow(1.0 - E0, 1.0 / f)) / E0 - vout * q / v) / tau;
    }
    /// BOLD signal of a state (v, q).
    double signal(double v, double q) const noexcept {
        const double k1 = revised ? 4.3 * theta0 * E0 * TE : 7.0 * E0;
        const double k2 = revised ? epsilon * r0 * E0 * TE : 2.0;
        const double k3 = revised ? 1.0 - epsilon : 2.0 * E0 - 0.2;
        return V0 * (k1 * (1.0 - q) + k2 * (1.0 - q / v) + k3 * (1.0 - v));
    }

    void configure(const monitor_context& ctx) {
        detail::configure_recorder(rec_, ctx, variables_of_interest, name, period);
        for (auto [value, what] : {std::pair{kappa, "kappa"}, std::pair{tau, "tau"}, std::pair{alpha, "alpha"}})
            if (!(value > 0.0)) throw config_error(std::string("BalloonWindkessel monitor: ") + what + " must be > 0");
        if (!(E0 > 0.0 && E0 < 1.0)) throw config_error("BalloonWindkessel monitor: E0 must be in (0, 1), got " + std::to_string(E0));
        const std::size_t n = rec_.voi.size() * ctx.n_nodes * ctx.n_modes;
        st_.s.assign(n, 0.0);
        st_.f.assign(n, 1.0);
        st_.v.assign(n, 1.0);
        st_.q.assign(n, 1.0);
        st_.z.assign(n, 0.0);
    }

    void record(std::int64_t step, const double* state, const double*) {
        detail::copy_sample(rec_.ctx, rec_.voi, state, st_.z.data());
        const double h = rec_.ctx.dt / 1000.0;  // s
        for (std::size_t k = 0; k < st_.z.size(); ++k) {
            const double z = input_scale * (st_.z[k] - input_offset);
            double y[4] = {st_.s[k], st_.f[k], st_.v[k], st_.q[k]}, k1[4], k2[4], y1[4];
            derivatives(z, y, k1);
            for (int i = 0; i < 4; ++i) y1[i] = y[i] + h * k1[i];
            derivatives(z, y1, k2);
            for (int i = 0; i < 4; ++i) y[i] += h * (k1[i] + k2[i]) / 2.0;
            if (!(y[1] > 0.0 && y[2] > 0.0) || !std::isfinite(y[3]))
                throw numerical_error("BalloonWindkessel monitor: hemodynamic state left its domain (f = " +
                                          std::to_string(y[1]) + ", v = " + std::to_string(y[2]) + ") at step " +
                                          std::to_string(step) + "; the input z = input_scale (x - input_offset) is " +
                                          std::to_string(z) + ", scale it down",
                                      step, (k / rec_.ctx.n_modes) % rec_.ctx.n_nodes, "f");
            st_.s[k] = y[0];
            st_.f[k] = y[1];
            st_.v[k] = y[2];
            st_.q[k] = y[3];
        }
        if (step % rec_.istep != 0) return;
        rec_.out.time.push_back(static_cast<double>(step) * rec_.ctx.dt);
        for (std::size_t k = 0; k < st_.z.size(); ++k) rec_.out.data.push_back(signal(st_.v[k], st_.q[k]));
    }
    BRAINWEAVE_MONITOR_OUTPUT
};

}  // namespace brainweave::monitors

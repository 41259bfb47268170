#pragma once
// The yardsticks: plain hand-written C++ loops (no templates, no policies) computing exactly what the
// composed simulators compute, with the models' default parameters as compile-time constants.
// Each uses a CSR gather from a ring buffer of the coupling variables, the same integrator and the
// same outputs (TemporalAverage or Raw), and returns the output samples for comparison.
#include <brainweave/connectivity/connectivity.hpp>
#include <brainweave/noise/sources.hpp>

#include <cmath>
#include <algorithm>
#include <cstddef>
#include <numbers>
#include <vector>

namespace baseline {

struct problem {
    brainweave::sparse_connectivity csr;
    std::vector<double> history;  ///< (H, n_state, n, 1), time order
    std::size_t H = 0, n = 0;
};

/// TemporalAverage as TVB computes it: state n goes to slot (n % istep) - 1 of a zeroed stock (slot
/// istep - 1 when n % istep == 0), and the stock's mean is emitted when n % istep == 0.
struct temporal_average {
    int istep;
    std::size_t size;  ///< values per state
    std::vector<double> stock = std::vector<double>(static_cast<std::size_t>(istep) * size, 0.0), out{};

    /// Where the state of `step` is to be written.
    double* slot(long step) {
        const long r = step % istep;
        return stock.data() + static_cast<std::size_t>(r == 0 ? istep - 1 : r - 1) * size;
    }
    /// Writes a two-variable state (a, then b) for `step` and emits the average if due.
    void record(long step, const std::vector<double>& a, const std::vector<double>& b) {
        double* st = slot(step);
        std::copy(a.begin(), a.end(), st);
        std::copy(b.begin(), b.end(), st + a.size());
        finish(step);
    }
    /// Emits the average after the state of `step` was written, if the period is complete.
    void finish(long step) {
        if (step % istep != 0) return;
        for (std::size_t k = 0; k < size; ++k) {
            double sum = 0.0;
            for (int t = 0; t < istep; ++t) sum += stock[static_cast<std::size_t>(t) * size + k];
            out.push_back(sum / istep);
        }
    }
};

/// Coupling sums s_i = sum_j w_ij x_j(t - d_ij) from ring buffer `ring` (slot-major, one value per node).
inline void gather(const problem& p, const std::vector<double>& ring, long step, std::vector<double>& s) {
    const std::size_t cur = static_cast<std::size_t>(step) % p.H;
    for (std::size_t i = 0; i < p.n; ++i) {
        double acc = 0.0;
        for (std::size_t k = p.csr.row_begin[i]; k < p.csr.row_begin[i + 1]; ++k) {
            const std::size_t d = p.csr.delay[k];
            const std::size_t slot = cur >= d ? cur - d : cur + p.H - d;
            acc += p.csr.weight[k] * ring[slot * p.n + p.csr.source[k]];
        }
        s[i] = acc;
    }
}

/// Generic2dOscillator + Linear(a) + Heun, TemporalAverage every `istep` steps.
inline std::vector<double> g2d(const problem& p, double ca, double dt, int n_steps, int istep) {
    const std::size_t n = p.n, H = p.H;
    constexpr double a = -2.0, b = -10.0, c = 0.0, d = 0.02, e = 3.0, f = 1.0, g = 0.0, tau = 1.0, I = 0.0,
                     alpha = 1.0, beta = 1.0, gamma = 1.0;
    std::vector<double> ring(H * n), V(n), W(n), cpl(n);
    temporal_average ta{istep, 2 * n};
    for (std::size_t t = 0; t < H; ++t)
        for (std::size_t i = 0; i < n; ++i) ring[t * n + i] = p.history[(t * 2 + 0) * n + i];
    for (std::size_t i = 0; i < n; ++i) {
        V[i] = p.history[((H - 1) * 2 + 0) * n + i];
        W[i] = p.history[((H - 1) * 2 + 1) * n + i];
    }
    long step = static_cast<long>(H) - 1;
    auto fV = [&](double v, double w, double c0) {
        return d * tau * (alpha * w - f * v * v * v + e * v * v + g * v + gamma * I + gamma * c0);
    };
    auto fW = [&](double v, double w) { return d * (a + b * v + c * v * v - beta * w) / tau; };
    gather(p, ring, step, cpl);
    for (std::size_t i = 0; i < n; ++i) cpl[i] *= ca;
    for (int s = 0; s < n_steps; ++s) {
        for (std::size_t i = 0; i < n; ++i) {
            const double k1v = fV(V[i], W[i], cpl[i]), k1w = fW(V[i], W[i]);
            const double iv = V[i] + dt * k1v, iw = W[i] + dt * k1w;
            V[i] += (k1v + fV(iv, iw, cpl[i])) * dt / 2.0;
            W[i] += (k1w + fW(iv, iw)) * dt / 2.0;
        }
        ++step;
        const std::size_t slot = static_cast<std::size_t>(step) % H;
        for (std::size_t i = 0; i < n; ++i) ring[slot * n + i] = V[i];
        gather(p, ring, step, cpl);
        for (std::size_t i = 0; i < n; ++i) cpl[i] *= ca;
        ta.record(step, V, W);
    }
    return ta.out;
}

/// A Generic2dOscillator surface simulation: vertex state, region-mean history, local coupling.
struct surface_problem {
    problem regions;             ///< connectome CSR, H, n = regions, history (H, 2, regions) of region means
    std::vector<int> region_of;  ///< per vertex
    std::vector<std::size_t> count;  ///< vertices per region
    std::vector<double> V0, W0;  ///< vertex state
    std::vector<int> lc_begin, lc_col;
    std::vector<double> lc_val;  ///< local connectivity (CSR, row = target), scaled by its strength
};

/// Generic2dOscillator + Linear(a) + Heun on a surface, TemporalAverage every `istep` steps: per
/// stage the local coupling lc = L @ V of the stage values, then the model; region means of V into
/// the ring; the region coupling gathered and applied to the region's vertices.
inline std::vector<double> surface_g2d(const surface_problem& p, double ca, double dt, int n_steps, int istep) {
    const std::size_t nv = p.V0.size(), nr = p.regions.n, H = p.regions.H;
    constexpr double a = -2.0, b = -10.0, c = 0.0, d = 0.02, e = 3.0, f = 1.0, g = 0.0, tau = 1.0, I = 0.0,
                     alpha = 1.0, beta = 1.0, gamma = 1.0;
    std::vector<double> ring(H * nr), cpl(nr), V = p.V0, W = p.W0, iv(nv), iw(nv), k1v(nv), k1w(nv), lc(nv), mean(nr);
    temporal_average ta{istep, 2 * nv};
    for (std::size_t t = 0; t < H; ++t)
        for (std::size_t r = 0; r < nr; ++r) ring[t * nr + r] = p.regions.history[(t * 2 + 0) * nr + r];
    long step = static_cast<long>(H) - 1;
    auto fV = [&](double v, double w, double c0, double l) {
        return d * tau * (alpha * w - f * v * v * v + e * v * v + g * v + gamma * I + gamma * c0 + l);
    };
    auto fW = [&](double v, double w) { return d * (a + b * v + c * v * v - beta * w) / tau; };
    auto local = [&](const std::vector<double>& x) {
        for (std::size_t i = 0; i < nv; ++i) {
            double acc = 0.0;
            for (int k = p.lc_begin[i]; k < p.lc_begin[i + 1]; ++k) acc += p.lc_val[static_cast<std::size_t>(k)] * x[static_cast<std::size_t>(p.lc_col[static_cast<std::size_t>(k)])];
            lc[i] = acc;
        }
    };
    gather(p.regions, ring, step, cpl);
    for (std::size_t r = 0; r < nr; ++r) cpl[r] *= ca;
    for (int s = 0; s < n_steps; ++s) {
        local(V);
        for (std::size_t i = 0; i < nv; ++i) {
            const double c0 = cpl[static_cast<std::size_t>(p.region_of[i])];
            k1v[i] = fV(V[i], W[i], c0, lc[i]);
            k1w[i] = fW(V[i], W[i]);
            iv[i] = V[i] + dt * k1v[i];
            iw[i] = W[i] + dt * k1w[i];
        }
        local(iv);
        for (std::size_t i = 0; i < nv; ++i) {
            const double c0 = cpl[static_cast<std::size_t>(p.region_of[i])];
            V[i] += (k1v[i] + fV(iv[i], iw[i], c0, lc[i])) * dt / 2.0;
            W[i] += (k1w[i] + fW(iv[i], iw[i])) * dt / 2.0;
        }
        ++step;
        std::fill(mean.begin(), mean.end(), 0.0);
        for (std::size_t i = 0; i < nv; ++i) mean[static_cast<std::size_t>(p.region_of[i])] += V[i];
        const std::size_t slot = static_cast<std::size_t>(step) % H;
        for (std::size_t r = 0; r < nr; ++r) ring[slot * nr + r] = mean[r] / static_cast<double>(p.count[r]);
        gather(p.regions, ring, step, cpl);
        for (std::size_t r = 0; r < nr; ++r) cpl[r] *= ca;
        ta.record(step, V, W);
    }
    return ta.out;
}

/// JansenRit + SigmoidalJansenRit + Heun, TemporalAverage every `istep` steps. The coupling's
/// sigmoid of (y1_j - y2_j) is evaluated per connection, as TVB does.
inline std::vector<double> jansen_rit(const problem& p, double dt, int n_steps, int istep) {
    const std::size_t n = p.n, H = p.H;
    constexpr double A = 3.25, B = 22.0, a = 0.1, b = 0.05, v0 = 5.52, nu_max = 0.0025, r = 0.56, J = 135.0,
                     a_1 = 1.0, a_2 = 0.8, a_3 = 0.25, a_4 = 0.25, mu = 0.22;
    constexpr double cmin = 0.0, cmax = 2.0 * 0.0025, midpoint = 6.0, cr = 0.56, ca = 1.0;
    std::vector<double> ring1(H * n), ring2(H * n), y(6 * n), cpl(n);
    temporal_average ta{istep, 6 * n};
    for (std::size_t t = 0; t < H; ++t)
        for (std::size_t i = 0; i < n; ++i) {
            ring1[t * n + i] = p.history[(t * 6 + 1) * n + i];
            ring2[t * n + i] = p.history[(t * 6 + 2) * n + i];
        }
    for (std::size_t v = 0; v < 6; ++v)
        for (std::size_t i = 0; i < n; ++i) y[v * n + i] = p.history[((H - 1) * 6 + v) * n + i];
    long step = static_cast<long>(H) - 1;
    auto coupling = [&] {
        const std::size_t cur = static_cast<std::size_t>(step) % H;
        for (std::size_t i = 0; i < n; ++i) {
            double acc = 0.0;
            for (std::size_t k = p.csr.row_begin[i]; k < p.csr.row_begin[i + 1]; ++k) {
                const std::size_t d = p.csr.delay[k];
                const std::size_t slot = cur >= d ? cur - d : cur + H - d;
                const std::size_t at = slot * n + p.csr.source[k];
                acc += p.csr.weight[k] * (cmin + (cmax - cmin) / (1.0 + std::exp(cr * (midpoint - (ring1[at] - ring2[at])))));
            }
            cpl[i] = ca * acc;
        }
    };
    auto f = [&](const double* x, double c0, double* dx) {
        const double s12 = 2.0 * nu_max / (1.0 + std::exp(r * (v0 - (x[1] - x[2]))));
        const double s01 = 2.0 * nu_max / (1.0 + std::exp(r * (v0 - (a_1 * J * x[0]))));
        const double s03 = 2.0 * nu_max / (1.0 + std::exp(r * (v0 - (a_3 * J * x[0]))));
        dx[0] = x[3];
        dx[1] = x[4];
        dx[2] = x[5];
        dx[3] = A * a * s12 - 2.0 * a * x[3] - a * a * x[0];
        dx[4] = A * a * (mu + a_2 * J * s01 + c0) - 2.0 * a * x[4] - a * a * x[1];
        dx[5] = B * b * (a_4 * J * s03) - 2.0 * b * x[5] - b * b * x[2];
    };
    coupling();
    for (int s = 0; s < n_steps; ++s) {
        for (std::size_t i = 0; i < n; ++i) {
            double x[6], k1[6], k2[6], in[6];
            for (std::size_t v = 0; v < 6; ++v) x[v] = y[v * n + i];
            f(x, cpl[i], k1);
            for (std::size_t v = 0; v < 6; ++v) in[v] = x[v] + dt * k1[v];
            f(in, cpl[i], k2);
            for (std::size_t v = 0; v < 6; ++v) y[v * n + i] = x[v] + (k1[v] + k2[v]) * dt / 2.0;
        }
        ++step;
        const std::size_t slot = static_cast<std::size_t>(step) % H;
        for (std::size_t i = 0; i < n; ++i) {
            ring1[slot * n + i] = y[1 * n + i];
            ring2[slot * n + i] = y[2 * n + i];
        }
        coupling();
        std::copy(y.begin(), y.end(), ta.slot(step));
        ta.finish(step);
    }
    return ta.out;
}

/// MontbrioPazoRoxin + Linear(a) on (r, V) + stochastic Heun (additive noise, Philox draws), r >= 0,
/// TemporalAverage every `istep` steps.
inline std::vector<double> montbrio(const problem& p, double ca, double dt, const std::vector<double>& nsig,
                                    std::uint64_t seed, int n_steps, int istep) {
    const std::size_t n = p.n, H = p.H;
    constexpr double tau = 1.0, I = 0.0, Delta = 1.0, J = 15.0, eta = -5.0, cr = 1.0, cv = 0.0;
    constexpr double pi = std::numbers::pi;
    const brainweave::noise::philox_normal rng(seed);
    const double sdt = std::sqrt(dt), gr = std::sqrt(2.0 * nsig[0]), gv = std::sqrt(2.0 * nsig[1]);
    std::vector<double> ringr(H * n), ringv(H * n), R(n), V(n), c0(n), c1(n);
    temporal_average ta{istep, 2 * n};
    for (std::size_t t = 0; t < H; ++t)
        for (std::size_t i = 0; i < n; ++i) {
            ringr[t * n + i] = p.history[(t * 2 + 0) * n + i];
            ringv[t * n + i] = p.history[(t * 2 + 1) * n + i];
        }
    for (std::size_t i = 0; i < n; ++i) {
        R[i] = p.history[((H - 1) * 2 + 0) * n + i];
        V[i] = p.history[((H - 1) * 2 + 1) * n + i];
    }
    long step = static_cast<long>(H) - 1;
    auto coupling = [&] {
        gather(p, ringr, step, c0);
        gather(p, ringv, step, c1);
        for (std::size_t i = 0; i < n; ++i) {
            c0[i] *= ca;
            c1[i] *= ca;
        }
    };
    auto fr = [&](double r, double v) { return 1.0 / tau * (Delta / (pi * tau) + 2.0 * v * r); };
    auto fv = [&](double r, double v, std::size_t i) {
        return 1.0 / tau * (v * v - (pi * pi) * (tau * tau) * (r * r) + eta + J * tau * r + I + cr * c0[i] + cv * c1[i]);
    };
    coupling();
    for (int s = 0; s < n_steps; ++s) {
        for (std::size_t i = 0; i < n; ++i) {
            double z[2];
            rng.fill(step + 1, i, z, 2);
            const double dr = sdt * z[0] * gr, dv = sdt * z[1] * gv;
            const double k1r = fr(R[i], V[i]), k1v = fv(R[i], V[i], i);
            double ir = R[i] + dt * k1r + dr;
            const double iv = V[i] + dt * k1v + dv;
            if (ir < 0.0) ir = 0.0;
            R[i] = R[i] + (k1r + fr(ir, iv)) * dt / 2.0 + dr;
            V[i] = V[i] + (k1v + fv(ir, iv, i)) * dt / 2.0 + dv;
            if (R[i] < 0.0) R[i] = 0.0;
        }
        ++step;
        const std::size_t slot = static_cast<std::size_t>(step) % H;
        for (std::size_t i = 0; i < n; ++i) {
            ringr[slot * n + i] = R[i];
            ringv[slot * n + i] = V[i];
        }
        coupling();
        ta.record(step, R, V);
    }
    return ta.out;
}

}  // namespace baseline

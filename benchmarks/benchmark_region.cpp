// Region simulator vs a hand-written loop on the same problem (docs/performance.md).
//
// Workload: Generic2dOscillator, 76 regions (connectivity_76), Linear coupling a = 0.0152,
// delays at 4 mm/ms, Heun, dt = 0.1 ms, TemporalAverage 1 ms, 1 s simulated (10 000 steps).
// Each variant runs `reps` times; the table reports the median and the ratio to the
// hand-written loop measured in the same run.
#include <brainweave/brainweave.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace bw = brainweave;
using clk = std::chrono::steady_clock;

namespace {
constexpr double dt = 0.1;
constexpr int n_steps = 10000;

struct problem {
    bw::connectivity conn;
    bw::sparse_connectivity csr;
    std::vector<double> history;  // (H, 2, n, 1), time order
    std::size_t H = 0, n = 0;
};

/// The yardstick: plain arrays, CSR gather from a ring buffer of V, Heun, temporal average.
std::vector<double> hand_written(const problem& p) {
    const std::size_t n = p.n, H = p.H;
    const double a = -2.0, b = -10.0, c = 0.0, d = 0.02, e = 3.0, f = 1.0, g = 0.0, tau = 1.0, I = 0.0, alpha = 1.0,
                 beta = 1.0, gamma = 1.0, ca = 0.0152;
    std::vector<double> ring(H * n), V(n), W(n), cpl(n), stock(10 * 2 * n, 0.0), out;
    out.reserve(static_cast<std::size_t>(n_steps / 10) * 2 * n);
    for (std::size_t t = 0; t < H; ++t)
        for (std::size_t i = 0; i < n; ++i) ring[t * n + i] = p.history[(t * 2 + 0) * n + i];
    for (std::size_t i = 0; i < n; ++i) {
        V[i] = p.history[((H - 1) * 2 + 0) * n + i];
        W[i] = p.history[((H - 1) * 2 + 1) * n + i];
    }
    long step = static_cast<long>(H) - 1;
    auto coupling = [&] {
        const std::size_t cur = static_cast<std::size_t>(step) % H;
        for (std::size_t i = 0; i < n; ++i) {
            double s = 0.0;
            for (std::size_t k = p.csr.row_begin[i]; k < p.csr.row_begin[i + 1]; ++k) {
                const std::size_t dl = p.csr.delay[k];
                const std::size_t slot = cur >= dl ? cur - dl : cur + H - dl;
                s += p.csr.weight[k] * ring[slot * n + p.csr.source[k]];
            }
            cpl[i] = ca * s;
        }
    };
    auto fV = [&](double v, double w, double c0) {
        return d * tau * (alpha * w - f * v * v * v + e * v * v + g * v + gamma * I + gamma * c0);
    };
    auto fW = [&](double v, double w) { return d * (a + b * v + c * v * v - beta * w) / tau; };
    coupling();
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
        coupling();
        const long r = step % 10;
        double* st = stock.data() + static_cast<std::size_t>(r == 0 ? 9 : r - 1) * 2 * n;
        for (std::size_t i = 0; i < n; ++i) {
            st[i] = V[i];
            st[n + i] = W[i];
        }
        if (r == 0)
            for (std::size_t k = 0; k < 2 * n; ++k) {
                double sum = 0.0;
                for (int t = 0; t < 10; ++t) sum += stock[static_cast<std::size_t>(t) * 2 * n + k];
                out.push_back(sum / 10.0);
            }
    }
    return out;
}

std::vector<double> composed(const problem& p) {
    auto sim = bw::make_simulator(bw::models::generic_2d_oscillator{}, bw::coupling::linear{.a = 0.0152, .b = 0.0},
                                  bw::integrators::heun<>{.dt = dt}, p.conn,
                                  bw::monitors::temporal_average{.period = 1.0});
    sim.set_history(p.history, p.H);
    sim.run_steps(n_steps);
    return sim.output<0>().data;
}

template <class F>
double median_seconds(F&& f, int reps, std::vector<double>& result) {
    std::vector<double> t;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = clk::now();
        result = f();
        t.push_back(std::chrono::duration<double>(clk::now() - t0).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}
}  // namespace

int main(int argc, char** argv) {
    const int reps = argc > 1 ? std::atoi(argv[1]) : 7;
    problem p;
    p.conn = bw::io::load_tvb_connectivity(argc > 2 ? argv[2] : BRAINWEAVE_BENCH_CONNECTOME).with_speed(4.0);
    p.csr = bw::sparse_connectivity::from_dense(p.conn.weights, p.conn.delays_in_steps(dt));
    p.n = p.conn.n_regions();
    p.H = p.csr.max_delay + 1;
    p.history.resize(p.H * 2 * p.n);
    std::srand(1);
    for (auto& v : p.history) v = -1.0 + 2.0 * std::rand() / RAND_MAX;

    std::vector<double> base_out, bw_out;
    const double t_base = median_seconds([&] { return hand_written(p); }, reps, base_out);
    const double t_bw = median_seconds([&] { return composed(p); }, reps, bw_out);
    double diff = 0.0;
    for (std::size_t k = 0; k < base_out.size(); ++k) diff = std::max(diff, std::abs(base_out[k] - bw_out[k]));
    const bool same = base_out.size() == bw_out.size() && diff < 1e-9;

    std::printf("Generic2dOscillator + Linear + Heun, %zu regions, %zu connections, dt = %.1f ms, %d steps, "
                "TemporalAverage 1 ms; median of %d runs\n\n",
                p.n, p.csr.nnz(), dt, n_steps, reps);
    std::printf("| variant                      | time (s) | steps/s   | us/step | ns/connection/step | ratio |\n");
    std::printf("|------------------------------|----------|-----------|---------|--------------------|-------|\n");
    auto row = [&](const char* name, double t) {
        std::printf("| %-28s | %8.4f | %9.0f | %7.3f | %18.2f | %5.2f |\n", name, t, n_steps / t, 1e6 * t / n_steps,
                    1e9 * t / n_steps / static_cast<double>(p.csr.nnz()), t / t_base);
    };
    row("hand-written loop (baseline)", t_base);
    row("brainweave simulator", t_bw);
    std::printf("\noutputs agree: %s (max difference %.2e)\n", same ? "yes" : "NO", diff);
    std::printf("TVB 2.11 reference backend on this workload: 0.68 s (shared/docs/performance.md): %.0fx faster\n",
                0.68 / t_bw);
    return same ? 0 : 1;
}

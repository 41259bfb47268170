#pragma once
// The yardstick for the spiking engine: Brian's CUBA network written as one plain C++ loop (the
// code a careful person writes by hand, as Brian's C++ standalone mode generates it): arrays for
// v, ge, gi and the last spike step, CSR synapses by source, the exact linear propagator, and
// Brian's order (update, threshold, deliver, reset). Same propagator constants as the library, so
// both produce the same spikes.
#include <brainweave/spiking/neuron_model.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

namespace baseline {

struct cuba {
    std::size_t n = 0;
    double E_L, V_th, V_reset, tau_m, tau_e, tau_i, dt, w_e, w_i;
    std::int64_t ref_steps;
    std::vector<double> v0;
    std::vector<std::size_t> row_e, row_i;  // CSR by source
    std::vector<std::uint32_t> tgt_e, tgt_i;

    static void csr(std::size_t n, const std::vector<std::uint32_t>& pre, const std::vector<std::uint32_t>& post,
                    std::vector<std::size_t>& row, std::vector<std::uint32_t>& tgt) {
        row.assign(n + 1, 0);
        for (auto i : pre) ++row[i + 1];
        for (std::size_t i = 0; i < n; ++i) row[i + 1] += row[i];
        tgt.resize(pre.size());
        std::vector<std::size_t> at(row.begin(), row.end() - 1);
        for (std::size_t k = 0; k < pre.size(); ++k) tgt[at[pre[k]]++] = post[k];
    }

    /// Runs `steps` steps; returns the number of spikes.
    std::size_t run(std::int64_t steps) const {
        using brainweave::spiking::membrane_response;
        const double C = tau_m;  // R = 1
        const double P22 = std::exp(-dt / tau_m), Pe = std::exp(-dt / tau_e), Pi = std::exp(-dt / tau_i);
        const double P21e = membrane_response::exponential(dt, tau_m, tau_e, C);
        const double P21i = membrane_response::exponential(dt, tau_m, tau_i, C);
        std::vector<double> v = v0, ge(n, 0.0), gi(n, 0.0);
        std::vector<std::int64_t> last(n, -1000000);
        std::vector<std::uint32_t> spikes;
        std::size_t total = 0;
        for (std::int64_t s = 0; s < steps; ++s) {
            spikes.clear();
            for (std::size_t i = 0; i < n; ++i) {  // branch-free, so that it vectorises
                const bool active = s - last[i] >= ref_steps;
                const double vn = E_L + (v[i] - E_L) * P22 + P21e * ge[i] + P21i * gi[i];
                v[i] = active ? vn : v[i];
                ge[i] *= Pe;
                gi[i] *= Pi;
            }
            for (std::size_t i = 0; i < n; ++i)
                if (s - last[i] >= ref_steps && v[i] > V_th) spikes.push_back(static_cast<std::uint32_t>(i));
            for (auto j : spikes) {
                for (std::size_t k = row_e[j]; k < row_e[j + 1]; ++k) ge[tgt_e[k]] += w_e;
                for (std::size_t k = row_i[j]; k < row_i[j + 1]; ++k) gi[tgt_i[k]] += w_i;
            }
            for (auto j : spikes) {
                v[j] = V_reset;
                last[j] = s;
            }
            total += spikes.size();
        }
        return total;
    }
};

}  // namespace baseline

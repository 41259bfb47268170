#pragma once
// Two figure panels for a laminar probe: the LFP traces stacked by contact depth (scaled together
// to the largest, half-amplitude `spacing` um) and the CSD as a colour map (at most 500 columns,
// every stride-th sample), from `t_from` on; and the files both examples write. Used by the
// hybrid_brunel and cortical_column examples.
#include <brainweave/hybrid/scheme.hpp>
#include <brainweave/io/npy.hpp>
#include <brainweave/plot/svg.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace examples {

inline void add_laminar_panels(brainweave::plot::figure& fig, const brainweave::hybrid::hybrid_result& r, const std::string& method,
                               const std::vector<double>& depth, double t_from, double spacing) {
    const auto& t = r.time;
    std::size_t k0 = 0;
    while (k0 < t.size() && t[k0] < t_from) ++k0;
    const std::vector<double> tt(t.begin() + static_cast<long>(k0), t.end());
    const double scale = std::max(1e-30, r.total.lfp.rightCols(static_cast<Eigen::Index>(tt.size())).cwiseAbs().maxCoeff());
    auto& p = fig.add_panel(1.5).title("LFP, " + method + " (traces scaled to " + std::to_string(scale * 1e3).substr(0, 6) + " uV)")
                  .xlabel("time (ms)").ylabel("depth (um)");
    for (Eigen::Index c = 0; c < r.total.lfp.rows(); ++c) {
        std::vector<double> y(tt.size());
        for (std::size_t k = 0; k < tt.size(); ++k)
            y[k] = depth[static_cast<std::size_t>(c)] + spacing * r.total.lfp(c, static_cast<Eigen::Index>(k0 + k)) / scale;
        p.line(tt, y, "#1f77b4");
    }
    const Eigen::Index rows = r.total.csd.rows();  // image row 0 at the bottom: deepest volume first
    const std::size_t stride = (tt.size() + 499) / 500, cols = (tt.size() + stride - 1) / stride;
    std::vector<double> img;
    for (Eigen::Index v = rows - 1; v >= 0; --v)
        for (std::size_t k = 0; k < tt.size(); k += stride) img.push_back(r.total.csd(v, static_cast<Eigen::Index>(k0 + k)));
    fig.add_panel(1.2).title("CSD, " + method).xlabel("time (ms)").ylabel("depth (um)")
        .image(img, static_cast<std::size_t>(rows), cols, tt.front(), tt.back(), depth.back() - 50, depth.front() + 50, "nA/um^3");
}

/// Writes lfp.npy, csd.npy (per-cell method), lfp_kernel.npy, csd_kernel.npy (kernel method) and t.npy.
inline void save_laminar(const std::filesystem::path& out, const brainweave::hybrid::hybrid_result& full,
                         const brainweave::hybrid::hybrid_result& kernel) {
    brainweave::io::save_npy(out / "lfp.npy", full.total.lfp);
    brainweave::io::save_npy(out / "csd.npy", full.total.csd);
    brainweave::io::save_npy(out / "lfp_kernel.npy", kernel.total.lfp);
    brainweave::io::save_npy(out / "csd_kernel.npy", kernel.total.csd);
    brainweave::io::save_npy(out / "t.npy", {full.time.size()}, full.time.data());
}

}  // namespace examples

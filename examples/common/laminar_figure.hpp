#pragma once
// Two figure panels for a laminar probe (plot::laminar_lfp and plot::laminar_csd, from `t_from`
// on) and the files both examples write. Used by the hybrid_brunel and cortical_column examples.
#include <brainweave/hybrid/scheme.hpp>
#include <brainweave/io/npy.hpp>
#include <brainweave/plot/morphology.hpp>

#include <string>
#include <vector>

namespace examples {

inline void add_laminar_panels(brainweave::plot::figure& fig, const brainweave::hybrid::hybrid_result& r, const std::string& method,
                               const std::vector<double>& depth, double t_from, double spacing) {
    auto& lfp = brainweave::plot::laminar_lfp(fig.add_panel(1.5), r.time, r.total.lfp, depth, t_from, spacing);
    lfp.title(lfp.title_text() + ", " + method).xlabel("time (ms)");
    brainweave::plot::laminar_csd(fig.add_panel(1.2), r.time, r.total.csd, depth, t_from).title("CSD, " + method).xlabel("time (ms)");
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

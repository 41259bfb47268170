// Resting-state fMRI in the manner of TVB: the reduced Wong-Wang model (Deco et al. 2013) on
// every region of TVB's default connectome, linear coupling with delays at 4 mm/ms, noise on the
// synaptic gating S, and TVB's Bold monitor (FirstOrderVolterra HRF, TR = 2 s). Reports the
// functional connectivity (correlation of the BOLD signals of every pair of regions) and how well
// it follows the structural connectivity (correlation of the FC's and the weights' upper triangles),
// for a few global coupling strengths G.
//
//   example_resting_state [connectivity.zip] [output folder] [simulated seconds] [--nwb FILE]
//
// Writes bold_time.npy / bold_data.npy (TVB's layout), fc.npy and resting_state.svg (the BOLD
// signals stacked and the FC matrix) for G = 2.5; with --nwb
// (brainweave built with HDF5) also an NWB file holding that BOLD signal as a TimeSeries (0.5 Hz,
// region labels described), streamed as the simulation runs.
#include <brainweave/brainweave.hpp>
#include <brainweave/plot/region.hpp>
#include "../common/nwb_option.hpp"

#ifdef BRAINWEAVE_WITH_HDF5
#include <brainweave/io/nwb/file.hpp>
#endif

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace bw = brainweave;

int main(int argc, char** argv) try {
    const std::filesystem::path nwb_file = examples::take_nwb_option(argc, argv);
    const std::filesystem::path connectome = argc > 1 ? argv[1] : BRAINWEAVE_EXAMPLE_CONNECTOME;
    const std::filesystem::path out = argc > 2 ? argv[2] : "resting_state_output";
    const double seconds = argc > 3 ? std::atof(argv[3]) : 300.0;  // five minutes of activity
    if (!(seconds >= 30.0)) throw bw::config_error("simulated seconds must be >= 30 (the HRF alone spans 20 s)");

    const auto conn = bw::io::load_tvb_connectivity(connectome).with_speed(4.0);
    const double transient = 20000.0;  // ms: the BOLD ring fills over the HRF's 20 s

    using noise = bw::noise::additive<>;
    std::printf("brainweave %s: ReducedWongWang on %zu regions, %.0f s at dt = 0.5 ms, BOLD TR = 2 s\n\n",
                BRAINWEAVE_VERSION_STRING, conn.n_regions(), seconds);
    std::printf("|    G | BOLD samples | mean FC | corr(FC, SC) | wall time (s) |\n|---:|---:|---:|---:|---:|\n");
    Eigen::MatrixXd fc;
    for (double G : {1.0, 2.0, 2.5, 3.0, 4.0}) {
        noise nz;
        nz.nsig = {0.001};  // TVB's nsig: D in dX = ... + sqrt(2 D) dW
        nz.source = bw::noise::philox_normal(2013);
        auto sim = bw::make_simulator(bw::models::reduced_wong_wang{}, bw::coupling::linear{.a = G},
                                      bw::integrators::heun<noise>{.dt = 0.5, .noise = nz}, conn,
                                      bw::monitors::bold{.period = 2000.0});
        sim.set_random_history(11);
        const auto t0 = std::chrono::steady_clock::now();
#ifdef BRAINWEAVE_WITH_HDF5
        if (G == 2.5 && !nwb_file.empty()) {
            // Streamed: every 10 simulated seconds the new BOLD samples go to the file (and stay in the
            // monitor for the FC below; a long run would use nwb::drain, which also clears them).
            bw::nwb::file f(nwb_file, {.session_description = "resting state: ReducedWongWang, G = 2.5, TVB's 76-region "
                                                              "connectome, BOLD (TR = 2 s)"});
            bw::nwb::series_options o{.name = "bold", .unit = "a.u.", .rate_hz = 0.5};
            bw::nwb::describe_regions(o, "Bold", {"S"}, conn.region_labels);
            auto& series = f.add_time_series(o);
            std::size_t written = 0;
            for (double t = 0; t < seconds * 1000.0 - 1e-9; t += 10000.0) {
                sim.run(std::min(10000.0, seconds * 1000.0 - t));
                bw::nwb::append(series, sim.output<0>(), written);
                written = sim.output<0>().n_samples();
                f.flush();
            }
            f.close();
        } else {
            sim.run(seconds * 1000.0);
        }
#else
        sim.run(seconds * 1000.0);
#endif
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

        const auto& bold = sim.output<0>();
        fc = bw::analysis::functional_connectivity(bold, {.t_start = transient});
        double mean_fc = 0.0;
        const auto n = fc.rows();
        for (Eigen::Index i = 0; i < n; ++i)
            for (Eigen::Index j = i + 1; j < n; ++j) mean_fc += fc(i, j) / static_cast<double>(n * (n - 1) / 2);
        const double r = bw::analysis::upper_triangle_correlation(fc, conn.weights);
        std::printf("| %.2f | %zu | %.3f | %.3f | %.2f |\n", G, bold.n_samples(), mean_fc, r, wall);
        if (G == 2.5) {
            std::filesystem::create_directories(out);
            bold.save_npy(out, "bold");
            bw::io::save_npy(out / "fc.npy", {static_cast<std::size_t>(n), static_cast<std::size_t>(n)}, fc.data());
            bw::plot::figure fig(1000, 2000);
            bw::plot::stacked_series(fig.add_panel(1.0), bold.time, bw::plot::series(bold), conn.region_labels, {.t_from = transient, .each = true})
                .title("BOLD, G = 2.5 (after the 20 s transient; each region scaled to its range)").xlabel("time (ms)");
            bw::plot::matrix(fig.add_panel(1.1), fc, conn.region_labels, "correlation").title("functional connectivity (BOLD), G = 2.5");
            fig.save(out / "resting_state.svg");
        }
    }
    std::printf("\nBOLD, FC and resting_state.svg (G = 2.5) written to %s/\n", out.string().c_str());
    if (!nwb_file.empty()) std::printf("NWB (BOLD, G = 2.5): %s\n", nwb_file.string().c_str());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "example_resting_state: %s\n", e.what());
    return 1;
}

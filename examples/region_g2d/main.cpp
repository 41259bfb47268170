// Whole-brain simulation in the manner of TVB: a Generic2dOscillator on every region of TVB's
// default connectome, linear coupling with conduction delays at 4 mm/ms, stochastic Heun, and
// three monitors. Writes each monitor as <name>_time.npy / <name>_data.npy (TVB's layout), and two
// figures: region_g2d.svg (the regions' temporal averages, stacked) and connectome.svg (weights and
// tract lengths, drawn by plot(connectivity)).
//
//   example_region_g2d [connectivity.zip] [output folder]
#include <brainweave/brainweave.hpp>
#include <brainweave/plot/plot.hpp>

#include <cstdio>
#include <filesystem>

namespace bw = brainweave;

int main(int argc, char** argv) try {
    const std::filesystem::path connectome = argc > 1 ? argv[1] : BRAINWEAVE_EXAMPLE_CONNECTOME;
    const std::filesystem::path out = argc > 2 ? argv[2] : "region_g2d_output";

    auto conn = bw::io::load_tvb_connectivity(connectome).with_speed(4.0);

    using noise = bw::noise::additive<>;  // Philox-generated draws, seeded
    noise nz;
    nz.nsig = {0.001, 0.0};  // noise on V only
    nz.source = bw::noise::philox_normal(2026);

    auto sim = bw::make_simulator(bw::models::generic_2d_oscillator{},
                                  bw::coupling::linear{.a = 0.0152, .b = 0.0},
                                  bw::integrators::heun<noise>{.dt = 0.1, .noise = nz}, conn,
                                  bw::monitors::temporal_average{.period = 1.0},
                                  bw::monitors::spatial_average{.period = 1.0},  // hemispheres
                                  bw::monitors::global_average{.period = 1.0});
    sim.parameters().set("a", -1.5);  // every TVB parameter is settable by name, per node too
    sim.set_random_history(7);        // TVB's default: uniform in each variable's range

    sim.run(1000.0);  // ms

    std::filesystem::create_directories(out);
    sim.output<0>().save_npy(out, "temporalaverage");
    sim.output<1>().save_npy(out, "spatialaverage");
    sim.output<2>().save_npy(out, "globalaverage");

    const auto& ta = sim.output<0>();
    bw::plot::figure fig(1000, 1300);
    bw::plot::stacked_series(fig.add_panel(), ta.time, bw::plot::series(ta), conn.region_labels, {.t_from = 200.0})
        .title("Generic2dOscillator on 76 regions: temporal average of V (after 200 ms)")
        .xlabel("time (ms)");
    fig.save(out / "region_g2d.svg");
    bw::plot::plot(conn).save(out / "connectome.svg");

    double lo = 1e300, hi = -1e300;
    for (std::size_t i = 0; i < ta.n_space; ++i) {
        lo = std::min(lo, ta(ta.n_samples() - 1, 0, i));
        hi = std::max(hi, ta(ta.n_samples() - 1, 0, i));
    }
    std::printf("brainweave %s: %zu regions, %zu temporal-average samples (t = %.1f .. %.1f ms)\n",
                BRAINWEAVE_VERSION_STRING, conn.n_regions(), ta.n_samples(), ta.time.front(), ta.time.back());
    std::printf("V at the last sample ranges over [%.4f, %.4f]; hemispheres: %.4f (left) %.4f (right)\n", lo, hi,
                sim.output<1>()(sim.output<1>().n_samples() - 1, 0, 0),
                sim.output<1>()(sim.output<1>().n_samples() - 1, 0, 1));
    std::printf("outputs written to %s/ (npy files, region_g2d.svg, connectome.svg)\n", out.string().c_str());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "example_region_g2d: %s\n", e.what());
    return 1;
}

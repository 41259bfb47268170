// A stimulus spreading on the cortical surface: a neural field (the damped wave equation of Jirsa &
// Haken and Robinson, models/damped_wave_field.hpp) on the 16 384 vertices of TVB's cortex, its
// Laplacian from the mesh (surface/laplace_beltrami.hpp), long-range coupling through the
// 76-region connectome (region means, 4 mm/ms), and a 2 ms pulse on a Gaussian patch of the left
// lateral cortex. The pulse starts a ring that travels outwards at about gamma r = 3 mm/ms and
// fades as exp(-gamma t). Writes the field every millisecond and its region averages (TVB's layout,
// .npy), prints how far the ring has gone, and draws surface_stimulus.svg: the evoked field (the
// run minus one without the stimulus) on the left hemisphere, seen from the left at four times.
//
//   example_surface_stimulus [surfaces folder] [connectivity.zip] [output folder] [duration ms]
#include <brainweave/brainweave.hpp>
#include <brainweave/plot/plot.hpp>
#include <brainweave/surface.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>

namespace bw = brainweave;

int main(int argc, char** argv) try {
    const std::filesystem::path surfaces = argc > 1 ? argv[1] : BRAINWEAVE_EXAMPLE_SURFACES;
    const std::filesystem::path connectome = argc > 2 ? argv[2] : BRAINWEAVE_EXAMPLE_CONNECTOME;
    const std::filesystem::path out = argc > 3 ? argv[3] : "surface_stimulus_output";
    const double duration = argc > 4 ? std::stod(argv[4]) : 40.0;

    const auto cortex = bw::io::load_tvb_surface(surfaces / "cortex_16384.zip");
    const auto conn = bw::io::load_tvb_connectivity(connectome).with_speed(4.0);
    const auto regions = bw::io::load_region_mapping(surfaces / "regionMapping_16k_76.txt", cortex.n_vertices(), conn.n_regions());
    const std::size_t nv = cortex.n_vertices();

    // The stimulus: a Gaussian patch (sigma 5 mm of geodesic distance) around the left
    // hemisphere's most lateral vertex (the farthest along the direction from the brain's centre
    // to the left hemisphere's).
    std::vector<char> left(nv);
    Eigen::Vector3d centre = Eigen::Vector3d::Zero(), left_centre = Eigen::Vector3d::Zero();
    double n_left = 0;
    for (std::size_t v = 0; v < nv; ++v) {
        const Eigen::Vector3d p = cortex.vertices.row(static_cast<Eigen::Index>(v)).transpose();
        left[v] = !conn.hemispheres[static_cast<std::size_t>(regions[v])];
        centre += p / static_cast<double>(nv);
        if (left[v]) left_centre += p, n_left += 1;
    }
    const Eigen::Vector3d lateral = (left_centre / n_left - centre).normalized();
    int focus = -1;
    for (std::size_t v = 0; v < nv; ++v)
        if (left[v] && (focus < 0 || cortex.vertices.row(static_cast<Eigen::Index>(v)).dot(lateral) >
                                         cortex.vertices.row(focus).dot(lateral)))
            focus = static_cast<int>(v);
    bw::surface::geodesic_solver geodesic(cortex);
    std::vector<double> distance(nv, INFINITY);
    for (const auto& [v, d] : geodesic.from(focus, 300.0)) distance[static_cast<std::size_t>(v)] = d;
    bw::stimuli::region_stimulus stim;
    stim.weight.resize(nv);
    for (std::size_t v = 0; v < nv; ++v) stim.weight[v] = std::exp(-distance[v] * distance[v] / (2 * 5.0 * 5.0));
    stim.temporal = bw::equations::pulse_train{.T = 1e9, .tau = 2.0, .amp = 0.25, .onset = 0.0};

    // Two runs: with the stimulus, and without it (the ongoing activity, which the long-range input
    // moves away from 1/2); the figure and the printout show their difference, the evoked field.
    using field = bw::models::damped_wave_field;
    auto make = [&] {
        auto sim = bw::make_surface_simulator(
            field{}, bw::coupling::linear{.a = 0.0152}, bw::integrators::heun<>{.dt = 0.1}, conn, regions,
            bw::monitors::sub_sample{.period = 1.0, .variables_of_interest = {0}},
            bw::monitors::spatial_average{.period = 1.0, .default_mask = "region_mapping"});
        sim.parameters().set("gamma", 0.05);  // 1/ms
        sim.parameters().set("r", 60.0);      // mm: waves at gamma r = 3 mm/ms
        sim.set_local_coupling(bw::surface::laplace_beltrami(cortex));
        sim.set_threads(0);  // every hardware thread; the result does not depend on it
        // Start from phi = S(0) = 1/2 everywhere, psi = 0.
        std::vector<double> rest(2 * nv, 0.0);
        std::fill(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(nv), 0.5);
        std::vector<double> history;
        for (std::size_t t = 0; t < sim.horizon(); ++t) history.insert(history.end(), rest.begin(), rest.end());
        sim.set_history(history, sim.horizon());
        return sim;
    };
    auto sim = make(), ongoing = make();
    sim.set_stimulus(stim);
    const double t0 = sim.current_time();
    sim.run(duration);
    ongoing.run(duration);
    const auto& base = ongoing.output<0>();

    std::filesystem::create_directories(out);
    const auto& phi = sim.output<0>();
    phi.save_npy(out, "subsample");
    sim.output<1>().save_npy(out, "regionaverage");

    // Where the ring is: the geodesic distance from the focus of the vertex with the largest
    // evoked field, every 5 ms.
    std::printf("surface_stimulus: damped wave field on %zu vertices, %zu regions; %.0f ms\n", nv, conn.n_regions(), duration);
    for (std::size_t k = 0; k < phi.n_samples(); ++k) {
        const double t = phi.time[k] - t0;
        if (std::lround(t) % 5 != 0) continue;
        double peak = 0, at = 0;
        for (std::size_t v = 0; v < nv; ++v)
            if (left[v] && std::isfinite(distance[v]) && std::abs(phi(k, 0, v) - base(k, 0, v)) > peak)
                peak = std::abs(phi(k, 0, v) - base(k, 0, v)), at = distance[v];
        std::printf("  t = %3.0f ms: largest evoked |phi| %.4f at %5.1f mm from the focus\n", t, peak, at);
    }

    // The left hemisphere from the left at four times, on one colour scale.
    bw::plot::figure fig(900, 1500);
    fig.title("Damped wave field on TVB's 16k cortex: the field evoked by a 2 ms pulse on the left lateral cortex");
    for (double t : {3.0, 10.0, 20.0, 30.0}) {
        if (t > duration) break;
        std::size_t k = 0;  // the sample at t
        while (k + 1 < phi.n_samples() && phi.time[k] - t0 < t - 1e-9) ++k;
        std::vector<double> frame(nv);
        for (std::size_t v = 0; v < nv; ++v) frame[v] = phi(k, 0, v) - base(k, 0, v);
        char title[64];
        std::snprintf(title, sizeof title, "t = %.0f ms", phi.time[k] - t0);
        auto& p = fig.add_panel().title(title).xlabel("mm").ylabel("mm").colours(bw::plot::colour_map::diverging).clim(-0.06, 0.06);
        bw::plot::surface_activity(p, cortex, frame, {.toward = lateral, .up = {0.0, 0.0, 1.0}}, left, "evoked phi");
    }
    fig.save(out / "surface_stimulus.svg");
    std::printf("wrote %s\n", (out / "surface_stimulus.svg").string().c_str());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "example_surface_stimulus: %s\n", e.what());
    return 1;
}

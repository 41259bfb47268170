// EEG, MEG and sEEG from a whole-brain simulation: a Generic2dOscillator on TVB's default
// connectome (76 regions) observed through TVB's analytic region lead fields for the sensor sets
// shipped with tvb-data (65 EEG electrodes, 276 MEG channels, 588 sEEG contacts). EEG is
// average-referenced. Writes <eeg|meg|ieeg>_time.npy / _data.npy, the gain matrices, and eeg_meg.svg
// (the EEG channels and the first 40 MEG channels, stacked).
//
//   example_eeg_meg [connectivity.zip] [sensors folder] [output folder]
#include <brainweave/brainweave.hpp>
#include <brainweave/plot/region.hpp>

#include <cstdio>
#include <filesystem>

namespace bw = brainweave;
namespace fw = bw::forward;

int main(int argc, char** argv) try {
    const std::filesystem::path connectome = argc > 1 ? argv[1] : BRAINWEAVE_EXAMPLE_CONNECTOME;
    const std::filesystem::path sensor_dir = argc > 2 ? argv[2] : BRAINWEAVE_EXAMPLE_SENSORS;
    const std::filesystem::path out = argc > 3 ? argv[3] : "eeg_meg_output";

    const auto conn = bw::io::load_tvb_connectivity(connectome).with_speed(4.0);
    const auto eeg_sensors = bw::io::load_sensors(sensor_dir / "eeg_brainstorm_65.txt");
    const auto meg_sensors = bw::io::load_sensors(sensor_dir / "meg_brainstorm_276.txt");
    const auto seeg_sensors = bw::io::load_sensors(sensor_dir / "seeg_588.txt");

    const double period = 1000.0 / 256.0;  // 256 Hz
    auto sim = bw::make_simulator(
        bw::models::generic_2d_oscillator{}, bw::coupling::linear{.a = 0.0152},
        bw::integrators::heun<>{.dt = 0.1}, conn,
        bw::monitors::eeg{.period = period, .gain = fw::region_gain(fw::modality::eeg, eeg_sensors, conn),
                          .reference = "average", .sensor_labels = eeg_sensors.labels, .variables_of_interest = {0}},
        bw::monitors::meg{.period = period, .gain = fw::region_gain(fw::modality::meg, meg_sensors, conn),
                          .variables_of_interest = {0}},
        bw::monitors::ieeg{.period = period, .gain = fw::region_gain(fw::modality::seeg, seeg_sensors, conn),
                           .variables_of_interest = {0}});
    sim.set_random_history(5);
    sim.run(2000.0);

    std::filesystem::create_directories(out);
    const char* names[] = {"eeg", "meg", "ieeg"};
    const bw::monitor_output* outs[] = {&sim.output<0>(), &sim.output<1>(), &sim.output<2>()};
    std::printf("brainweave %s: Generic2dOscillator on %zu regions, 2 s, sensors sampled at 256 Hz\n\n",
                BRAINWEAVE_VERSION_STRING, conn.n_regions());
    std::printf("| signal | channels | samples | min | max |\n|---|---:|---:|---:|---:|\n");
    for (int k = 0; k < 3; ++k) {
        const auto& o = *outs[k];
        o.save_npy(out, names[k]);
        double lo = 1e300, hi = -1e300;
        for (double v : o.data) lo = std::min(lo, v), hi = std::max(hi, v);
        std::printf("| %s | %zu | %zu | %.4g | %.4g |\n", names[k], o.n_space, o.n_samples(), lo, hi);
    }
    bw::plot::figure fig(1000, 1900);
    bw::plot::stacked_series(fig.add_panel(), outs[0]->time, bw::plot::series(*outs[0]), eeg_sensors.labels, {.t_from = 250.0, .max_labels = 65})
        .title("EEG (65 channels, average reference), after 250 ms").xlabel("time (ms)");
    const Eigen::MatrixXd meg = bw::plot::series(*outs[1]).leftCols(40);
    const std::vector<std::string> meg_labels(meg_sensors.labels.begin(), meg_sensors.labels.begin() + 40);
    bw::plot::stacked_series(fig.add_panel(), outs[1]->time, meg, meg_labels, {.t_from = 250.0, .colour = "#7b2d26"}).title("MEG (first 40 of 276 channels)").xlabel("time (ms)");
    fig.save(out / "eeg_meg.svg");
    std::printf("\noutputs written to %s/ (npy files and eeg_meg.svg)\n", out.string().c_str());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "example_eeg_meg: %s\n", e.what());
    return 1;
}

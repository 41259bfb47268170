// The flagship: a whole-brain ReducedWongWangExcInh model on TVB's 76-region connectome in which
// two regions are spiking networks of 800 excitatory + 200 inhibitory iaf_cond_alpha neurons,
// coupled both ways (tvb-multiscale's TVB-NEST set-up, in one C++ program). See README.md.
//
//   example_multiscale [connectivity.zip] [output folder] [duration ms] [neurons per region] [--nwb FILE]
//
// Writes region_tavg_{time,data}.npy (TemporalAverage 1 ms of S_e, S_i, TVB's layout),
// spikes_<population>_{i,t}.npy per population, and multiscale.svg (raster, rates, regions).
// With --nwb (brainweave built with HDF5), the run also streams into one NWB file: the region
// TimeSeries and every spike in the Units table (population and region columns), flushed after
// each tenth of the run.
#include "multiscale_model.hpp"

#include "../common/nwb_option.hpp"

#ifdef BRAINWEAVE_WITH_HDF5
#include <brainweave/io/nwb/file.hpp>
#endif

#include <brainweave/io/spike_files.hpp>
#include <brainweave/plot/spiking.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace {
using namespace flagship;

/// Spike trains of the four populations, for the figure and the files.
struct recorded {
    std::string name;
    const sp::spike_recorder* spikes;
    std::size_t size;
};

void write_figure(const std::filesystem::path& file, const std::vector<recorded>& pops, const bw::monitor_output& tavg,
                  const bw::connectivity& conn, const std::array<std::size_t, 2>& proxies, double dt, double duration) {
    bw::plot::figure fig(1100, 1050);
    fig.title("brainweave multiscale: ReducedWongWangExcInh on 76 regions, " + conn.region_labels[proxies[0]] + " and " +
              conn.region_labels[proxies[1]] + " as spiking E/I networks");
    // Raster: the first 150 E and 50 I neurons of each spiking region, one band per population.
    std::vector<std::vector<double>> times;
    for (const auto& p : pops) times.push_back(p.spikes->times(dt));
    std::vector<bw::plot::spike_group> groups;
    for (std::size_t p = 0; p < pops.size(); ++p)
        groups.push_back({pops[p].name, pops[p].spikes->senders(), times[p], pops[p].size, p % 2 == 0 ? "#1f77b4" : "#d62728",
                          std::size_t{p % 2 == 0 ? 150u : 50u}});
    bw::plot::raster(fig.add_panel(1.6), groups, 0.0, duration).title("Spikes (150 E + 50 I neurons shown per region)").xlabel("time (ms)");
    // Population rates, Gaussian window of 5 ms (times in s for Hz).
    auto& rates = fig.add_panel(1.0).title("Population rates (Gaussian window, sigma = 5 ms)").xlabel("time (s)");
    for (std::size_t p = 0; p < pops.size(); ++p)
        bw::plot::population_rate(rates, pops[p].spikes->times(dt / 1000.0), pops[p].size, 0.0, duration / 1000.0, 1e-3,
                                  bw::plot::smoothing::gaussian, 5e-3, bw::plot::palette(p), pops[p].name);
    // S_e of the spiking regions and of the regions most strongly connected to them.
    auto& se = fig.add_panel(1.0).title("Region activity S_e (TemporalAverage, 1 ms)").xlabel("time (ms)").ylabel("S_e");
    std::vector<std::size_t> shown{proxies[0], proxies[1]};
    for (std::size_t k = 0; k < 2; ++k) {
        Eigen::Index best = 0;
        conn.weights.row(static_cast<Eigen::Index>(proxies[k])).maxCoeff(&best);
        if (std::find(shown.begin(), shown.end(), static_cast<std::size_t>(best)) == shown.end())
            shown.push_back(static_cast<std::size_t>(best));
    }
    std::vector<double> t0(tavg.time.begin(), tavg.time.end());
    for (auto& t : t0) t -= tavg.time.front() - 1.0;  // time since the start of the run
    for (std::size_t k = 0; k < shown.size(); ++k) {
        std::vector<double> y(tavg.n_samples());
        for (std::size_t s = 0; s < y.size(); ++s) y[s] = tavg(s, 0, shown[k]);
        se.line(t0, y, bw::plot::palette(k), conn.region_labels[shown[k]] + (k < 2 ? " (spiking)" : ""), k < 2 ? 1.8 : 1.0);
    }
    se.xlim(0, duration);
    // All regions: S_e in 25 ms bins.
    auto& map = fig.add_panel(1.3).title("S_e of all 76 regions (25 ms bins)").xlabel("time (ms)").ylabel("region");
    const std::size_t bin = 25, cols = std::max<std::size_t>(1, tavg.n_samples() / bin), rows = tavg.n_space;
    std::vector<double> img(rows * cols, 0.0);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            for (std::size_t s = c * bin; s < (c + 1) * bin; ++s) img[r * cols + c] += tavg(s, 0, r) / static_cast<double>(bin);
        }
    map.image(img, rows, cols, 0, static_cast<double>(cols * bin), 0, static_cast<double>(rows), "S_e");
    map.yticks({static_cast<double>(proxies[0]) + 0.5, static_cast<double>(proxies[1]) + 0.5},
               {conn.region_labels[proxies[0]] + " >", conn.region_labels[proxies[1]] + " >"});
    fig.save(file);
}
}  // namespace

/// Appends what the run produced since the last call to the NWB file (the recorders keep their
/// contents for the figure; a long run would drain them instead, see docs/output_files.md).
class nwb_stream {
public:
#ifdef BRAINWEAVE_WITH_HDF5
    nwb_stream(const std::filesystem::path& path, const std::vector<recorded>& pops, const settings& s,
               const bw::connectivity& conn, const std::array<std::size_t, 2>& proxies)
        : pops_(pops), file_(std::make_unique<bw::nwb::file>(path, bw::nwb::file_info{
                                                                     .session_description = "brainweave multiscale flagship: ReducedWongWangExcInh on 76 regions, two regions as spiking E/I networks"})) {
        bw::nwb::series_options o{.name = "region_tavg", .unit = "a.u.", .rate_hz = 1000.0};
        bw::nwb::describe_regions(o, "TemporalAverage", {"S_e", "S_i"}, conn.region_labels);
        tavg_ = &file_->add_time_series(o);
        auto& units = file_->units();
        units.set_resolution(s.dt * 1e-3);
        for (std::size_t p = 0; p < pops.size(); ++p)
            unit_pop_.push_back(units.add_population(pops[p].name, pops[p].size, conn.region_labels[proxies[p / 2]]));
        written_.assign(pops.size(), 0);
    }
    void write(const bw::monitor_output& tavg, double dt) {
        bw::nwb::append(*tavg_, tavg, samples_);
        samples_ = tavg.n_samples();
        for (std::size_t p = 0; p < pops_.size(); ++p) {
            const auto& r = *pops_[p].spikes;
            std::vector<double> t;
            for (std::size_t k = written_[p]; k < r.size(); ++k) t.push_back(static_cast<double>(r.steps()[k]) * dt * 1e-3);
            file_->units().append(unit_pop_[p], std::span(r.senders()).subspan(written_[p]), t);
            written_[p] = r.size();
        }
        file_->flush();
    }
    void close() { file_->close(); }

private:
    const std::vector<recorded>& pops_;
    std::unique_ptr<bw::nwb::file> file_;
    bw::nwb::series* tavg_ = nullptr;
    std::vector<std::size_t> unit_pop_, written_;
    std::size_t samples_ = 0;
#else  // take_nwb_option refuses --nwb without HDF5
    nwb_stream(const std::filesystem::path&, const std::vector<recorded>&, const settings&, const bw::connectivity&,
               const std::array<std::size_t, 2>&) {}
    void write(const bw::monitor_output&, double) {}
    void close() {}
#endif
};

int main(int argc, char** argv) try {
    settings s;
    const std::filesystem::path nwb_file = examples::take_nwb_option(argc, argv);
    const std::string connectome = argc > 1 ? argv[1] : BRAINWEAVE_EXAMPLE_CONNECTOME;
    const std::filesystem::path out = argc > 2 ? argv[2] : "multiscale_output";
    if (argc > 3) s.duration = std::atof(argv[3]);
    if (argc > 4) {
        const double n = std::atof(argv[4]);
        if (!(n >= 10)) throw bw::config_error("neurons per region must be >= 10");
        s.n_exc = static_cast<std::size_t>(0.8 * n);
        s.n_inh = static_cast<std::size_t>(n) - s.n_exc;
    }
    if (!(s.duration > 0)) throw bw::config_error("duration must be > 0 ms");

    const auto wall0 = std::chrono::steady_clock::now();
    std::array<std::size_t, 2> proxies{};
    const auto conn = load_connectome(connectome, s, proxies);
    auto sim = make_region_sim(conn, s);
    auto net = make_network(s);
    auto side = make_side(net, s, proxies);
    std::vector<recorded> pops;
    for (std::size_t k = 0; k < 2; ++k) {
        pops.push_back({exc_name(s, k), &net.record_spikes(exc_name(s, k)), s.n_exc});
        pops.push_back({inh_name(s, k), &net.record_spikes(inh_name(s, k)), s.n_inh});
    }
    bw::cosim::cosimulator co(sim, side, s.t_sync);
    std::unique_ptr<nwb_stream> nwb;
    if (!nwb_file.empty()) nwb = std::make_unique<nwb_stream>(nwb_file, pops, s, conn, proxies);
    const auto m = net.memory();
    std::printf("brainweave %s multiscale: %zu regions (ReducedWongWangExcInh), spiking: %s and %s, %zu neurons, %zu synapses\n",
                BRAINWEAVE_VERSION_STRING, conn.n_regions(), s.spiking_regions[0].c_str(), s.spiking_regions[1].c_str(),
                m.neurons, m.synapses);
    std::printf("T_sync = %.1f ms (%zu steps; shortest delay into or out of a spiking region %.1f ms), %g ms to simulate\n",
                static_cast<double>(co.window()) * s.dt, co.window(), static_cast<double>(co.min_proxy_delay()) * s.dt,
                s.duration);
    std::fflush(stdout);

    double next_report = 0.0;
    const double t_start = sim.current_time();
    co.run(s.duration, [&](double t) {
        const double done = t - t_start;
        if (done + 1e-9 < next_report && done + 1e-9 < s.duration) return;
        next_report += s.duration / 10;
        if (nwb) nwb->write(sim.output<0>(), s.dt);
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
        std::printf("  t = %7.1f ms (%3.0f%%)  %5.1f s  spikes: %zu  S_e[%s] = %.3f\n", done, 100 * done / s.duration, secs,
                    pops[0].spikes->size() + pops[1].spikes->size() + pops[2].spikes->size() + pops[3].spikes->size(),
                    s.spiking_regions[0].c_str(), sim.state()[proxies[0]]);
        std::fflush(stdout);
    });
    co.finish();
    if (nwb) {
        nwb->write(sim.output<0>(), s.dt);
        nwb->close();
        std::printf("NWB: %s\n", nwb_file.string().c_str());
    }

    std::filesystem::create_directories(out);
    sim.output<0>().save_npy(out, "region_tavg");
    for (const auto& p : pops) {
        std::string file = "spikes_" + p.name;
        std::replace(file.begin(), file.end(), ' ', '_');
        bw::io::save_spikes_npy(out, p.spikes->senders(), p.spikes->times(s.dt), file);
    }
    write_figure(out / "multiscale.svg", pops, sim.output<0>(), conn, proxies, s.dt, s.duration);

    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    for (const auto& p : pops)
        std::printf("%-10s mean rate %6.2f Hz\n", p.name.c_str(),
                    static_cast<double>(p.spikes->size()) / static_cast<double>(p.size) / (s.duration / 1000.0));
    std::printf("simulated %.0f ms in %.1f s; outputs in %s/ (region_tavg_*.npy, spikes_*.npy, multiscale.svg)\n", s.duration,
                secs, out.string().c_str());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "example_multiscale: %s\n", e.what());
    return 1;
}

// The CUBA network of Vogels & Abbott (2005) as in Brian 2's example: 4000 leaky integrate-and-fire
// neurons (3200 excitatory, 800 inhibitory) with exponential current-based synapses whose
// variables are voltages, 2 % random connectivity, exact integration, dt = 0.1 ms.
//
//   example_cuba [output folder] [duration ms]
//
// Writes <output>/spike_i.npy, spike_t.npy (seconds, as Brian) and spikes.txt, two figures -
// cuba.svg (raster, population rates smoothed as brian2tools' plot_rate, membrane potentials) and
// cuba_synapses.svg (the connectivity as a hexbin, a scatter and a connection matrix, chosen by
// brian2tools' heuristic from the synapses shown) - and prints the firing rates, the mean CV of
// inter-spike intervals and the Fano factor.
#include <brainweave/analysis/spike_statistics.hpp>
#include <brainweave/io/spike_files.hpp>
#include <brainweave/plot/plot.hpp>
#include <brainweave/spiking.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

namespace bw = brainweave;
namespace sp = bw::spiking;

int main(int argc, char** argv) try {
    const std::filesystem::path out = argc > 1 ? argv[1] : "cuba_output";
    const double duration = argc > 2 ? std::atof(argv[2]) : 1000.0;

    // Brian's equations: dv/dt = (ge + gi - (v - El))/taum, i.e. iaf_psc_exp with C_m = tau_m (R = 1);
    // ge, gi in mV, taum 20 ms, taue 5 ms, taui 10 ms, threshold -50 mV, reset -60 mV, El -49 mV,
    // refractory 5 ms; we = 1.62 mV, wi = -9 mV.
    sp::models::iaf_psc_parameters p{.E_L = -49.0, .C_m = 20.0, .tau_m = 20.0, .t_ref = 5.0, .V_th = -50.0,
                                     .V_reset = -60.0, .tau_syn_ex = 5.0, .tau_syn_in = 10.0, .I_e = 0.0};
    using lif = sp::population<sp::models::iaf_psc_exp>;
    sp::network net(0.1, lif("E", 3200, p), lif("I", 800, p));
    // Initial potentials uniform in [V_reset, V_th), as in Brian's example.
    std::mt19937_64 rng(2005);
    std::uniform_real_distribution<double> u(p.V_reset, p.V_th);
    for (auto* g : {&net.group<0>(), &net.group<1>()}) {
        std::vector<double> v(g->size());
        for (auto& x : v) x = u(rng);
        g->set("V_m", v);
    }
    const sp::rules::fixed_probability two_percent{.p = 0.02};
    std::uint64_t seed = 1;
    for (const char* post : {"E", "I"}) {
        net.connect("E", post, two_percent, {.weight = {1.62}, .receptor = "ex"}, seed++);
        net.connect("I", post, two_percent, {.weight = {-9.0}, .receptor = "in"}, seed++);
    }
    auto& se = net.record_spikes("E");
    auto& si = net.record_spikes("I");
    auto& vm = net.record_state("E", {"V_m"}, {0, 1, 2});

    const auto t0 = std::chrono::steady_clock::now();
    net.run(duration);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    // One spike list for the whole network (inhibitory neurons numbered after the excitatory ones).
    std::vector<std::uint32_t> who(se.senders());
    for (auto i : si.senders()) who.push_back(i + 3200);
    std::vector<double> t_s = se.times(net.dt() / 1000.0), ti = si.times(net.dt() / 1000.0);
    t_s.insert(t_s.end(), ti.begin(), ti.end());
    bw::io::save_spikes_npy(out, who, t_s);
    std::vector<double> t_ms(t_s.size());
    for (std::size_t k = 0; k < t_ms.size(); ++k) t_ms[k] = t_s[k] * 1000.0;
    bw::io::save_spikes_text(out / "spikes.txt", who, t_ms);

    // Figures.
    namespace plot = bw::plot;
    bw::plot::figure fig(1000, 1100);
    const auto te = se.times(net.dt()), tin = si.times(net.dt());
    const std::vector<plot::spike_group> groups{{"E", se.senders(), te, 3200, "", 400}, {"I", si.senders(), tin, 800, "", 100}};
    plot::raster(fig.add_panel(1.4), groups, 0.0, duration).title("spikes of the first 400 E and 100 I neurons").xlabel("time (ms)");
    auto& rates = fig.add_panel(0.8).title("population rates (Gaussian window, sd 2 ms)").xlabel("time (s)");
    plot::population_rate(rates, se.times(net.dt() / 1000.0), 3200, 0.0, duration / 1000.0, 1e-4, plot::smoothing::gaussian, 2e-3, "", "E");
    plot::population_rate(rates, ti, 800, 0.0, duration / 1000.0, 1e-4, plot::smoothing::gaussian, 2e-3, "", "I");
    std::vector<double> tv;
    for (auto s : vm.steps()) tv.push_back(static_cast<double>(s) * net.dt());
    plot::state_traces(fig.add_panel(0.8), tv, {vm.trace(0, 0), vm.trace(0, 1), vm.trace(0, 2)}, "V_m", "mV",
                       {"E 0", "E 1", "E 2"})
        .title("membrane potential").xlabel("time (ms)");
    fig.save(out / "cuba.svg");
    // Synapses: every E -> E synapse (hexbin), all E sources onto 40 E targets (scatter), and
    // E and I sources around the boundary onto 60 E targets, coloured by weight (image).
    const auto ee = plot::synapses_of(net.projections()[0]), ie = plot::synapses_of(net.projections()[1]);
    plot::synapse_table few, around;
    for (std::size_t k = 0; k < ee.sources.size(); ++k) {
        if (ee.targets[k] < 40) few.sources.push_back(ee.sources[k]), few.targets.push_back(ee.targets[k]);
        if (ee.targets[k] < 60 && ee.sources[k] >= 3140)
            around.sources.push_back(ee.sources[k]), around.targets.push_back(ee.targets[k]), around.weights.push_back(ee.weights[k]);
    }
    for (std::size_t k = 0; k < ie.sources.size(); ++k)
        if (ie.targets[k] < 60 && ie.sources[k] < 60)
            around.sources.push_back(ie.sources[k] + 3200), around.targets.push_back(ie.targets[k]), around.weights.push_back(ie.weights[k]);
    plot::figure syn(900, 1700);
    plot::synapses(syn.add_panel(), ee.sources, ee.targets).title("E -> E: every synapse (hexagonal bins)");
    plot::synapses(syn.add_panel(0.6), few.sources, few.targets).title("E -> E: onto the first 40 targets (scatter)");
    plot::synapses(syn.add_panel(), around.sources, around.targets, around.weights, "weight (mV)")
        .title("E and I (from 3200) neurons 3140-3259 onto the first 60 E targets (matrix)")
        .colours(plot::colour_map::diverging);
    syn.save(out / "cuba_synapses.svg");

    const auto mem = net.memory();
    const double T = duration / 1000.0;
    std::vector<std::int32_t> who32(who.begin(), who.end());
    std::printf("CUBA: 4000 neurons, %zu synapses (%.1f bytes each), %.0f ms simulated in %.3f s\n", mem.synapses,
                mem.bytes_per_synapse(), duration, wall);
    std::printf("  rate: excitatory %.2f Hz, inhibitory %.2f Hz\n", static_cast<double>(se.size()) / 3200 / T,
                static_cast<double>(si.size()) / 800 / T);
    std::printf("  mean CV of ISI %.3f, Fano factor (10 ms bins) %.2f\n", bw::analysis::mean_cv_isi(who32, t_s, 4000),
                T >= 0.01 ? bw::analysis::fano_factor(t_s, 0.0, T, 0.01) : 0.0);
    std::printf("  written to %s (spike_i.npy, spike_t.npy, spikes.txt, cuba.svg, cuba_synapses.svg)\n", out.string().c_str());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "example_cuba: %s\n", e.what());
    return 1;
}

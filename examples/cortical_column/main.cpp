// A scaled-down cortical column after Hagen et al. (2016): the Potjans & Diesmann (2014) cortical
// microcircuit of point neurons (8 populations, L2/3 to L6, excitatory and inhibitory) drives
// populations of the detailed, layer-stretched morphologies of Hagen et al.'s model; their
// transmembrane currents give the laminar LFP and CSD of the column (16 contacts, 100 um apart).
//
// Network (Potjans & Diesmann 2014): in-degrees K = -ln(1 - P) N_pre of the full model
// (connection probabilities P of their Table 5); iaf_psc_exp (C_m 250 pF, tau_m 10 ms, t_ref 2 ms,
// E_L = V_reset = -65 mV, V_th = -50 mV, tau_syn 0.5 ms); w = 87.8 pA, g = -4, L4E -> L2/3E 2w;
// delays 1.5 ms (excitatory) and 0.75 ms (inhibitory) (the means of the original's distributions);
// Poisson background at 8 Hz from K_ext sources; initial V_m normal(-58, 10) mV. Scaled down as
// van Albada et al. (2015) and NEST's microcircuit example do: sizes and in-degrees (also K_ext)
// times `scale`, weights / sqrt(scale), and a DC current per population that restores the mean
// input, computed from the full model's mean rates (NEST's example: 0.943, 3.026, 4.368, 5.882,
// 7.733, 8.664, 1.096, 7.851 Hz).
// Cells (Hagen et al. 2016): one morphology per network population (examples/cortical_column/
// morphologies, GPL-3 as hybridLFPy's examples: LICENSE.txt there), somata in a cylinder of
// radius 564 um (1 mm^2) at depths where the pyramidal cells' apical dendrites reach the pia
// (interneurons: the middle of their layer); passive (Ra 150 ohm cm, cm 1 uF/cm2, rm 20000 ohm cm2).
// Layers L1, L2/3, L4, L5, L6 with the model's boundaries. A cell of population Y receives from
// network population X the full model's in-degree K_YX (presynaptic neurons drawn from the scaled
// network, so each cell gets the full model's mean input), spread over the layers as Binzegger et al.
// (2004) count the synapses of Y's cell types from X's cell types in each layer (the table
// binzegger_connectivity_table.json of hybridLFPy's example); weights and delays as in the network,
// exponential current synapses of 0.5 ms.
//
//   example_cortical_column [output folder] [duration ms] [network scale] [cells per population]
//                           [threads] [morphology folder]
//
// Prints what fraction of the full model (77 169 neurons, and as many cells) it runs; writes
// lfp.npy, csd.npy, lfp_kernel.npy, csd_kernel.npy, t.npy, cortical_column.svg and
// cortical_column_cells.svg (the morphologies and a dendrogram).
#include "../common/laminar_figure.hpp"

#include <brainweave/io/archive.hpp>
#include <brainweave/io/npy.hpp>
#include <brainweave/lfp.hpp>
#include <brainweave/plot/spiking.hpp>
#include <brainweave/plot/morphology.hpp>
#include <brainweave/spiking.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <thread>

namespace bw = brainweave;
namespace sp = bw::spiking;
namespace mc = bw::multicompartment;
namespace hy = bw::hybrid;

namespace {

constexpr std::size_t n_pop = 8;
const std::array<const char*, n_pop> names{"L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"};
const std::array<double, n_pop> n_full{20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948};
// Connection probabilities (target row, source column), Potjans & Diesmann 2014, Table 5.
const double P[n_pop][n_pop] = {{0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0},
                                {0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0},
                                {0.0077, 0.0059, 0.0497, 0.1350, 0.0067, 0.0003, 0.0453, 0.0},
                                {0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0},
                                {0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0},
                                {0.0548, 0.0269, 0.0257, 0.0022, 0.0600, 0.3158, 0.0086, 0.0},
                                {0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252},
                                {0.0364, 0.0010, 0.0034, 0.0005, 0.0277, 0.0080, 0.0658, 0.1443}};
const std::array<double, n_pop> k_ext{1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100};
const double w_pA = 87.8, g = -4.0, bg_rate = 8.0, tau_syn = 0.5;
const std::array<double, n_pop> full_rates{0.943, 3.026, 4.368, 5.882, 7.733, 8.664, 1.096, 7.851};
// Binzegger et al.'s cell types of each network population.
const std::array<std::vector<std::string>, n_pop> types{{{"p23"}, {"b23", "nb23"}, {"p4", "ss4(L23)", "ss4(L4)"}, {"b4", "nb4"},
                                                         {"p5(L23)", "p5(L56)"}, {"b5", "nb5"}, {"p6(L4)", "p6(L56)"}, {"b6", "nb6"}}};
const std::array<const char*, n_pop> morphology_file{"L23E_oi24rpy1", "L23I_oi38lbc1", "L4E_53rpy1", "L4I_oi26rbc1",
                                                     "L5E_oi15rpy4", "L5I_oi15rbc1", "L6E_oi15rpy4", "L6I_oi15rbc1"};
// Soma depths (um): pyramidal cells where their apical dendrites reach the pia; interneurons in
// the middle of their layer.
const double soma_depth[n_pop][2] = {{-380, -330}, {-460, -210}, {-800, -750}, {-840, -670},
                                     {-1090, -1040}, {-1110, -980}, {-1380, -1330}, {-1410, -1250}};
const std::vector<hy::layer> layers{{"L1", -81.6, 0.0}, {"L23", -587.1, -81.6}, {"L4", -922.2, -587.1}, {"L5", -1170.0, -922.2}, {"L6", -1491.7, -1170.0}};
const std::array<const char*, 5> table_layer{"1", "23", "4", "5", "6"};

double in_degree(std::size_t post, std::size_t pre) { return -std::log(1.0 - P[post][pre]) * n_full[pre]; }
double weight_pA(std::size_t post, std::size_t pre) {
    const double w = pre % 2 == 0 ? w_pA : g * w_pA;
    return post == 0 && pre == 2 ? 2 * w : w;
}

// Fractions over layers of population post's synapses from population pre (Binzegger's table,
// cell types weighted by their occurrence).
std::vector<double> layer_fractions(const nlohmann::json& table, std::size_t post, std::size_t pre, std::size_t soma_layer) {
    std::vector<double> f(layers.size(), 0.0);
    for (const auto& y : types[post]) {
        const auto& d = table.at("data").at(y);
        const double occ = d.at("occurrence").get<double>();
        for (const auto& [layer, syn] : d.at("syn_dict").items()) {
            std::size_t l = 0;
            while (l < table_layer.size() && layer != table_layer[l]) ++l;
            if (l == table_layer.size()) continue;
            double pct = 0;
            for (const auto& x : types[pre])
                if (syn.contains(x)) pct += syn.at(x).get<double>();
            f[l] += occ * syn.at("number of synapses per neuron").get<double>() * pct / 100.0;
        }
    }
    double total = 0;
    for (double v : f) total += v;
    if (total == 0) {  // no anatomical data for this pair: at the soma
        f[soma_layer] = 1;
        return f;
    }
    for (double& v : f) v /= total;
    return f;
}


}  // namespace

int main(int argc, char** argv) try {
    const std::filesystem::path out = argc > 1 ? argv[1] : "cortical_column_output";
    const double duration = argc > 2 ? std::atof(argv[2]) : 500.0;
    const double scale = argc > 3 ? std::atof(argv[3]) : 0.25;
    const std::size_t cells = argc > 4 ? static_cast<std::size_t>(std::atoll(argv[4])) : 8;
    std::size_t threads = argc > 5 ? static_cast<std::size_t>(std::atoll(argv[5])) : 0;
    const std::filesystem::path morph_dir = argc > 6 ? std::filesystem::path(argv[6]) : std::filesystem::path(BRAINWEAVE_EXAMPLE_MORPHOLOGIES);
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    if (!(duration > 0) || !(scale > 0 && scale <= 1) || cells == 0)
        throw bw::config_error("need duration > 0, 0 < scale <= 1 and at least one cell per population");
    std::filesystem::create_directories(out);
    const double dt = 0.1, t_skip = std::min(100.0, duration / 2);  // the start-up transient is not shown

    // The network.
    sp::models::iaf_psc_parameters neuron{.E_L = -65.0, .C_m = 250.0, .tau_m = 10.0, .t_ref = 2.0, .V_th = -50.0, .V_reset = -65.0,
                                          .tau_syn_ex = 0.5, .tau_syn_in = 0.5, .I_e = 0.0};
    using lif = sp::population<sp::models::iaf_psc_exp>;
    std::array<std::size_t, n_pop> n{};
    std::vector<lif> pops;
    std::size_t total_neurons = 0;
    const double w_scale = 1.0 / std::sqrt(scale);
    for (std::size_t p = 0; p < n_pop; ++p) {
        n[p] = std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(n_full[p] * scale)));
        total_neurons += n[p];
        // DC restoring the mean input lost by scaling (pA): (1 - sqrt(s)) tau_syn sum K w nu.
        double mean_input = k_ext[p] * w_pA * bg_rate;
        for (std::size_t q = 0; q < n_pop; ++q) mean_input += in_degree(p, q) * weight_pA(p, q) * full_rates[q];
        auto params = neuron;
        params.I_e = (1.0 - std::sqrt(scale)) * tau_syn * 1e-3 * mean_input;
        lif pop(names[p], n[p], params);
        bw::random::uniform_stream u(99, p);
        std::vector<double> v0(n[p]);
        for (double& v : v0) v = -58.0 + 10.0 * bw::random::standard_normal(u);
        pop.set("V_m", std::span<const double>(v0));
        pops.push_back(std::move(pop));
    }
    sp::network net(dt, pops[0], pops[1], pops[2], pops[3], pops[4], pops[5], pops[6], pops[7]);
    net.set_threads(threads);
    auto t0 = std::chrono::steady_clock::now();
    std::uint64_t seed = 1;
    std::size_t n_synapses = 0;
    for (std::size_t post = 0; post < n_pop; ++post) {
        for (std::size_t pre = 0; pre < n_pop; ++pre) {
            const auto k = static_cast<std::size_t>(std::llround(in_degree(post, pre) * scale));
            if (k == 0) continue;
            net.connect(names[pre], names[post], sp::rules::fixed_indegree{k},
                        {.weight = {weight_pA(post, pre) * w_scale}, .delay = {pre % 2 == 0 ? 1.5 : 0.75}, .receptor = pre % 2 == 0 ? "ex" : "in"},
                        seed++);
            n_synapses += k * n[post];
        }
        net.add(sp::poisson_input{.target = names[post], .n_sources = k_ext[post] * scale, .rate = bg_rate, .weight = w_pA * w_scale, .seed = seed++});
    }
    std::vector<sp::spike_recorder*> rec;
    for (const char* name : names) rec.push_back(&net.record_spikes(name));
    const double t_build = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    t0 = std::chrono::steady_clock::now();
    net.run(duration);
    const double t_network = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::vector<hy::spike_trains> input;
    for (std::size_t p = 0; p < n_pop; ++p) input.push_back(hy::spike_trains::from_pairs(rec[p]->senders(), rec[p]->times(dt), n[p]));

    // The cell populations.
    std::string table_text = bw::io::read_file(morph_dir / "binzegger_connectivity_table.json.gz");
    table_text = bw::io::decompress_by_name(std::move(table_text), "binzegger_connectivity_table.json.gz", "Binzegger table").first;
    const auto table = nlohmann::json::parse(table_text);
    std::vector<hy::cell_population> cell_pops;
    const std::array<std::size_t, n_pop> soma_layer{1, 1, 2, 2, 3, 3, 4, 4};
    for (std::size_t y = 0; y < n_pop; ++y) {
        hy::cell_population c;
        c.name = names[y];
        c.morphology = bw::io::read_swc(morph_dir / (std::string(morphology_file[y]) + ".swc.gz"));
        c.size = cells;
        c.radius_um = 564;
        c.z_min_um = soma_depth[y][0];
        c.z_max_um = soma_depth[y][1];
        c.min_soma_distance_um = 1;
        for (std::size_t x = 0; x < n_pop; ++x) {
            const double k = in_degree(y, x);
            if (k == 0) continue;
            auto f = layer_fractions(table, y, x, soma_layer[y]);
            for (double& v : f) v *= k;
            c.inputs.push_back({x, f, weight_pA(y, x) * 1e-3, 0.5, mc::synapse_kernel::exponential, x % 2 == 0 ? 1.5 : 0.75, x % 2 == 0 ? 0.75 : 0.375, {}});
        }
        cell_pops.push_back(std::move(c));
    }
    hy::probes probe;
    const int n_contacts = 16;
    probe.contacts.resize(n_contacts, 3);
    probe.csd_bounds.resize(n_contacts, 2);
    std::vector<double> depth;
    for (int k = 0; k < n_contacts; ++k) {
        depth.push_back(-100.0 * k);
        probe.contacts.row(k) << 0, 0, depth.back();
        probe.csd_bounds.row(k) << depth.back() - 50, depth.back() + 50;
    }
    probe.csd_radius = Eigen::VectorXd::Constant(n_contacts, 564.0);
    t0 = std::chrono::steady_clock::now();
    std::vector<std::size_t> sizes(n.begin(), n.end());
    const hy::hybrid_scheme column(layers, sizes, cell_pops, probe, dt, 2016);
    const double t_place = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::size_t n_segments = 0, n_cell_synapses = 0, unplaced = 0;
    for (const auto& pp : column.populations()) {
        n_segments += pp.cell.geometry.size() * pp.cells.size();
        for (const auto& c : pp.cells) {
            n_cell_synapses += c.synapses.size();
            unplaced += c.unplaced;
        }
    }

    const auto full = column.run(input, duration, threads);
    const auto ks = column.kernels(100.0, threads);
    const auto approx = column.run_kernels(ks, input, duration);
    examples::save_laminar(out, full, approx);

    // Figure: raster (up to 100 neurons per population), LFP traces, CSD.
    bw::plot::figure fig(1000, 1400);
    fig.title("Cortical column (Potjans & Diesmann network, Hagen et al. morphologies): laminar LFP and CSD");
    std::vector<std::vector<double>> times;
    std::vector<bw::plot::spike_group> groups;
    for (std::size_t p = 0; p < n_pop; ++p) times.push_back(rec[p]->times(dt));
    for (std::size_t p = 0; p < n_pop; ++p) groups.push_back({names[p], rec[p]->senders(), times[p], n[p], "", 100});
    bw::plot::raster(fig.add_panel(1.2), groups, t_skip, duration).title("network spikes (up to 100 neurons per population)").xlabel("time (ms)");
    examples::add_laminar_panels(fig, full, "per-cell method", depth, t_skip, 90.0);
    fig.save(out / "cortical_column.svg");
    // Figure: the eight cell types side by side (xz projection, 450 um apart) and the L5
    // pyramidal cell's dendrogram.
    bw::plot::figure cells_fig(1100, 1300);
    auto& side = cells_fig.add_panel(1.3).title("the eight cell types (" + std::string(names[0]) + " ... " + names[n_pop - 1] + ")");
    std::vector<double> at;
    std::vector<std::string> labels;
    for (std::size_t y = 0; y < n_pop; ++y) {
        auto m = bw::io::read_swc(morph_dir / (std::string(morphology_file[y]) + ".swc.gz"));
        double sx = 0, sz = 0;  // soma centre
        for (const auto& q : m.sections[0].points) sx += q.x, sz += q.z;
        sx /= static_cast<double>(m.sections[0].points.size());
        sz /= static_cast<double>(m.sections[0].points.size());
        for (auto& sec : m.sections)
            for (auto& q : sec.points) q.x += 450.0 * static_cast<double>(y) - sx, q.z -= sz;
        bw::plot::morphology_2d(side, m);
        at.push_back(450.0 * static_cast<double>(y));
        labels.push_back(names[y]);
    }
    side.xticks(at, labels);
    bw::plot::dendrogram(cells_fig.add_panel(1.0), bw::io::read_swc(morph_dir / (std::string(morphology_file[4]) + ".swc.gz")))
        .title(std::string("dendrogram of the ") + names[4] + " cell");
    cells_fig.save(out / "cortical_column_cells.svg");

    const double full_neurons = 77169;
    std::printf("network: %zu neurons (%.1f %% of the microcircuit's 77 169), %zu synapses; built in %.2f s, "
                "%.0f ms in %.2f s\n", total_neurons, 100.0 * static_cast<double>(total_neurons) / full_neurons, n_synapses, t_build,
                duration, t_network);
    std::printf("  rates (Hz, after %.0f ms):", t_skip);
    for (std::size_t p = 0; p < n_pop; ++p) {
        std::size_t count = 0;
        for (double t : rec[p]->times(dt)) count += t >= t_skip;
        std::printf(" %s %.1f", names[p], static_cast<double>(count) / static_cast<double>(n[p]) / ((duration - t_skip) / 1000.0));
    }
    std::printf("\ncells: %zu per population, %zu in all (%.3f %% of the model's 77 169 cells), %zu segments, %zu synapses "
                "(%zu in layers without membrane dropped); placed in %.2f s\n", cells, cells * n_pop,
                100.0 * static_cast<double>(cells * n_pop) / full_neurons, n_segments, n_cell_synapses, unplaced, t_place);
    std::printf("  per-cell method: %.2f s on %zu threads (%.2f x the network simulation)\n", full.wall_seconds, threads,
                full.wall_seconds / t_network);
    std::printf("  kernel method: kernels %.2f s + convolution %.2f s; LFP relative distance to the per-cell method %.3f\n", ks.wall_seconds,
                approx.wall_seconds, (approx.total.lfp - full.total.lfp).norm() / full.total.lfp.norm());
    std::printf("  written to %s (lfp.npy, csd.npy, lfp_kernel.npy, csd_kernel.npy, t.npy, cortical_column.svg, cortical_column_cells.svg)\n", out.string().c_str());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "example_cortical_column: %s\n", e.what());
    return 1;
}

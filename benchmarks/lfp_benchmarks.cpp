// LFP benchmark, two parts, each against a baseline measured in the same run.
//
// 1. One cell, ours against NEURON: the reference cells (tests/data/lfp: ball-and-stick, and the
//    L5 pyramidal cell of Hagen et al. 2016 rebuilt from its SWC, 1078 segments) with the case's
//    synapses and input spikes repeated over 1 s; the line-source LFP at the case's 11 contacts
//    (ours computed while the cell runs: M * imem every 256 steps). NEURON (Debian's python3-neuron, driven by
//    benchmarks/neuron_cell.py) runs the same sections, nseg, passive properties and synapses as LFPy
//    does: fixed-step backward Euler, i_membrane_ recorded into Vectors, LFP = M @ imem.
// 2. A whole network's LFP against the network itself: the Brunel network (12 500 neurons, 1 s)
//    and hybridLFPy's Brunel column (examples/common/hybrid_column.hpp: 400 + 100 ball-and-sticks,
//    1250 synapses each), per-cell method and kernel method.
//
//   bench_lfp [repetitions] [python]
#include "../examples/common/brunel.hpp"
#include "../examples/common/hybrid_column.hpp"
#include "timing.hpp"

#include <brainweave/io/npy.hpp>
#include <brainweave/lfp.hpp>
#include <brainweave/spiking.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace bw = brainweave;
namespace mc = bw::multicompartment;
namespace ex = bw::extracellular;
namespace hy = bw::hybrid;
namespace fs = std::filesystem;

namespace {

struct cell_case {
    mc::morphology morph;
    mc::discretized_cell cell;
    mc::passive_properties passive;
    std::vector<mc::current_synapse> synapses;
    std::vector<std::vector<double>> spikes;  // per synapse (ms)
    ex::contact_positions contacts;
    double dt = 0.1, tstop = 1000.0;
};

std::vector<double> npy(const fs::path& dir, const std::string& name) { return bw::io::load_npy(bw::io::find_npy(dir, name)).data; }

cell_case load_case(const fs::path& dir) {
    cell_case c;
    c.morph = bw::io::read_swc(dir / "morphology.swc");
    c.cell = mc::discretize(c.morph, c.passive);
    // Synapses on the rebuilt cell's segment nearest to the case's (midpoints).
    const auto ss = npy(dir, "seg_start.npy"), se = npy(dir, "seg_end.npy");
    const auto seg = npy(dir, "syn_seg.npy"), tau = npy(dir, "syn_tau.npy"), w = npy(dir, "syn_weight.npy");
    const auto ssyn = npy(dir, "spike_syn.npy"), st = npy(dir, "spike_t.npy");
    for (std::size_t k = 0; k < seg.size(); ++k) {
        const auto i = static_cast<std::size_t>(seg[k]);
        const double m[3] = {(ss[3 * i] + se[3 * i]) / 2, (ss[3 * i + 1] + se[3 * i + 1]) / 2, (ss[3 * i + 2] + se[3 * i + 2]) / 2};
        int best = 0;
        double bd = 1e300;
        for (std::size_t j = 0; j < c.cell.geometry.size(); ++j) {
            const auto q = c.cell.geometry.mid(j);
            const double d = std::hypot(q[0] - m[0], q[1] - m[1], q[2] - m[2]);
            if (d < bd) bd = d, best = static_cast<int>(j);
        }
        c.synapses.push_back({best, tau[k], w[k], mc::synapse_kernel::exponential});
    }
    c.spikes.resize(seg.size());
    for (int rep = 0; rep < 10; ++rep)  // the case's 100 ms of input, ten times
        for (std::size_t k = 0; k < st.size(); ++k) c.spikes[static_cast<std::size_t>(ssyn[k])].push_back(st[k] + 100.0 * rep);
    const auto el = npy(dir, "electrode_xyz.npy");
    c.contacts.resize(static_cast<Eigen::Index>(el.size() / 3), 3);
    for (Eigen::Index r = 0; r < c.contacts.rows(); ++r) c.contacts.row(r) << el[3 * r], el[3 * r + 1], el[3 * r + 2];
    return c;
}

// Ours: the LFP computed while the cell runs (M * imem, 256 steps at a time).
double run_ours(const cell_case& c, const Eigen::MatrixXd& M) {
    mc::passive_cell cell(c.cell.nodes, c.passive, c.dt);
    mc::spike_schedule sched;
    for (std::size_t k = 0; k < c.synapses.size(); ++k) {
        const auto ch = cell.add_synapse(c.synapses[k]);
        for (double t : c.spikes[k]) sched.add(t, c.dt, ch, c.synapses[k].weight_nA);
    }
    sched.sort();
    const auto steps = static_cast<std::int64_t>(std::llround(c.tstop / c.dt));
    const Eigen::MatrixXd lfp = mc::simulate_signals(cell, sched, steps, M);
    return lfp(0, steps);
}

// The cell as JSON for neuron_cell.py.
void write_json(const fs::path& p, const cell_case& c, const Eigen::MatrixXd& M) {
    std::ofstream o(p);
    o.precision(17);
    o << "{\"dt\": " << c.dt << ", \"tstop\": " << c.tstop << ", \"segments\": " << c.cell.geometry.size() << ",\n\"passive\": {\"Ra\": "
      << c.passive.Ra_ohm_cm << ", \"cm\": " << c.passive.cm_uF_per_cm2 << ", \"rm\": " << c.passive.rm_ohm_cm2 << ", \"e_pas\": "
      << c.passive.e_pas_mV << ", \"v_init\": " << c.passive.v_init_mV << "},\n\"sections\": [";
    for (std::size_t s = 0; s < c.morph.sections.size(); ++s) {
        const auto& sec = c.morph.sections[s];
        o << (s ? ",\n" : "\n") << "{\"name\": \"s" << s << "\", \"parent\": " << sec.parent << ", \"parent_x\": " << sec.parent_x
          << ", \"nseg\": " << c.cell.nseg[s] << ", \"points\": [";
        for (std::size_t k = 0; k < sec.points.size(); ++k)
            o << (k ? ", " : "") << "[" << sec.points[k].x << ", " << sec.points[k].y << ", " << sec.points[k].z << ", " << sec.points[k].diam << "]";
        o << "]}";
    }
    o << "],\n\"synapses\": [";
    for (std::size_t k = 0; k < c.synapses.size(); ++k) {
        const auto seg = static_cast<std::size_t>(c.synapses[k].segment);
        o << (k ? ",\n" : "\n") << "{\"section\": " << c.cell.segment_section[seg] << ", \"x\": " << c.cell.segment_x[seg]
          << ", \"tau\": " << c.synapses[k].tau_ms << ", \"weight\": " << c.synapses[k].weight_nA << ", \"times\": [";
        for (std::size_t i = 0; i < c.spikes[k].size(); ++i) o << (i ? ", " : "") << c.spikes[k][i];
        o << "]}";
    }
    o << "],\n\"M\": [";
    for (Eigen::Index r = 0; r < M.rows(); ++r) {
        o << (r ? ",\n" : "\n") << "[";
        for (Eigen::Index j = 0; j < M.cols(); ++j) o << (j ? ", " : "") << M(r, j);
        o << "]";
    }
    o << "]}\n";
}

double run_neuron(const std::string& python, const fs::path& json) {
    const std::string cmd = python + " " + BRAINWEAVE_BENCH_SOURCE "/neuron_cell.py " + json.string() + " " + std::to_string(bench::reps) + " 2>&1";
    FILE* f = popen(cmd.c_str(), "r");
    if (!f) return -1;
    char line[512];
    double t = -1;
    std::string all;
    while (std::fgets(line, sizeof line, f)) {
        all += line;
        std::sscanf(line, "neuron_seconds %lf", &t);
    }
    pclose(f);
    if (t < 0) std::fprintf(stderr, "NEURON run failed:\n%s\n", all.c_str());
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1) bench::reps = std::max(1, std::atoi(argv[1]));
    const std::string python = argc > 2 ? argv[2] : "/usr/bin/python3";
    const bool have_neuron = std::system((python + " -c 'import neuron' > /dev/null 2>&1").c_str()) == 0;
    std::printf("LFP benchmark, median of %d\n\n1. One cell, 1 s at dt = 0.1 ms, line-source LFP at 11 contacts\n\n", bench::reps);
    std::printf("| cell | segments | synapses | input spikes | NEURON s (baseline) | brainweave s | speed-up |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (const char* name : {"ballstick", "l5_pyramid"}) {
        const fs::path dir = fs::path(BRAINWEAVE_BENCH_DATA) / "lfp" / name;
        const auto c = load_case(dir);
        const Eigen::MatrixXd M = ex::line_source_potential(c.cell.geometry, c.contacts, 0.3);
        double sink = 0;
        const double ours = bench::median_seconds([&] { sink += run_ours(c, M); });
        std::size_t n_spikes = 0;
        for (const auto& s : c.spikes) n_spikes += s.size();
        double neuron = -1;
        if (have_neuron) {
            const fs::path json = fs::temp_directory_path() / (std::string("bench_lfp_") + name + ".json");
            write_json(json, c, M);
            neuron = run_neuron(python, json);
            fs::remove(json);
        }
        if (neuron > 0)
            std::printf("| %s | %zu | %zu | %zu | %.4f | %.4f | %.1fx |\n", name, c.cell.geometry.size(), c.synapses.size(), n_spikes, neuron, ours,
                        neuron / ours);
        else
            std::printf("| %s | %zu | %zu | %zu | (no NEURON: apt-get install python3-neuron) | %.4f | - |\n", name, c.cell.geometry.size(),
                        c.synapses.size(), n_spikes, ours);
        if (sink == 12345.678) std::puts("");
    }

    std::printf("\n2. Whole-network LFP: Brunel network (12 500 neurons, 1 s) -> hybridLFPy's Brunel column\n\n");
    std::printf("| run | threads | median s | relative to the network simulation |\n|---|---:|---:|---:|\n");
    const std::size_t hw = std::max(1u, std::thread::hardware_concurrency());
    for (std::size_t threads : {std::size_t{1}, hw}) {
        namespace sp = bw::spiking;
        const auto b = examples::brunel(12500);
        using lif = sp::population<sp::models::iaf_psc_exp>;
        std::vector<hy::spike_trains> input;
        const double network = bench::median_seconds([&] {
            sp::network net(0.1, lif("E", b.n_e, b.neuron), lif("I", b.n_i, b.neuron));
            net.set_threads(threads);
            examples::connect_brunel(net, b);
            auto& se = net.record_spikes("E");
            auto& si = net.record_spikes("I");
            net.run(1000.0);
            input = {hy::spike_trains::from_pairs(se.senders(), se.times(net.dt()), b.n_e),
                     hy::spike_trains::from_pairs(si.senders(), si.times(net.dt()), b.n_i)};
        });
        const auto col = examples::brunel_column(b, 400);
        const hy::hybrid_scheme model(col.layers, {b.n_e, b.n_i}, col.populations, col.probe, 0.1, 2024);
        const double per_cell = bench::median_seconds([&] { model.run(input, 1000.0, threads); });
        hy::kernel_set ks;
        const double kernels = bench::median_seconds([&] { ks = model.kernels(100.0, threads); });
        const double conv = bench::median_seconds([&] { model.run_kernels(ks, input, 1000.0); });
        std::printf("| network simulation (baseline) | %zu | %.3f | 1.00 |\n", threads, network);
        std::printf("| per-cell LFP, 500 cells | %zu | %.3f | %.2f |\n", threads, per_cell, per_cell / network);
        std::printf("| kernel method: kernels + convolution | %zu | %.3f + %.3f | %.3f |\n", threads, kernels, conv, (kernels + conv) / network);
        if (hw == 1) break;
    }
    std::printf("\npeak memory %.0f MiB\n", bench::peak_rss_mib());
    return 0;
}

// Spiking-engine benchmarks (docs/performance.md): medians of repetitions, ratios against a
// baseline measured in the same run.
//
//   bench_spiking [reps] [brunel_neurons]
//
// 1. CUBA-4000 (Brian's example, the network of tests/data/brian2/cuba_4000: 4000 LIF neurons,
//    320 989 synapses, exact integration, dt = 0.1 ms, 1 s simulated): brainweave against the
//    hand-written loop (spiking_baseline.hpp), and against Brian 2.5.1's C++ standalone binary
//    (0.09-0.13 s for the whole process on this machine, from the project's performance notes,
//    quoted in docs/performance.md; the ratio uses 0.09 s, Brian's best).
// 2. Brunel (2000) network, 80 % excitatory / 20 % inhibitory iaf_psc_exp neurons (tau_syn 0.5 ms),
//    fixed in-degree 1000 excitatory + 250 inhibitory, J = 0.1 mV PSP peak, g = 5, eta = 2, delay
//    1.5 ms, Poisson drive per neuron: build time, run time per simulated second (also per neuron
//    and step, and per synapse), rate, bytes per synapse and peak memory, on 1 thread and on every
//    hardware thread.
#include "spiking_baseline.hpp"
#include "timing.hpp"

#include <brainweave/io/npy.hpp>
#include <brainweave/spiking.hpp>
#include <brainweave/version.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace bw = brainweave;
namespace sp = bw::spiking;
namespace fs = std::filesystem;

namespace {

std::vector<std::uint32_t> indices(const fs::path& dir, const std::string& name) {
    const auto v = bw::io::load_npy(bw::io::find_npy(dir, name)).data;
    return {v.begin(), v.end()};
}

void cuba() {
    const fs::path dir = fs::path(BRAINWEAVE_BENCH_DATA) / "brian2" / "cuba_4000";
    baseline::cuba b;
    b.n = 4000;
    b.E_L = -0.049, b.V_th = -0.05, b.V_reset = -0.06, b.tau_m = 0.02, b.tau_e = 0.005, b.tau_i = 0.01, b.dt = 1e-4;
    b.w_e = 0.00162, b.w_i = -0.009, b.ref_steps = 50;
    b.v0 = bw::io::load_npy(bw::io::find_npy(dir, "v0.npy")).data;
    const auto ep = indices(dir, "exc_pre.npy"), eq = indices(dir, "exc_post.npy");
    const auto ip = indices(dir, "inh_pre.npy"), iq = indices(dir, "inh_post.npy");
    baseline::cuba::csr(b.n, ep, eq, b.row_e, b.tgt_e);
    baseline::cuba::csr(b.n, ip, iq, b.row_i, b.tgt_i);

    sp::models::iaf_psc_parameters p{.E_L = b.E_L, .C_m = b.tau_m, .tau_m = b.tau_m, .t_ref = 0.005, .V_th = b.V_th,
                                     .V_reset = b.V_reset, .tau_syn_ex = b.tau_e, .tau_syn_in = b.tau_i, .I_e = 0.0};
    std::size_t base_spikes = 0, ours_spikes = 0;
    const double tb = bench::median_seconds([&] { base_spikes = b.run(10000); });
    const double t = bench::median_seconds([&] {
        sp::network net(1e-4, sp::population<sp::models::iaf_psc_exp>("P", b.n, p));
        net.set_time_unit(1.0);
        net.group<0>().set("V_m", b.v0);
        net.connect("P", "P", sp::rules::explicit_list{ep, eq}, {.weight = {b.w_e}});
        net.connect("P", "P", sp::rules::explicit_list{ip, iq}, {.weight = {b.w_i}, .receptor = "in"});
        auto& rec = net.record_spikes("P");
        net.run(1.0);
        ours_spikes = rec.size();
    });
    // The same without building the network (the simulation alone).
    double t_run = 0;
    {
        std::vector<double> ts;
        for (int r = 0; r < bench::reps; ++r) {
            sp::network net(1e-4, sp::population<sp::models::iaf_psc_exp>("P", b.n, p));
            net.set_time_unit(1.0);
            net.group<0>().set("V_m", b.v0);
            net.connect("P", "P", sp::rules::explicit_list{ep, eq}, {.weight = {b.w_e}});
            net.connect("P", "P", sp::rules::explicit_list{ip, iq}, {.weight = {b.w_i}, .receptor = "in"});
            net.record_spikes("P");
            const auto t0 = std::chrono::steady_clock::now();
            net.run(1.0);
            ts.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
        t_run = bench::median(std::move(ts));
    }
    const double brian = 0.09;
    std::printf("\n1. CUBA-4000, 1 s simulated (10 000 steps, 320 989 synapses), spikes: loop %zu, brainweave %zu%s\n",
                base_spikes, ours_spikes, base_spikes == ours_spikes ? " (identical count)" : " (DIFFERENT)");
    std::printf("| %-44s | %9s | %14s |\n", "run", "median s", "time / loop");
    std::printf("|%s|%s|%s|\n", std::string(46, '-').c_str(), std::string(11, '-').c_str(), std::string(16, '-').c_str());
    std::printf("| %-44s | %9.4f | %14.2f |\n", "hand-written loop (baseline)", tb, 1.0);
    std::printf("| %-44s | %9.4f | %14.2f |\n", "brainweave network.run (simulation only)", t_run, t_run / tb);
    std::printf("| %-44s | %9.4f | %14.2f |\n", "brainweave build + run", t, t / tb);
    std::printf("| %-44s | %9.4f | %14.2f |\n", "Brian 2.5.1 C++ standalone (whole process)", brian, brian / tb);
    std::printf("brainweave (build + run) takes %.2f of Brian's standalone time: %.1fx faster (target: 2x)\n", t / brian,
                brian / t);
}

void brunel(std::size_t n, std::size_t threads) {
    const std::size_t n_e = n * 4 / 5, n_i = n - n_e, c_e = 1000, c_i = 250;
    sp::models::iaf_psc_parameters p{.E_L = 0.0, .C_m = 250.0, .tau_m = 20.0, .t_ref = 2.0, .V_th = 20.0, .V_reset = 10.0,
                                     .tau_syn_ex = 0.5, .tau_syn_in = 0.5, .I_e = 0.0};
    // J (pA) for a 0.1 mV PSP peak: V(t) = J/C tau_m tau_s/(tau_m - tau_s) (e^{-t/tau_m} - e^{-t/tau_s}).
    const double ts = p.tau_syn_ex, tm = p.tau_m, tpk = tm * ts / (tm - ts) * std::log(tm / ts);
    const double J = 0.1 / (1.0 / p.C_m * tm * ts / (tm - ts) * (std::exp(-tpk / tm) - std::exp(-tpk / ts))) ;
    const double g = 5.0, eta = 2.0, nu_thr = p.V_th / (0.1 * static_cast<double>(c_e) * tm) * 1000.0;  // Hz
    const auto t0 = std::chrono::steady_clock::now();
    sp::network net(0.1, sp::population<sp::models::iaf_psc_exp>("E", n_e, p), sp::population<sp::models::iaf_psc_exp>("I", n_i, p));
    net.set_threads(threads);
    for (const char* post : {"E", "I"}) {
        net.connect("E", post, sp::rules::fixed_indegree{c_e}, {.weight = {J}, .delay = {1.5}}, post[0] == 'E' ? 1 : 2);
        net.connect("I", post, sp::rules::fixed_indegree{c_i}, {.weight = {-g * J}, .delay = {1.5}, .receptor = "in"},
                    post[0] == 'E' ? 3 : 4);
        net.add(sp::poisson_input{.target = post, .n_sources = static_cast<double>(c_e), .rate = eta * nu_thr, .weight = J,
                                  .seed = post[0] == 'E' ? 5u : 6u});
    }
    auto& re = net.record_spikes("E");
    auto& ri = net.record_spikes("I");
    const double build = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double T = 200.0;
    const auto t1 = std::chrono::steady_clock::now();
    net.run(T);
    const double run = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    const auto m = net.memory();
    const double rate = static_cast<double>(re.size() + ri.size()) / static_cast<double>(n) / (T / 1000.0);
    const double steps = T / 0.1;
    std::printf("| %7zu | %7zu | %11.3e | %7.2f | %8.2f | %14.2f | %15.1f | %7.1f | %9.2f | %8.0f |\n", n, threads,
                static_cast<double>(m.synapses), build, run * 1000.0 / T, run * 1e9 / (steps * static_cast<double>(n)),
                run * 1000.0 / T * 1e9 / static_cast<double>(m.synapses), rate, m.bytes_per_synapse(), bench::peak_rss_mib());
}

}  // namespace

int main(int argc, char** argv) {
    bench::reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
    const std::size_t n_brunel = argc > 2 ? static_cast<std::size_t>(std::atoll(argv[2])) : 100000;
    std::printf("brainweave %s spiking benchmarks: median of %d runs, %u hardware threads\n", BRAINWEAVE_VERSION_STRING,
                bench::reps, std::thread::hardware_concurrency());
    cuba();
    std::printf("\n2. Brunel network, 200 ms simulated (dt 0.1 ms), one run each\n");
    std::printf("| neurons | threads |    synapses | build s | s per s  | ns/neuron/step | ns/synapse per s | rate Hz | B/synapse | peak MiB |\n");
    std::printf("|---------|---------|-------------|---------|----------|----------------|-----------------|---------|-----------|----------|\n");
    brunel(n_brunel, 1);
    const std::size_t hw = std::max(1u, std::thread::hardware_concurrency());
    if (hw > 1) brunel(n_brunel, hw);
    return 0;
}

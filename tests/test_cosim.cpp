// Multiscale co-simulation: transformers on their own (statistics and exactness), the exchange
// (a co-simulation whose spiking side is the mean-field model itself equals the pure region
// simulation), T_sync validation, and the spiking network as the proxies' side.
#include "test_helpers.hpp"

#include <brainweave/cosim.hpp>
#include <brainweave/spiking.hpp>

#include <cmath>
#include <filesystem>
#include <numeric>

namespace bw = brainweave;
namespace cs = brainweave::cosim;
namespace tr = brainweave::spiking::trains;

namespace {
/// Counts per target and window of `window` steps, drawn by a train model for n targets.
template <class Trains>
std::vector<std::vector<double>> window_counts(const Trains& model, std::size_t n, double mean, std::size_t windows,
                                               std::size_t window) {
    std::vector<std::vector<double>> c(n, std::vector<double>(windows, 0.0));
    for (std::size_t w = 0; w < windows; ++w)
        for (std::size_t s = 0; s < window; ++s) {
            const auto step = static_cast<std::int64_t>(w * window + s);
            for (std::size_t b = 0; b * 256 < n; ++b)
                model.draw(11, step, b, mean, b * 256, std::min(n, (b + 1) * 256),
                           [&](std::size_t i, std::uint64_t k) { c[i][w] += static_cast<double>(k); });
        }
    return c;
}
double mean_of(const std::vector<double>& x) { return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size()); }
double var_of(const std::vector<double>& x) {
    const double m = mean_of(x);
    double v = 0;
    for (double a : x) v += (a - m) * (a - m);
    return v / static_cast<double>(x.size() - 1);
}
double corr_of(const std::vector<double>& a, const std::vector<double>& b) {
    const double ma = mean_of(a), mb = mean_of(b);
    double c = 0;
    for (std::size_t k = 0; k < a.size(); ++k) c += (a[k] - ma) * (b[k] - mb);
    return c / static_cast<double>(a.size() - 1) / std::sqrt(var_of(a) * var_of(b));
}
struct train_stats {
    double mean, fano, corr;
};
template <class Trains>
train_stats stats(const Trains& model, double mean) {
    const std::size_t n = 100, windows = 20000, window = 10;
    const auto c = window_counts(model, n, mean, windows, window);
    double m = 0, fano = 0, corr = 0;
    for (std::size_t i = 0; i < n; ++i) {
        m += mean_of(c[i]) / static_cast<double>(n);
        fano += var_of(c[i]) / mean_of(c[i]) / static_cast<double>(n);
    }
    std::size_t pairs = 0;
    for (std::size_t i = 0; i + 1 < n; i += 2, ++pairs) corr += corr_of(c[i], c[i + 1]);
    return {m, fano, corr / static_cast<double>(pairs)};
}
}  // namespace

TEST_CASE("rates to spikes: independent, SIP and MIP trains have the rate, Fano 1 and correlation c", "[cosim][transformers]") {
    // 200 Hz at dt = 0.1 ms: mean 0.02 per step, 0.2 per window of 10 steps (1 ms).
    const double mean = 200.0 * 0.1e-3;
    const auto ind = stats(tr::independent{}, mean);
    CHECK(ind.mean == Approx(0.2).epsilon(0.02));
    CHECK(ind.fano == Approx(1.0).margin(0.03));
    CHECK(std::abs(ind.corr) < 0.01);
    for (double c : {0.1, 0.3}) {
        const auto sip = stats(tr::single_interaction{c}, mean);
        const auto mip = stats(tr::multiple_interaction{c}, mean);
        INFO("c = " << c << ": SIP mean " << sip.mean << " fano " << sip.fano << " corr " << sip.corr << "; MIP mean "
                    << mip.mean << " fano " << mip.fano << " corr " << mip.corr);
        CHECK(sip.mean == Approx(0.2).epsilon(0.03));
        CHECK(mip.mean == Approx(0.2).epsilon(0.03));
        CHECK(sip.fano == Approx(1.0).margin(0.03));
        CHECK(mip.fano == Approx(1.0).margin(0.03));
        CHECK(sip.corr == Approx(c).margin(0.02));
        CHECK(mip.corr == Approx(c).margin(0.02));
    }
    CHECK_THROWS_WITH(tr::single_interaction{0.0}.validate(), Catch::Contains("(0, 1]"));
    CHECK_THROWS_WITH(tr::multiple_interaction{1.5}.validate(), Catch::Contains("(0, 1]"));
}

TEST_CASE("rates to spikes through a network: correlated poisson_input, set_rate, threads", "[cosim][transformers]") {
    auto run = [](std::size_t threads, double rate) {
        auto net = bw::spiking::network(0.1, bw::spiking::population<bw::spiking::models::iaf_psc_exp>("P", 600));
        auto& pop = net.group<0>();
        pop.set_parameter("V_th", 1e9);  // a passive population: count the input through I_syn_ex jumps
        const auto h = net.add({.target = "P", .receptor = "ex", .rate = 0.0, .weight = 1.0, .seed = 5,
                                .trains = tr::multiple_interaction{0.25}});
        net.set_threads(threads);
        net.set_rate(h, rate);
        std::vector<double> total(600, 0.0);
        net.run_steps(2000, [&](std::int64_t) {});
        for (std::size_t i = 0; i < 600; ++i) total[i] = pop.get("I_syn_ex")[i];
        return total;
    };
    const auto a = run(1, 500.0), b = run(2, 500.0), z = run(1, 0.0);
    CHECK(a == b);
    CHECK(std::all_of(z.begin(), z.end(), [](double x) { return x == 0.0; }));
    CHECK(std::any_of(a.begin(), a.end(), [](double x) { return x > 0.0; }));
    auto net = bw::spiking::network(0.1, bw::spiking::population<bw::spiking::models::iaf_psc_exp>("P", 10));
    const auto h = net.add({.target = "P", .rate = 1.0, .weight = 1.0});
    CHECK_THROWS_WITH(net.set_rate(h, -1.0), Catch::Contains("'P'") && Catch::Contains(">= 0 Hz"));
    CHECK_THROWS_WITH(net.add({.target = "P", .rate = 1.0, .trains = tr::single_interaction{2.0}}), Catch::Contains("(0, 1]"));
}

TEST_CASE("spikes to rates: binned counts, binned rate and kernel rates of known spikes", "[cosim][transformers]") {
    // 4 neurons, dt = 0.1 ms: spikes per step.
    std::vector<std::uint32_t> counts(100, 0);
    counts[0] = 1;
    counts[9] = 2;
    counts[10] = 1;
    counts[55] = 3;
    counts[99] = 1;
    const auto bins = cs::bin_counts(counts, 10);
    CHECK(bins == std::vector<double>{3, 1, 0, 0, 0, 3, 0, 0, 0, 1});
    CHECK(cs::bin_counts(counts, 30) == std::vector<double>{4, 3, 0, 1});
    const auto rate = cs::binned_rate(bins, 4, 1e-3);  // 1 ms bins
    CHECK(rate[0] == Approx(750.0));
    CHECK(rate[5] == Approx(750.0));
    // Exponential kernel: one spike gives (1-a) a^k / (N dt) at k steps after it.
    std::vector<std::uint32_t> one(50, 0);
    one[10] = 1;
    const auto ex = cs::kernel_rate(one, 2, 0.1, cs::exponential_kernel{2.0});
    const double a = std::exp(-0.1 / 2.0), hz = 1000.0 / (2 * 0.1);
    CHECK(ex[9] == 0.0);
    CHECK(ex[10] == Approx((1 - a) * hz));
    CHECK(ex[30] == Approx((1 - a) * std::pow(a, 20) * hz));
    // Gaussian: symmetric about the spike, unit area (the mean rate is kept).
    std::vector<std::uint32_t> mid(400, 0);
    mid[200] = 1;
    const auto g = cs::kernel_rate(mid, 1, 0.1, cs::gaussian_kernel{1.0});
    CHECK(g[190] == Approx(g[210]));
    CHECK(std::accumulate(g.begin(), g.end(), 0.0) * 0.1e-3 == Approx(1.0));
    CHECK(std::max_element(g.begin(), g.end()) - g.begin() == 200);
    CHECK_THROWS(cs::bin_counts(counts, 0));
    CHECK_THROWS(cs::kernel_rate(counts, 0, 0.1, cs::gaussian_kernel{}));
}

TEST_CASE("integrating transformers: reduced Wong-Wang gating, linear, clamp, chains", "[cosim][transformers]") {
    // Steady state of the saturating gating at a constant rate: S = g R tau / (1 + g R tau).
    cs::rww_gating s_e;
    double S = 0;
    for (int k = 0; k < 40000; ++k) S = s_e(5.0, 0.1);
    const double grt = s_e.gamma * 5.0 * s_e.tau_s;
    CHECK(S == Approx(grt / (1 + grt)).epsilon(1e-12));
    // Non-saturating (S_i): S = g R tau.
    cs::rww_gating s_i{.tau_s = 10.0, .gamma = 1e-3, .saturating = false};
    for (int k = 0; k < 5000; ++k) S = s_i(20.0, 0.1);
    CHECK(S == Approx(1e-3 * 20.0 * 10.0).epsilon(1e-12));
    // With rate dynamics (tau_r) and a step in R_in, against a fine Euler integration of the ODEs.
    cs::rww_gating g{.tau_s = 100.0, .gamma = 0.641e-3, .tau_r = 5.0};
    double Se = 0, Re = 0;
    const double h = 1e-4;
    for (int k = 0; k < 2000; ++k) {  // 200 ms at dt = 0.1
        const double rin = k < 500 ? 2.0 : 40.0;
        S = g(rin, 0.1);
        for (int j = 0; j < 1000; ++j) {
            const double dR = -(Re - rin) / 5.0, dS = -Se / 100.0 + (1 - Se) * 0.641e-3 * Re;
            Re += h * dR;
            Se += h * dS;
        }
    }
    CHECK(S == Approx(Se).epsilon(2e-3));
    cs::chain<cs::linear, cs::clamp> c{cs::linear{2.0, -1.0}, cs::clamp{0.0, 10.0}};
    CHECK(c(3.0, 0.1) == 5.0);
    CHECK(c(0.2, 0.1) == 0.0);
    CHECK(c(100.0, 0.1) == 10.0);
    CHECK(cs::chain<>{}(1.5, 0.1) == 1.5);
    static_assert(bw::Transformer<cs::chain<cs::rww_gating, cs::exponential_filter>>);
}

namespace {
/// connectivity_76 at 4 mm/ms without the self-connections of `proxies` (zero delay: the spiking
/// networks' own connections take their place).
bw::connectivity proxy_connectivity(const std::vector<std::size_t>& proxies) {
    auto conn = bw::io::load_tvb_connectivity(bwtest::data("connectivity/connectivity_76.zip")).with_speed(4.0);
    for (auto r : proxies) conn.weights(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(r)) = 0.0;
    return conn;
}
using rww = bw::models::reduced_wong_wang_exc_inh;
using rww_sim = bw::simulator<rww, bw::coupling::linear, bw::integrators::heun<>, bw::monitors::raw>;
rww_sim make_rww(const bw::connectivity& conn) {
    rww_sim sim(rww{}, bw::coupling::linear{.a = 0.5}, bw::integrators::heun<>{.dt = 0.1}, conn, bw::monitors::raw{});
    sim.parameters().set("G", 1.2);
    sim.set_random_history(7);
    return sim;
}
}  // namespace

TEST_CASE("co-simulation with the mean field as spiking side reproduces the region simulation", "[cosim][exchange]") {
    for (const auto& regions : {std::vector<std::size_t>{5, 40}, std::vector<std::size_t>{0, 1, 2, 38}}) {
        const auto conn = proxy_connectivity(regions);
        auto pure = make_rww(conn);
        pure.run(200.0);
        auto sim = make_rww(conn);
        auto side = cs::mean_field_side_for(sim, regions);
        // The longest allowed window, and one step.
        cs::cosimulator probe(sim, side, 0.1);
        const double longest = static_cast<double>(probe.min_proxy_delay()) * 0.1;
        for (double t_sync : {longest, 0.1}) {
            auto s2 = make_rww(conn);
            auto side2 = cs::mean_field_side_for(s2, regions);
            cs::cosimulator co(s2, side2, t_sync);
            CHECK(co.proxies() == regions);
            std::size_t windows = 0;
            co.run(120.0, [&](double) { ++windows; });
            co.run(80.0);
            CHECK(windows == static_cast<std::size_t>(std::ceil(1200.0 / static_cast<double>(co.window()))));
            const auto& a = pure.output<0>();
            const auto& b = s2.output<0>();
            REQUIRE(a.data.size() == b.data.size());
            CHECK(a.time == b.time);
            double worst = 0;
            for (std::size_t k = 0; k < a.data.size(); ++k)
                worst = std::max(worst, std::abs(a.data[k] - b.data[k]) / std::max(1e-3, std::abs(a.data[k])));
            INFO("proxies " << regions.size() << ", T_sync " << t_sync << " ms (" << co.window() << " steps)");
            CHECK(worst < 1e-12);
        }
    }
}

TEST_CASE("co-simulation rejects a T_sync longer than the shortest proxy delay and bad ports", "[cosim][errors]") {
    {  // a proxy's own zero-delay self-connection
        auto sim = make_rww(proxy_connectivity({}));
        auto side = cs::mean_field_side_for(sim, {40});
        CHECK_THROWS_WITH(cs::cosimulator(sim, side, 0.1), Catch::Contains("self-connection of region 40"));
    }
    auto sim = make_rww(proxy_connectivity({5}));
    auto side = cs::mean_field_side_for(sim, {5});
    cs::cosimulator ok(sim, side, 0.1);
    const double limit = static_cast<double>(ok.min_proxy_delay()) * 0.1;
    CHECK(ok.min_proxy_delay() >= 1);
    CHECK_NOTHROW(cs::cosimulator(sim, side, limit));
    CHECK_THROWS_WITH(cs::cosimulator(sim, side, limit + 0.1),
                      Catch::Contains("exceeds the shortest delay into or out of a proxy region") &&
                          Catch::Contains("steps"));
    CHECK_THROWS_WITH(cs::cosimulator(sim, side, 0.01), Catch::Contains("at least one region step"));
    auto net = bw::spiking::network(0.1, bw::spiking::population<bw::spiking::models::iaf_cond_alpha<>>("E", 10));
    cs::network_side bad(net, std::tuple{}, std::tuple{cs::rate_out{.population = "E", .region = 5, .variable = "V"}});
    CHECK_THROWS_WITH(cs::cosimulator(sim, bad, 0.1), Catch::Contains("no state variable 'V'") && Catch::Contains("S_e, S_i"));
    cs::network_side far(net, std::tuple{}, std::tuple{cs::rate_out{.population = "E", .region = 99, .variable = "S_e"}});
    CHECK_THROWS_WITH(cs::cosimulator(sim, far, 0.1), Catch::Contains("region 99"));
    CHECK_THROWS_WITH(cs::network_side(net, std::tuple{}, std::tuple{cs::rate_out{.population = "X", .variable = "S_e"}}),
                      Catch::Contains("no group 'X'"));
    auto coarse = bw::spiking::network(0.3, bw::spiking::population<bw::spiking::models::iaf_cond_alpha<>>("E", 10));
    cs::network_side side3(coarse, std::tuple{}, std::tuple{cs::rate_out{.population = "E", .region = 5, .variable = "S_e"}});
    cs::cosimulator co3(sim, side3, 0.1);
    CHECK_THROWS_WITH(co3.run(1.0), Catch::Contains("must divide the region dt"));
    auto si = bw::spiking::network(1e-4, bw::spiking::population<bw::spiking::models::iaf_cond_alpha<>>("E", 10));
    si.set_time_unit(1.0);  // SI seconds
    cs::network_side side4(si, std::tuple{}, std::tuple{cs::rate_out{.population = "E", .region = 5, .variable = "S_e"}});
    cs::cosimulator co4(sim, side4, 0.1);
    CHECK_THROWS_WITH(co4.run(1.0), Catch::Contains("must count time in ms"));
}

namespace {
/// A transformer that remembers what it was given (and scales it).
struct spy {
    static constexpr std::string_view name = "spy";
    double scale = 1.0;
    std::vector<double>* seen = nullptr;
    double operator()(double x, double) {
        seen->push_back(x);
        return scale * x;
    }
};
}  // namespace

TEST_CASE("network side: known spikes give the proxy's rate per region step; currents and rates drive populations",
          "[cosim][network]") {
    const auto conn = proxy_connectivity({5});
    // Spiking dt 0.05 ms: two network steps per region step. 4 units spike at known times.
    std::vector<std::uint32_t> who{0, 1, 2, 3, 0};
    std::vector<double> when{0.0, 0.05, 0.1, 0.1, 0.35};
    auto net = bw::spiking::network(0.05, bw::spiking::spike_generator("G", 4, who, when),
                                    bw::spiking::population<bw::spiking::models::iaf_psc_exp>("P", 50));
    auto& p = net.group<1>();
    p.set_parameter("tau_m", 10.0);
    const auto in = net.add({.target = "P", .receptor = "ex", .rate = 0.0, .weight = 20.0, .seed = 3});
    auto sim = make_rww(conn);
    std::vector<double> seen;  // the coupling of region 5 per region step, as the current port saw it
    auto side = cs::network_side(
        net,
        std::tuple{cs::current_in{.region = 5, .population = "P", .to_current = spy{1000.0, &seen}},
                   cs::rates_in{.region = 5, .input = in, .to_rate = cs::chain<cs::linear, cs::clamp>{cs::linear{1e4}, cs::clamp{}}}},
        std::tuple{cs::rate_out{.population = "G", .region = 5, .variable = "S_e"},
                   cs::rate_out{.population = "P", .region = 5, .variable = "S_i", .from_rate = cs::rww_gating{.saturating = false}}});
    cs::cosimulator co(sim, side, 0.1);
    auto& raw_spikes = net.record_spikes("P");
    co.run(0.5);
    // S_e of region 5 holds the rate of G in each region step: spikes in steps {0,1}, {2,3}, ...
    // of the network; 4 units, 0.1 ms -> 2500 Hz per spike.
    const auto& out = sim.output<0>();
    REQUIRE(out.n_samples() == 5);
    // Network step s holds spikes at s*0.05: {0}->0, {0.05}->1, {0.1,0.1}->2, {0.35}->7.
    // Region step k covers network steps 2k, 2k+1: counts 2, 2, 0, 1, 0.
    const std::vector<double> counts{2, 2, 0, 1, 0};
    for (std::size_t k = 0; k < 5; ++k) CHECK(out(k, 0, 5) == Approx(counts[k] * 2500.0));
    // The coupling of region 5 (positive) drives P by current and Poisson input: it fires, and S_i
    // follows its rate through the gating.
    REQUIRE(seen.size() == 5);
    CHECK(net.group<1>().drive() == 1000.0 * seen.back());
    CHECK(seen.back() > 0.0);
    co.run(50.0);
    CHECK(seen.size() == 505);
    CHECK(net.group<1>().drive() == 1000.0 * seen.back());
    CHECK(raw_spikes.size() > 0);
    CHECK(sim.output<0>()(sim.output<0>().n_samples() - 1, 1, 5) > 0.0);
}

TEST_CASE("reproducibility: a co-simulation gives the same bits for any thread count, split and checkpoint",
          "[cosim][threads][checkpoint]") {
    const std::vector<std::size_t> regions{5, 40};
    const auto conn = proxy_connectivity(regions);
    using noisy = bw::integrators::heun<bw::noise::additive<>>;
    const auto file = std::filesystem::temp_directory_path() / "brainweave_test_cosim.bwck";
    // Runs the pieces; with `save`, writes a checkpoint at the end; with `load`, restores one first.
    auto run = [&](std::size_t threads, std::vector<double> pieces, bool save = false, bool load = false) {
        bw::simulator<rww, bw::coupling::linear, noisy, bw::monitors::raw> sim(
            rww{}, bw::coupling::linear{.a = 0.5}, noisy{.dt = 0.1, .noise = {.nsig = {1e-5}, .source = bw::noise::philox_normal(3)}},
            conn, bw::monitors::raw{});
        sim.parameters().set("G", 1.2);
        sim.set_random_history(7);
        auto net = bw::spiking::network(0.05, bw::spiking::population<bw::spiking::models::iaf_psc_exp>("E5", 400),
                                        bw::spiking::population<bw::spiking::models::iaf_psc_exp>("E40", 400));
        net.connect("E5", "E40", bw::spiking::rules::fixed_indegree{20}, {.weight = {15.0}, .delay = {1.0}}, 1);
        net.connect("E40", "E5", bw::spiking::rules::fixed_indegree{20}, {.weight = {15.0}, .delay = {1.0}}, 2);
        const auto in5 = net.add({.target = "E5", .receptor = "ex", .rate = 0.0, .weight = 30.0, .seed = 4});
        const auto in40 = net.add({.target = "E40", .receptor = "ex", .rate = 0.0, .weight = 30.0, .seed = 5});
        net.set_threads(threads);
        auto side = cs::network_side(
            net,
            std::tuple{cs::rates_in{.region = 5, .input = in5, .to_rate = cs::chain<cs::linear, cs::clamp>{cs::linear{2e4}, cs::clamp{}}},
                       cs::rates_in{.region = 40, .input = in40, .to_rate = cs::chain<cs::linear, cs::clamp>{cs::linear{2e4}, cs::clamp{}}}},
            std::tuple{cs::rate_out{.population = "E5", .region = 5, .variable = "S_e", .from_rate = cs::rww_gating{}},
                       cs::rate_out{.population = "E40", .region = 40, .variable = "S_e", .from_rate = cs::rww_gating{}}});
        auto& spikes = net.record_spikes("E40");
        cs::cosimulator co(sim, side, 1.0);
        if (load) co.load_checkpoint(file);
        for (double t : pieces) co.run(t);
        if (save) co.save_checkpoint(file);
        std::vector<std::int64_t> steps(spikes.steps().begin(), spikes.steps().end());
        return std::pair{sim.output<0>().data, steps};
    };
    const auto one = run(1, {100.0});
    REQUIRE(one.second.size() > 50);  // the network is active
    const auto split = run(2, {0.3, 41.7, 58.0});  // pieces shorter than and across sync windows
    CHECK(split.first == one.first);
    CHECK(split.second == one.second);
    const auto three = run(3, {100.0});
    CHECK(three.first == one.first);
    CHECK(three.second == one.second);
    // Saved after 41.7 ms (mid-window: T_sync is 1 ms) on 2 threads, restored into new objects on 1.
    run(2, {0.3, 41.4}, true);
    const auto resumed = run(1, {58.3}, false, true);
    CHECK(resumed.first == one.first);
    CHECK(resumed.second == one.second);
    std::filesystem::remove(file);
}

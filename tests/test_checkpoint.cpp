// Checkpoint/restart: a run saved, restored in a new simulator and continued equals one uninterrupted
// run bit for bit; archives of another simulation, truncated or corrupt files are rejected clearly.
#include "test_helpers.hpp"

#include <brainweave/core/serialize.hpp>

#include <filesystem>
#include <fstream>

namespace bw = brainweave;
namespace m = bw::models;
namespace fs = std::filesystem;

namespace {
fs::path scratch(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / "brainweave_test_checkpoint";
    fs::create_directories(dir);
    return dir / name;
}

using noisy_heun = bw::integrators::heun<bw::noise::additive<>>;

auto make_region_sim(const bw::connectivity& conn) {
    auto sim = bw::make_simulator(
        m::generic_2d_oscillator{}, bw::coupling::difference{.a = 0.01},
        noisy_heun{.dt = 0.1, .noise = {.nsig = {0.001}, .source = bw::noise::philox_normal(5)}}, conn,
        bw::monitors::raw{}, bw::monitors::temporal_average{.period = 1.7},
        bw::monitors::bold{.period = 20.0, .hrf_length = 100.0},
        bw::monitors::balloon_windkessel{.period = 10.0});
    sim.set_random_history(3);
    std::vector<double> w(static_cast<std::size_t>(conn.weights.rows()), 0.0);
    w[4] = 1.0;
    w[40] = 0.5;
    sim.set_stimulus({.weight = w, .temporal = bw::equations::pulse_train{.T = 15.0, .tau = 3.0, .amp = 0.5, .onset = 2.0}});
    return sim;
}

template <std::size_t I, class Sim>
void require_same_output(const Sim& a, const Sim& b) {
    INFO("monitor " << I);
    CHECK(a.template output<I>().time == b.template output<I>().time);
    CHECK(a.template output<I>().data == b.template output<I>().data);
}
template <class Sim>
void require_same_outputs(const Sim& a, const Sim& b) {
    require_same_output<0>(a, b);
    require_same_output<1>(a, b);
    require_same_output<2>(a, b);
    require_same_output<3>(a, b);
}

struct summary {
    double mean = 0;
    std::vector<float> trace;
    std::vector<std::vector<std::int32_t>> groups;
    std::string label;
    template <class A>
    void serialize(A& ar) {
        ar("mean", mean);
        ar("trace", trace);
        ar("groups", groups);
        ar("label", label);
    }
};
}  // namespace

TEST_CASE("a region run restored from a checkpoint equals the uninterrupted run bitwise", "[checkpoint]") {
    const auto conn = bw::io::load_tvb_connectivity(bwtest::data("connectivity/connectivity_76.zip")).with_speed(3.0);
    auto whole = make_region_sim(conn);
    whole.run(123.4);

    const fs::path file = scratch("region.bwck");
    auto first = make_region_sim(conn);
    first.run(57.3);  // mid-window for every monitor
    first.save_checkpoint(file);
    CHECK_FALSE(fs::exists(file.string() + ".partial"));

    auto resumed = make_region_sim(conn);
    resumed.set_random_history(99);  // overwritten by the checkpoint
    resumed.load_checkpoint(file);
    CHECK(resumed.current_step() == first.current_step());
    resumed.run(123.4 - 57.3);
    REQUIRE(resumed.current_step() == whole.current_step());
    CHECK(std::vector<double>(resumed.state().begin(), resumed.state().end()) ==
          std::vector<double>(whole.state().begin(), whole.state().end()));
    REQUIRE(whole.output<1>().n_samples() > 50);
    require_same_outputs(resumed, whole);

    SECTION("a second checkpoint of the restored run continues the same way") {
        resumed.save_checkpoint(file);
        whole.run(30.0);
        auto again = make_region_sim(conn);
        again.load_checkpoint(file);
        again.run(30.0);
        require_same_outputs(again, whole);
    }
}

TEST_CASE("parameter-sweep lanes and run-time monitor lists checkpoint too", "[checkpoint]") {
    const auto conn = bw::io::load_tvb_connectivity(bwtest::data("connectivity/connectivity_76.zip")).with_speed(4.0);
    using lane_t = bw::simd::native_double;
    using sim_t = bw::basic_simulator<lane_t, m::generic_2d_oscillator, bw::coupling::linear, bw::integrators::heun<>,
                                      bw::monitors::any_region_monitor>;
    auto make = [&] {
        bw::monitors::any_region_monitor list;
        list.items = {bw::monitors::temporal_average{.period = 1.3}, bw::monitors::sub_sample{.period = 0.5}};
        sim_t sim({}, bw::coupling::linear{.a = 0.02}, bw::integrators::heun<>{.dt = 0.05}, conn, list);
        std::vector<m::generic_2d_oscillator::parameters> sets(bw::simd::lanes_v<lane_t>);
        for (std::size_t l = 0; l < sets.size(); ++l) sets[l].a = -0.5 + 0.1 * static_cast<double>(l);
        sim.set_lane_parameters(sets);
        sim.set_random_history(8);
        return sim;
    };
    auto whole = make();
    whole.run(40.0);
    const fs::path file = scratch("lanes.bwck");
    auto first = make();
    first.run(17.0);
    first.save_checkpoint(file);
    auto resumed = make();
    resumed.load_checkpoint(file);
    resumed.run(23.0);
    for (std::size_t l = 0; l < bw::simd::lanes_v<lane_t>; ++l)
        for (std::size_t k = 0; k < 2; ++k) {
            CHECK(resumed.monitor<0>(l).at(k).data == whole.monitor<0>(l).at(k).data);
            CHECK(resumed.monitor<0>(l).at(k).time == whole.monitor<0>(l).at(k).time);
        }
}

TEST_CASE("a checkpoint of another simulation, or a damaged file, is rejected naming the cause", "[checkpoint]") {
    const auto conn = bw::io::load_tvb_connectivity(bwtest::data("connectivity/connectivity_76.zip")).with_speed(3.0);
    const fs::path file = scratch("reject.bwck");
    auto sim = make_region_sim(conn);
    sim.run(10.0);
    sim.save_checkpoint(file);

    // another connectome speed: other delays
    auto slower = make_region_sim(conn.with_speed(2.0));
    CHECK_THROWS_WITH(slower.load_checkpoint(file), Catch::Contains("sum of delays") && Catch::Contains("in this simulation"));
    // another model
    auto other = bw::make_simulator(m::jansen_rit{}, bw::coupling::sigmoidal_jansen_rit{}, bw::integrators::heun<>{.dt = 0.1},
                                    conn, bw::monitors::raw{});
    CHECK_THROWS_WITH(other.load_checkpoint(file), Catch::Contains("'region simulator/model'") && Catch::Contains("JansenRit"));
    // another monitor period
    auto other_period = bw::make_simulator(
        m::generic_2d_oscillator{}, bw::coupling::difference{.a = 0.01},
        noisy_heun{.dt = 0.1, .noise = {.nsig = {0.001}, .source = bw::noise::philox_normal(5)}}, conn,
        bw::monitors::raw{}, bw::monitors::temporal_average{.period = 2.0},
        bw::monitors::bold{.period = 20.0, .hrf_length = 100.0}, bw::monitors::balloon_windkessel{.period = 10.0});
    CHECK_THROWS_WITH(other_period.load_checkpoint(file), Catch::Contains("monitor 1/recorder/period in steps"));

    // damaged files
    std::vector<char> bytes;
    {
        std::ifstream f(file, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(f), {});
    }
    auto write = [&](const std::vector<char>& b) {
        std::ofstream f(file, std::ios::binary | std::ios::trunc);
        f.write(b.data(), static_cast<std::streamsize>(b.size()));
    };
    auto fresh = make_region_sim(conn);
    write(std::vector<char>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(bytes.size() / 2)));
    CHECK_THROWS_AS(fresh.load_checkpoint(file), bw::io_error);
    CHECK_THROWS_WITH(fresh.load_checkpoint(file), Catch::Contains("truncated or corrupt"));
    auto flipped = bytes;
    flipped[flipped.size() / 2] ^= 0x10;
    write(flipped);
    CHECK_THROWS_WITH(fresh.load_checkpoint(file), Catch::Contains("checksum"));
    write({'n', 'o', 't', ' ', 'o', 'n', 'e'});
    CHECK_THROWS_WITH(fresh.load_checkpoint(file), Catch::Contains("not a brainweave archive"));
    CHECK_THROWS_WITH(fresh.load_checkpoint(scratch("missing.bwck")), Catch::Contains("cannot open"));
    // a failed restore leaves nothing half-loaded that a run would silently use: the saved archive
    // restores into the same simulator afterwards
    write(bytes);
    fresh.load_checkpoint(file);
    CHECK(fresh.current_step() == sim.current_step());
}

TEST_CASE("serial archives round-trip values and name the record that does not match", "[checkpoint]") {
    const summary s{1.5, {1.f, 2.f}, {{1, -2}, {}, {3}}, "set 4"};
    bw::serial::writer w;
    w("summary", s);
    summary back;
    bw::serial::reader r(w.bytes(), "test bytes");
    r("summary", back);
    CHECK(r.at_end());
    CHECK(back.mean == s.mean);
    CHECK(back.trace == s.trace);
    CHECK(back.groups == s.groups);
    CHECK(back.label == s.label);

    bw::serial::reader wrong_name(w.bytes(), "test bytes");
    double d = 0;
    CHECK_THROWS_WITH(wrong_name("other", d), Catch::Contains("record 'other'") && Catch::Contains("found 'summary'"));
    bw::serial::writer w2;
    w2("x", std::vector<double>{1, 2, 3});
    bw::serial::reader wrong_kind(w2.bytes(), "test bytes");
    std::vector<std::int64_t> ints;
    CHECK_THROWS_WITH(wrong_kind("x", ints), Catch::Contains("holds double (8-byte) values, expected signed integer"));
    auto cut = w2.bytes();
    cut.erase(cut.end() - 3, cut.end());  // (resize() here draws a false -Warray-bounds from GCC 12 with sanitizers)
    bw::serial::reader truncated(cut, "test bytes");
    std::vector<double> v;
    CHECK_THROWS_AS(truncated("x", v), bw::io_error);
}

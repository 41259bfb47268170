// NWB and SONATA output (brainweave::hdf5): every kind of object written, read back through HDF5
// and checked against the specifications (NWB: the schema texts the file caches, by
// nwb_validator.hpp; SONATA: the spike-file and report layout of the SONATA specification);
// streaming equals writing at once; an interrupted run leaves a file that says so.
#include "nwb_validator.hpp"
#include "test_helpers.hpp"

#include <brainweave/io/nwb/file.hpp>
#include <brainweave/io/sonata.hpp>
#include <brainweave/spiking.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <regex>

namespace bw = brainweave;
namespace h5 = brainweave::hdf5;
namespace nwb = brainweave::nwb;
namespace sp = brainweave::spiking;
namespace sonata = brainweave::sonata;

namespace {
void require_valid(const std::filesystem::path& p) {
    auto f = h5::file::open(p);
    bwtest::nwb_validator v(f);
    const auto problems = v.validate_all();
    for (const auto& s : problems) UNSCOPED_INFO(s);
    REQUIRE(problems.empty());
}
bool is_uuid4(const std::string& s) {
    return std::regex_match(s, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
}
}  // namespace

TEST_CASE("hdf5: attributes, datasets, appendable datasets and errors", "[hdf5]") {
    const auto dir = bwtest::temp_dir("hdf5_basics");
    {
        auto f = h5::file::create(dir / "a.h5");
        auto g = f.root().create_group("g");
        g.write_attribute("text", "héllo");
        const std::vector<std::string> names{"a", "bb", ""};
        g.write_attribute("names", std::span<const std::string>(names));
        g.write_attribute("f32", 1.5f);
        const std::uint32_t v[2] = {0, 1};
        g.write_attribute("v", std::span<const std::uint32_t>(v, 2));
        g.write_reference_attribute("ref", "/g");
        g.write_enum_attribute("e", names, 1);
        h5::appendable<double> a(g, "x", {3}, 64);
        const std::vector<double> rows{1, 2, 3, 4, 5, 6};
        a.append(rows);
        a.append(std::span<const double>(rows).first(3));
        CHECK_THROWS_WITH(a.append(std::span<const double>(rows).first(2)), Catch::Contains("not whole rows of 3"));
        CHECK(a.rows() == 3);
        f.close();
    }
    auto f = h5::file::open(dir / "a.h5");
    const auto g = f.root().open("g");
    CHECK(g.read_string_attribute("text") == "héllo");
    CHECK(g.read_string_attribute_array("names") == std::vector<std::string>{"a", "bb", ""});
    CHECK(g.attribute_class("f32") == H5T_FLOAT);
    CHECK(g.attribute_type_size("f32") == 4);
    CHECK(g.read_numeric_attribute<std::uint32_t>("v") == std::vector<std::uint32_t>{0, 1});
    CHECK(g.read_reference_attribute("ref") == "/g");
    CHECK(g.read_enum_attribute("e") == "bb");
    const auto x = g.open("x");
    CHECK(x.shape() == std::vector<hsize_t>{3, 3});
    CHECK(x.chunks().size() == 2);
    CHECK(x.read<double>() == std::vector<double>{1, 2, 3, 4, 5, 6, 1, 2, 3});
    CHECK(x.read_rows<double>(1, 2) == std::vector<double>{4, 5, 6, 1, 2, 3});
    CHECK_THROWS_WITH(g.open("missing"), Catch::Contains("a.h5") && Catch::Contains("/g") && Catch::Contains("no object 'missing'"));
    CHECK_THROWS_WITH(h5::file::open(dir / "none.h5"), Catch::Contains("none.h5' does not exist"));
    {
        std::ofstream(dir / "text.h5") << "not hdf5";
    }
    CHECK_THROWS_WITH(h5::file::open(dir / "text.h5"), Catch::Contains("is not an HDF5 file"));
    CHECK_THROWS_AS(h5::file::create(dir / "no_such_folder" / "x.h5"), bw::io_error);
}

TEST_CASE("nwb: every kind of object, read back and checked against the cached NWB specifications", "[hdf5][nwb]") {
    const auto dir = bwtest::temp_dir("nwb_objects");
    const auto path = dir / "all.nwb";
    {
        nwb::file f(path, {.session_description = "test", .identifier = "test-file", .notes = "done",
                           .experimenter = "brainweave tests"});
        // A regular series with region labels, in ms (time_scale 1e-3 -> s).
        nwb::series_options o{.name = "tavg", .unit = "a.u.", .rate_hz = 1000.0};
        nwb::describe_regions(o, "TemporalAverage", {"V", "W"}, {"rA", "rB", "rC"});
        auto& ts = f.add_time_series(o);
        std::vector<double> v(2 * 2 * 3);
        std::iota(v.begin(), v.end(), 0.0);
        ts.append(std::vector<double>{0.5, 1.5}, v, {2, 3});
        ts.append(std::vector<double>{2.5}, std::span<const double>(v).first(6), {2, 3});
        CHECK_THROWS_WITH(ts.append(std::vector<double>{4.0}, std::span<const double>(v).first(6), {2, 3}),
                          Catch::Contains("not on the regular grid"));
        CHECK_THROWS_WITH(ts.append(std::vector<double>{3.5}, std::span<const double>(v).first(3), {3}),
                          Catch::Contains("shape of a sample changed"));
        // Irregular time stamps in a processing module.
        auto& irr = f.add_time_series({.name = "rate", .unit = "Hz", .module = "rates"});
        irr.append(std::vector<double>{0.0, 0.7, 3.1}, std::vector<double>{1, 2, 3}, {1});
        CHECK_THROWS_WITH(f.add_time_series({.name = "rate", .module = "rates"}), Catch::Contains("exists already"));
        // Units with spikes spilled to the scratch file and grouped in several passes.
        auto& units = f.units();
        units.spill_at = 4;
        units.memory_budget = 3;
        units.set_resolution(1e-4);
        const auto e = units.add_population("E", 3, "rM1");
        const auto i = units.add_population("I", std::vector<std::string>{"rS1", "rS1"});
        units.append(e, std::vector<std::uint32_t>{0, 2, 0, 1, 0}, std::vector<double>{0.1, 0.2, 0.3, 0.4, 0.5});
        units.append(i, std::vector<std::uint32_t>{1, 1, 0}, std::vector<double>{0.15, 0.25, 0.35});
        CHECK(std::filesystem::exists(path.string() + ".spikes.tmp"));
        CHECK_THROWS_WITH(units.append(i, std::vector<std::uint32_t>{2}, std::vector<double>{0.4}),
                          Catch::Contains("outside population 'I' of 2"));
        // Compartments: two cells with three and one compartments, and a series over them.
        nwb::compartments_info c;
        c.cell_ids = {10, 11};
        c.numbers = {{0, 1, 2}, {0}};
        c.positions = {{0.5, 0.1, 0.9}, {0.5}};
        c.labels = {{"soma", "dend", "dend"}, {"soma"}};
        const auto where = f.add_compartments(c);
        CHECK(where == "/acquisition/compartments");
        auto& vm = f.add_compartment_series({.name = "membrane_potential", .unit = "mV", .rate_hz = 10000.0}, where);
        vm.append(std::vector<double>{0.0, 0.1}, std::vector<double>{-65, -64, -63, -70, -65.5, -64.5, -63.5, -69}, {4});
        CHECK_THROWS_WITH(f.add_compartment_series({.name = "x"}, "/acquisition/none"), Catch::Contains("no Compartments table"));
        f.add_time_series({.name = "empty", .unit = "mV"});  // written with no samples
        // Extracellular: a laminar probe of 3 contacts and an LFP series over them (mV -> volts).
        CHECK_THROWS_WITH(f.add_electrical_series({.name = "lfp"}, {0}), Catch::Contains("declare the electrodes"));
        nwb::electrode_group_info probe;
        probe.name = "laminar";
        probe.positions = {{0, 0, 0}, {0, 0, -100}, {0, 0, -200}};
        probe.locations = {"L1", "L2/3", "L2/3"};
        const auto rows = f.add_electrodes({probe});
        CHECK(rows == std::vector<std::vector<std::int64_t>>{{0, 1, 2}});
        CHECK_THROWS_WITH(f.add_electrodes({probe}), Catch::Contains("declared once"));
        auto& lfp = f.add_electrical_series({.name = "lfp", .rate_hz = 10000.0, .conversion = 1e-3}, rows[0]);
        lfp.append(std::vector<double>{0.0, 0.1}, std::vector<double>{0.01, 0.02, 0.03, 0.04, 0.05, 0.06}, {3});
        CHECK_THROWS_WITH(f.add_electrical_series({.name = "bad"}, {7}), Catch::Contains("electrode 7 is not a row"));
        f.close();
    }
    CHECK_FALSE(std::filesystem::exists(path.string() + ".spikes.tmp"));
    require_valid(path);

    auto f = h5::file::open(path);
    const auto root = f.root();
    // Root attributes and required datasets (NWBFile in nwb.file.yaml).
    CHECK(root.read_string_attribute("nwb_version") == "2.7.0");
    CHECK(root.read_string_attribute("neurodata_type") == "NWBFile");
    CHECK(root.read_string_attribute("namespace") == "core");
    CHECK(is_uuid4(root.read_string_attribute("object_id")));
    CHECK(root.read_reference_attribute(".specloc") == "/specifications");
    CHECK(root.open("identifier").read_strings() == std::vector<std::string>{"test-file"});
    CHECK(std::regex_match(root.open("session_start_time").read_strings().at(0),
                           std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00)")));
    CHECK(root.open("file_create_date").shape() == std::vector<hsize_t>{1});
    for (const char* g : {"acquisition", "analysis", "processing", "stimulus/presentation", "stimulus/templates", "general"})
        CHECK(root.kind_of(g) == h5::kind::group);
    CHECK(root.open("general/notes").read_strings().at(0) == "done");
    for (const char* ns : {"core/2.7.0", "hdmf-common/1.8.0", "hdmf-experimental/0.5.0", "simulation_output/0.2.0"}) {
        INFO(ns);
        const auto doc = nlohmann::json::parse(root.open(std::string("specifications/") + ns + "/namespace").read_strings().at(0));
        for (const auto& s : doc["namespaces"][0]["schema"])
            if (s.contains("source")) CHECK(root.exists(std::string("specifications/") + ns + "/" + s["source"].get<std::string>()));
    }
    // The regular series: data in (time, variable, region), times as starting_time + rate.
    const auto tavg = root.open("acquisition/tavg");
    CHECK(tavg.open("data").shape() == std::vector<hsize_t>{3, 2, 3});
    CHECK(tavg.open("data").chunks().size() == 3);
    CHECK(tavg.open("data").read<double>().back() == 5.0);
    CHECK(tavg.open("starting_time").read<double>() == std::vector<double>{0.5e-3});
    CHECK(tavg.open("starting_time").read_numeric_attribute<float>("rate").at(0) == 1000.0f);
    CHECK(tavg.read_string_attribute("description").find("region labels in order: rA, rB, rC") != std::string::npos);
    const auto comments = nlohmann::json::parse(tavg.read_string_attribute("comments"));
    CHECK(comments["regions"] == nlohmann::json({"rA", "rB", "rC"}));
    CHECK(comments["dimensions"] == nlohmann::json({"time", "state_variable", "region"}));
    const auto rate = root.open("processing/rates/rate");
    CHECK(root.open("processing/rates").read_string_attribute("neurodata_type") == "ProcessingModule");
    CHECK(rate.open("timestamps").read<double>() == std::vector<double>{0.0, 0.7 * 1e-3, 3.1 * 1e-3});
    CHECK(root.open("acquisition/empty/data").shape() == std::vector<hsize_t>{0});
    // Units: spikes grouped per unit in arrival order, index = end offsets, population and region.
    const auto units = root.open("units");
    CHECK(units.open("id").read<std::int64_t>() == std::vector<std::int64_t>{0, 1, 2, 3, 4});
    CHECK(units.open("spike_times_index").read<std::uint64_t>() == std::vector<std::uint64_t>{3, 4, 5, 6, 8});
    CHECK(units.open("spike_times").read<double>() == std::vector<double>{0.1, 0.3, 0.5, 0.4, 0.2, 0.35, 0.15, 0.25});
    CHECK(units.open("spike_times").read_numeric_attribute<double>("resolution") == std::vector<double>{1e-4});
    CHECK(units.open("spike_times_index").read_reference_attribute("target") == "/units/spike_times");
    CHECK(units.open("population").read_strings() == std::vector<std::string>{"E", "E", "E", "I", "I"});
    CHECK(units.open("region").read_strings() == std::vector<std::string>{"rM1", "rM1", "rM1", "rS1", "rS1"});
    CHECK(units.read_string_attribute_array("colnames") == std::vector<std::string>{"spike_times", "population", "region"});
    // Compartments and the CompartmentSeries linking them (simulation_output).
    const auto comp = root.open("acquisition/compartments");
    CHECK(comp.read_string_attribute("namespace") == "simulation_output");
    CHECK(comp.open("number").read<std::int64_t>() == std::vector<std::int64_t>{0, 1, 2, 0});
    CHECK(comp.open("number_index").read<std::uint64_t>() == std::vector<std::uint64_t>{3, 4});
    CHECK(comp.open("label").read_strings() == std::vector<std::string>{"soma", "dend", "dend", "soma"});
    CHECK(comp.open("id").read<std::int64_t>() == std::vector<std::int64_t>{10, 11});
    const auto ms = root.open("acquisition");
    CHECK(ms.open("membrane_potential").link_target("compartments") == "/acquisition/compartments");
    CHECK(ms.open("membrane_potential").read_string_attribute("neurodata_type") == "CompartmentSeries");
    CHECK(ms.open("membrane_potential/data").shape() == std::vector<hsize_t>{2, 4});
    // The electrodes table, its group and device, and the ElectricalSeries' region.
    const auto el = root.open("general/extracellular_ephys/electrodes");
    CHECK(el.read_string_attribute("neurodata_type") == "DynamicTable");
    CHECK(el.open("z").read<float>() == std::vector<float>{0, -100, -200});
    CHECK(el.open("location").read_strings() == std::vector<std::string>{"L1", "L2/3", "L2/3"});
    CHECK(el.open("group").type_class() == H5T_REFERENCE);
    CHECK(root.open("general/extracellular_ephys/laminar").link_target("device") == "/general/devices/simulated_probe");
    const auto es = root.open("acquisition/lfp");
    CHECK(es.read_string_attribute("neurodata_type") == "ElectricalSeries");
    CHECK(es.open("data").read_string_attribute("unit") == "volts");
    CHECK(es.open("data").read_numeric_attribute<float>("conversion").at(0) == 1e-3f);
    CHECK(es.open("electrodes").read<std::int64_t>() == std::vector<std::int64_t>{0, 1, 2});
    CHECK(es.open("electrodes").read_reference_attribute("table") == "/general/extracellular_ephys/electrodes");
}

TEST_CASE("nwb: the validator rejects files that break the specification", "[hdf5][nwb]") {
    const auto dir = bwtest::temp_dir("nwb_invalid");
    const auto path = dir / "bad.nwb";
    {
        nwb::file f(path);
        f.add_time_series({.name = "s", .unit = "mV", .rate_hz = 10.0})
            .append(std::vector<double>{0.0}, std::vector<double>{1.0}, {1});
        f.close();
    }
    require_valid(path);
    {
        auto f = h5::file::open(path, true);
        H5Adelete(f.root().open("acquisition/s/data").id(), "unit");
        H5Adelete(f.root().open("acquisition/s/starting_time").id(), "rate");
        f.root().open("acquisition/s/starting_time").write_attribute("unit", "ms");
        H5Ldelete(f.root().id(), "session_description", H5P_DEFAULT);
    }
    auto f = h5::file::open(path);
    bwtest::nwb_validator v(f);
    const auto problems = v.validate_all();
    auto has = [&](const std::string& s) {
        return std::ranges::any_of(problems, [&](const std::string& p) { return p.find(s) != std::string::npos; });
    };
    CHECK(has("/: required dataset 'session_description' is missing"));
    CHECK(has("/acquisition/s/data: required attribute 'unit' is missing"));
    CHECK(has("/acquisition/s/starting_time: required attribute 'rate' is missing"));
    CHECK(has("/acquisition/s/starting_time: attribute 'unit' must be 'seconds'"));
}

TEST_CASE("nwb: a region simulation streamed in chunks equals its in-memory output", "[hdf5][nwb]") {
    const auto dir = bwtest::temp_dir("nwb_region");
    auto conn = bw::io::load_tvb_connectivity(bwtest::data("connectivity/connectivity_76.zip")).with_speed(4.0);
    auto make = [&] {
        auto sim = bw::make_simulator(bw::models::generic_2d_oscillator{}, bw::coupling::linear{.a = 0.0042},
                                      bw::integrators::heun<>{.dt = 0.1}, conn,
                                      bw::monitors::temporal_average{.period = 1.0}, bw::monitors::raw{});
        sim.set_random_history(3);
        return sim;
    };
    auto whole = make();
    whole.run(40.0);
    const auto path = dir / "region.nwb";
    {
        auto sim = make();
        nwb::file f(path);
        nwb::series_options o{.name = "tavg", .unit = "a.u.", .rate_hz = 1000.0};
        nwb::describe_regions(o, "TemporalAverage", {"V", "W"}, conn.region_labels);
        auto& tavg = f.add_time_series(o);
        auto& raw = f.add_time_series({.name = "raw", .unit = "a.u."});  // time stamps
        for (int chunk = 0; chunk < 4; ++chunk) {
            sim.run(10.0);
            nwb::drain(tavg, sim.monitor<0>());
            nwb::drain(raw, sim.monitor<1>());
            CHECK(sim.output<0>().n_samples() == 0);
            f.flush();
        }
        f.close();
    }
    require_valid(path);
    auto f = h5::file::open(path);
    const auto tavg = f.root().open("acquisition/tavg/data");
    CHECK(tavg.shape() == std::vector<hsize_t>{40, 2, 76});
    CHECK(tavg.read<double>() == whole.output<0>().data);
    const auto raw = f.root().open("acquisition/raw");
    CHECK(raw.open("data").read<double>() == whole.output<1>().data);
    auto t = whole.output<1>().time;
    for (auto& x : t) x *= 1e-3;
    CHECK(raw.open("timestamps").read<double>() == t);
}

TEST_CASE("nwb and sonata: spikes and membrane potentials of a spiking network", "[hdf5][nwb][sonata]") {
    const auto dir = bwtest::temp_dir("nwb_spiking");
    auto make = [] {
        sp::network net(0.1, sp::poisson_generator("pg", 50, 40.0, 7), sp::population<sp::models::iaf_psc_exp>("E", 20));
        net.connect("pg", "E", sp::rules::fixed_indegree{10}, {.weight = {400.0}, .delay = {1.0}});
        return net;
    };
    auto ref = make();
    auto& ref_spikes = ref.record_spikes("E");
    auto& ref_v = ref.record_state("E", {"V_m", "I_syn_ex"}, {0, 3, 5}, 10);
    ref.run(200.0);
    REQUIRE(ref_spikes.size() > 20);

    auto net = make();
    auto& spikes = net.record_spikes("E");
    auto& v = net.record_state("E", {"V_m", "I_syn_ex"}, {0, 3, 5}, 10);
    const auto nwb_path = dir / "net.nwb";
    {
        nwb::file f(nwb_path);
        auto& units = f.units();
        units.set_resolution(0.1e-3);
        const auto e = units.add_population("E", 20);
        const auto where = f.add_compartments(nwb::compartments_info::point_neurons({0, 3, 5}));
        auto& vm = f.add_compartment_series({.name = "V_m", .unit = "mV", .rate_hz = 1000.0}, where);
        auto& isyn = f.add_compartment_series({.name = "I_syn_ex", .unit = "pA", .rate_hz = 1000.0}, where);
        sonata::spike_file sf(dir / "spikes.h5");
        const auto se = sf.add_population("E");
        const std::array<nwb::series*, 2> per_var{&vm, &isyn};
        for (int k = 0; k < 4; ++k) {
            net.run(50.0);
            // SONATA gets a copy first (drain clears the recorder).
            std::vector<double> t(spikes.steps().size());
            for (std::size_t s = 0; s < t.size(); ++s) t[s] = static_cast<double>(spikes.steps()[s]) * 0.1;
            sf.append(se, spikes.senders(), t);
            units.drain(e, spikes, 0.1e-3);
            nwb::drain(per_var, v, 0.1);
        }
        sf.close();
        f.close();
    }
    require_valid(nwb_path);
    auto f = h5::file::open(nwb_path);
    const auto units = f.root().open("units");
    const auto idx = units.open("spike_times_index").read<std::uint64_t>();
    const auto st = units.open("spike_times").read<double>();
    REQUIRE(idx.size() == 20);
    REQUIRE(st.size() == ref_spikes.size());
    // Unit u's spikes are those of neuron u in the reference, in time order.
    for (std::uint32_t u = 0; u < 20; ++u) {
        std::vector<double> want;
        for (std::size_t k = 0; k < ref_spikes.size(); ++k)
            if (ref_spikes.senders()[k] == u) want.push_back(static_cast<double>(ref_spikes.steps()[k]) * 0.1e-3);
        const std::vector<double> got(st.begin() + static_cast<std::ptrdiff_t>(u ? idx[u - 1] : 0),
                                      st.begin() + static_cast<std::ptrdiff_t>(idx[u]));
        CHECK(got == want);
    }
    CHECK(f.root().open("acquisition/V_m/data").read<double>() == ref_v.data(0));
    CHECK(f.root().open("acquisition/I_syn_ex/data").read<double>() == ref_v.data(1));

    // SONATA spikes: root magic and version, sorting enum, timestamps in ms and node ids.
    auto s = h5::file::open(dir / "spikes.h5");
    CHECK(s.root().read_numeric_attribute<std::uint32_t>("magic") == std::vector<std::uint32_t>{0x0A7A});
    CHECK(s.root().read_numeric_attribute<std::uint32_t>("version") == std::vector<std::uint32_t>{0, 1});
    CHECK(s.root().read_string_attribute("status") == "complete");
    const auto pop = s.root().open("spikes/E");
    CHECK(pop.read_enum_attribute("sorting") == "by_time");
    CHECK(pop.open("timestamps").read_string_attribute("units") == "ms");
    CHECK(pop.open("node_ids").type_class() == H5T_INTEGER);
    CHECK_FALSE(pop.open("node_ids").type_is_signed());
    CHECK(pop.open("node_ids").read<std::uint32_t>() == ref_spikes.senders());
    const auto ts = pop.open("timestamps").read<double>();
    REQUIRE(ts.size() == ref_spikes.size());
    for (std::size_t k = 0; k < ts.size(); ++k) CHECK(ts[k] == static_cast<double>(ref_spikes.steps()[k]) * 0.1);

    // The readers (spike trains as inputs, e.g. of the hybrid LFP scheme) give the same spikes back.
    const auto u = nwb::read_units(nwb_path);
    REQUIRE(u.id.size() == 20);
    CHECK(u.population == std::vector<std::string>(20, "E"));
    for (std::uint32_t k = 0; k < 20; ++k)
        CHECK(u.spike_times_s[k] == std::vector<double>(st.begin() + static_cast<std::ptrdiff_t>(k ? idx[k - 1] : 0),
                                                        st.begin() + static_cast<std::ptrdiff_t>(idx[k])));
    const auto back = sonata::read_spikes(dir / "spikes.h5");
    CHECK(back.senders == ref_spikes.senders());
    CHECK(back.times == ts);
    CHECK_THROWS_WITH(sonata::read_spikes(dir / "spikes.h5", "I"), Catch::Contains("has no population 'I'"));
    CHECK_THROWS_WITH(nwb::read_units(dir / "spikes.h5"), Catch::Contains("has no Units table"));
}

TEST_CASE("sonata: a compartment report's data, mapping and time", "[hdf5][sonata]") {
    const auto dir = bwtest::temp_dir("sonata_report");
    sp::network net(0.1, sp::population<sp::models::iaf_psc_exp>("E", 4));
    net.group<0>().inject(sp::step_current::dc(300.0, {1, 2}));
    auto& v = net.record_state("E", {"V_m"}, {1, 2, 3}, 5);
    {
        sonata::report_file r(dir / "v.h5", "E", {.node_ids = {1, 2, 3}}, 0.0, 0.5, "mV");
        CHECK_THROWS_WITH(sonata::report_file(dir / "bad.h5", "E", {.node_ids = {1}, .elements_per_node = {1, 2}}, 0, 1, "mV"),
                          Catch::Contains("one entry per node"));
        const std::array<sonata::report_file*, 1> per_var{&r};
        net.run(20.0);
        sonata::drain(per_var, v);
        r.flush();
        net.run(20.0);
        sonata::drain(per_var, v);
        r.close();
    }
    auto f = h5::file::open(dir / "v.h5");
    const auto rep = f.root().open("report/E");
    CHECK(rep.open("data").shape() == std::vector<hsize_t>{80, 3});
    CHECK(rep.open("data").type_size() == 4);  // float32
    CHECK(rep.open("data").read_string_attribute("units") == "mV");
    CHECK(rep.open("mapping/node_ids").read<std::uint64_t>() == std::vector<std::uint64_t>{1, 2, 3});
    CHECK(rep.open("mapping/index_pointers").read<std::uint64_t>() == std::vector<std::uint64_t>{0, 1, 2, 3});
    CHECK(rep.open("mapping/element_ids").read<std::uint64_t>() == std::vector<std::uint64_t>{0, 0, 0});
    CHECK(rep.open("mapping/element_pos").read<float>() == std::vector<float>{0.5f, 0.5f, 0.5f});
    CHECK(rep.open("mapping/time").read<double>() == std::vector<double>{0.0, 40.0, 0.5});
    CHECK(rep.open("mapping/time").read_string_attribute("units") == "ms");
    const auto d = rep.open("data").read<float>();
    CHECK(d[0] == -70.0f);          // neuron 1 at rest at t = 0
    CHECK(d[3 * 10 + 0] > -70.0f);  // and depolarised by its current later
    CHECK(d[3 * 10 + 2] == -70.0f); // neuron 3 has no current
}

TEST_CASE("nwb and sonata: a run that dies before close() leaves files that say they are incomplete", "[hdf5][nwb]") {
    const auto dir = bwtest::temp_dir("nwb_interrupted");
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // the "simulation": writes, flushes, and dies without closing
        nwb::file f(dir / "cut.nwb");
        auto& s = f.add_time_series({.name = "s", .unit = "mV", .rate_hz = 1000.0});
        auto& u = f.units();
        u.add_population("E", 2);
        s.append(std::vector<double>{0.0, 1.0, 2.0}, std::vector<double>{1, 2, 3}, {1});
        sonata::spike_file sf(dir / "cut_spikes.h5");
        sf.add_population("E");
        f.flush();
        sf.flush();
        _exit(3);
    }
    int status = 0;
    waitpid(child, &status, 0);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 3);
    auto f = h5::file::open(dir / "cut.nwb");
    CHECK(f.root().open("general/notes").read_strings().at(0).rfind("INCOMPLETE", 0) == 0);
    CHECK(f.root().open("acquisition/s/data").read<double>() == std::vector<double>{1, 2, 3});
    CHECK_FALSE(f.root().exists("units"));
    auto s = h5::file::open(dir / "cut_spikes.h5");
    CHECK(s.root().read_string_attribute("status").rfind("incomplete", 0) == 0);
    // An exception unwinding through the writer (destructor without close()) says the same.
    {
        nwb::file g(dir / "thrown.nwb");
        g.add_time_series({.name = "s"});
    }
    auto g = h5::file::open(dir / "thrown.nwb");
    CHECK(g.root().open("general/notes").read_strings().at(0).rfind("INCOMPLETE", 0) == 0);
}

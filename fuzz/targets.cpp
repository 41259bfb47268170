// The fuzz targets (targets.hpp). Loaders that read from a path get the bytes in a file of this
// process's scratch folder, named with the extension the loader expects.
#include "targets.hpp"

#include "../tools/brainweave-run/spec.hpp"

#include <brainweave/brainweave.hpp>
#include <brainweave/core/serialize.hpp>
#include <brainweave/io/neuroml/network.hpp>
#include <brainweave/io/sensors.hpp>
#include <brainweave/io/spike_files.hpp>
#include <brainweave/io/swc.hpp>
#include <brainweave/io/tvb_surface.hpp>
#include <brainweave/io/xml.hpp>
#include <brainweave/lems/model.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>

namespace brainweave::fuzz {
namespace {
namespace fs = std::filesystem;

/// A folder of this process for inputs that loaders read from a path.
const fs::path& scratch() {
    static const fs::path dir = [] {
        fs::path d = fs::temp_directory_path() / ("brainweave_fuzz_" + std::to_string(::getpid()));
        fs::create_directories(d);
        return d;
    }();
    return dir;
}

/// Writes the input to scratch()/name and returns the path.
fs::path as_file(const std::string& bytes, const std::string& name) {
    const fs::path p = scratch() / name;
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p;
}

/// Inputs that name files outside the scratch folder (a spec's connectome, an include) could
/// make a loader read a device that never ends; they are skipped, not fuzzed.
bool names_system_paths(const std::string& s) {
    for (const char* p : {"/dev", "/proc", "/sys"})
        if (s.find(p) != std::string::npos) return true;
    return false;
}

using target = std::function<void(const std::string&)>;

const std::map<std::string_view, target>& targets() {
    static const std::map<std::string_view, target> t = {
        {"npy", [](const std::string& b) { (void)io::to_matrix(io::parse_npy(b, "fuzz.npy")); }},
        {"tvb_connectivity",
         [](const std::string& b) {
             const auto c = io::load_tvb_connectivity(as_file(b, "connectivity.zip"));
             c.validate();
             (void)c.delays_in_steps(0.1);
         }},
        {"tvb_surface",
         [](const std::string& b) {
             const auto m = io::load_tvb_surface(as_file(b, "surface.zip"));
             (void)m.vertex_areas();
         }},
        {"region_mapping", [](const std::string& b) { (void)io::load_region_mapping(as_file(b, "region_mapping.txt"), 8, 4); }},
        {"mat", [](const std::string& b) {
             const auto p = as_file(b, "matrix.mat");
             (void)io::read_mat(p);
             (void)io::read_mat_sparse(p);
         }},
        {"swc", [](const std::string& b) { (void)io::parse_swc(b, "fuzz.swc"); }},
        {"sensors", [](const std::string& b) { (void)io::parse_sensors(b, "fuzz.txt"); }},
        {"spikes", [](const std::string& b) { (void)io::load_spikes_text(as_file(b, "spikes.txt")); }},
        {"xml", [](const std::string& b) { (void)io::xml::parse(b, "fuzz.xml"); }},
        {"neuroml",
         [](const std::string& b) {
             if (names_system_paths(b)) return;
             (void)io::neuroml::from_neuroml(io::xml::parse(b, "fuzz.nml"), "fuzz.nml");
         }},
        {"lems",
         [](const std::string& b) {
             if (names_system_paths(b)) return;
             lems::model m;
             m.load(as_file(b, "LEMS_fuzz.xml"));
         }},
        {"lems_expression", [](const std::string& b) { (void)lems::parse_expression(b, "fuzz"); }},
        {"spec",
         [](const std::string& b) {
             if (names_system_paths(b)) return;
             static const bool connectome = [] {  // a 3-region connectome specs can name: "c3"
                 fs::create_directories(scratch() / "c3");
                 std::ofstream(scratch() / "c3" / "weights.txt") << "0 1 2\n1 0 0.5\n2 0.5 0\n";
                 std::ofstream(scratch() / "c3" / "tract_lengths.txt") << "0 10 20\n10 0 5\n20 5 0\n";
                 return true;
             }();
             (void)connectome;
             fs::path out;
             (void)runner::from_spec(as_file(b, "spec.json"), out);
         }},
        {"archive",
         [](const std::string& b) {
             const auto* p = reinterpret_cast<const std::byte*>(b.data());
             serial::reader r(std::span<const std::byte>(p, b.size()), "fuzz archive");
             monitor_output o;
             std::vector<std::vector<double>> v;
             std::string s;
             r("output", o);
             r("lists", v);
             r("text", s);
         }},
    };
    return t;
}
}  // namespace

const std::vector<std::string_view>& target_names() {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> n;
        for (const auto& [k, v] : targets()) n.push_back(k);
        return n;
    }();
    return names;
}

std::string run_target(std::string_view name, const std::uint8_t* data, std::size_t size) {
    const auto it = targets().find(name);
    if (it == targets().end()) throw std::invalid_argument("unknown fuzz target '" + std::string(name) + "'");
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    try {
        it->second(bytes);
    } catch (const brainweave::error& e) {
        return e.what();  // rejected with the library's own exception: the expected outcome for malformed input
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz target %.*s: not a brainweave::error: %s: %s\n", static_cast<int>(name.size()), name.data(),
                     typeid(e).name(), e.what());
        std::abort();
    }
    return {};
}

}  // namespace brainweave::fuzz

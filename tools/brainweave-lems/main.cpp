// brainweave-lems: runs a LEMS simulation file of a NeuroML2 point-neuron network (lems/).
//
//   brainweave-lems LEMS_net.xml -I path/to/NeuroML2CoreTypes [-I DIR ...] [--out DIR]
//
// Writes the files its OutputFile and EventOutputFile elements name (into DIR, default: the LEMS
// file's folder) and prints the number of instances, steps and events.
#include <brainweave/lems/simulation.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    std::vector<std::string> args(argv + 1, argv + argc);
    fs::path file, out;
    std::vector<fs::path> include;
    const char* usage = "usage: brainweave-lems LEMS_FILE.xml [-I INCLUDE_DIR]... [--out DIR]\n";
    try {
        for (std::size_t k = 0; k < args.size(); ++k) {
            auto value = [&]() -> std::string {
                if (k + 1 >= args.size()) throw brainweave::config_error("option " + args[k] + " needs a value");
                return args[++k];
            };
            if (args[k] == "-I") include.emplace_back(value());
            else if (args[k].rfind("-I", 0) == 0) include.emplace_back(args[k].substr(2));
            else if (args[k] == "--out") out = value();
            else if (args[k] == "-h" || args[k] == "--help") {
                std::fputs(usage, stdout);
                return 0;
            } else if (!args[k].empty() && args[k][0] == '-') throw brainweave::config_error("unknown option '" + args[k] + "'\n" + usage);
            else if (file.empty()) file = args[k];
            else throw brainweave::config_error("more than one LEMS file given");
        }
        if (file.empty()) {
            std::fputs(usage, stderr);
            return 2;
        }
        brainweave::lems::model m;
        m.load(file, include);
        brainweave::lems::simulation sim(m);
        const auto t0 = std::chrono::steady_clock::now();
        sim.run();
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (!out.empty()) fs::create_directories(out);
        sim.write(out);
        std::size_t events = 0;
        for (const auto& f : sim.event_outputs()) events += f.events.size();
        std::printf("%s: %zu instances, %lld steps of %g s, %zu recorded events, %zu output files; wall %.2f s\n",
                    file.string().c_str(), sim.instances(), static_cast<long long>(std::llround(sim.length() / sim.dt())), sim.dt(),
                    events, sim.outputs().size() + sim.event_outputs().size(), wall);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brainweave-lems: error: %s\n", e.what());
        return 2;
    }
}

// A consumer of the installed brainweave::hdf5 component: writes a small NWB file and a SONATA
// spike file.
#include <brainweave/io/nwb/file.hpp>
#include <brainweave/io/sonata.hpp>

#include <cstdio>
#include <vector>

int main() {
    namespace bw = brainweave;
    bw::nwb::file f("consumer.nwb", {.session_description = "consumer test"});
    f.add_time_series({.name = "x", .unit = "a.u.", .rate_hz = 1000.0})
        .append(std::vector<double>{0.0, 1.0}, std::vector<double>{1.0, 2.0}, {1});
    f.close();
    bw::sonata::spike_file s("consumer_spikes.h5");
    s.append(s.add_population("p"), std::vector<std::uint32_t>{0}, std::vector<double>{1.0});
    s.close();
    std::puts("consumer_hdf5: wrote consumer.nwb and consumer_spikes.h5");
    return 0;
}

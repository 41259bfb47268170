#pragma once
// What the co-simulator asks of the side that simulates the proxy regions: brainweave's spiking
// engine (network_side), a stand-in that integrates the mean-field model (mean_field_side), or a
// side in other MPI ranks (mpi.hpp).
//
// | expression                       | meaning                                                    |
// |----------------------------------|------------------------------------------------------------|
// | s.inputs()                       | std::vector<input_port>: the region signals the side needs |
// |                                  | (one value per region step and port)                       |
// | s.outputs()                      | std::vector<output_port>: the proxy state variables it     |
// |                                  | returns (one value per region step and port)              |
// | s.start(dt, step)                | before the first window: the region dt (ms) and step       |
// | s.advance(step, W, in, out)      | simulates region steps step .. step + W - 1; in is         |
// |                                  | [input port][W], the signal for each step; out is          |
// |                                  | [output port][W], the state after each step                |
// | s.finish()                       | after the last window                                      |
//
// The region signal of an input port is the coupling term that the region simulator would hand
// the proxy region's model at that step (TVB's coupling of the region, i.e. the delayed activity
// of the regions projecting to it); the co-simulator computes it from the delayed history.
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace brainweave::cosim {

/// A region signal sent to the spiking side: coupling term `term` (mode `mode`) of `region`.
struct input_port {
    std::size_t region = 0, term = 0, mode = 0;
};
/// A proxy state variable returned by the spiking side: `variable` (mode `mode`) of `region`.
struct output_port {
    std::size_t region = 0;
    std::string variable;
    std::size_t mode = 0;
};

template <class S>
concept spiking_side = requires(S s, double dt, std::int64_t step, std::size_t w, std::span<const double> in,
                                std::span<double> out) {
    { s.inputs() } -> std::convertible_to<std::vector<input_port>>;
    { s.outputs() } -> std::convertible_to<std::vector<output_port>>;
    s.start(dt, step);
    s.advance(step, w, in, out);
    s.finish();
};

}  // namespace brainweave::cosim

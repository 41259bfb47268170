#pragma once
// Forward declarations of brainweave's main types.
#include <cstddef>

namespace brainweave {
struct connectivity;
struct sparse_connectivity;
template <class V>
class basic_delay_buffer;
using delay_buffer = basic_delay_buffer<double>;
struct monitor_context;
struct monitor_output;
template <class Value, class Model, class Coupling, class Integrator, class... Monitors>
class basic_simulator;
template <class Model, class Coupling, class Integrator, class... Monitors>
using simulator = basic_simulator<double, Model, Coupling, Integrator, Monitors...>;
namespace io {
struct npy_array;
}
}  // namespace brainweave

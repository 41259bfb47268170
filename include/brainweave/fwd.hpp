#pragma once
// Forward declarations of brainweave's main types.
#include <cstddef>

namespace brainweave {
struct connectivity;
struct sparse_connectivity;
class delay_buffer;
struct monitor_context;
struct monitor_output;
template <class Model, class Coupling, class Integrator, class... Monitors>
class simulator;
namespace io {
struct npy_array;
}
}  // namespace brainweave

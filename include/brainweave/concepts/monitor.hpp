#pragma once
// The Monitor concept: what is recorded, when, and in which form.
//
// | expression                           | meaning                                                |
// |--------------------------------------|--------------------------------------------------------|
// | M::name                              | TVB's class name ("TemporalAverage")                   |
// | m.configure(ctx)                     | called once before the first step (monitor_context)    |
// | m.record(step, state, coupling)      | called after every step; state is [var][mode][node],   |
// |                                      | coupling [term][mode][node] (the coupling that the     |
// |                                      | next step will use, as TVB records it); double values  |
// | m.output()                           | const monitor_output&: time stamps and samples         |
// | optional M::uses_coupling            | false if record() never reads the coupling (saves a    |
// |                                      | per-lane copy in sweeps); absent means true            |
// | optional m.reserve_steps(n)          | room for the output of n more steps (called before a   |
// |                                      | run, so that long outputs are not copied as they grow) |
#include <brainweave/monitors/output.hpp>

#include <concepts>
#include <cstdint>
#include <string_view>

namespace brainweave {

/// Whether a monitor reads the coupling terms (true unless it declares otherwise).
template <class M>
constexpr bool monitor_uses_coupling() {
    if constexpr (requires { M::uses_coupling; })
        return M::uses_coupling;
    else
        return true;
}

/// Asks a monitor for room for `steps` more steps of output, if it can say how much that is.
template <class M>
void reserve_monitor(M& m, std::int64_t steps) {
    if constexpr (requires { m.reserve_steps(steps); }) m.reserve_steps(steps);
}

template <class M>
concept Monitor = requires(M m, const M cm, const monitor_context& ctx, const double* p) {
    { M::name } -> std::convertible_to<std::string_view>;
    m.configure(ctx);
    m.record(std::int64_t{0}, p, p);
    { cm.output() } -> std::convertible_to<const monitor_output&>;
};

}  // namespace brainweave

#define BRAINWEAVE_ASSERT_MONITOR(M)                                                                     \
    static_assert(::brainweave::Monitor<M>,                                                              \
                  "brainweave: this type is not a Monitor. A monitor must provide name, "               \
                  "configure(monitor_context), record(step, state, coupling) and output(). "            \
                  "See docs/concepts.md")

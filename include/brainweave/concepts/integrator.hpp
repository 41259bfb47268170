#pragma once
// The Integrator concept: advances one node by one step with its coupling held fixed.
//
// | expression                                   | meaning                                         |
// |----------------------------------------------|-------------------------------------------------|
// | I::name                                      | TVB's class name ("HeunDeterministic")          |
// | i.dt                                         | double, step in ms                              |
// | I::noise_type, i.noise                       | noise::none or a noise process (noise.hpp)      |
// | i.template step<M>(d, x, c, dW, stim)        | x: node state [var][mode], updated in place;    |
// |                                              | c: coupling terms; dW: noise increments (unused |
// |                                              | when the noise is disabled); stim: stimulus per |
// |                                              | state value, or nullptr; all of one value type  |
// |                                              | T (double, float or a SIMD batch)               |
//
// Integrators apply the model's state-variable boundaries after every stage, as TVB does.
#include <brainweave/concepts/model.hpp>

#include <concepts>
#include <string_view>

namespace brainweave {

template <class I>
concept Integrator = requires(I i) {
    { I::name } -> std::convertible_to<std::string_view>;
    { i.dt } -> std::convertible_to<double>;
    typename I::noise_type;
    { I::noise_type::enabled } -> std::convertible_to<bool>;
};

}  // namespace brainweave

#define BRAINWEAVE_ASSERT_INTEGRATOR(I)                                                                  \
    static_assert(::brainweave::Integrator<I>,                                                           \
                  "brainweave: this type is not an Integrator. An integrator must provide name, dt, "    \
                  "noise_type, noise and step<Model>(params, x, c, dW). See docs/concepts.md")

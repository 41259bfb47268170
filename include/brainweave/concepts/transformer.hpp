#pragma once
// The Transformer concept: a causal, possibly stateful map of one signal sampled every dt onto
// another, that couples the two scales of a co-simulation (cosim/transformers.hpp).
//
// | expression        | meaning                                                                 |
// |-------------------|-------------------------------------------------------------------------|
// | T::name           | std::string_view                                                        |
// | t(x, dt)          | the output for the next sample x, dt (ms) after the previous one; may   |
// |                   | advance internal state (filters, integrating transformers)              |
//
// Transformers compose in order with cosim::chain<T1, T2, ...> (itself a Transformer). What turns
// spikes into a signal (binned rates) and a signal into spikes (Poisson trains, currents) sits at
// the ends of a chain, in the co-simulation's ports (cosim/network_side.hpp).
#include <concepts>
#include <string_view>

namespace brainweave {

template <class T>
concept Transformer = requires(T t, double x) {
    { T::name } -> std::convertible_to<std::string_view>;
    { t(x, x) } -> std::convertible_to<double>;
};

}  // namespace brainweave

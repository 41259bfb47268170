#pragma once
// The models the runner knows, with the translation unit that compiles each (so that a parallel
// build spreads the instantiations).
#include "run_model.hpp"

#define BRAINWEAVE_RUNNER_MODELS_A(X)                                                                   \
    X(models::generic_2d_oscillator, "generic_2d_oscillator")                                          \
    X(models::jansen_rit, "jansen_rit")                                                                 \
    X(models::wilson_cowan, "wilson_cowan")                                                             \
    X(models::kuramoto, "kuramoto")                                                                     \
    X(models::sup_hopf, "sup_hopf")                                                                     \
    X(models::linear, "linear")
#define BRAINWEAVE_RUNNER_MODELS_B(X)                                                                   \
    X(models::reduced_wong_wang, "reduced_wong_wang")                                                   \
    X(models::reduced_wong_wang_exc_inh, "reduced_wong_wang_exc_inh")                                   \
    X(models::montbrio_pazo_roxin, "montbrio_pazo_roxin")                                               \
    X(models::coombes_byrne, "coombes_byrne")                                                           \
    X(models::hopfield, "hopfield")                                                                     \
    X(models::hopfield_dynamic, "hopfield_dynamic")
#define BRAINWEAVE_RUNNER_MODELS_C(X)                                                                   \
    X(models::epileptor, "epileptor")                                                                   \
    X(models::larter_breakspear, "larter_breakspear")                                                   \
    X(models::zerlaut_adaptation_first_order, "zerlaut_adaptation_first_order")                         \
    X(models::reduced_set_fitzhugh_nagumo, "reduced_set_fitzhugh_nagumo")                               \
    X(models::reduced_set_hindmarsh_rose, "reduced_set_hindmarsh_rose")
#define BRAINWEAVE_RUNNER_MODELS(X) BRAINWEAVE_RUNNER_MODELS_A(X) BRAINWEAVE_RUNNER_MODELS_B(X) BRAINWEAVE_RUNNER_MODELS_C(X)

namespace brainweave::runner {
#define BRAINWEAVE_DECLARE(M, snake) extern template result run_model<M>(const description&);
BRAINWEAVE_RUNNER_MODELS(BRAINWEAVE_DECLARE)
#undef BRAINWEAVE_DECLARE
}  // namespace brainweave::runner

// Compiles the runner for one group of models (see model_list.hpp).
#include "model_list.hpp"

namespace brainweave::runner {
#define BRAINWEAVE_DEFINE(M, snake) template result run_model<M>(const description&);
BRAINWEAVE_RUNNER_MODELS_A(BRAINWEAVE_DEFINE)
#undef BRAINWEAVE_DEFINE
}  // namespace brainweave::runner

#pragma once
// Compile-time switches. Each may be defined by the user before including any brainweave header.
//
// BRAINWEAVE_CHECK_FINITE (default 1): after every step the simulator checks that the state is
//   finite and throws brainweave::numerical_error naming step, node and variable otherwise.
// BRAINWEAVE_WITH_HDF5, BRAINWEAVE_WITH_MPI: optional backends (not part of the core headers).

#ifndef BRAINWEAVE_CHECK_FINITE
#define BRAINWEAVE_CHECK_FINITE 1
#endif

#include <brainweave/version.hpp>

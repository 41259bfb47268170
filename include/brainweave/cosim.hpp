#pragma once
// Multiscale co-simulation: proxy regions of a region simulation played by spiking networks (or
// any spiking side), coupled through transformers, synchronised every T_sync. See docs/cosim.md.
// The MPI backend (cosim/mpi.hpp) is not included here: it needs BRAINWEAVE_WITH_MPI.
#include <brainweave/concepts/transformer.hpp>
#include <brainweave/cosim/cosimulator.hpp>
#include <brainweave/cosim/mean_field_side.hpp>
#include <brainweave/cosim/network_side.hpp>
#include <brainweave/cosim/spiking_side.hpp>
#include <brainweave/cosim/transformers.hpp>

#pragma once
// brainweave: header-only C++20 library for multiscale brain simulation.
// This umbrella header includes the core only; optional backends (HDF5, MPI) have their own.
#include <brainweave/config.hpp>
#include <brainweave/version.hpp>
#include <brainweave/core/error.hpp>
#include <brainweave/core/parameters.hpp>
#include <brainweave/core/special_functions.hpp>
#include <brainweave/core/state_space.hpp>
#include <brainweave/concepts/coupling.hpp>
#include <brainweave/concepts/integrator.hpp>
#include <brainweave/concepts/model.hpp>
#include <brainweave/concepts/monitor.hpp>
#include <brainweave/connectivity/connectivity.hpp>
#include <brainweave/history/delay_buffer.hpp>
#include <brainweave/models.hpp>
#include <brainweave/coupling.hpp>
#include <brainweave/integrators.hpp>
#include <brainweave/noise/noise.hpp>
#include <brainweave/noise/sources.hpp>
#include <brainweave/monitors/monitors.hpp>
#include <brainweave/simulator/simulator.hpp>
#include <brainweave/sweep/sweep.hpp>
#include <brainweave/io/archive.hpp>
#include <brainweave/io/npy.hpp>
#include <brainweave/io/text_table.hpp>
#include <brainweave/io/tvb_connectivity.hpp>

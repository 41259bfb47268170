#pragma once
// Extracellular signals from multicompartment neurons (docs/lfp.md): morphologies (SWC), NEURON's
// discretization and node graph, the passive cable solver with current-based synapses, and the
// forward models (point/line source LFP, laminar CSD, current dipole moment, four-sphere EEG), and
// the hybrid scheme (cell populations driven by a point-neuron network; per-cell and kernel methods),
// and the analysis of the signals (spectra, coherence, statistics, decimation).
#include <brainweave/analysis/signals.hpp>
#include <brainweave/extracellular/forward_models.hpp>
#include <brainweave/extracellular/four_sphere.hpp>
#include <brainweave/hybrid/populations.hpp>
#include <brainweave/hybrid/scheme.hpp>
#include <brainweave/io/swc.hpp>
#include <brainweave/multicompartment/cable.hpp>
#include <brainweave/multicompartment/discretization.hpp>
#include <brainweave/multicompartment/morphology.hpp>

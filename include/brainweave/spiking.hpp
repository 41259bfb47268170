#pragma once
// The spiking network engine: neuron models, populations, spike sources, projections, devices,
// recorders and the network (docs/spiking.md).
#include <brainweave/spiking/connect.hpp>
#include <brainweave/spiking/description.hpp>
#include <brainweave/spiking/devices.hpp>
#include <brainweave/spiking/input_trains.hpp>
#include <brainweave/spiking/models/aeif_cond.hpp>
#include <brainweave/spiking/models/iaf_cond.hpp>
#include <brainweave/spiking/models/iaf_psc.hpp>
#include <brainweave/spiking/models/izhikevich.hpp>
#include <brainweave/spiking/network.hpp>
#include <brainweave/spiking/neuron_model.hpp>
#include <brainweave/spiking/population.hpp>
#include <brainweave/spiking/projection.hpp>
#include <brainweave/spiking/recorders.hpp>
#include <brainweave/spiking/sources.hpp>

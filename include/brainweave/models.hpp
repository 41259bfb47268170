#pragma once
// All neural-mass models.
#include <brainweave/models/coombes_byrne.hpp>
#include <brainweave/models/epileptor.hpp>
#include <brainweave/models/generic_2d_oscillator.hpp>
#include <brainweave/models/hopfield.hpp>
#include <brainweave/models/jansen_rit.hpp>
#include <brainweave/models/kuramoto.hpp>
#include <brainweave/models/larter_breakspear.hpp>
#include <brainweave/models/linear.hpp>
#include <brainweave/models/montbrio_pazo_roxin.hpp>
#include <brainweave/models/reduced_set_fitzhugh_nagumo.hpp>
#include <brainweave/models/reduced_set_hindmarsh_rose.hpp>
#include <brainweave/models/reduced_wong_wang.hpp>
#include <brainweave/models/reduced_wong_wang_exc_inh.hpp>
#include <brainweave/models/sup_hopf.hpp>
#include <brainweave/models/wilson_cowan.hpp>
#include <brainweave/models/zerlaut_adaptation_first_order.hpp>

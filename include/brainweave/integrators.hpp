#pragma once
#include <brainweave/integrators/integrators.hpp>
#include <brainweave/noise/noise.hpp>

#pragma once
// All coupling functions.
#include <brainweave/coupling/kuramoto.hpp>
#include <brainweave/coupling/linear.hpp>
#include <brainweave/coupling/sigmoidal.hpp>

#!/usr/bin/env bash
# Renders every figure the examples write to PNG with rsvg-convert (librsvg2-bin) and checks that
# each one exists, parses and gives a non-empty PNG.
#   tests/render_figures.sh EXAMPLES_BUILD_DIR
set -euo pipefail
dir=$1
figures=(
  region_g2d_output/region_g2d.svg region_g2d_output/connectome.svg
  resting_state_output/resting_state.svg parameter_sweep_output/parameter_sweep.svg eeg_meg_output/eeg_meg.svg
  cuba_output/cuba.svg cuba_output/cuba_synapses.svg brunel_output/brunel.svg brunel_output/brunel_synapses.svg
  hybrid_brunel_output/hybrid_brunel.svg cortical_column_output/cortical_column.svg
  cortical_column_output/cortical_column_cells.svg multiscale_output/multiscale.svg
  surface_stimulus_output/surface_stimulus.svg
)
status=0
for f in "${figures[@]}"; do
  svg="$dir/$f"
  png="${svg%.svg}.png"
  if [ ! -s "$svg" ]; then echo "MISSING $f"; status=1; continue; fi
  if ! rsvg-convert -o "$png" "$svg"; then echo "FAILED  $f"; status=1; continue; fi
  if [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then echo "NOT PNG $f"; status=1; continue; fi
  echo "rendered $f ($(stat -c %s "$png") bytes)"
done
[ $status -eq 0 ] && echo "all ${#figures[@]} example figures rendered"
exit $status

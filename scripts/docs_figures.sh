#!/usr/bin/env bash
# Re-renders the figures in docs/images from the examples' SVG output (640 px wide PNGs).
#   scripts/docs_figures.sh    (after scripts/test.sh, which runs the examples in build/examples)
set -euo pipefail
cd "$(dirname "$0")/.."
src=build/examples
for f in cuba_output/cuba cuba_output/cuba_synapses region_g2d_output/region_g2d region_g2d_output/connectome \
         parameter_sweep_output/parameter_sweep resting_state_output/resting_state eeg_meg_output/eeg_meg \
         cortical_column_output/cortical_column_cells hybrid_brunel_output/hybrid_brunel brunel_output/brunel brunel_output/brunel_synapses \
         surface_stimulus_output/surface_stimulus; do
  rsvg-convert -w 640 -o "docs/images/$(basename "$f").png" "$src/$f.svg"
done
echo "docs/images updated"

// The partial plotly.js build: core (which brings scatter) plus bar and heatmap, the only trace
// types the figure builders use. Imported lazily by the renderer, so esbuild puts it in its own
// chunk and an output without charts never loads it.
import Plotly from 'plotly.js/lib/core';
import bar from 'plotly.js/lib/bar';
import heatmap from 'plotly.js/lib/heatmap';

Plotly.register([bar, heatmap]);

export default Plotly;
export type { PlotlyApi } from 'plotly.js/lib/core';

// Minimal types for the partial plotly.js build (plotly.js ships no types of its own).
declare module 'plotly.js/lib/core' {
  export interface PlotlyApi {
    react(
      root: HTMLElement,
      data: readonly unknown[],
      layout?: Record<string, unknown>,
      config?: Record<string, unknown>,
    ): Promise<HTMLElement>;
    purge(root: HTMLElement): void;
    register(modules: unknown[]): void;
    Plots: { resize(root: HTMLElement): Promise<void> | void };
    version: string;
  }
  const Plotly: PlotlyApi;
  export default Plotly;
}
declare module 'plotly.js/lib/bar' {
  const trace: unknown;
  export default trace;
}
declare module 'plotly.js/lib/heatmap' {
  const trace: unknown;
  export default trace;
}

/**
 * What a report's page draws, as data: the page script (page-script.ts)
 * turns each ChartSpec into one uPlot chart, so everything a chart shows is
 * decided here, in TypeScript, where tests can read it.
 */

/** How a series is drawn. `points` draws one mark per value (a scatter). */
export type SeriesPath = 'linear' | 'stepped' | 'bars' | 'points';

export interface SeriesSpec {
  label: string;
  color: string;
  path: SeriesPath;
  /** Second y axis (right), for a series in other units. */
  right?: boolean;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** One line under the title: what the chart shows and how to read it. */
  note: string;
  xLabel: string;
  yLabel: string;
  yRightLabel?: string;
  series: SeriesSpec[];
  /**
   * Aligned columns: data[0] the x values (ascending), data[i] the values
   * of series i-1 (null where it has none). A scatter has one x column per
   * series instead: `scatter[i] = [xs, ys]`.
   */
  data?: Array<Array<number | null>>;
  scatter?: Array<[number[], number[]]>;
  /** Names of the y values of a scatter (node names, say), shown on its axis. */
  yNames?: string[];
  /** Shade the run's fault windows over this chart. */
  faults?: boolean;
  /** A time axis in simulated seconds, from 0 to this horizon: every time chart of a run shares it, and the cursor moves on all at once. */
  horizon?: number;
}

/** A fault's time window, shaded on every chart of a run. `end` is null for a fault that is one instant (node_loss) or lasts to the end of the run. */
export interface FaultWindow {
  id: string;
  kind: string;
  targets: string;
  start: number;
  end: number | null;
}

/** Colours for series, in order: distinguishable, and readable on white. */
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

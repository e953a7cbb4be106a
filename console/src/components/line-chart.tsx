import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  /** Dark enough to tell apart on white (3:1 for graphics, WCAG 1.4.11). */
  color: string;
  dash?: number[];
}

const HEIGHT = 220;

/**
 * A live line chart over time (uPlot, on a canvas). The canvas says nothing to a screen reader:
 * the figure's caption and the latest values beside it carry what it shows.
 */
export function LineChart({
  title,
  unit,
  series,
  times,
  values,
}: {
  title: string;
  unit: string;
  series: readonly ChartSeries[];
  /** Seconds since the epoch, oldest first. */
  times: readonly number[];
  /** One array per series, aligned with `times`; null where there was no value. */
  values: readonly (readonly (number | null)[])[];
}) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = container.current!;
    const chart = new uPlot(
      {
        width: element.clientWidth,
        height: HEIGHT,
        legend: { show: false },
        axes: [{}, { label: unit, size: 60 }],
        series: [{}, ...series.map(({ label, color, dash }) => ({ label, stroke: color, width: 2, dash, spanGaps: false }))],
        scales: { y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      },
      [[]],
      element,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [series, unit]);

  useEffect(() => {
    plot.current?.setData([[...times], ...values.map((line) => [...line])] as uPlot.AlignedData);
  }, [times, values]);

  return <div ref={container} className="chart" aria-hidden="true" data-chart={title} />;
}

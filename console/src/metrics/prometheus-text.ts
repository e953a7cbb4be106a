/** One sample of Prometheus' text exposition format: `name{label="value",…} value`. */
export interface Sample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
const ESCAPES: Record<string, string> = { '\\\\': '\\', '\\"': '"', '\\n': '\n' };

function labelsOf(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) return undefined;
    labels[match[1]] = match[2].replace(/\\[\\"n]/g, (escape) => ESCAPES[escape]);
  }
  return labels;
}

function valueOf(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** A scrape: its samples, and the metrics it declares (a labelled counter has no sample before its first count). */
export interface Exposition {
  samples: Sample[];
  families: ReadonlySet<string>;
}

const TYPE_LINE = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) /;

/** Every sample and declared metric of a scrape; HELP lines, comments and lines it cannot read are left out. */
export function parsePrometheusText(text: string): Exposition {
  const samples: Sample[] = [];
  const families = new Set<string>();
  for (const line of text.split('\n')) {
    const declared = TYPE_LINE.exec(line);
    if (declared) families.add(declared[1]);
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line.trim());
    const labels = match && labelsOf(match[2] ?? '');
    if (!match || !labels) continue;
    samples.push({ name: match[1], labels, value: valueOf(match[3]) });
  }
  return { samples, families };
}

type LabelFilter = (labels: Readonly<Record<string, string>>) => boolean;

/** The sum of a metric's samples that pass `filter`; undefined when the scrape has none. */
export function total(samples: readonly Sample[], name: string, filter: LabelFilter = () => true): number | undefined {
  const matching = samples.filter((sample) => sample.name === name && filter(sample.labels));
  return matching.length === 0 ? undefined : matching.reduce((sum, sample) => sum + sample.value, 0);
}

/** A metric summed by one label's values: `saga_states` by `state`. */
export function totalsBy(samples: readonly Sample[], name: string, label: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const sample of samples) {
    if (sample.name !== name) continue;
    const key = sample.labels[label] ?? '';
    totals.set(key, (totals.get(key) ?? 0) + sample.value);
  }
  return totals;
}

import { metrics, trace, type Attributes } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { loadTelemetryApi } from '../../src/telemetry/api.js';
import { activeInstruments } from '../../src/telemetry/instruments.js';

/** A point of a collected metric: its attributes and its value (a number, or a histogram's count and sum). */
export interface Point {
  attributes: Attributes;
  value: number | { count: number; sum: number };
}

/** The OpenTelemetry SDK with in-memory exporters, registered globally for one test. */
export interface TestSdk {
  /** Every metric, as a flush exports it now (cumulative). */
  collect(): Promise<Map<string, { unit: string; points: Point[] }>>;
  /** Points of one metric, or [] when it was not exported. */
  points(name: string): Promise<Point[]>;
  spans(): ReadableSpan[];
  uninstall(): Promise<void>;
}

export async function installSdk({ metricsOn = true, tracesOn = true } = {}): Promise<TestSdk> {
  if (!(await loadTelemetryApi())) throw new Error('@opentelemetry/api did not load');
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // A long interval: the test flushes when it wants a reading, no timer runs meanwhile.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  if (metricsOn && !metrics.setGlobalMeterProvider(meterProvider)) throw new Error('a MeterProvider is still registered');
  if (tracesOn && !trace.setGlobalTracerProvider(tracerProvider)) throw new Error('a TracerProvider is still registered');
  // What the first event after registration does: the gauges exist from the first reading on.
  activeInstruments();

  const collect = async () => {
    exporter.reset();
    await reader.forceFlush();
    const found = new Map<string, { unit: string; points: Point[] }>();
    for (const resourceMetrics of exporter.getMetrics()) {
      for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) found.set(metric.descriptor.name, { unit: metric.descriptor.unit, points: pointsOf(metric) });
    }
    return found;
  };
  return {
    collect,
    points: async (name) => (await collect()).get(name)?.points ?? [],
    spans: () => spanExporter.getFinishedSpans(),
    async uninstall() {
      metrics.disable();
      trace.disable();
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
}

function pointsOf(metric: MetricData): Point[] {
  return (metric.dataPoints as { attributes: Attributes; value: unknown }[]).map(({ attributes, value }) => ({
    attributes,
    value: typeof value === 'number' ? value : { count: (value as { count: number }).count, sum: (value as { sum: number }).sum },
  }));
}

/** The value of the point whose attributes include `match`, summed over all such points. */
export function sumWhere(points: Point[], match: Attributes): number {
  let total = 0;
  for (const point of points) {
    if (!Object.entries(match).every(([key, value]) => point.attributes[key] === value)) continue;
    total += typeof point.value === 'number' ? point.value : point.value.count;
  }
  return total;
}

/** Every string an exporter would send: span names, attributes, events and statuses, attributes of the metrics named `prefix…`. */
export async function everythingExported(sdk: TestSdk, prefix = ''): Promise<string> {
  const parts: unknown[] = [];
  for (const span of sdk.spans()) parts.push(span.name, span.attributes, span.events, span.status, span.links);
  for (const [name, { points }] of await sdk.collect()) if (name.startsWith(prefix)) parts.push(name, points.map((p) => p.attributes));
  return JSON.stringify(parts);
}

// Hot path: turns through a botbuilder pipeline whose handler never asks for the profile,
// with our middleware, a no-op middleware (botbuilder's own per-middleware price) or none.
import type { TurnContext } from 'botbuilder';
import { loadRoot } from '../pkg.js';
import { nsPerOp, realisticProfile, repeatMedian, sizes } from '../lib.js';
import type { Middleware } from 'botbuilder';
import type { Variant } from '../method/types.js';
import { activityFrom, PipelineAdapter } from './botbuilderPipeline.js';

const handler = async (context: TurnContext) => {
  if (context.activity.text === undefined) throw new Error('unreachable');
};

const noop: Middleware = { onTurn: (_context, next) => next() };

async function ours(): Promise<Middleware> {
  const { InstagramProfileMiddleware } = await loadRoot();
  return new InstagramProfileMiddleware({ accessToken: 'bench-token', graphUrl: 'http://127.0.0.1:9' });
}

function measure(middleware: Middleware | undefined): Variant {
  return async ({ mode }) => {
    const turns = sizes(mode, { full: 60_000, quick: 20_000, tiny: 2_000 });
    const adapter = new PipelineAdapter();
    if (middleware) adapter.use(middleware);
    const activity = activityFrom(realisticProfile(1));
    const batch = () => nsPerOp(turns, () => adapter.turn(activity, handler));
    await batch(); // warm-up, not measured
    return { turnsPerSecond: 1e9 / (await repeatMedian(5, batch)) };
  };
}

/** With `@opentelemetry/api` loaded and no SDK registered: what every bot that has the api installed pays. */
function withOpenTelemetryApi(make: () => Promise<Middleware | undefined>): Variant {
  return async (context) => {
    await import('@opentelemetry/api');
    return measure(await make())(context);
  };
}

export const variants: Record<string, Variant> = {
  ours: async (context) => measure(await ours())(context),
  noop: measure(noop),
  none: measure(undefined),
  'ours-otel': withOpenTelemetryApi(ours),
  'noop-otel': withOpenTelemetryApi(async () => noop),
};

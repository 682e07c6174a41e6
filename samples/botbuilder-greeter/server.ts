import { InstagramAdapter } from 'botbuilder-instagram-profile/adapter';
import { type GreeterConfig, greeterProfiles, serveGreeter } from '../shared/greeter.js';
import { Inspector } from '../shared/inspector.js';
import { greeterLogic } from './bot.js';

export type { GreeterConfig } from '../shared/greeter.js';

/** The greeter served by Express: POST/GET /api/instagram is the webhook. */
export async function startGreeter(config: GreeterConfig) {
  const adapter = new InstagramAdapter({ appSecret: config.appSecret, verifyToken: config.verifyToken, accessToken: config.accessToken, graphUrl: config.graphUrl });
  const profiles = greeterProfiles(config);
  adapter.use(profiles);
  adapter.onTurnError = async (_context, error) => {
    // The webhook was answered already; a real bot would report this to its monitoring.
    console.error('turn failed:', error instanceof Error ? error.message : error);
  };
  const inspector = new Inspector();
  const logic = greeterLogic(profiles, inspector);
  const served = await serveGreeter({ process: (req, res) => adapter.process(req, res, logic), close: (options) => adapter.close(options) }, config, 3978);
  return { ...served, adapter, profiles, inspector };
}

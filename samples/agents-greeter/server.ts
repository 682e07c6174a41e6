import { InstagramAgentsAdapter } from 'botbuilder-instagram-profile/agents';
import { type GreeterConfig, greeterProfiles, serveGreeter } from '../shared/greeter.js';
import { Inspector } from '../shared/inspector.js';
import { greeterAgent } from './agent.js';

/** The greeter on the Microsoft 365 Agents SDK, served by Express: POST/GET /api/instagram is the webhook. */
export async function startAgentsGreeter(config: GreeterConfig) {
  const adapter = new InstagramAgentsAdapter({ appSecret: config.appSecret, verifyToken: config.verifyToken, accessToken: config.accessToken, graphUrl: config.graphUrl });
  const profiles = greeterProfiles(config);
  // AgentApplication has no use(): the middleware goes on our adapter, which runs the app's turns.
  adapter.use(profiles);
  // Not app.onError: that one belongs to the CloudAdapter the app built for itself, which never sees these turns.
  adapter.onTurnError = async (_context, error) => {
    // The webhook was answered already; a real agent would report this to its monitoring.
    console.error('turn failed:', error.message);
  };
  const inspector = new Inspector();
  const app = greeterAgent(profiles, inspector);
  const served = await serveGreeter({ process: (req, res) => adapter.process(req, res, app), close: (options) => adapter.close(options) }, config, 3980);
  return { ...served, adapter, app, profiles, inspector };
}

// The bots the end-to-end rows compare, each behind its own HTTP endpoint on loopback.
import type { TurnContext } from 'botbuilder';
import { createRequire } from 'node:module';
import { request } from 'undici';
import { loadAdapter, loadRoot } from '../pkg.js';
import { ACCESS_TOKEN, APP_SECRET, listen, readBody, type Replies } from './botServer.js';

const GREETING = 'Hi {first_name|there}, thanks for your message! We will answer shortly.';
const FIELDS = 'name,username,profile_pic,follower_count,is_verified_user,is_user_follow_business,is_business_follow_user';

/** A bot: starts its webhook endpoint, counting each reply the Send API accepted; returns the endpoint's URL. */
export type Bot = (platform: string, replies: Replies) => Promise<string>;

/** Ours: InstagramAdapter + InstagramProfileMiddleware; greets by first name from the (cached) profile. */
export const oursBot: Bot = async (platform, replies) => {
  const { InstagramAdapter } = await loadAdapter();
  const { InstagramProfileMiddleware, getInstagramProfile, personalize } = await loadRoot();
  const adapter = new InstagramAdapter({ appSecret: APP_SECRET, verifyToken: 'v', accessToken: ACCESS_TOKEN, graphUrl: platform });
  adapter.use(new InstagramProfileMiddleware({ accessToken: ACCESS_TOKEN, graphUrl: platform }));
  const logic = async (context: TurnContext) => {
    await context.sendActivity(personalize(GREETING, await getInstagramProfile(context)));
    replies.sent();
  };
  return listen((req, res) => adapter.process(req, res, logic));
};

/** The same bot without the middleware: it cannot greet by name. */
export const bareBot: Bot = async (platform, replies) => {
  const { InstagramAdapter } = await loadAdapter();
  const { personalize } = await loadRoot();
  const adapter = new InstagramAdapter({ appSecret: APP_SECRET, verifyToken: 'v', accessToken: ACCESS_TOKEN, graphUrl: platform });
  const logic = async (context: TurnContext) => {
    await context.sendActivity(personalize(GREETING, undefined));
    replies.sent();
  };
  return listen((req, res) => adapter.process(req, res, logic));
};

/** What users write today: Botkit's Facebook adapter, and a `fetch` of the profile on every message. */
export const todayBot: Bot = async (platform, replies) => {
  // Imported here: the other bots' processes should not pay for loading Botkit's adapter.
  const { FacebookAdapter, FacebookAPI } = await import('botbuilder-adapter-facebook');
  sendOverHttp(FacebookAPI);
  const adapter = new FacebookAdapter({ app_secret: APP_SECRET, verify_token: 'v', access_token: ACCESS_TOKEN, api_host: new URL(platform).host, api_version: 'v26.0' });
  const logic = async (context: TurnContext) => {
    const igsid = context.activity.from.id;
    const profile = (await (await fetch(`${platform}/v26.0/${igsid}?fields=${FIELDS}&access_token=${ACCESS_TOKEN}`)).json()) as { name?: string };
    await context.sendActivity(`Hi ${profile.name?.split(' ')[0] ?? 'there'}, thanks for your message! We will answer shortly.`);
    replies.sent();
  };
  return listen(async (req, res) => {
    // What Botkit's Express web server hands the adapter: the raw text and the parsed body.
    const raw = await readBody(req);
    const expressLike = Object.assign(res, { status: (code: number) => ((res.statusCode = code), expressLike), send: (body?: string) => res.end(body) });
    await adapter.processActivity(Object.assign(req, { rawBody: raw, body: JSON.parse(raw) }) as never, expressLike as never, logic);
  });
};

/** The floor of a first reply: parse, acknowledge, one profile read, one Send API call; nothing else. */
export const floorBot: Bot = async (platform, replies) => {
  const send = `${platform}/v26.0/me/messages?access_token=${ACCESS_TOKEN}`;
  const reply = async (igsid: string) => {
    const profile = await request(`${platform}/v26.0/${igsid}?fields=${FIELDS}&access_token=${ACCESS_TOKEN}`);
    const { name } = (await profile.body.json()) as { name?: string };
    const sent = await request(send, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ recipient: { id: igsid }, message: { text: `Hi ${name ?? 'there'}` } }) });
    await sent.body.dump();
    replies.sent();
  };
  return listen(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as { entry: Array<{ messaging: Array<{ sender: { id: string } }> }> };
    res.end();
    for (const entry of body.entry) for (const item of entry.messaging) void reply(item.sender.id);
  });
};

let patched = false;
/**
 * Botkit's Facebook API client only speaks https to its `api_host`; the platform here is
 * plain http on loopback (as it is for our bots). Same `request` library, same query, only the scheme differs.
 */
function sendOverHttp(FacebookAPI: typeof import('botbuilder-adapter-facebook').FacebookAPI): void {
  if (patched) return;
  patched = true;
  const send = createRequire(import.meta.url)('request') as (options: object, callback: (error: unknown, res: unknown, body: { error?: { message: string } }) => void) => void;
  type Client = { token: string; secret: string; api_host: string; api_version: string; getAppSecretProof(token: string, secret: string): string };
  (FacebookAPI.prototype as unknown as { callAPI: unknown }).callAPI = function callAPI(this: Client, path: string, method = 'POST', payload: object = {}) {
    const proof = this.getAppSecretProof(this.token, this.secret);
    return new Promise((resolve, reject) => {
      send({ method, json: true, body: payload, uri: `http://${this.api_host}/${this.api_version}${path}?access_token=${this.token}&appsecret_proof=${proof}` }, (error, _res, body) => {
        if (error) reject(error);
        else if (body.error) reject(body.error.message);
        else resolve(body);
      });
    });
  };
}

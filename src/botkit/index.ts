import createDebug from 'debug';
import { InstagramProfileMiddleware } from '../middleware/instagramProfileMiddleware.js';
import type { InstagramProfileMiddlewareOptions } from '../middleware/options.js';

export { getInstagramEvent, getInstagramProfile } from '../middleware/accessors.js';

const log = createDebug('instagram-profile:botkit');

/** The part of a Botkit controller the plugin uses: its botbuilder adapter. */
export interface BotkitControllerLike {
  adapter?: { use?(...middlewares: unknown[]): unknown };
}

export interface InstagramProfilePlugin {
  readonly name: 'instagram-profile';
  /** The installed middleware: `plugin.middleware.load(message)`, `.refresh(message)`, `.forget(igsid, businessId)`. */
  readonly middleware: InstagramProfileMiddleware;
  init(controller: BotkitControllerLike): void;
}

/**
 * A Botkit plugin that installs `InstagramProfileMiddleware` on the controller's adapter,
 * so it runs before Botkit's own middleware on every turn; handlers then call
 * `await getInstagramProfile(message)`. Pass middleware options, or a middleware to share.
 * With Botkit's Facebook adapter, set `instagramAccountIds` so Instagram events are told
 * apart from Messenger ones. The options are the middleware's: `accessToken` may come
 * straight from `process.env` (a missing one is refused here, naming it).
 */
export function instagramProfilePlugin(options: InstagramProfileMiddlewareOptions | InstagramProfileMiddleware): InstagramProfilePlugin {
  const middleware = options instanceof InstagramProfileMiddleware ? options : new InstagramProfileMiddleware(options);
  return {
    name: 'instagram-profile',
    middleware,
    init(controller: BotkitControllerLike) {
      const adapter = controller?.adapter;
      if (typeof adapter?.use !== 'function') {
        throw new TypeError('instagramProfilePlugin needs a Botkit controller whose adapter has use() (a botbuilder BotAdapter)');
      }
      adapter.use(middleware);
      log('installed InstagramProfileMiddleware on the Botkit adapter');
    },
  };
}

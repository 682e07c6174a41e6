import { TestAdapter } from 'botbuilder';
import type { InstagramProfileMiddleware, ProfileLookup } from '../../src/index.js';

/** Runs one botbuilder turn of `activity` through `middleware`, whose handler asks for the profile; resolves with what it got. */
export async function lookupInTurn(middleware: InstagramProfileMiddleware, activity: object): Promise<ProfileLookup> {
  let lookup: ProfileLookup | undefined;
  await new TestAdapter(async (context) => {
    lookup = await middleware.load(context);
  })
    .use(middleware)
    .send(activity as never)
    .startTest();
  if (!lookup) throw new Error('the turn ran no handler');
  return lookup;
}

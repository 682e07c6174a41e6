import { expect } from 'chai';
import sinon from 'sinon';
import { ConsentRequiredError, GraphRequestError } from '../../src/errors.js';
import { getInstagramProfile, InstagramProfileMiddleware } from '../../src/index.js';
import { activeInstruments } from '../../src/telemetry/instruments.js';
import { observeLookup } from '../../src/telemetry/lookups.js';
import { ATTR, METRIC } from '../../src/telemetry/names.js';
import { localErrorFields } from '../../src/errors.js';
import type { ProfileLookup } from '../../src/types.js';
import { activities, BUSINESS_ID } from '../support/activities.js';
import { interceptProfile, mockGraph } from '../support/graphMock.js';
import { installSdk, sumWhere, type TestSdk } from './sdk.js';

const PERSON = '7432109876543210';
const PROFILE = { id: PERSON, name: 'Ada', profilePic: null };

describe('telemetry of lookups', () => {
  let sdk: TestSdk | undefined;

  afterEach(async () => {
    await sdk?.uninstall();
    sdk = undefined;
  });

  it('should count lookups by status and source, and failures by error code', async () => {
    sdk = await installSdk();
    const before = await sdk.points(METRIC.lookups);
    observeLookup({ status: 'ok', profile: PROFILE, source: 'cache' });
    observeLookup({ status: 'ok', profile: PROFILE, source: 'cache' });
    observeLookup(Promise.resolve<ProfileLookup>({ status: 'ok', profile: PROFILE, source: 'graph' }));
    observeLookup({ status: 'ok', profile: PROFILE, source: 'stale' });
    observeLookup({ status: 'no-consent', error: new ConsentRequiredError('no consent', { ...localErrorFields(230), status: 400 }) });
    observeLookup(Promise.resolve<ProfileLookup>({ status: 'unavailable', error: new GraphRequestError('timed out', 'GRAPH_TIMEOUT') }));
    observeLookup({ status: 'not-instagram' });
    await Promise.resolve();
    const points = await sdk.points(METRIC.lookups);
    const delta = (match: Record<string, string>) => sumWhere(points, match) - sumWhere(before, match);
    expect(delta({ [ATTR.lookupStatus]: 'ok', [ATTR.lookupSource]: 'cache' })).to.equal(2);
    expect(delta({ [ATTR.lookupStatus]: 'ok', [ATTR.lookupSource]: 'graph' })).to.equal(1);
    expect(delta({ [ATTR.lookupStatus]: 'ok', [ATTR.lookupSource]: 'stale' })).to.equal(1);
    expect(delta({ [ATTR.lookupStatus]: 'no-consent', [ATTR.errorType]: 'CONSENT_REQUIRED' })).to.equal(1);
    expect(delta({ [ATTR.lookupStatus]: 'unavailable', [ATTR.errorType]: 'GRAPH_TIMEOUT' })).to.equal(1);
    expect(delta({ [ATTR.lookupStatus]: 'not-instagram' })).to.equal(1);
  });

  it('should attach nothing to a pending lookup when no MeterProvider is registered', () => {
    expect(activeInstruments()).to.equal(undefined);
    const pending = Promise.resolve<ProfileLookup>({ status: 'ok', profile: PROFILE, source: 'graph' });
    const then = sinon.spy(pending, 'then');
    observeLookup(pending);
    expect(then.called).to.equal(false);
  });

  it('should attach one settle handler to a pending lookup when a MeterProvider is registered', async () => {
    sdk = await installSdk();
    const pending = Promise.resolve<ProfileLookup>({ status: 'ok', profile: PROFILE, source: 'graph' });
    const then = sinon.spy(pending, 'then');
    observeLookup(pending);
    expect(then.callCount).to.equal(1);
  });

  it('should count the lookups a handler asks for through the middleware: graph first, then cache, none for a turn that never asks', async () => {
    sdk = await installSdk();
    const agent = mockGraph();
    interceptProfile(agent, PERSON, { id: PERSON, name: 'Ada' });
    const profiles = new InstagramProfileMiddleware({ accessToken: 'token-under-test', dispatcher: agent });
    const before = await sdk.points(METRIC.lookups);
    const turn = async (ask: boolean) => {
      const context = { activity: activities.message(PERSON, 'hi', BUSINESS_ID), turnState: new Map() };
      await profiles.onTurn(context, async () => {
        if (!ask) return;
        await getInstagramProfile(context);
        await getInstagramProfile(context); // memoised: the same lookup, counted once
      });
    };
    await turn(true);
    await turn(true);
    await turn(false);
    const points = await sdk.points(METRIC.lookups);
    const delta = (source: string) => sumWhere(points, { [ATTR.lookupSource]: source }) - sumWhere(before, { [ATTR.lookupSource]: source });
    expect(delta('graph')).to.equal(1);
    expect(delta('cache')).to.equal(1);
    expect(sumWhere(points, {}) - sumWhere(before, {})).to.equal(2);
    await agent.close();
  });
});

import { expect } from 'chai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { SendApiClient } from '../../src/graph/sendApi.js';
import { graphTarget, observeGraphCall, routeOf } from '../../src/telemetry/graphCall.js';
import { ATTR, METRIC } from '../../src/telemetry/names.js';
import { FB, SECRET, TOKEN, adaReply, failure, graphError, graphMock } from '../graph/graphMock.js';
import { everythingExported, installSdk, sumWhere, type TestSdk } from './sdk.js';

/** Long and distinctive, so that finding it in an export cannot be a coincidence. */
const PERSON = '7432109876543210';
const PERSON_REPLY = { ...adaReply, id: PERSON };

describe('telemetry of Graph calls', () => {
  let graph: ReturnType<typeof graphMock>;
  let sdk: TestSdk | undefined;

  beforeEach(() => {
    graph = graphMock();
  });

  afterEach(async () => {
    await sdk?.uninstall();
    sdk = undefined;
    await graph.close();
  });

  it('should record a profile read as one CLIENT span named by its route, with HTTP attributes and no IGSID', async () => {
    sdk = await installSdk();
    graph.reply(200, PERSON_REPLY);
    await graph.client().fetchProfile(PERSON);
    const [span, ...others] = sdk.spans();
    expect(others).to.have.length(0);
    expect(span!.name).to.equal('GET /{version}/{igsid}');
    expect(span!.kind).to.equal(SpanKind.CLIENT);
    expect(span!.status.code).to.equal(SpanStatusCode.UNSET);
    expect(span!.attributes).to.deep.equal({
      [ATTR.method]: 'GET',
      [ATTR.serverAddress]: 'graph.facebook.com',
      [ATTR.serverPort]: 443,
      [ATTR.urlTemplate]: '/{version}/{igsid}',
      [ATTR.endpoint]: 'profile',
      [ATTR.apiVersion]: 'v26.0',
      [ATTR.statusCode]: 200,
    });
  });

  it('should record the duration of a profile read in seconds, by endpoint and status', async () => {
    sdk = await installSdk();
    graph.reply(200, PERSON_REPLY, { times: 2 });
    const client = graph.client();
    await client.fetchProfile(PERSON);
    await client.fetchProfile(PERSON);
    const metrics = await sdk.collect();
    const duration = metrics.get(METRIC.graphDuration)!;
    expect(duration.unit).to.equal('s');
    expect(duration.points).to.have.length(1);
    expect(duration.points[0]!.attributes).to.deep.equal({
      [ATTR.method]: 'GET',
      [ATTR.serverAddress]: 'graph.facebook.com',
      [ATTR.serverPort]: 443,
      [ATTR.urlTemplate]: '/{version}/{igsid}',
      [ATTR.endpoint]: 'profile',
      [ATTR.statusCode]: 200,
    });
    const { count, sum } = duration.points[0]!.value as { count: number; sum: number };
    expect(count).to.equal(2);
    // Seconds, not ms: two mocked calls take well under a second.
    expect(sum).to.be.greaterThan(0).and.lessThan(1);
  });

  it('should mark a failed read as an error with its code only, never its message', async () => {
    sdk = await installSdk();
    graph.reply(400, graphError(230, { message: `(#230) User ${PERSON} has not consented` }));
    const error = await failure(graph.client().fetchProfile(PERSON));
    expect(error.code).to.equal('CONSENT_REQUIRED');
    const [span] = sdk.spans();
    expect(span!.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'CONSENT_REQUIRED' });
    expect(span!.attributes[ATTR.errorType]).to.equal('CONSENT_REQUIRED');
    expect(span!.attributes[ATTR.statusCode]).to.equal(400);
    expect(span!.events).to.have.length(0);
    expect(sumWhere(await sdk.points(METRIC.graphDuration), { [ATTR.errorType]: 'CONSENT_REQUIRED', [ATTR.statusCode]: 400 })).to.equal(1);
  });

  it('should count the resends of a retried read on its one span, with the last reply status', async () => {
    sdk = await installSdk();
    graph.reply(502, graphError(2, { is_transient: true }));
    graph.reply(200, PERSON_REPLY);
    await graph.client({ retries: 2 }).fetchProfile(PERSON);
    const spans = sdk.spans();
    expect(spans).to.have.length(1);
    expect(spans[0]!.attributes[ATTR.resendCount]).to.equal(1);
    expect(spans[0]!.attributes[ATTR.statusCode]).to.equal(200);
    expect(spans[0]!.status.code).to.equal(SpanStatusCode.UNSET);
  });

  it('should record a network failure without a status code, as GRAPH_NETWORK_ERROR', async () => {
    sdk = await installSdk();
    graph.agent.get(FB).intercept({ path: () => true, method: 'GET' }).replyWithError(new Error('socket hang up'));
    await failure(graph.client({ retries: 0 }).fetchProfile(PERSON));
    const [span] = sdk.spans();
    expect(span!.attributes[ATTR.statusCode]).to.equal(undefined);
    expect(span!.attributes[ATTR.errorType]).to.equal('GRAPH_NETWORK_ERROR');
    const [point] = await sdk.points(METRIC.graphDuration);
    expect(point!.attributes).to.not.have.property(ATTR.statusCode);
  });

  it('should record a Send API call as POST /{version}/me/messages, endpoint send', async () => {
    sdk = await installSdk();
    graph.agent
      .get(FB)
      .intercept({ path: () => true, method: 'POST' })
      .reply(200, { recipient_id: PERSON, message_id: 'aWdfOUT1' }, { headers: { 'content-type': 'application/json' } });
    const sendApi = new SendApiClient({ accessToken: TOKEN, appSecret: SECRET, dispatcher: graph.agent });
    await sendApi.send('17841400000000001', { recipient: { id: PERSON }, message: { text: 'Hi Ada' } });
    const [span] = sdk.spans();
    expect(span!.name).to.equal('POST /{version}/me/messages');
    expect(span!.attributes[ATTR.endpoint]).to.equal('send');
    expect(span!.attributes[ATTR.method]).to.equal('POST');
    expect(sumWhere(await sdk.points(METRIC.graphDuration), { [ATTR.endpoint]: 'send', [ATTR.statusCode]: 200 })).to.equal(1);
  });

  it('should export no token, app secret, IGSID or name in any span or metric, success or failure', async () => {
    sdk = await installSdk();
    graph.reply(200, PERSON_REPLY);
    graph.reply(404, graphError(100, { error_subcode: 33, message: `Object with ID '${PERSON}' does not exist (token ${TOKEN})` }));
    const client = graph.client({ appSecret: SECRET, accessToken: TOKEN });
    await client.fetchProfile(PERSON);
    await failure(client.fetchProfile(PERSON));
    const exported = await everythingExported(sdk);
    expect(exported).to.include('PROFILE_NOT_FOUND');
    for (const secret of [PERSON, TOKEN, SECRET, 'Ada', 'ada']) expect(exported).to.not.include(secret);
  });

  it('should trace calls of a client made before the SDK was registered', async () => {
    const client = graph.client();
    sdk = await installSdk();
    graph.reply(200, PERSON_REPLY);
    await client.fetchProfile(PERSON);
    expect(sdk.spans()).to.have.length(1);
  });

  it('should record durations without spans when only a MeterProvider is registered, and spans alone with only a TracerProvider', async () => {
    sdk = await installSdk({ tracesOn: false });
    graph.reply(200, PERSON_REPLY);
    await graph.client().fetchProfile(PERSON);
    expect(sdk.spans()).to.have.length(0);
    expect(await sdk.points(METRIC.graphDuration)).to.have.length(1);
    await sdk.uninstall();

    sdk = await installSdk({ metricsOn: false });
    graph.reply(200, PERSON_REPLY);
    await graph.client().fetchProfile(PERSON);
    expect(sdk.spans()).to.have.length(1);
  });

  it('should observe nothing, and cost no span or timer, when no SDK is registered', async () => {
    expect(observeGraphCall('GET', PERSON, graphTarget(FB, 'v26.0'))).to.equal(undefined);
    sdk = await installSdk();
    expect(observeGraphCall('GET', PERSON, graphTarget(FB, 'v26.0'))).to.not.equal(undefined);
  });

  describe('routes', () => {
    it('should name the route of a profile read, a send and any other path without an id in it', () => {
      expect(routeOf('GET', PERSON)).to.deep.equal({ endpoint: 'profile', template: '/{version}/{igsid}' });
      expect(routeOf('POST', 'me/messages')).to.deep.equal({ endpoint: 'send', template: '/{version}/me/messages' });
      expect(routeOf('GET', `${PERSON}/conversations`)).to.deep.equal({ endpoint: 'other', template: '/{version}/{id}/conversations' });
      expect(routeOf('GET', 'me/Ada Lovelace')).to.deep.equal({ endpoint: 'other', template: '/{version}/me/{segment}' });
    });

    it('should take host and port from graphUrl, never its path or query', () => {
      expect(graphTarget('https://graph.instagram.com', 'v25.0')).to.deep.equal({ serverAddress: 'graph.instagram.com', serverPort: 443, apiVersion: 'v25.0' });
      expect(graphTarget('http://127.0.0.1:8931', 'v26.0')).to.deep.equal({ serverAddress: '127.0.0.1', serverPort: 8931, apiVersion: 'v26.0' });
    });
  });
});

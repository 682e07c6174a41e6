import { expect } from 'chai';
import fc from 'fast-check';
import { getInstagramEvent } from '../../src/index.js';
import { createEventRecognizer } from '../../src/events/index.js';
import { RUNS } from './runs.js';

const recognize = createEventRecognizer({ icebreakerPayloads: ['HOURS'], persistentMenuPayloads: ['HUMAN'], instagramAccountIds: ['17841400000000001'] });

/** Ids that are sometimes valid and often hostile. */
const id = fc.oneof(fc.stringMatching(/^[0-9]{1,20}$/), fc.string(), fc.integer(), fc.constant('../me'), fc.constant('1\n'), fc.constant(null));
const item = fc.record(
  {
    sender: fc.oneof(fc.record({ id }), fc.anything()),
    recipient: fc.oneof(fc.record({ id }), fc.anything()),
    message: fc.oneof(fc.record({ mid: fc.anything(), text: fc.anything(), is_echo: fc.anything(), quick_reply: fc.anything() }, { requiredKeys: [] }), fc.anything()),
    postback: fc.oneof(fc.record({ title: fc.anything(), payload: fc.oneof(fc.constantFrom('HOURS', 'HUMAN'), fc.anything()) }, { requiredKeys: [] }), fc.anything()),
    reaction: fc.anything(),
    read: fc.anything(),
    field: fc.oneof(fc.constant('comments'), fc.string()),
    value: fc.oneof(fc.record({ from: fc.record({ id }), text: fc.anything() }, { requiredKeys: [] }), fc.anything()),
    entry: fc.anything(),
  },
  { requiredKeys: [] },
);
const activity = fc.oneof(
  fc.record({ channelId: fc.constantFrom('instagram', 'facebook', 'msteams'), channelData: fc.oneof(item, fc.anything()), type: fc.string() }, { requiredKeys: [] }),
  fc.anything(),
);

describe('event recognition (property)', function () {
  this.timeout(600_000);

  it('should never throw, and only ever return digits-only IGSIDs and business ids', () => {
    fc.assert(
      fc.property(activity, (input) => {
        const event = recognize(input);
        const viaPublicApi = getInstagramEvent({ activity: input, turnState: new Map() });
        if (event === undefined) return viaPublicApi === undefined || /^[0-9]{1,32}$/.test(viaPublicApi.igsid);
        expect(event.igsid).to.match(/^[0-9]{1,32}$/);
        if (event.businessId !== undefined) expect(event.businessId).to.match(/^[0-9]{1,32}$/);
        expect(event.grantsConsent).to.equal(['message', 'quick_reply', 'icebreaker', 'persistent_menu', 'postback'].includes(event.kind));
        for (const key of ['mid', 'text', 'title', 'payload'] as const) if (event[key] !== undefined) expect(event[key]).to.be.a('string');
        return true;
      }),
      { numRuns: RUNS },
    );
  });
});

import { expect } from 'chai';
import fc from 'fast-check';
import { displayName, firstName, followStatus, personalize, type InstagramProfile } from '../../src/index.js';
import { RUNS } from './runs.js';

const profile = fc.option(
  fc.record(
    {
      id: fc.stringMatching(/^[0-9]{1,16}$/),
      name: fc.option(fc.string({ unit: 'grapheme' }), { nil: null }),
      username: fc.string(),
      profilePic: fc.constant(null),
      followerCount: fc.nat(),
      isUserFollowBusiness: fc.boolean(),
      isBusinessFollowUser: fc.boolean(),
    },
    { requiredKeys: ['id', 'name', 'profilePic'] },
  ) as fc.Arbitrary<InstagramProfile>,
  { nil: undefined },
);
// Templates built from placeholders, braces and text, to reach every branch of the parser.
const template = fc
  .array(fc.oneof(fc.constantFrom('{name}', '{first_name}', '{username}', '{follower_count}', '{x|fb}', '{{', '}}', '{', '}', '|', '{unknown}'), fc.string()), { maxLength: 12 })
  .map((parts) => parts.join(''));

describe('personalisation (property)', function () {
  this.timeout(600_000);

  it('should never throw, and never read inserted text as a placeholder', () => {
    fc.assert(
      fc.property(template, profile, fc.string(), (text, person, inserted) => {
        const out = personalize(text, person, { x: inserted });
        expect(out).to.be.a('string');
        // A value full of placeholders comes out verbatim, whatever the profile says.
        expect(personalize('<{x}>', person, { x: `{name}${inserted}{{` })).to.equal(`<{name}${inserted}{{>`);
        for (const helper of [displayName, firstName]) expect(helper(person, 'friend')).to.be.a('string').and.not.equal('');
        expect(['mutual', 'follower', 'followed', 'none', 'unknown']).to.include(followStatus(person));
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it('should never let a name carry bidi overrides or control characters into a reply', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (name) => {
        const person: InstagramProfile = { id: '1', name, profilePic: null };
        for (const out of [displayName(person), firstName(person), personalize('{name}', person)]) {
          // eslint-disable-next-line no-control-regex -- looking for control characters is the point
          expect(out).not.to.match(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        }
        return true;
      }),
      { numRuns: RUNS },
    );
  });
});

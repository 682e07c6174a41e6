import { expect } from 'chai';
import { audienceTier, displayName, firstName, followStatus, MAX_NAME_CODE_UNITS, MAX_NAME_GRAPHEMES, personalize } from '../../src/personalize/index.js';
import type { InstagramProfile } from '../../src/types.js';

const person = (fields: Partial<InstagramProfile>): InstagramProfile => ({ id: '1001', name: null, profilePic: null, ...fields });

describe('displayName', () => {
  it('should prefer the name, then @username, then the fallback', () => {
    expect(displayName(person({ name: 'Ada Lovelace', username: 'ada' }))).to.equal('Ada Lovelace');
    expect(displayName(person({ username: 'ada' }))).to.equal('@ada');
    expect(displayName(person({}))).to.equal('there');
    expect(displayName(undefined, 'friend')).to.equal('friend');
    expect(displayName(person({ name: '   ', username: 'ada' }))).to.equal('@ada');
  });

  it('should remove controls that could reorder or break the reply', () => {
    expect(displayName(person({ name: 'Eve\u202E\u0000\n' }))).to.equal('Eve');
    expect(displayName(person({ name: '\u200F\u2067Mallory\u2069\u200B' }))).to.equal('Mallory');
  });
});

describe('firstName', () => {
  const cases: Array<[string, string]> = [
    ['Ada Lovelace', 'Ada'],
    ['🌸 Mei Lin ✨', 'Mei'],
    ['👩‍👩‍👧‍👦 Family Account', 'Family'],
    ['ليلى حداد', 'ليلى'],
    ['שרה כהן', 'שרה'],
    ['Zoe\u0308 Martin', 'Zoe\u0308'],
    ['देवनागरी नाम', 'देवनागरी'],
    ['山田\u3000太郎', '山田'],
    ['Jean\u00A0Dupont', 'Jean'],
    ['🇫🇷Amélie Poulain', '🇫🇷Amélie'],
  ];
  for (const [name, expected] of cases) {
    it(`should give "${expected}" for "${name}"`, () => {
      expect(firstName(person({ name }))).to.equal(expected);
    });
  }

  it('should fall back to @username and then the fallback when the name has no word', () => {
    expect(firstName(person({ name: '✨✨', username: 'sparkles' }))).to.equal('@sparkles');
    expect(firstName(person({ name: null }), 'friend')).to.equal('friend');
  });

  it('should cap a huge name at MAX_NAME_GRAPHEMES, and at MAX_NAME_CODE_UNITS without cutting a grapheme', () => {
    expect(firstName(person({ name: 'ä'.repeat(200) }))).to.equal('ä'.repeat(MAX_NAME_GRAPHEMES));
    const family = '👩‍👩‍👧‍👦';
    const capped = firstName(person({ name: 'Z' + family.repeat(200) }));
    const whole = Math.floor((MAX_NAME_CODE_UNITS - 1) / family.length);
    expect(capped).to.equal('Z' + family.repeat(whole));
  });

  it('should cap inserted text in code units too: one grapheme with 50 000 combining marks never reaches the reply', () => {
    const zalgo = `Z${'\u0301'.repeat(50_000)}`;
    const reply = personalize('Hi {first_name|there}!', person({ name: zalgo }));
    expect(reply).to.equal('Hi there!');
    const long = personalize('Hi {name}!', person({ name: 'é'.normalize('NFD').repeat(100) }));
    expect(long.length).to.be.at.most('Hi !'.length + MAX_NAME_CODE_UNITS);
  });

  it('should remove Unicode tag characters from names, but keep a subdivision flag whole', () => {
    const hidden = 'Ada\u{E0049}\u{E0047}\u{E004E}\u{E004F}\u{E0052}\u{E0045}';
    expect(firstName(person({ name: hidden }))).to.equal('Ada');
    const england = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}';
    expect(displayName(person({ name: `Ada ${england}` }))).to.equal(`Ada ${england}`);
  });

  it('should keep a Thai name without spaces whole, within the cap', () => {
    expect(firstName(person({ name: 'สมชายใจดี' }))).to.equal('สมชายใจดี');
  });
});

describe('personalize', () => {
  const ada = person({ name: 'Ada Lovelace', username: 'ada', followerCount: 1234 });

  it('should fill the built-in placeholders', () => {
    expect(personalize('Hi {first_name}! ({name}, @{username}, {follower_count} followers)', ada)).to.equal('Hi Ada! (Ada Lovelace, @ada, 1234 followers)');
  });

  it('should use the fallback when a value is missing or empty', () => {
    expect(personalize('Hi {first_name|friend}!', undefined)).to.equal('Hi friend!');
    expect(personalize('Hi {first_name|friend}!', person({ name: '  ' }))).to.equal('Hi friend!');
    expect(personalize('Hi {first_name}!', undefined)).to.equal('Hi !');
  });

  it('should fill values, which win over built-ins', () => {
    expect(personalize('{greeting}, {name}. Order {order|none}', ada, { greeting: 'Hello', name: 'Countess', order: 42 })).to.equal('Hello, Countess. Order 42');
  });

  it('should leave unknown placeholders as written, so typos show', () => {
    expect(personalize('Hi {frist_name}', ada)).to.equal('Hi {frist_name}');
  });

  it('should never re-interpret inserted text', () => {
    const tricky = person({ name: '{username} {{x}} {name|y}', username: 'real' });
    expect(personalize('Hi {name}!', tricky)).to.equal('Hi {username} {{x}} {name|y}!');
    expect(personalize('{a}', ada, { a: '{name}' })).to.equal('{name}');
  });

  it('should write literal braces for {{ and }}', () => {
    expect(personalize('{{first_name}} is {first_name}', ada)).to.equal('{first_name} is Ada');
  });

  it('should turn a non-string template into a string instead of throwing', () => {
    expect(personalize(42 as never, ada)).to.equal('42');
  });
});

describe('followStatus', () => {
  const cases: Array<[Partial<InstagramProfile>, string]> = [
    [{ isUserFollowBusiness: true, isBusinessFollowUser: true }, 'mutual'],
    [{ isUserFollowBusiness: true, isBusinessFollowUser: false }, 'follower'],
    [{ isUserFollowBusiness: false, isBusinessFollowUser: true }, 'followed'],
    [{ isUserFollowBusiness: false, isBusinessFollowUser: false }, 'none'],
    [{ isUserFollowBusiness: true }, 'unknown'],
    [{ isBusinessFollowUser: false }, 'unknown'],
  ];
  for (const [flags, expected] of cases) {
    it(`should say ${expected} for ${JSON.stringify(flags)}`, () => {
      expect(followStatus(person(flags))).to.equal(expected);
    });
  }

  it('should say unknown without a profile', () => {
    expect(followStatus(undefined)).to.equal('unknown');
  });
});

describe('audienceTier', () => {
  const cases: Array<[number | undefined, string]> = [
    [undefined, 'unknown'],
    [0, 'personal'],
    [999, 'personal'],
    [1_000, 'nano'],
    [10_000, 'micro'],
    [100_000, 'mid'],
    [500_000, 'macro'],
    [2_000_000, 'mega'],
  ];
  for (const [followerCount, expected] of cases) {
    it(`should put ${followerCount} followers in ${expected}`, () => {
      expect(audienceTier(person(followerCount === undefined ? {} : { followerCount }))).to.equal(expected);
    });
  }

  it('should accept custom tiers and reject ones that do not ascend', () => {
    expect(audienceTier(person({ followerCount: 50 }), { nano: 10, micro: 100 })).to.equal('nano');
    expect(() => audienceTier(person({ followerCount: 50 }), { micro: 2_000_000 })).to.throw(RangeError, /ascend/);
    expect(() => audienceTier(person({ followerCount: 50 }), { nano: -1 })).to.throw(TypeError, /nano/);
  });
});

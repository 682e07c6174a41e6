import { expect } from 'chai';
import { pictureExpiresAt } from '../../src/platform/pictureExpiry.js';

const CDN = 'https://scontent-iad3-1.cdninstagram.com/v/t51.2885-19/123_n.jpg';

describe('platform/pictureExpiry', () => {
  it('should read oe as hex Unix seconds, in milliseconds', () => {
    expect(pictureExpiresAt(`${CDN}?stp=dst-jpg&_nc_ht=x&oh=00_AfB&oe=6B0B33CD`)).to.equal(0x6b0b33cd * 1000);
  });

  it('should read oe wherever it stands and in either case', () => {
    expect(pictureExpiresAt(`${CDN}?oe=6b0b33cd&oh=00_x`)).to.equal(0x6b0b33cd * 1000);
    expect(pictureExpiresAt(`${CDN}?oh=00_x&oe=6B0B33CD#frag`)).to.equal(0x6b0b33cd * 1000);
  });

  const none: Array<[string, string | null | undefined]> = [
    ['null', null],
    ['undefined', undefined],
    ['an empty string', ''],
    ['a URL without oe', `${CDN}?oh=00_x`],
    ['a parameter that only ends in oe', `${CDN}?shoe=6B0B33CD`],
    ['oe in the path', `${CDN}/oe=6B0B33CD`],
    ['a non-hex oe', `${CDN}?oe=zz`],
    ['oe followed by junk', `${CDN}?oe=6B0B33CDx`],
    ['an empty oe', `${CDN}?oe=&oh=1`],
    ['oe zero', `${CDN}?oe=0`],
    ['an oe of 13 digits', `${CDN}?oe=${'f'.repeat(13)}`],
  ];
  for (const [label, url] of none) {
    it(`should find no expiry in ${label}`, () => {
      expect(pictureExpiresAt(url)).to.equal(undefined);
    });
  }
});

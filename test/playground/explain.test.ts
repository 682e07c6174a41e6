import { expect } from 'chai';
import type { InstagramProfile, ProfileLookup } from 'botbuilder-instagram-profile';
import type { BotSettings } from '../../playground/bot.js';
import { clock, duration, explainCache, explainCalls, explainFollowSwitch } from '../../playground/explain.js';
import type { TurnRecord } from '../../samples/shared/inspector.js';

// Follow flags are never re-read here unless a test says so (`refreshing`).
const settings: BotSettings = { profileTtlMs: 3_600_000, negativeTtlMs: 60_000, timeoutMs: 2_000, retries: 2, refreshFollowStatusAfterMs: 0 };
const refreshing: BotSettings = { ...settings, refreshFollowStatusAfterMs: 10_000 };
const readAt = new Date(2026, 0, 5, 10, 5, 40).getTime();
const profile: InstagramProfile = { id: '6938000000000101', name: 'Ada Lovelace', profilePic: null };
const fromCache: ProfileLookup = { status: 'ok', profile, source: 'cache' };
const notFound: ProfileLookup = { status: 'not-found' };
const turn = (record: Partial<TurnRecord>): TurnRecord => ({ at: readAt, igsid: profile.id, kind: 'message', status: 'ok', ...record });

describe('playground explanations', () => {
  describe('duration and clock', () => {
    it('should write lifetimes the way the options are usually read', () => {
      expect([3_600_000, 7_200_000, 600_000, 60_000, 2_500, 2_000, 1_000, 1].map(duration)).to.deep.equal(['1 h', '2 h', '10 min', '60 s', '2.5 s', '2 s', '1 s', '1 ms']);
    });

    it('should show local wall-clock time as hh:mm:ss', () => {
      expect(clock(readAt)).to.equal('10:05:40');
    });
  });

  describe('explainCache', () => {
    it('should offer nothing to forget when nothing is cached, and say a blocked profile will be refused', () => {
      expect(explainCache({ cached: undefined, blocked: false, readAt, settings })).to.deep.equal({ state: 'empty', tone: 'info', text: 'Nothing cached: the next message makes a Graph call.', forget: null });
      expect(explainCache({ cached: undefined, blocked: true, readAt, settings }).text).to.equal('Nothing cached: the next message makes a Graph call, which Instagram now refuses: the person blocked the business.');
    });

    it('should say how long a cached profile is kept', () => {
      const explained = explainCache({ cached: fromCache, blocked: false, readAt, settings });
      expect(explained).to.deep.equal({ state: 'profile', tone: 'info', text: 'Profile cached at 10:05:40 for 1 h (until about 11:05:40): later messages make no Graph call.', forget: 'Forget cached profile' });
    });

    it('should warn that blocking does not reach a cached profile, and why', () => {
      const explained = explainCache({ cached: fromCache, blocked: true, readAt, settings });
      expect(explained.tone).to.equal('warn');
      expect(explained.text).to.equal(
        'Blocked, yet the bot still greets by name: it cached the profile at 10:05:40 for 1 h (until about 11:05:40), and Instagram sends no webhook for a block. Forget the cached profile to make the bot ask Graph now.',
      );
      expect(explained.forget).to.equal('Forget cached profile');
    });

    it('should warn that an unblock does not clear a remembered "not found", and offer to forget it', () => {
      const explained = explainCache({ cached: notFound, blocked: false, readAt, settings });
      expect(explained).to.deep.equal({
        state: 'not-found',
        tone: 'warn',
        text: 'Unblocked, yet the bot still answers without a name: it got "not found" at 10:05:40 and remembers it for 60 s (until about 10:06:40), and unblocking sends the bot no webhook. Forget it to make the bot ask Graph now.',
        forget: 'Forget the remembered "not found"',
      });
    });

    it('should explain a remembered "not found" while still blocked as saved calls, not as a problem', () => {
      const explained = explainCache({ cached: notFound, blocked: true, readAt, settings });
      expect(explained.tone).to.equal('info');
      expect(explained.text).to.equal('No profile: it got "not found" at 10:05:40 and remembers it for 60 s (until about 10:06:40), so it does not ask Graph again on every message.');
    });

    it('should leave out the times when the playground never saw the call', () => {
      expect(explainCache({ cached: fromCache, blocked: false, readAt: undefined, settings }).text).to.equal('Profile cached for 1 h: later messages make no Graph call.');
    });

    it('should explain a stale profile and a remembered "no consent"', () => {
      expect(explainCache({ cached: { ...fromCache, source: 'stale' }, blocked: false, readAt, settings }).state).to.equal('stale');
      const noConsent = explainCache({ cached: { status: 'no-consent' }, blocked: false, readAt, settings });
      expect(noConsent.text).to.equal('The bot got "no consent" at 10:05:40 and remembers it for 60 s (until about 10:06:40); the person\'s next message clears it.');
    });
  });

  describe('follow flags re-read (refreshFollowStatusAfter)', () => {
    it("should say in the switch's hint when the bot notices a follow, with and without re-reads", () => {
      expect(explainFollowSwitch(refreshing)).to.equal('Instagram sends no webhook for a follow: the bot re-reads follow flags older than 10 s when this person next writes, and thanks them once.');
      expect(explainFollowSwitch(settings)).to.equal('Instagram sends no webhook for a follow: the bot sees it only when it reads the profile again, after its 1 h ttl or once forgotten.');
    });

    it('should say which message re-reads the follow flags of a cached profile', () => {
      expect(explainCache({ cached: fromCache, blocked: false, readAt, settings: refreshing }).text).to.equal(
        'Profile cached at 10:05:40 for 1 h (until about 11:05:40): later messages make no Graph call, except the first one after 10:05:50, which re-reads the follow flags.',
      );
      expect(explainCache({ cached: fromCache, blocked: false, readAt: undefined, settings: refreshing }).text).to.equal('Profile cached for 1 h: later messages make no Graph call, except to re-read follow flags older than 10 s.');
    });

    it('should say that a re-read of the follow flags will find a block', () => {
      expect(explainCache({ cached: fromCache, blocked: true, readAt, settings: refreshing }).text).to.equal(
        'Blocked, yet the bot still greets by name: it cached the profile at 10:05:40 for 1 h (until about 11:05:40), and Instagram sends no webhook for a block. A message after 10:05:50 re-reads it and finds it refused. Forget the cached profile to make the bot ask Graph now.',
      );
    });

    it('should say what a re-read found: a new follow, an unfollow, or nothing new', () => {
      const read = turn({ status: 'ok', source: 'graph' });
      expect(explainCalls({ calls: 1, turn: read, reread: 'followed', settings: refreshing })).to.equal('1 Graph call: the cached follow flags were older than 10 s, so the bot read the profile again, and found a new follow.');
      expect(explainCalls({ calls: 1, turn: read, reread: 'unfollowed', settings: refreshing })).to.equal(
        '1 Graph call: the cached follow flags were older than 10 s, so the bot read the profile again, and found that this person no longer follows the business.',
      );
      expect(explainCalls({ calls: 1, turn: read, reread: 'unchanged', settings: refreshing })).to.equal('1 Graph call: the cached follow flags were older than 10 s, so the bot read the profile again; they had not changed.');
      expect(explainCalls({ calls: 1, turn: read, settings: refreshing })).to.equal('1 Graph call: the profile was read, and is now cached.');
    });

    it('should say why a cached profile answered without re-reading its follow flags', () => {
      expect(explainCalls({ calls: 0, turn: turn({ status: 'ok', source: 'cache' }), settings: refreshing })).to.equal(
        "No Graph call: the profile came from the bot's cache, read less than 10 s earlier, so its follow flags were not re-read.",
      );
    });
  });

  describe('explainCalls', () => {
    it('should name one request and its retries when one message made several calls', () => {
      const text = explainCalls({ calls: 3, turn: turn({ status: 'unavailable', error: { name: 'GraphApiError', code: 'GRAPH_API_ERROR', message: '503' } }), settings });
      expect(text).to.equal(
        '3 Graph calls for one message: 1 request and 2 retries. The bot retries a transient failure (HTTP 5xx, a timeout, a dropped connection) up to 2 times, after a growing random pause, within its 2 s deadline. Every try failed, so the bot answered without a profile.',
      );
    });

    it('should say when a retry worked', () => {
      expect(explainCalls({ calls: 2, turn: turn({ status: 'ok', source: 'graph' }), settings })).to.match(/^2 Graph calls for one message: 1 request and 1 retry\. .* The last try worked\.$/);
    });

    it('should tell a call abandoned at the deadline from one that read the profile', () => {
      expect(explainCalls({ calls: 1, turn: turn({ status: 'unavailable', error: { name: 'GraphRequestError', code: 'GRAPH_TIMEOUT', message: '' } }), settings })).to.equal(
        "1 Graph call, abandoned at the bot's 2 s deadline: Graph was too slow, and no time was left to retry.",
      );
      expect(explainCalls({ calls: 1, turn: turn({ status: 'ok', source: 'graph' }), settings })).to.equal('1 Graph call: the profile was read, and is now cached.');
      expect(explainCalls({ calls: 1, turn: turn({ status: 'not-found' }), settings })).to.equal('1 Graph call: Instagram refused the profile (100/33), an answer the bot does not retry.');
    });

    it('should say why no call was made: cache, remembered answer, comment, open circuit, no turn', () => {
      expect(explainCalls({ calls: 0, turn: turn({ status: 'ok', source: 'cache' }), settings })).to.equal("No Graph call: the profile came from the bot's cache.");
      expect(explainCalls({ calls: 0, turn: turn({ status: 'not-found' }), settings })).to.equal('No Graph call: the bot answered from its remembered "not found".');
      expect(explainCalls({ calls: 0, turn: turn({ kind: 'comment', status: 'no-consent' }), settings })).to.equal('No Graph call: a comment grants no consent, so the bot may only use what it has cached.');
      expect(explainCalls({ calls: 0, turn: turn({ status: 'unavailable', error: { name: 'InstagramProfileError', code: 'CIRCUIT_OPEN', message: '' } }), settings })).to.match(/circuit breaker/);
      expect(explainCalls({ calls: 0, turn: undefined, settings })).to.equal('No Graph call: the bot ran no turn for this.');
    });
  });
});

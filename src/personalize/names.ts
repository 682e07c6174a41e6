import type { InstagramProfile } from '../types.js';

/** Longest name part we insert into a reply, in graphemes: names come from strangers. */
export const MAX_NAME_GRAPHEMES = 64;
/**
 * And in UTF-16 code units, since one grapheme can carry thousands of combining marks and the
 * Send API refuses texts over 1 000 characters.
 */
export const MAX_NAME_CODE_UNITS = 128;

// Controls that could reorder or hide the reply around an inserted name: C0/C1 controls,
// bidi embeddings, overrides and isolates (anywhere); marks and zero-width characters at the edges.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
// Unicode tag characters are invisible and can smuggle text; their one legitimate use is a
// subdivision flag (🏴 + tags + cancel tag, e.g. England's), which is kept whole.
const TAGS = /(\u{1F3F4}[\u{E0020}-\u{E007E}]{1,16}\u{E007F})|[\u{E0000}-\u{E007F}]/gu;
const EDGE_INVISIBLES = /^[\s\u200b-\u200f\u061c\u2060\ufeff]+|[\s\u200b-\u200f\u061c\u2060\ufeff]+$/gu;
const WORD_SEPARATOR = /\s+/u;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

let segmenter: Intl.Segmenter | undefined;

/**
 * Cuts `text` to `max` graphemes and `MAX_NAME_CODE_UNITS` code units, never inside an emoji
 * sequence or a combining mark: a grapheme that does not fit whole is left out.
 */
function capGraphemes(text: string, max: number): string {
  // A grapheme is at least one code unit: short strings need no segmenting.
  if (text.length <= max) return text;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let out = '';
  let count = 0;
  for (const { segment } of segmenter.segment(text)) {
    if (++count > max || out.length + segment.length > MAX_NAME_CODE_UNITS) break;
    out += segment;
  }
  return out;
}

/** A name made safe to insert: no controls, no invisible edges, at most MAX_NAME_GRAPHEMES. */
export function cleanName(value: string | null | undefined): string {
  if (typeof value !== 'string') return '';
  const cleaned = value.replace(CONTROLS, '').replace(TAGS, (_tag, flag: string | undefined) => flag ?? '').replace(EDGE_INVISIBLES, '');
  return capGraphemes(cleaned, MAX_NAME_GRAPHEMES).replace(EDGE_INVISIBLES, '');
}

function atUsername(profile: InstagramProfile | undefined): string {
  const username = cleanName(profile?.username);
  return username ? `@${username}` : '';
}

/** The first word of the name that has a letter or digit ('🌸 Mei Lin ✨' → 'Mei'); '' when none. */
export function firstWord(name: string): string {
  for (const word of name.split(WORD_SEPARATOR)) if (HAS_LETTER_OR_DIGIT.test(word)) return word;
  return '';
}

/** The person's name; else `@username`; else `fallback`. */
export function displayName(profile: InstagramProfile | undefined, fallback = 'there'): string {
  return cleanName(profile?.name) || atUsername(profile) || fallback;
}

/** The first word of the person's name (grapheme-safe); else `@username`; else `fallback`. */
export function firstName(profile: InstagramProfile | undefined, fallback = 'there'): string {
  return firstWord(cleanName(profile?.name)) || atUsername(profile) || fallback;
}

import type { InstagramProfile } from '../types.js';
import { cleanName, firstWord } from './names.js';

// `{{` and `}}` are literal braces; `{key}` or `{key|fallback}` a placeholder.
const TOKEN = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)(?:\|([^{}]*))?\}/g;

function builtIn(key: string, profile: InstagramProfile | undefined): string | undefined {
  switch (key) {
    case 'name':
      return cleanName(profile?.name);
    case 'first_name':
      return firstWord(cleanName(profile?.name));
    case 'username':
      return cleanName(profile?.username);
    case 'follower_count':
      return profile?.followerCount === undefined ? '' : String(profile.followerCount);
    default:
      return undefined;
  }
}

/**
 * Fills `{name}`, `{first_name}`, `{username}`, `{follower_count}` and the keys of `values`
 * into `template` in one pass, so inserted text is never read as a placeholder.
 * `{key|fallback}` uses the fallback when the value is missing or empty; a known key with
 * no value and no fallback becomes ''; an unknown key is left as written, so typos show.
 * `{{` and `}}` write literal braces. `values` win over the built-in keys.
 */
export function personalize(template: string, profile: InstagramProfile | undefined, values: Record<string, string | number> = {}): string {
  return String(template).replace(TOKEN, (token: string, key: string | undefined, fallback: string | undefined) => {
    if (key === undefined) return token === '{{' ? '{' : '}';
    const supplied = Object.hasOwn(values, key) ? values[key] : undefined;
    const value = supplied !== undefined ? String(supplied) : builtIn(key, profile);
    if (value) return value;
    if (fallback !== undefined) return fallback;
    return value === undefined ? token : '';
  });
}

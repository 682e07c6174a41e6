import type { PersonaState } from './world.js';

const PALETTE = ['#f58529', '#dd2a7b', '#8134af', '#515bd4', '#2a9d8f', '#e76f51', '#264653', '#c13584'];

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A round avatar with the persona's initials: what its `profile_pic` URL shows. */
export function avatarSvg(persona: PersonaState): string {
  const label = persona.name ?? persona.username;
  const initials = [...new Intl.Segmenter(undefined, { granularity: 'word' }).segment(label)]
    .filter((s) => s.isWordLike)
    .slice(0, 2)
    .map((s) => [...s.segment][0] ?? '')
    .join('')
    .toUpperCase();
  const color = PALETTE[Number(persona.igsid.slice(-3)) % PALETTE.length];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="206" height="206" viewBox="0 0 206 206"><rect width="206" height="206" rx="103" fill="${color}"/><text x="103" y="103" dy="0.35em" text-anchor="middle" font-family="system-ui, sans-serif" font-size="80" fill="#fff">${escapeXml(initials || '?')}</text></svg>`;
}

/** fbcdn answers an expired signed link with 403 "URL signature expired". */
export function pictureExpired(query: URLSearchParams, now: number): boolean {
  const oe = query.get('oe');
  const seconds = oe && /^[0-9a-f]{1,12}$/i.test(oe) ? Number.parseInt(oe, 16) : 0;
  return seconds * 1000 <= now;
}

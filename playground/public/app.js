// The playground's page: plain DOM, no build step. Talks to /api (see ../playground.ts).
const $ = (id) => document.getElementById(id);
const state = { personas: [], current: null, icebreakers: [], menu: [], busy: false };

async function api(path, body) {
  const response = await fetch(`/api/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error((await response.json()).error ?? response.statusText);
  return response.json();
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const followers = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} K` : String(n));

/** The persona's picture, or its initials when it has none (as Instagram shows a default avatar). */
function avatar(p, size) {
  if (p.avatar) return el('img', { src: p.avatar, alt: '', width: size, height: size });
  const initials = (p.name ?? p.username).split(/\s+/).map((w) => [...w][0] ?? '').join('').slice(0, 2).toUpperCase();
  return el('span', { class: 'initials', style: `width:${size}px;height:${size}px` }, initials);
}

function personaButton(p) {
  const name = el('span', { class: 'name' }, p.name ?? `@${p.username}`, p.isVerifiedUser ? el('span', { class: 'verified', title: 'Verified' }, ' ✔') : null);
  const follows = p.followsBusiness ? el('span', { class: 'badge follows' }, p.followedByBusiness ? 'mutual' : 'follows you') : null;
  const blocked = p.blocksBusiness || p.hidden ? el('span', { class: 'badge blocked' }, 'blocked') : null;
  const meta = el('span', { class: 'meta' }, `@${p.username} · ${followers(p.followerCount)}`, follows, blocked);
  return el(
    'button',
    { class: 'persona', role: 'option', 'aria-selected': String(p.key === state.current), 'data-key': p.key, onclick: () => select(p.key) },
    avatar(p, 36),
    el('span', { class: 'who' }, name, meta),
  );
}

function renderPersonas() {
  $('persona-list').replaceChildren(...state.personas.map((p) => el('li', {}, personaButton(p))));
}

function renderThread(thread) {
  const persona = state.personas.find((p) => p.key === thread.persona);
  $('thread-avatar').replaceWith(Object.assign(avatar(persona, 40), { id: 'thread-avatar' }));
  $('thread-name').textContent = persona.name ?? `@${persona.username}`;
  $('thread-username').textContent = `@${persona.username} · ${persona.description}`;
  const items = thread.lines.map((line) => {
    if (line.from === 'user' && line.kind === 'comment') return el('li', { class: 'system' }, `💬 commented on a post: “${line.text}” (comments grant no consent: no DM)`);
    const tap = line.from === 'user' && line.kind !== 'message';
    const bubble = el('li', { class: `bubble ${line.from}${tap ? ' tap' : ''}` }, line.text);
    return line.delivered === false ? [bubble, el('li', { class: 'system bad' }, line.note)] : bubble;
  });
  $('messages').replaceChildren(...items.flat());
  $('messages').scrollTop = $('messages').scrollHeight;
  const last = thread.lines.at(-1);
  $('quick-replies').replaceChildren(...(last?.from === 'bot' ? last.quickReplies : []).map((q) => el('button', { type: 'button', class: 'chip', onclick: () => act({ kind: 'quick-reply', payload: q.payload, title: q.title }) }, q.title)));
  $('icebreakers').replaceChildren(...(thread.lines.length === 0 ? state.icebreakers : []).map((i) => el('button', { type: 'button', class: 'chip', onclick: () => act({ kind: 'icebreaker', payload: i.payload, title: i.question }) }, i.question)));
  $('hide-profile').checked = thread.hidden;
  $('calls-persona').textContent = String(thread.calls);
  $('calls-total').textContent = String(thread.totalCalls);
  renderLookup(thread.lastTurn);
}

function renderLookup(turn) {
  const card = $('lookup');
  if (!turn) return card.replaceChildren(el('p', { class: 'muted' }, 'Send a message to see the profile the bot loaded.'));
  const tone = turn.status === 'ok' ? (turn.source === 'stale' ? 'warn' : 'ok') : turn.status === 'no-consent' || turn.status === 'not-found' ? 'warn' : 'bad';
  const label = turn.status === 'ok' ? `profile from ${turn.source === 'graph' ? 'the Graph API' : turn.source === 'cache' ? 'the cache' : 'the cache (stale)'}` : turn.status;
  const rows = turn.profile
    ? Object.entries(turn.profile).map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, k === 'profilePic' && v ? el('img', { src: v, alt: 'profile picture', width: 40, height: 40 }) : String(v))))
    : [];
  const parts = [
    el('p', {}, el('span', { id: 'lookup-status', class: `status ${tone}` }, label), el('span', { class: 'muted' }, ` · ${turn.kind}`)),
    rows.length ? el('table', {}, el('tbody', {}, rows)) : null,
    turn.error ? el('p', { class: 'muted' }, el('strong', {}, `${turn.error.name} (${turn.error.code})`), el('br'), turn.error.message) : null,
    turn.reply ? el('p', { class: 'muted' }, `Replied: “${turn.reply}”`) : null,
  ];
  card.replaceChildren(...parts.filter(Boolean));
}

async function refreshState() {
  const s = await api('state');
  Object.assign(state, { personas: s.personas, icebreakers: s.icebreakers, menu: s.persistentMenu });
  renderPersonas();
  $('menu').replaceChildren(...state.menu.map((m) => el('li', { role: 'none' }, el('button', { type: 'button', role: 'menuitem', onclick: () => { toggleMenu(false); act({ kind: 'menu', payload: m.payload, title: m.title }); } }, m.title))));
}

async function select(key) {
  state.current = key;
  renderPersonas();
  renderThread(await api(`thread/${key}`));
  $('message-input').focus();
}

async function act(body) {
  if (!state.current || state.busy) return;
  state.busy = true;
  document.body.setAttribute('aria-busy', 'true');
  try {
    renderThread(await api(`act/${state.current}`, body));
    await refreshState();
  } catch (error) {
    alert(error.message);
  } finally {
    state.busy = false;
    document.body.removeAttribute('aria-busy');
  }
}

function toggleMenu(open) {
  $('menu').hidden = !open;
  $('menu-button').setAttribute('aria-expanded', String(open));
  if (open) $('menu').querySelector('button')?.focus();
}

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('message-input').value.trim();
  if (!text) return;
  $('message-input').value = '';
  act({ kind: 'message', text });
});
$('comment-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('comment-input').value.trim();
  if (!text) return;
  $('comment-input').value = '';
  act({ kind: 'comment', text });
});
$('menu-button').addEventListener('click', () => toggleMenu($('menu').hidden));
document.addEventListener('keydown', (event) => event.key === 'Escape' && toggleMenu(false));
$('hide-profile').addEventListener('change', async (event) => {
  if (!state.current) return;
  renderThread(await api(`hide/${state.current}`, { hidden: event.target.checked }));
  await refreshState();
});
for (const radio of document.querySelectorAll('input[name="graph"]')) radio.addEventListener('change', (event) => api('graph', { mode: event.target.value }));

refreshState().then(() => select(state.personas[0]?.key));

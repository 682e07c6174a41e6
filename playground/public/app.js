// The playground's page: plain DOM, no build step. Talks to /api (see ../playground.ts).
const $ = (id) => document.getElementById(id);
const state = { personas: [], current: null, icebreakers: [], menu: [], thread: null, graph: 'normal', graphHints: {}, followHint: '' };
/** What the person sent and the bot has not finished with, oldest first: sent one at a time, never dropped. */
const outbox = [];
let sending = false;
/** Requests under way: the body is aria-busy while there are any (tests wait for it to clear). */
let requests = 0;
function busy(delta) {
  requests += delta;
  if (requests > 0) document.body.setAttribute('aria-busy', 'true');
  else document.body.removeAttribute('aria-busy');
}

async function api(path, body) {
  const response = await fetch(`/api/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.error ?? response.statusText);
  return json;
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

const followers = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} K` : String(n));
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** Shown in place of an alert: a failed request is news, not a modal. */
function notice(text) {
  $('notice').textContent = text;
  $('notice').hidden = !text;
}

/** The persona's picture, or its initials when it has none (as Instagram shows a default avatar). */
function avatar(p, size) {
  if (p.avatar) return el('img', { src: p.avatar, alt: '', width: size, height: size, class: 'avatar' });
  const initials = (p.name ?? p.username).split(/\s+/).map((w) => [...w][0] ?? '').join('').slice(0, 2).toUpperCase();
  return el('span', { class: 'initials avatar', style: `width:${size}px;height:${size}px` }, initials);
}

function personaButton(p) {
  const name = el('span', { class: 'name' }, p.name ?? `@${p.username}`, p.isVerifiedUser ? el('span', { class: 'verified', title: 'Verified' }, ' ✔') : null);
  const follows = p.followsBusiness ? el('span', { class: 'badge follows' }, p.followedByBusiness ? 'mutual' : 'follows you') : null;
  const blocked = p.blocksBusiness || p.blocked ? el('span', { class: 'badge blocked' }, 'blocked') : null;
  const meta = el('span', { class: 'meta' }, el('span', { class: 'handle' }, `@${p.username} · ${followers(p.followerCount)}`), follows, blocked);
  return el(
    'button',
    { class: 'persona', role: 'option', 'aria-selected': String(p.key === state.current), 'data-key': p.key, onclick: () => select(p.key) },
    avatar(p, 36),
    el('span', { class: 'who' }, name, meta),
  );
}

function renderPersonas() {
  $('persona-list').replaceChildren(...state.personas.map((p) => el('li', {}, personaButton(p))));
  for (const radio of document.querySelectorAll('input[name="graph"]')) radio.checked = radio.value === state.graph;
  $('graph-hint').textContent = state.graphHints[state.graph] ?? '';
  $('follow-hint').textContent = state.followHint;
}

function userBubble(line, status) {
  if (line.kind === 'comment') return el('li', { class: 'system' }, `💬 commented on a post: “${line.text}” (comments grant no consent: no DM)`);
  const tap = line.kind !== 'message';
  const classes = `bubble user${tap ? ' tap' : ''}${status ? ' pending' : ''}`;
  return el('li', { class: classes, ...(status ? { 'data-status': status } : {}) }, el('span', { class: 'text' }, line.text), status ? el('span', { class: 'sending' }, status) : null);
}

const typing = () => el('li', { class: 'typing', role: 'status', 'aria-label': 'The bot is typing' }, el('span'), el('span'), el('span'));

/** The thread as the server knows it, then what is still on its way from this page. */
function renderMessages(thread) {
  const mine = outbox.filter((item) => item.key === thread.persona);
  const inFlight = mine.some((item) => item.status === 'sending');
  const items = [];
  for (const line of thread.lines) {
    if (line.from === 'bot') {
      items.push(el('li', { class: 'bubble bot' }, line.text));
      continue;
    }
    // The message on its way is drawn from the outbox below, once.
    if (line.pending && inFlight) continue;
    items.push(userBubble(line, line.pending ? 'Sending…' : null));
    if (line.delivered === false) items.push(el('li', { class: 'system bad' }, line.note));
  }
  for (const item of mine) items.push(userBubble(item.line, item.status === 'sending' ? 'Sending…' : 'Queued'));
  const waiting = mine.some((item) => item.status === 'sending' && item.line.kind !== 'comment') || (!inFlight && thread.lines.some((l) => l.pending && l.kind !== 'comment'));
  if (waiting) items.push(typing());
  $('messages').replaceChildren(...items);
  $('messages').scrollTop = $('messages').scrollHeight;
}

function renderThread() {
  const thread = state.thread;
  const persona = state.personas.find((p) => p.key === thread?.persona);
  if (!thread || !persona) return;
  $('thread-avatar').replaceWith(Object.assign(avatar(persona, 40), { id: 'thread-avatar' }));
  $('thread-name').textContent = persona.name ?? `@${persona.username}`;
  // A description such as "Does not follow the business" gives way once the switch changed that.
  $('thread-username').textContent = `@${persona.username} · ${thread.followNote ?? persona.description}${thread.blocked ? ' · blocked the business' : ''}`;
  renderMessages(thread);
  const last = thread.lines.at(-1);
  const queued = outbox.some((item) => item.key === thread.persona);
  $('quick-replies').replaceChildren(...(last?.from === 'bot' && !queued ? last.quickReplies : []).map((q) => el('button', { type: 'button', class: 'chip', onclick: () => enqueue({ kind: 'quick-reply', payload: q.payload, title: q.title }) }, q.title)));
  $('icebreakers').replaceChildren(...(thread.lines.length === 0 && !queued ? state.icebreakers : []).map((i) => el('button', { type: 'button', class: 'chip', onclick: () => enqueue({ kind: 'icebreaker', payload: i.payload, title: i.question }) }, i.question)));
  $('block-business').checked = thread.blocked;
  $('follows-business').checked = thread.follows;
  // Instagram lets no one follow an account they have blocked.
  $('follows-business').disabled = persona.blocksBusiness;
  renderKnowledge(thread);
}

function renderKnowledge(thread) {
  renderLookup(thread.lastTurn);
  $('cache-card').className = `card cache ${thread.cache.tone}`;
  $('cache-text').textContent = thread.cache.text;
  $('forget-profile').hidden = !thread.cache.forget;
  $('forget-profile').textContent = thread.cache.forget ?? '';
  $('calls-persona').textContent = String(thread.calls.persona);
  $('calls-total').textContent = String(thread.calls.total);
  $('calls-retries').textContent = thread.calls.retries ? `of which ${plural(thread.calls.retries, 'retry', 'retries')}` : '';
  $('calls-explained').textContent = thread.calls.lastMessage ? `Last action: ${thread.calls.lastMessage.text}` : 'Each Graph call the emulator answers is counted here.';
}

function renderLookup(turn) {
  const card = $('lookup');
  if (!turn) return card.replaceChildren(el('p', { class: 'muted' }, 'Send a message to see the profile the bot loaded.'));
  const tone = turn.status === 'ok' ? (turn.source === 'stale' ? 'warn' : 'ok') : turn.status === 'no-consent' || turn.status === 'not-found' ? 'warn' : 'bad';
  const label = turn.status === 'ok' ? `profile from ${turn.source === 'graph' ? 'the Graph API' : turn.source === 'cache' ? 'the cache' : 'the cache (stale)'}` : turn.status;
  const rows = turn.profile
    ? Object.entries(turn.profile).map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, k === 'profilePic' && v ? el('img', { src: v, alt: 'profile picture', width: 40, height: 40 }) : String(v))))
    : [];
  card.replaceChildren(
    ...[
      el('p', {}, el('span', { id: 'lookup-status', class: `status ${tone}` }, label), el('span', { class: 'muted' }, ` · ${turn.kind}`)),
      rows.length ? el('table', {}, el('tbody', {}, rows)) : null,
      turn.error ? el('p', { class: 'muted' }, el('strong', {}, `${turn.error.name} (${turn.error.code})`), el('br'), turn.error.message) : null,
    ].filter(Boolean),
  );
}

async function refreshState() {
  const s = await api('state');
  Object.assign(state, { personas: s.personas, icebreakers: s.icebreakers, menu: s.persistentMenu, graph: s.graph, graphHints: s.graphHints, followHint: s.followHint });
  renderPersonas();
  $('menu').replaceChildren(...state.menu.map((m) => el('li', { role: 'none' }, el('button', { type: 'button', role: 'menuitem', onclick: () => { toggleMenu(false); enqueue({ kind: 'menu', payload: m.payload, title: m.title }); } }, m.title))));
}

async function select(key) {
  state.current = key;
  renderPersonas();
  busy(+1);
  try {
    const thread = await api(`thread/${key}`);
    if (state.current !== key) return; // another persona was chosen meanwhile
    state.thread = thread;
    renderThread();
    $('message-input').focus();
  } catch (error) {
    notice(error.message);
  } finally {
    busy(-1);
  }
}

/** Shows the action at once (pending), then sends it after those before it. */
function enqueue(body) {
  if (!state.current) return;
  const line = { kind: body.kind, text: body.kind === 'message' || body.kind === 'comment' ? body.text : body.title };
  outbox.push({ key: state.current, body, line, status: 'queued' });
  renderThread();
  void pump();
}

async function pump() {
  if (sending) return;
  sending = true;
  busy(+1);
  while (outbox.length > 0) {
    const item = outbox[0];
    item.status = 'sending';
    if (item.key === state.current) renderThread();
    try {
      const thread = await api(`act/${item.key}`, item.body);
      outbox.shift();
      if (item.key === state.current) state.thread = thread;
      notice('');
    } catch (error) {
      outbox.shift();
      notice(`Could not send “${item.line.text}”: ${error.message}`);
    }
    await refreshState().catch(() => undefined);
    renderThread();
  }
  sending = false;
  busy(-1);
}

async function update(path, body) {
  if (!state.current) return;
  const key = state.current;
  busy(+1);
  try {
    const thread = await api(`${path}/${key}`, body);
    await refreshState();
    if (state.current !== key) return;
    state.thread = thread;
    renderThread();
  } catch (error) {
    notice(error.message);
  } finally {
    busy(-1);
  }
}

function toggleMenu(open) {
  $('menu').hidden = !open;
  $('menu-button').setAttribute('aria-expanded', String(open));
  if (open) $('menu').querySelector('button')?.focus();
}

function submitter(inputId, kind) {
  return (event) => {
    event.preventDefault();
    const input = $(inputId);
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    enqueue({ kind, text });
  };
}

$('composer').addEventListener('submit', submitter('message-input', 'message'));
$('comment-form').addEventListener('submit', submitter('comment-input', 'comment'));
$('menu-button').addEventListener('click', () => toggleMenu($('menu').hidden));
document.addEventListener('keydown', (event) => event.key === 'Escape' && toggleMenu(false));
$('block-business').addEventListener('change', (event) => update('block', { blocked: event.target.checked }));
$('follows-business').addEventListener('change', (event) => update('follow', { follows: event.target.checked }));
$('forget-profile').addEventListener('click', () => update('forget', {}));
for (const radio of document.querySelectorAll('input[name="graph"]')) {
  radio.addEventListener('change', async (event) => {
    busy(+1);
    try {
      await api('graph', { mode: event.target.value });
      await refreshState();
    } catch (error) {
      notice(error.message);
    } finally {
      busy(-1);
    }
  });
}

refreshState().then(() => select(state.personas[0]?.key), (error) => notice(`The playground's server did not answer: ${error.message}`));

/**
 * The context a ```ts fragment example is type-checked in: code from inside a handler, where
 * `context`, `profiles`, `adapter`… already exist and the package's helpers are imported. A
 * fragment that imports or declares one of these names itself keeps its own.
 */
const IMPORTS: ReadonlyArray<readonly [module: string, names: readonly string[]]> = [
  ['node:assert/strict', ['default as assert']],
  ['botbuilder', ['ActivityHandler', 'MessageFactory', 'TurnContext']],
  ['botkit', ['type BotWorker', 'type BotkitMessage']],
  [
    'botbuilder-instagram-profile',
    [
      'InstagramProfileMiddleware',
      'getInstagramEvent',
      'getInstagramProfile',
      'displayName',
      'firstName',
      'followStatus',
      'personalize',
      'audienceTier',
      'GraphProfileClient',
      'ProfileCache',
      'InstagramProfileError',
      'type InstagramProfile',
      'type ProfileLookup',
    ],
  ],
  ['botbuilder-instagram-profile/adapter', ['InstagramAdapter']],
  ['botbuilder-instagram-profile/emulator', ['type Emulator']],
];

const DECLARED: ReadonlyArray<readonly [name: string, type: string]> = [
  ['context', 'TurnContext'],
  ['profiles', 'InstagramProfileMiddleware'],
  ['adapter', 'InstagramAdapter'],
  ['client', 'GraphProfileClient'],
  ['bot', 'ActivityHandler'],
  ['profile', 'InstagramProfile | undefined'],
  ['igsid', 'string'],
  ['businessId', 'string'],
  ['accessToken', 'string'],
  ['appSecret', 'string'],
  ['verifyToken', 'string'],
  ['emulator', 'Emulator'],
  ['botWorker', 'BotWorker'],
  ['message', 'BotkitMessage'],
  ['signal', 'AbortSignal'],
];

/** The local name a specifier binds: `type X` → X, `default as assert` → assert, `a as b` → b. */
function boundName(specifier: string): string {
  return specifier.replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim();
}

/** Names a fragment brings itself: what it imports and what it declares at the top level. */
export function namesDefinedBy(code: string): Set<string> {
  const names = new Set<string>();
  for (const [, clause = ''] of code.matchAll(/^import\s+(?:type\s+)?([^'"]*?)\s+from\s+['"][^'"]+['"]/gm)) {
    const braces = /\{([^}]*)\}/.exec(clause);
    for (const specifier of braces ? braces[1]!.split(',') : []) if (specifier.trim()) names.add(boundName(specifier));
    const outside = clause.replace(/\{[^}]*\}/, '').replace(/\*\s+as\s+/, '').split(',');
    for (const part of outside) if (part.trim()) names.add(part.trim());
  }
  for (const [, name] of code.matchAll(/^(?:export\s+)?(?:declare\s+)?(?:const|let|var|function|class|async\s+function)\s+([A-Za-z_$][\w$]*)/gm)) names.add(name!);
  return names;
}

/** The prelude for one fragment, without the names the fragment defines itself. */
export function fragmentPrelude(code: string): string {
  const own = namesDefinedBy(code);
  const lines: string[] = [];
  for (const [module, specifiers] of IMPORTS) {
    const kept = specifiers.filter((specifier) => !own.has(boundName(specifier)));
    if (kept.length) lines.push(`import { ${kept.join(', ')} } from '${module}';`);
  }
  for (const [name, type] of DECLARED) if (!own.has(name)) lines.push(`declare const ${name}: ${type};`);
  return `${lines.join('\n')}\n`;
}

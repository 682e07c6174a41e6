/**
 * The TypeScript examples of a Markdown page. A fence's info string says how an example is
 * checked: ```ts (a whole file: type-checked), ```ts runnable (also run against the
 * emulator; its own asserts say what it claims), ```ts fragment (code from inside a handler:
 * type-checked inside the declared context of `fragmentContext.ts`). `file=bot.ts` names the
 * file, so that another example of the same page can import it (`./bot.js`).
 */
export type ExampleKind = 'module' | 'runnable' | 'fragment';

export interface Example {
  /** The page, relative to the repository root (`README.md`, `docs/adapter.md`). */
  page: string;
  /** 1-based line of the example's first code line in the page. */
  line: number;
  kind: ExampleKind;
  /** The file name the page gives it (`file=bot.ts`), if any. */
  fileName?: string;
  code: string;
}

const TS_LANGUAGES = new Set(['ts', 'typescript']);
const FENCE = /^ {0,3}(`{3,}|~{3,})\s*(.*)$/;
const FILE_NAME = /^[A-Za-z0-9][\w.-]*\.ts$/;

/** Every TypeScript example of a page, in order; an unknown word in an info string is an error, so a typo cannot skip a check. */
export function extractExamples(markdown: string, page: string): Example[] {
  const lines = markdown.split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const [language = '', ...words] = open[2]!.trim().split(/\s+/);
    const closeAt = findClose(lines, i + 1, fence);
    if (TS_LANGUAGES.has(language.toLowerCase())) {
      examples.push({ page, line: i + 2, ...parseInfo(words, `${page}:${i + 1}`), code: lines.slice(i + 1, closeAt).join('\n') });
    }
    i = closeAt;
  }
  return examples;
}

function findClose(lines: readonly string[], from: number, fence: string): number {
  for (let j = from; j < lines.length; j++) {
    const line = lines[j]!.trim();
    if (line.startsWith(fence[0]!.repeat(fence.length)) && /^(`+|~+)$/.test(line)) return j;
  }
  return lines.length;
}

function parseInfo(words: readonly string[], where: string): { kind: ExampleKind; fileName?: string } {
  let kind: ExampleKind = 'module';
  let fileName: string | undefined;
  for (const word of words) {
    if (word === 'runnable' || word === 'fragment') {
      if (kind !== 'module') throw new Error(`${where}: an example is either runnable or a fragment, not both`);
      kind = word;
    } else if (word.startsWith('file=') && FILE_NAME.test(word.slice(5))) {
      fileName = word.slice(5);
    } else {
      throw new Error(`${where}: unknown word "${word}" in the info string (expected runnable, fragment or file=<name>.ts)`);
    }
  }
  if (fileName !== undefined && kind === 'fragment') throw new Error(`${where}: a fragment cannot be imported, so it takes no file name`);
  return fileName === undefined ? { kind } : { kind, fileName };
}

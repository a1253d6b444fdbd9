import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The part of the layer rules an import graph cannot see (the rest is `npm run lint:layers`):
 * only core verbs (src/core/) and the store itself (src/db/) touch the store, which routes,
 * the CLI, auth, mail and views reach through `deps.core` like any other dependency.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** Lines that reach a `.store` property, imports and comments left out. */
function storeAccess(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !/^\s*(import|export .* from|\*|\/\/|\/\*)/.test(line))
    .filter((line) => /\.store\b(?!\.ts)/.test(line));
}

describe('the store is reached only through core verbs', () => {
  const outside = [...sources('src'), ...sources('views')].filter((f) => !/^src\/(core|db)\//.test(relative('.', f)) && f !== join('src', 'runtime.ts'));

  it('no file outside src/core/ and src/db/ touches .store', () => {
    const offending = outside.flatMap((file) => storeAccess(readFileSync(join(root, file), 'utf8')).map((line) => `${file}: ${line.trim()}`));
    expect(offending).toEqual([]);
  });

  it('would see it if one did', () => {
    const text = ["import type { TopicRow } from '../../db/store.ts';", '// core.store is named in a comment', '    const topics = await deps.core.store.topics.all();'].join('\n');
    expect(storeAccess(text)).toEqual(['    const topics = await deps.core.store.topics.all();']);
  });
});

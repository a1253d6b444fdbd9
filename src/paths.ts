import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project folder (where package.json, migrations/, emails/ and views/assets/ live), found by
 * walking up from this file, so that the sources run by tsx and the build in dist/ find the
 * same files.
 */
function findRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return dir;
    if (dirname(dir) === dir) throw new Error('optbox: cannot find the project folder (package.json with migrations/)');
  }
}

/** A path inside the project folder; looked up when asked (nothing is read at import). */
export const projectPath = (...parts: string[]) => join(findRoot(), ...parts);

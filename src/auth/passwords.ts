import { randomBytes } from 'node:crypto';
import type { PasswordCheck } from '../core/operators.ts';

/**
 * Operator passwords, argon2id (RFC 9106) with OWASP's minimum parameters for argon2id
 * (19 MiB, 2 passes, 1 lane): slow enough to make a stolen table expensive, quick enough for a
 * sign-in. @node-rs/argon2 ships prebuilt binaries, so `npm ci` runs no install script.
 */
export type PasswordHasher = PasswordCheck;

// Algorithm.Argon2id: the package's const enum cannot be imported under isolatedModules.
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// Loaded on the first sign-in or password change, not by every process that builds the app.
const argon2 = () => import('@node-rs/argon2');
const hash = async (password: string) => (await argon2()).hash(password, OPTIONS as never);

export function createPasswordHasher(): PasswordHasher {
  // A real hash of a random password, made on first need: what an unknown address is checked against.
  let dummy: Promise<string> | undefined;
  const check = async (stored: string, password: string) => {
    try {
      return await (await argon2()).verify(stored, password);
    } catch {
      return false;
    }
  };
  return {
    hash: (password) => hash(password),
    verify: check,
    async verifyNothing(password) {
      dummy ??= hash(randomBytes(16).toString('base64url'));
      await check(await dummy, password);
    },
  };
}

/** Reading the bench's environment variables, with their defaults. */
import { randomBytes } from 'node:crypto';

/** Every seeded helper account's password; random so a left-over directory grants nothing. */
export const PASSWORD = `bench ${randomBytes(9).toString('base64url')}`;

export function envNumber(name: string, fallback: number, zeroAllowed = false): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroAllowed)) {
    throw new Error(`${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} number`);
  }
  return n;
}

export function envList(name: string, fallback: number[], zeroAllowed = false): number[] {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  return value.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 0 || (n === 0 && !zeroAllowed)) {
      throw new Error(`${name} must be a comma-separated list of whole numbers`);
    }
    return n;
  });
}

/** The environment a load client needs (the helpers' password). */
export function clientEnv(): NodeJS.ProcessEnv {
  return { ...process.env, BENCH_HELPER_PASSWORD: PASSWORD };
}

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type RulesFile, rulesFileSchema } from '../protocol/rules.ts';

/**
 * Reads the site owner's rules: `HELP_RULES_FILE`, else `./help-rules.json` when there is one,
 * else none. A file that is not valid JSON or breaks the schema stops the server at start-up
 * with the place it went wrong: rules that silently do not apply would be worse than none.
 */
export function rulesFromEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): RulesFile | undefined {
  const named = env.HELP_RULES_FILE?.trim();
  const path = resolve(cwd, named || 'help-rules.json');
  if (!named && !existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
  const parsed = rulesFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map(String).join('.') ?? '';
    throw new Error(`${path}: ${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/**
 * Once per test run: are the machine's PostgreSQL and Redis there? The answer goes to every
 * test file (`inject('services')`), and where one is missing a single line says which suites
 * are skipped and why; with `HELP_REQUIRE_SERVICES=1` (`.ci/run`) the run fails instead.
 */
import type { TestProject } from 'vitest/node';
import { findDatabase, findRedis, type Services, servicesMissing } from './services.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    services: Services;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const [database, redis] = await Promise.all([findDatabase(), findRedis()]);
  const services: Services = { ...(database ? { database } : {}), ...(redis ? { redis } : {}) };
  servicesMissing(services);
  project.provide('services', services);
}

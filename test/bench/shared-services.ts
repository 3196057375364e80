/**
 * What a bench run on PostgreSQL and Redis leaves behind, removed: its schema and its keys.
 * Each run uses a schema and a key prefix of its own, so runs never see one another's data.
 */
import { Redis } from 'ioredis';
import pg from 'pg';

export async function dropShared(
  services: { database: string; redis: string },
  schema: string,
  prefix: string,
): Promise<void> {
  const client = new pg.Client({ connectionString: services.database });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  const redis = new Redis(services.redis);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}

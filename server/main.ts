/** The only module with side effects: reads the environment and runs the server. */
import { configFromEnv } from './config.ts';
import { runServer } from './run.ts';

try {
  const { config, listen } = configFromEnv(process.env);
  await runServer(config, listen);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

import 'reflect-metadata';
import { log, startTelemetry } from '@baton/observability';
import { loadConfig } from './config';
import { Gateway } from './gateway';
import { createHttpApp } from './http/create-app';

/** Starts the gateway: configuration, the parts, then the HTTP edge; logs `ready` once listening. */
async function main(): Promise<void> {
  startTelemetry('baton-gateway');
  const config = loadConfig();
  const gateway = await Gateway.create(config);
  await gateway.start();
  const app = await createHttpApp(gateway);
  await app.listen(config.httpPort, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.httpPort;
  log('info', 'gateway', `ready; HTTP API on http://${config.host}:${port} (OpenAPI at /docs)`, { port });
}

main().catch((error: unknown) => {
  log('fatal', 'gateway', `failed to start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});

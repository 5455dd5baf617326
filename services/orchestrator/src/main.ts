import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { log, nestLogger, startTelemetry } from '@baton/observability';
import { loadConfig } from './config';
import { OrchestratorHttpModule } from './http/app.module';
import { Orchestrator } from './orchestrator';

/** Starts the orchestrator: configuration, the pipeline, then the HTTP edge. */
async function main(): Promise<void> {
  startTelemetry('baton-orchestrator');
  const config = loadConfig();
  const orchestrator = await Orchestrator.create(config);
  await orchestrator.start();
  const app = await NestFactory.create(OrchestratorHttpModule.forRoot(orchestrator), { logger: nestLogger() });
  app.enableShutdownHooks();
  await app.listen(config.httpPort, config.host);
  const address = app.getHttpServer().address();
  log('info', 'orchestrator', `ready; metrics and health on http://${config.host}:${typeof address === 'object' && address ? address.port : config.httpPort}`, { instance: config.instanceId });
}

main().catch((error: unknown) => {
  log('fatal', 'orchestrator', `failed to start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});

/**
 * The triage step service: a Nest HTTP app (`/metrics`, `/health/live`, `/health/ready`) whose
 * `StepModule` consumes the step topics of the types in `BATON_STEP_TYPES` (default all) and
 * publishes results to `baton.step-results`. One image, deployed once per group of step types.
 *
 *     npm run steps                                   # every triage step type, port 3100
 *     BATON_STEP_TYPES=text.classify PORT=3101 npm run steps
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { log, nestLogger } from '@baton/observability';
import { StepRuntime } from '@baton/step-sdk';
import { loadServiceConfig } from './service/service-config';
import { TriageStepsModule } from './service/triage-steps.module';

async function main(): Promise<void> {
  const config = loadServiceConfig();
  const app = await NestFactory.create(
    TriageStepsModule.forRoot({ stepTypes: config.stepTypes, step: { namespace: config.namespace, brokers: config.brokers, ...(config.groupId && { groupId: config.groupId }) } }),
    { logger: nestLogger() },
  );
  app.enableShutdownHooks();
  // listen() bootstraps the app, which starts the step consumer and waits for it to join its group.
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const { worker } = app.get(StepRuntime, { strict: false });
  log('info', 'triage-steps', `ready; consuming ${config.stepTypes.join(', ')}; metrics and health on http://${config.host}:${port}`, {
    stepTypes: config.stepTypes, groupId: worker.groupId, namespace: config.namespace || null, port,
  });
}

main().catch((error: unknown) => {
  log('fatal', 'triage-steps', `failed to start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});

import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NoopInput, NoopOutput } from '@baton/contracts';
import { log } from '@baton/observability';
import { StepHandler, StepModule, type Step, type StepContext } from '@baton/step-sdk';

/*
 * The step service of the crash test (crash-recovery.e2e.spec.ts), run as its own process so the
 * test can SIGKILL it: the real step SDK with one `noop` handler for every step of the onboarding
 * workflow. Each attempt takes 100-600 ms, so cases are in flight at every kill; the first
 * attempt of `workspace` fails retryably, so every case waits on a retry backoff timer.
 * Reads KAFKA_BROKERS, BATON_TOPIC_NAMESPACE and BATON_KAFKA_SESSION_TIMEOUT_MS like any step service.
 */

@StepHandler('noop')
class OnboardingStep implements Step<NoopInput, NoopOutput> {
  async handle(_input: NoopInput, ctx: StepContext): Promise<NoopOutput> {
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 500));
    if (ctx.stepId === 'workspace' && ctx.attempt === 1) throw Object.assign(new Error('the workspace service is busy'), { name: 'WorkspaceBusy' });
    return { ok: true };
  }
}

@Module({ imports: [StepModule.forRoot({ handlers: [OnboardingStep], observability: false, worker: `crash-steps/${process.pid}` })] })
class CrashStepsModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(CrashStepsModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.init();
  log('info', 'crash-steps', 'ready');
}

main().catch((error: unknown) => {
  log('fatal', 'crash-steps', `failed to start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});

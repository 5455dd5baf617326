import 'reflect-metadata';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NoopInput, NoopOutput } from '@baton/contracts';
import { log } from '@baton/observability';
import { StepHandler, StepModule, writeOnce, type Step, type StepContext } from '@baton/step-sdk';

/*
 * The step service of the crash test (crash-recovery.e2e.spec.ts), run as its own process so the
 * test can SIGKILL it: the real step SDK with one `noop` handler for every step of the onboarding
 * workflow. Each attempt takes 100-600 ms, so cases are in flight at every kill; the first
 * attempt of `workspace` fails retryably, so every case waits on a retry backoff timer.
 * The last step, `manager`, applies two side effects per case into BATON_CRASH_EFFECTS_DIR, for the
 * checker: `notify`, through the SDK's `writeOnce` (a file per case; each creation journalled in
 * `notify/applied.log`), and `naive`, a line appended to `naive.log` on every run of the handler, as a step
 * without an idempotency key would. A kill after the effect and before the result reaches Kafka
 * makes the attempt run again: `naive` then shows the duplicate, `notify` must not.
 * Reads KAFKA_BROKERS, BATON_TOPIC_NAMESPACE and BATON_KAFKA_SESSION_TIMEOUT_MS like any step service.
 */

/** The effects of one `manager` run; the case id is the effects' key (one effect per case). */
function applyEffects(dir: string, caseId: string): void {
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, 'naive.log'), `${caseId}\n`);
  writeOnce(join(dir, 'notify'), caseId, () => ({ caseId, at: Date.now() }));
}

@StepHandler('noop')
class OnboardingStep implements Step<NoopInput, NoopOutput> {
  async handle(_input: NoopInput, ctx: StepContext): Promise<NoopOutput> {
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 500));
    if (ctx.stepId === 'workspace' && ctx.attempt === 1) throw Object.assign(new Error('the workspace service is busy'), { name: 'WorkspaceBusy' });
    const effects = process.env.BATON_CRASH_EFFECTS_DIR;
    if (ctx.stepId === 'manager' && effects) applyEffects(effects, ctx.caseId);
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

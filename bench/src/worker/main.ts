import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { log } from '@baton/observability';
import { StepModule } from '@baton/step-sdk';
import { AttemptTimes, BenchNoopStep } from './noop.step';

/*
 * The benchmark's step worker, a child process of the benchmark: a Nest application context with
 * the real step SDK (StepModule.forRoot, one @StepHandler('noop') class) and its defaults, as a
 * step team would deploy it. Reads BATON_TOPIC_NAMESPACE and KAFKA_BROKERS like any step worker;
 * on SIGTERM it stops consuming and writes when each attempt ran to BENCH_WORKER_TIMES (JSON).
 */

@Module({ imports: [StepModule.forRoot({ handlers: [BenchNoopStep], providers: [AttemptTimes], observability: false, worker: 'bench-worker' })] })
class BenchStepsModule {}

async function main(): Promise<void> {
  const out = process.env.BENCH_WORKER_TIMES;
  if (!out) throw new Error('BENCH_WORKER_TIMES is not set: the benchmark names the file the attempt times go to');
  const app = await NestFactory.createApplicationContext(BenchStepsModule, { logger: ['error', 'warn'] });
  await app.init();
  const times = app.get(AttemptTimes, { strict: false });
  process.once('SIGTERM', () => {
    void app.close().finally(() => {
      writeFileSync(out, JSON.stringify(times.handled));
      process.exit(0);
    });
  });
  log('info', 'bench-worker', 'ready');
}

main().catch((error: unknown) => {
  log('fatal', 'bench-worker', `failed to start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});

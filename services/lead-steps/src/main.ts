/**
 * The lead team's step service: serves the step types in `BATON_STEP_TYPES` (comma-separated,
 * default all five) with the step SDK; its contracts (../contracts) are registered in the contract
 * registry at `BATON_REGISTRY_URL` before it consumes. `PORT` (default 3300) serves /metrics and /health.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { selectStepTypes, StepModule } from '@baton/step-sdk';
import { LEAD_HANDLERS } from './handlers';

type LeadStepType = keyof typeof LEAD_HANDLERS;

@Module({})
class LeadSteps {
  static forRoot(types: LeadStepType[]): DynamicModule {
    return {
      module: LeadSteps,
      imports: [StepModule.forRoot({ handlers: types.map((t) => LEAD_HANDLERS[t]), contracts: join(__dirname, '..', 'contracts'), service: 'lead-steps', clientId: 'lead-steps' })],
    };
  }
}

async function main(): Promise<void> {
  const types = selectStepTypes(LEAD_HANDLERS);
  const app = await NestFactory.create(LeadSteps.forRoot(types), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3300), '127.0.0.1');
  console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', component: 'lead-steps', message: `ready; consuming ${types.join(', ')}` }));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

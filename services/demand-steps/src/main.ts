/**
 * The demand team's step service: serves the step types in `BATON_STEP_TYPES` (comma-separated,
 * default all four) with the step SDK; its contracts (../contracts) are registered in the contract
 * registry at `BATON_REGISTRY_URL` before it consumes. `PORT` (default 3400) serves /metrics and /health.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { selectStepTypes, StepModule } from '@baton/step-sdk';
import { DEMAND_HANDLERS } from './handlers';

type DemandStepType = keyof typeof DEMAND_HANDLERS;

@Module({})
class DemandSteps {
  static forRoot(types: DemandStepType[]): DynamicModule {
    return {
      module: DemandSteps,
      imports: [StepModule.forRoot({ handlers: types.map((t) => DEMAND_HANDLERS[t]), contracts: join(__dirname, '..', 'contracts'), service: 'demand-steps', clientId: 'demand-steps' })],
    };
  }
}

async function main(): Promise<void> {
  const types = selectStepTypes(DEMAND_HANDLERS);
  const app = await NestFactory.create(DemandSteps.forRoot(types), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3400), '127.0.0.1');
  console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', component: 'demand-steps', message: `ready; consuming ${types.join(', ')}` }));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

// The onboarding team's step service: one step type, its contract in ../contracts (not in Baton's).
import 'reflect-metadata';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { StepHandler, StepModule, type Step } from '@baton/step-sdk';

interface WelcomeInput { email: string; name: string }
interface WelcomeOutput { message: string; sentTo: string }

/** `user.welcome`: the welcome message of a new user (a real one would send it, keyed by `ctx.idempotencyKey`). */
@StepHandler('user.welcome')
export class Welcome implements Step<WelcomeInput, WelcomeOutput> {
  async handle(input: WelcomeInput): Promise<WelcomeOutput> {
    return { message: `Welcome aboard, ${input.name}!`, sentTo: input.email };
  }
}

// `contracts`: loaded, and registered in the contract registry at BATON_REGISTRY_URL before consuming.
@Module({ imports: [StepModule.forRoot({ handlers: [Welcome], contracts: join(__dirname, '..', 'contracts'), service: 'onboarding-steps' })] })
class OnboardingSteps {}

async function main(): Promise<void> {
  const app = await NestFactory.create(OnboardingSteps, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3200), '127.0.0.1'); // ready: GET /health/ready answers 200
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

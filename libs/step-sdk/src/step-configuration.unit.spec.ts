import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NonRetryableError } from './non-retryable-error';
import type { Step } from './step';
import { StepConfigurationError } from './step-configuration-error';
import { stepHandler } from './step-function';
import { StepHandler, stepTypeOf } from './step-handler.decorator';
import { StepModule } from './step.module';
import { StepTransport } from './step-transport';

@StepHandler('noop')
class A implements Step { async handle(): Promise<unknown> { return { ok: true }; } }
@StepHandler('noop')
class B implements Step { async handle(): Promise<unknown> { return { ok: true }; } }
class Undecorated implements Step { async handle(): Promise<unknown> { return {}; } }
@StepHandler('no.such.type')
class Unknown implements Step { async handle(): Promise<unknown> { return {}; } }

describe('step SDK configuration', () => {
  it('records the step type of a decorated class and refuses a name that is not a step type', () => {
    assert.equal(stepTypeOf(A), 'noop');
    assert.equal(stepTypeOf(Undecorated), undefined);
    assert.throws(() => StepHandler('Text_Classify'), StepConfigurationError);
  });

  it('refuses an empty handler list, an undecorated class, and two handlers of one type', () => {
    assert.throws(() => StepModule.forRoot({ handlers: [] }), /lists no handler class or function/);
    assert.throws(() => StepModule.forRoot({ handlers: [Undecorated] }), /Undecorated is not decorated with @StepHandler/);
    assert.throws(() => StepModule.forRoot({ handlers: [A, B] }), /A and B both handle step type 'noop'/);
  });

  it('refuses a function handler with a bad step type or no function, and a function and a class of one type', () => {
    assert.throws(() => stepHandler('Text_Classify', async () => ({})), /stepHandler\('Text_Classify'\): a step type is lowercase/);
    assert.throws(() => stepHandler('noop', {} as never), /the handler is a function/);
    assert.throws(() => StepModule.forRoot({ handlers: [A, stepHandler('noop', async () => ({ ok: true }))] }), /A and stepHandler\('noop'\) both handle step type 'noop'/);
    assert.throws(() => StepModule.forRoot({ handlers: [{ stepType: 'noop', fn: async () => ({}) } as never] }), /is not decorated with @StepHandler/);
  });

  it('refuses at start-up a function handler whose step type has no contract', async () => {
    @Module({ imports: [StepModule.forRoot({ handlers: [stepHandler('no.such.type', async () => ({}))], observability: false })] })
    class UnknownFnModule {}
    await assert.rejects(NestFactory.createApplicationContext(UnknownFnModule, { logger: false, abortOnError: false }), /step type no\.such\.type has no contract/);
  });

  it('refuses at start-up a step type that has no contract', async () => {
    @Module({ imports: [StepModule.forRoot({ handlers: [Unknown], observability: false })] })
    class UnknownModule {}
    await assert.rejects(NestFactory.createApplicationContext(UnknownModule, { logger: false, abortOnError: false }), /step type no\.such\.type has no contract/);
  });

  it('refuses at start-up a malformed variable of its environment, naming it', async () => {
    @Module({ imports: [StepModule.forRoot({ handlers: [A], observability: false })] })
    class BadEnvModule {}
    process.env.BATON_KAFKA_SESSION_TIMEOUT_MS = 'abc';
    try {
      await assert.rejects(NestFactory.createApplicationContext(BadEnvModule, { logger: false, abortOnError: false }), /^ConfigError: BATON_KAFKA_SESSION_TIMEOUT_MS: expected a positive integer \(ms\), got "abc"$/);
    } finally {
      delete process.env.BATON_KAFKA_SESSION_TIMEOUT_MS;
    }
  });

  it('fails to listen when the app has no StepModule', async () => {
    @Module({})
    class Empty {}
    const app = await NestFactory.createMicroservice(Empty, { strategy: new StepTransport(), logger: false });
    await assert.rejects(app.listen(), /import StepModule\.forRoot/);
    await app.close();
  });

  it('names a NonRetryableError after the failure, not the class', () => {
    const e = new NonRetryableError('MalformedEmail', 'no @ in it');
    assert.equal(e.name, 'MalformedEmail');
    assert.ok(e instanceof Error);
  });
});

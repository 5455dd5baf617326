import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import 'reflect-metadata';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { Registry } from 'prom-client';
import type { Gateway } from '../gateway';
import { GatewayHttpModule } from '../http/app.module';
import { ACCESS_REQUIREMENT } from './access';
import { TenantQuota } from './tenant-quota';
import { TooManyRequests } from '../errors/auth-problems';

describe('route access', () => {
  it('every route handler of every gateway controller declares its requirement with @Requires', () => {
    const stub = { metricsRegistry: new Registry(), devIssuer: {} } as unknown as Gateway;
    const controllers = (GatewayHttpModule.forRoot(stub).controllers ?? []) as (new (...a: never[]) => object)[];
    const undeclared: string[] = [];
    let routes = 0;
    for (const controller of controllers) {
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        routes += 1;
        if (Reflect.getMetadata(ACCESS_REQUIREMENT, handler) === undefined) undeclared.push(`${controller.name}.${name} (${String(Reflect.getMetadata(PATH_METADATA, handler))})`);
      }
    }
    assert.ok(routes >= 25, `found ${routes} routes`);
    assert.deepEqual(undeclared, [], 'routes without @Requires');
  });
});

describe('the per-tenant case quota (token bucket)', () => {
  it('allows the burst, then the rate, per tenant, and says when to come back', () => {
    let now = 0;
    const quota = new TenantQuota(2, 3, () => now);
    for (let i = 0; i < 3; i++) quota.take('a');
    assert.throws(() => quota.take('a'), (e: unknown) => e instanceof TooManyRequests && e.retryAfterSeconds === 1 && e.responseHeaders['Retry-After'] === '1');
    quota.take('b');
    now = 500; // half a second: one token back at 2 a second
    quota.take('a');
    assert.throws(() => quota.take('a'), TooManyRequests);
    now = 10_000;
    for (let i = 0; i < 3; i++) quota.take('a');
    assert.throws(() => quota.take('a'), TooManyRequests, 'never more than the burst');
  });
});

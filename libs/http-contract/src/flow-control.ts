/**
 * The bodies of the flow-control routes: per-step-type limits (`/limits`), circuit breakers
 * (`/breakers`) and resolving a step that waits for an operator
 * (`POST /cases/{id}/steps/{stepId}/resolve`).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Int, JsonObject, Nullable, OneOf, PositiveInt, Str, Text, Time } from './fields';

/** A rate as written: a positive number per second, minute or hour, `50/s`, `600/m`, `0.5/s`. */
export const RATE_PATTERN = '^[0-9]+(\\.[0-9]+)?/(s|m|h)$';

/** The circuit breaker of a step type. */
export const BreakerPolicyBody = Type.Object({
  failures: PositiveInt(undefined, { description: 'failed attempts (failures and timeouts) within the window that open the circuit' }),
  windowMs: PositiveInt(undefined, { description: 'the window the failures are counted in, ms' }),
  openMs: PositiveInt(undefined, { description: 'how long the circuit stays open before one probe attempt, ms' }),
}, { additionalProperties: false });

/** `PUT /limits/{stepType}`: replaces the step type's limits; every field optional. */
export const LimitsRequest = Type.Object({
  concurrency: Type.Optional(PositiveInt(undefined, { description: 'attempts of this type running at once, at most, across every orchestrator' })),
  rate: Type.Optional(Type.String({ pattern: RATE_PATTERN, description: 'attempts admitted per second/minute/hour on average (a token bucket), e.g. 50/s', example: '50/s' })),
  burst: Type.Optional(PositiveInt(undefined, { description: 'admissions in a burst, at most; default the rate per second rounded up (at least 1)' })),
  breaker: Type.Optional(BreakerPolicyBody),
  updatedBy: Type.Optional(Text()),
}, { additionalProperties: false });
export type LimitsRequest = Static<typeof LimitsRequest>;

/** A step type's limits as stored. */
export const StepTypeLimitsBody = Type.Object({
  stepType: Str(),
  concurrency: Type.Optional(Int()),
  ratePerSecond: Type.Optional(Type.Number()),
  burst: Type.Optional(Int()),
  breaker: Type.Optional(BreakerPolicyBody),
  updatedAt: Type.Optional(Time()),
  updatedBy: Type.Optional(Str()),
});

/** `GET /breakers`: one per step type with limits, a breaker state or waiting requests. */
export const BreakerStatusBody = Type.Object({
  stepType: Str(),
  state: OneOf(['closed', 'half-open', 'open'] as const),
  changedAt: Time(),
  policy: Nullable(BreakerPolicyBody),
  waiting: Int(),
  inFlight: Int(),
});

/** `POST /cases/{id}/steps/{stepId}/resolve`. */
export const ResolveStepRequest = Type.Object({
  action: OneOf(['retry', 'skip'] as const),
  output: Type.Optional(JsonObject({ description: "skip only: the step's output; must match the step type's output record" })),
  principal: Type.Optional(Text(undefined, { description: 'who resolves it' })),
}, { additionalProperties: false });
export type ResolveStepRequest = Static<typeof ResolveStepRequest>;

/**
 * A rate as written (`50/s`, `600/m`, `3600/h`) in admissions per second.
 * @throws Error naming `rate` when it does not match {@link RATE_PATTERN} or is 0
 */
export function parseRate(rate: string): number {
  const m = new RegExp(RATE_PATTERN).exec(rate);
  const n = m ? Number(rate.slice(0, rate.indexOf('/'))) / ({ s: 1, m: 60, h: 3600 } as const)[m[2] as 's' | 'm' | 'h'] : NaN;
  if (!(n > 0)) throw new Error(`field 'rate' must be a positive number per s, m or h (e.g. 50/s), got '${rate}'`);
  return n;
}

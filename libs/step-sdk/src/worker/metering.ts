import type { Wire } from '@baton/contracts';
import type { MeteringReport } from '../step-context';

/**
 * Checks a handler's metering report.
 * @throws RangeError naming the field when a count is not a non-negative integer, the cost not a
 *   non-negative finite number, or the model empty
 * @internal
 */
export function checkMetering(m: MeteringReport): void {
  if (typeof m.model !== 'string' || m.model === '') throw new RangeError(`reportMetering: field 'model' must be a non-empty string, got ${JSON.stringify(m.model)}`);
  for (const f of ['inputTokens', 'outputTokens'] as const) {
    if (!Number.isSafeInteger(m[f]) || m[f] < 0) throw new RangeError(`reportMetering: field '${f}' must be a non-negative integer, got ${m[f]}`);
  }
  if (!Number.isFinite(m.costUsd) || m.costUsd < 0) throw new RangeError(`reportMetering: field 'costUsd' must be a non-negative number, got ${m.costUsd}`);
}

/**
 * Adds one report to an attempt's metering: tokens and cost sum; the model is the one model
 * reported, or the distinct models joined by `+` when the attempt called several (the version
 * is kept only while a single model and version were reported).
 * @internal
 */
export function addMetering(total: Wire.Metering | null, m: MeteringReport): Wire.Metering {
  const version = m.modelVersion ?? null;
  if (total === null) return { model: m.model, modelVersion: version, inputTokens: m.inputTokens, outputTokens: m.outputTokens, costUsd: m.costUsd };
  const models = total.model.split('+');
  const sameModel = models.length === 1 && models[0] === m.model;
  return {
    model: models.includes(m.model) ? total.model : `${total.model}+${m.model}`,
    modelVersion: sameModel && total.modelVersion === version ? version : null,
    inputTokens: total.inputTokens + m.inputTokens,
    outputTokens: total.outputTokens + m.outputTokens,
    costUsd: total.costUsd + m.costUsd,
  };
}

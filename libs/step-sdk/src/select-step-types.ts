/**
 * The step types one process of a step service serves, from `BATON_STEP_TYPES` (comma-separated;
 * empty or unset: every type the service has), so one image deploys as several step services.
 *
 * @param known - the service's handler classes (or anything) by step type
 * @param raw - the variable's value; default `process.env.BATON_STEP_TYPES`
 * @throws Error naming `BATON_STEP_TYPES` and the unknown type, and listing the known ones
 */
export function selectStepTypes<K extends string>(known: Readonly<Record<K, unknown>>, raw: string | undefined = process.env.BATON_STEP_TYPES): K[] {
  const all = Object.keys(known) as K[];
  if (!raw?.trim()) return all;
  return [...new Set(raw.split(',').map((t) => t.trim()).filter(Boolean))].map((t) => {
    if (!Object.hasOwn(known, t)) throw new Error(`BATON_STEP_TYPES: unknown step type '${t}' (known: ${all.join(', ')})`);
    return t as K;
  });
}

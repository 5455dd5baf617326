/** One readiness check: resolves true when the dependency answers. */
export type ReadinessCheck = () => Promise<boolean>;

/** The body of `/health/ready`: overall status and each check's result. */
export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, 'ok' | 'failing'>;
}

/**
 * Runs every check with a timeout (ms, default 2 000); a check that throws or times out fails.
 */
export async function runReadiness(checks: Record<string, ReadinessCheck>, timeoutMs = 2000): Promise<ReadinessReport> {
  const results: Record<string, 'ok' | 'failing'> = {};
  await Promise.all(Object.entries(checks).map(async ([name, check]) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    const ok = await Promise.race([check().catch(() => false), timeout]);
    clearTimeout(timer);
    results[name] = ok ? 'ok' : 'failing';
  }));
  return { status: Object.values(results).every((r) => r === 'ok') ? 'ok' : 'unavailable', checks: results };
}

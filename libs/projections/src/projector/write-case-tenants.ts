import type { Tx } from '@baton/event-store';
import type { CaseEvent } from '@baton/workflow-engine';

/** The tenant of cases that carry none (every case before tenancy, and every trigger without one). */
export const DEFAULT_TENANT = 'default';

/**
 * Records the tenant of a case started in a tenant other than the default one (`case_tenants`);
 * idempotent, other events are ignored.
 * @internal
 */
export async function writeCaseTenant(tx: Tx, caseId: string, e: CaseEvent): Promise<void> {
  if (e.type !== 'CaseStarted' || !e.data.tenant || e.data.tenant === DEFAULT_TENANT) return;
  await tx.query('INSERT INTO case_tenants (case_id, tenant) VALUES ($1, $2) ON CONFLICT (case_id) DO NOTHING', [caseId, e.data.tenant]);
}

/**
 * The SQL condition "the case `<alias>.case_id` belongs to the tenant in parameter `$n`", for
 * queries that must never return another tenant's rows.
 * @internal
 */
export function tenantCondition(alias: string, n: number): string {
  return `COALESCE((SELECT ct.tenant FROM case_tenants ct WHERE ct.case_id = ${alias}.case_id), '${DEFAULT_TENANT}') = $${n}`;
}

/** The read-model tables, in the order a rebuild empties them (`case_tenants`: each case's tenant). */
export const PROJECTION_TABLES = Object.freeze(['case_summary', 'step_executions', 'human_tasks', 'timeline', 'case_tenants'] as const);

/** The name a projector stores its checkpoint under unless told otherwise. */
export const DEFAULT_PROJECTOR_NAME = 'projections';

/** The four read-model tables, in the order a rebuild empties them. */
export const PROJECTION_TABLES = Object.freeze(['case_summary', 'step_executions', 'human_tasks', 'timeline'] as const);

/** The name a projector stores its checkpoint under unless told otherwise. */
export const DEFAULT_PROJECTOR_NAME = 'projections';

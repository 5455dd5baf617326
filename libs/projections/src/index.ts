/**
 * `@baton/projections`: the read models of Baton (case summary, step executions, task inbox,
 * timeline), fed from the event store in transaction order (none skipped; each case applied in stream order) with a stored checkpoint, rebuildable from
 * scratch and then equal to the live ones. See libs/projections/README.md.
 */
export { Projector, type ProjectorOptions, type CatchUpOptions } from './projector/projector';
export { rebuildProjections, type RebuildOptions } from './rebuild';
export { replayCase, replayRange, type CaseReplay, type ReplayDifference } from './replay/replay-case';
export { projectionLag, type ProjectionLag } from './projector/projection-lag';
export { ProjectionQueries, MAX_PAGE_SIZE, type ListCasesOptions, type ListTasksOptions } from './queries/projection-queries';
export type { CaseSummary, StepExecution, HumanTask, TimelineEntry, CaseDetail, CasePage } from './queries/views';
export type { CaseControlsView } from './queries/views';
export { caseControlsView } from './projector/write-case-controls';
export { migrateProjections, PROJECTIONS_MIGRATIONS_TABLE } from './migrations/migrate-projections';
export { CreateProjectionTables1700000000200 } from './migrations/1700000000200-projection-tables';
export { PROJECTION_TABLES, DEFAULT_PROJECTOR_NAME } from './tables';
export { ProjectionLagError, InvalidProjectionQuery } from './errors';
export { findStuckCases, type StuckCase, type FindStuckOptions } from './stuck/find-stuck-cases';

/**
 * JSON Schema (draft 2020-12 subset understood by Ajv 8) of a workflow definition as written.
 * Shapes only: graph rules, durations and JSONata syntax are checked after it (see `semantics.ts`).
 */
export const workflowDefinitionSchema = {
  $id: 'https://baton.dev/schemas/workflow-definition.json',
  type: 'object',
  required: ['name', 'version', 'steps'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
    // A 32-bit integer: stores keep versions as such (PostgreSQL `integer` in @baton/definitions).
    version: { type: 'integer', minimum: 1, maximum: 2147483647 },
    input: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$' },
    sla: { type: 'string' },
    timeout: { type: 'string' },
    budget: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        tokens: { type: 'integer', minimum: 1, maximum: 9007199254740991 },
        cost: { type: 'number', minimum: 0.000001, maximum: 1000000000, description: 'US dollars, at least one micro-dollar' },
        onExceeded: { enum: ['pause', 'fail'] },
      },
    },
    triggers: { type: 'array', items: { $ref: '#/$defs/trigger' } },
    steps: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' },
      additionalProperties: { $ref: '#/$defs/step' },
    },
  },
  $defs: {
    trigger: {
      type: 'object',
      additionalProperties: false,
      properties: {
        id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
        cron: { type: 'string', minLength: 1 },
        timezone: { type: 'string', minLength: 1 },
        input: { type: 'object' },
        catchupWindow: { type: 'string' },
        files: {
          type: 'object',
          required: ['dir'],
          additionalProperties: false,
          properties: { dir: { type: 'string', minLength: 1 }, pattern: { type: 'string', minLength: 1 } },
        },
      },
    },
    step: {
      type: 'object',
      // `type` is required unless the step is an engine step (wait, sleep, until): engine-step-issues.ts checks it.
      additionalProperties: false,
      properties: {
        type: { type: 'string', minLength: 1 },
        needs: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        when: { type: 'string', minLength: 1 },
        input: { type: 'string', minLength: 1 },
        with: { type: 'object' },
        retry: {
          type: 'object',
          additionalProperties: false,
          properties: {
            maxAttempts: { type: 'integer', minimum: 1, maximum: 2147483647 },
            initialInterval: { type: 'string' },
            backoffCoefficient: { type: 'number', minimum: 1 },
            maxInterval: { type: 'string' },
            jitter: { type: 'number', minimum: 0, maximum: 1 },
            nonRetryable: { type: 'array', items: { type: 'string' } },
          },
        },
        timeout: { type: 'string' },
        scheduleToClose: { type: 'string' },
        startToClose: { type: 'string' },
        heartbeat: { type: 'string' },
        fallback: { type: 'string' },
        onExhausted: { enum: ['fail', 'waitForOperator'] },
        compensate: { type: 'string', minLength: 1 },
        review: {
          type: 'object',
          additionalProperties: false,
          properties: {
            when: { type: 'string', minLength: 1 },
            queue: { type: 'string', minLength: 1 },
            timeout: { type: 'string' },
            onTimeout: { enum: ['escalate', 'approve', 'reject'] },
          },
        },
        wait: {
          type: 'object',
          required: ['signal', 'timeout'],
          additionalProperties: false,
          properties: {
            signal: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
            timeout: { type: 'string' },
            correlate: { type: 'string', minLength: 1 },
          },
        },
        sleep: { type: 'string' },
        until: { type: 'string', minLength: 1 },
        workflow: {
          type: 'object',
          required: ['name', 'version'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
            version: { type: 'integer', minimum: 1, maximum: 2147483647 },
          },
        },
        map: {
          type: 'object',
          required: ['items'],
          additionalProperties: false,
          properties: {
            items: { type: 'string', minLength: 1 },
            maxConcurrency: { type: 'integer', minimum: 1, maximum: 1000 },
            failure: { enum: ['failFast', 'collect'] },
            toleratedFailures: { type: 'integer', minimum: 0 },
            toleratedFailurePercentage: { type: 'number', minimum: 0, maximum: 100 },
          },
        },
      },
    },
  },
} as const;

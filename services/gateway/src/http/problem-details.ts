import { HttpException } from '@nestjs/common';
import { AvroEncodeError } from '@baton/avro';
import { DefinitionVersionConflict, IncompatibleContractError, InvalidContractError, WorkflowNotFound } from '@baton/definitions';
import { InvalidProjectionQuery } from '@baton/projections';
import { DefinitionError } from '@baton/workflow-engine';
import { PayloadTooLarge } from '../errors/payload-too-large';
import { ResourceNotFound } from '../errors/resource-not-found';
import { StateConflict } from '../errors/state-conflict';
import { UnsupportedMediaType } from '../errors/unsupported-media-type';
import { ValidationProblem } from '../errors/validation-problem';
import { Forbidden, TooManyRequests, Unauthenticated } from '../errors/auth-problems';

/** The media type of every error body. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** One invalid field in a problem: `field` is a dotted path; `step` is set for a workflow definition issue. */
export interface ProblemFieldError {
  field: string;
  message: string;
  step?: string;
}

/**
 * An error response as RFC 9457 "Problem Details for HTTP APIs" describes it, with the
 * `errors` extension member listing every invalid field of a 400 (and the oversized field of a 413).
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: ProblemFieldError[];
  /** The contract registry's routes only: Confluent Schema Registry's error members, so its clients read the error. */
  error_code?: number;
  message?: string;
}

const type = (slug: string) => `urn:baton:problem:${slug}`;

/**
 * Maps any error thrown while handling a request to its problem details: domain errors of the
 * libraries and the gateway to their status codes, body-parser and Nest errors to theirs, and
 * anything else to a 500 that reveals nothing of the cause (`internal` true: log it).
 * @param instance - the request path, which identifies this occurrence
 */
export function toProblem(error: unknown, instance: string): { problem: ProblemDetails; internal: boolean } {
  const p = (status: number, slug: string, title: string, detail: string, errors?: ProblemFieldError[]) =>
    ({ problem: { type: type(slug), title, status, detail, instance, ...(errors ? { errors } : {}) }, internal: false });

  if (error instanceof ValidationProblem) return p(400, 'validation', error.title, error.message, [...error.errors]);
  if (error instanceof DefinitionError) {
    return p(400, 'invalid-definition', 'The workflow definition is invalid', error.message, error.issues.map((i) => ({
      field: i.step !== undefined ? `steps.${i.step}.${i.field}` : i.field, message: i.message, ...(i.step !== undefined ? { step: i.step } : {}),
    })));
  }
  if (error instanceof AvroEncodeError) {
    return p(400, 'validation', `The value does not match ${error.schema}`, error.message,
      error.problems.map((x) => ({ field: x.path || '(value)', message: `expected ${x.expected}, got ${x.actual}` })));
  }
  if (error instanceof InvalidProjectionQuery) return p(400, 'validation', 'The query is invalid', error.message, [{ field: error.field, message: error.message }]);
  if (error instanceof InvalidContractError) return withConfluent(p(400, 'invalid-contract', 'The schema is invalid', error.message, [{ field: 'schema', message: error.message }]), 42201);
  if (error instanceof IncompatibleContractError) return withConfluent(p(409, 'incompatible-contract', 'The schema is incompatible with an earlier version', error.message, error.reasons.map((r) => ({ field: 'schema', message: r }))), 409);
  if (error instanceof WorkflowNotFound) return p(404, 'workflow-not-found', 'Workflow not found', error.message);
  if (error instanceof ResourceNotFound) return p(404, `${error.kind}-not-found`, `${error.kind[0]!.toUpperCase()}${error.kind.slice(1)} not found`, error.message);
  if (error instanceof DefinitionVersionConflict) return p(409, 'definition-version-conflict', 'This workflow version is already registered with other content', error.message);
  if (error instanceof StateConflict) return p(409, `${error.kind}-state-conflict`, `The ${error.kind} is ${error.status}`, error.message);
  if (error instanceof PayloadTooLarge) return p(413, 'payload-too-large', 'Content Too Large', error.message, [{ field: error.field, message: error.message }]);
  if (error instanceof Unauthenticated) return p(401, 'unauthenticated', 'Authentication required', error.message);
  if (error instanceof Forbidden) return p(403, 'forbidden', 'Forbidden', error.message);
  if (error instanceof TooManyRequests) return p(429, 'quota-exceeded', 'Too Many Requests', error.message);
  if (error instanceof UnsupportedMediaType) return p(415, 'unsupported-media-type', 'Unsupported media type', error.message);
  const bodyParser = bodyParserError(error);
  if (bodyParser) return bodyParser.status === 400
    ? p(400, 'malformed-body', 'The request body does not parse', bodyParser.message, [{ field: '(body)', message: bodyParser.message }])
    : p(bodyParser.status, 'unreadable-body', 'The request body cannot be read', bodyParser.message);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // Nest turns body-parser's SyntaxError (malformed JSON) into a bare BadRequestException.
    if (status === 400 && /JSON/.test(error.message)) return p(400, 'malformed-body', 'The request body does not parse', error.message, [{ field: '(body)', message: error.message }]);
    return { problem: { type: 'about:blank', title: httpTitle(status), status, detail: error.message, instance }, internal: status >= 500 };
  }
  return { problem: { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'the gateway failed to handle the request; see its log', instance }, internal: true };
}

/** Adds Confluent Schema Registry's `error_code` and `message` members to a problem. */
function withConfluent(r: { problem: ProblemDetails; internal: boolean }, code: number): { problem: ProblemDetails; internal: boolean } {
  return { ...r, problem: { ...r.problem, error_code: code, message: r.problem.detail } };
}

/** body-parser's errors carry `type` (`entity.parse.failed`, `entity.too.large`, ...) and a 4xx `status`. */
function bodyParserError(error: unknown): { status: number; message: string } | undefined {
  const e = error as { type?: unknown; status?: unknown; message?: unknown } | null;
  if (!e || typeof e.type !== 'string' || !['entity.', 'charset.', 'encoding.'].some((prefix) => (e.type as string).startsWith(prefix))) return undefined;
  const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 400;
  return { status, message: String(e.message) };
}

function httpTitle(status: number): string {
  const titles: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 413: 'Content Too Large', 415: 'Unsupported Media Type' };
  return titles[status] ?? (status >= 500 ? 'Internal Server Error' : 'Request refused');
}

import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Static, TSchema } from '@baton/http-contract';
import { ValidationProblem, type FieldError } from '../errors/validation-problem';
import { describeValue } from './field-reader';

/**
 * The one validator of request bodies: ajv (all errors, OpenAPI's `nullable`, `example` allowed
 * as an annotation) over the schemas of `@baton/http-contract`, the same objects the OpenAPI
 * document publishes. Unknown fields are ignored, as before.
 */
const ajv = new Ajv({ allErrors: true, verbose: true, keywords: ['example'] });
addFormats(ajv);
const compiled = new WeakMap<TSchema, ValidateFunction>();

/**
 * Checks a JSON body against `schema` and returns it typed.
 * @throws ValidationProblem naming every failing field (`workflow`, `version`, `(body)` for a body that is not an object), one problem per field
 */
export function readBody<T extends TSchema>(schema: T, body: unknown): Static<T> {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(body)) return body as Static<T>;
  const errors: FieldError[] = [];
  for (const e of validate.errors ?? []) {
    const problem = fieldError(e);
    if (!errors.some((x) => x.field === problem.field)) errors.push(problem);
  }
  throw new ValidationProblem(errors);
}

/** An ajv error as the field it names and a sentence about it (the messages the gateway has always given). */
function fieldError(e: ErrorObject): FieldError {
  const path = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') return { field: [...path, (e.params as { missingProperty: string }).missingProperty].join('.'), message: 'is required' };
  const field = path.length === 0 ? '(body)' : path.join('.');
  const schema = (e.parentSchema ?? {}) as { type?: string; minimum?: number; maximum?: number; maxLength?: number; enum?: unknown[] };
  if (path.length === 0 && e.keyword === 'type') return { field, message: 'must be a JSON object (Content-Type: application/json)' };
  if (schema.type === 'integer' && ['type', 'minimum', 'maximum'].includes(e.keyword)) {
    return { field, message: `must be an integer from ${schema.minimum ?? '-inf'} to ${schema.maximum ?? 'inf'}, got ${describeValue(e.data)}` };
  }
  switch (e.keyword) {
    case 'type': return { field, message: `must be ${article(String((e.params as { type: string }).type))}, got ${describeValue(e.data)}` };
    case 'minLength':
    case 'pattern': return { field, message: 'must not be empty' };
    case 'maxLength': return { field, message: `must be at most ${schema.maxLength} characters` };
    case 'enum': return { field, message: `must be one of ${(schema.enum ?? []).join(', ')}, got ${describeValue(e.data)}` };
    default: return { field, message: e.message ?? `fails ${e.keyword}` };
  }
}

function article(type: string): string {
  return type === 'object' ? 'a JSON object' : type === 'integer' ? 'an integer' : type === 'array' ? 'an array' : `a ${type}`;
}

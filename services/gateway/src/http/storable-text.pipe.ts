import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { findUnstorableText } from '@baton/event-store';
import { ValidationProblem } from '../errors/validation-problem';

/**
 * The one text check at the HTTP edge, applied to every route's body, query and path parameters
 * (a global pipe): a string holding text PostgreSQL cannot store (a NUL, a lone surrogate) is a
 * 400 naming the field (`key`, `input.raw`, a query parameter's name), before any route runs.
 * Without it such a request would be accepted and then refused for ever by the event store.
 */
@Injectable()
export class StorableTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const root = metadata.type === 'body' ? (typeof value === 'string' ? '(body)' : '') : metadata.data ?? '';
    const found = findUnstorableText(value, root);
    if (found) throw ValidationProblem.of(found.path, found.problem);
    return value;
  }
}

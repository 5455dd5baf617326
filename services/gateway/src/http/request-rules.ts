import type { NextFunction, Request, Response } from 'express';
import { UnsupportedMediaType } from '../errors/unsupported-media-type';
import { YAML_MEDIA_TYPES } from '../workflows/definition-body';

/** The media types a request body may have: JSON everywhere, YAML too where a workflow definition is read. */
const JSON_TYPES = ['application/json'];
const YAML_ROUTES = /^\/workflows(\/validate)?\/?$/;

/**
 * One rule for every route: a request that carries a body (a non-zero `Content-Length`, or a
 * `Transfer-Encoding`) must declare a media type the route reads (`application/json` or any
 * `application/*+json`; for `PUT /workflows` and `POST /workflows/validate` also the YAML types);
 * otherwise it is a 415 before any body parser or route runs (RFC 9110 §15.5.16).
 */
export function requireReadableMediaType(req: Request, _res: Response, next: NextFunction): void {
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody) return next();
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const yaml = YAML_ROUTES.test(req.path);
  if (JSON_TYPES.includes(mediaType) || /^application\/[a-z0-9.+-]*\+json$/.test(mediaType)) return next();
  if (yaml && (YAML_MEDIA_TYPES as readonly string[]).includes(mediaType)) return next();
  next(new UnsupportedMediaType(mediaType, yaml ? [...JSON_TYPES, ...YAML_MEDIA_TYPES] : [...JSON_TYPES, 'application/*+json']));
}

interface RouteLayer { route?: { methods: Record<string, boolean> }; match(path: string): boolean }

/**
 * The methods the app's routes answer on a path (upper case, with HEAD where GET is), for the
 * `Allow` header of a 405; empty when no route has the path (a 404).
 */
export function allowedMethods(req: Request): string[] {
  const stack = (req.app as unknown as { router?: { stack?: RouteLayer[] } }).router?.stack ?? [];
  const methods = new Set<string>();
  for (const layer of stack) {
    if (!layer.route) continue;
    try {
      if (!layer.match(req.path)) continue;
    } catch {
      continue;
    }
    for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') methods.add(m.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

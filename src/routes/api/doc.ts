import type { z } from 'zod';
import type { ApiScope } from '../../core/api-keys.ts';

/** One answer of a route: a JSON body (a zod schema), a body of other media types, or none. */
export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** Non-JSON bodies by media type, each with its JSON Schema (e.g. `{type: 'string'}` for CSV). */
  content?: Record<string, { schema: { type: 'string'; description?: string } }>;
}

/**
 * How a route module describes its routes for the OpenAPI document, with the very schema
 * objects its handlers validate with. Paths are written as Hono writes them (`/contacts/:id`),
 * relative to /api/v1. The errors every route can answer (401, 403, 429, …) are added by the
 * generator; a route lists only its own (404, 409) and its successes.
 */
export interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  /** Stable name for generated clients (`upsertContact`). */
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  scope: ApiScope;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, ResponseDoc>;
  /**
   * A request that succeeds, published as the operation's example. The test suite sends every
   * one, in document order, and expects a documented 2xx: a path parameter of a resource made
   * by an earlier example (a contact or endpoint id) is written as its example and replaced by
   * the real id when sent.
   */
  example?: { params?: Record<string, string>; query?: Record<string, string | number>; body?: unknown };
}

import type { z } from 'zod';
import type { ApiScope } from '../../core/api-keys.ts';

/**
 * How a route module describes its routes for the OpenAPI document, with the very schema
 * objects its handlers validate with. Paths are written as Hono writes them (`/contacts/:id`),
 * relative to /api/v1.
 */
export interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  description?: string;
  tag: string;
  scope: ApiScope;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

// The baseline server: a bare Hono "hello" route on @hono/node-server, nothing else. Plain
// JavaScript, like the optbox build it is compared with (dist/, `npm start`).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono().get('/hello', (c) => c.text('hello'));
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' });

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { ipLiteralOf, isPublicAddress, PrivateAddressError } from './webhook-target.ts';

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE: loopback, private and link-local targets are allowed. */
  allowPrivate: boolean;
  /** Name resolution; node's dns.lookup unless a test injects one. */
  lookup?: LookupFunction | undefined;
}

/**
 * What the delivery log keeps of an attempt: the receiver's status, or one of a few fixed
 * words. Never the underlying error text (ECONNREFUSED vs EHOSTUNREACH vs a TLS alert): the log
 * is read by API-key holders, and those details would make it a scanner of the network.
 */
export type PostOutcome = { status: number } | { error: 'refused: private address' | 'connection failed' | 'timeout'; cause?: string };

/**
 * POST one webhook, checking the address actually connected to: an IP literal before
 * connecting, a name in the lookup (so a name that resolves, or rebinds between registration and
 * delivery, to a private address is refused before any packet goes there), and the socket's
 * peer once connected. Redirects are not followed (a 3xx is an answer, not delivered).
 */
export function postWebhook(input: WebhookPost): Promise<PostOutcome> {
  const url = new URL(input.url);
  const literal = ipLiteralOf(url);
  if (literal && !input.allowPrivate && !isPublicAddress(literal)) return Promise.resolve({ error: 'refused: private address' });
  const base = input.lookup ?? (dnsLookup as unknown as LookupFunction);
  const guarded: LookupFunction = (hostname, options, callback) => {
    base(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses as unknown as string, family: 4 }]) as LookupAddress[];
      if (list.length === 0) return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '', 0);
      if (!input.allowPrivate && list.some((a) => !isPublicAddress(a.address))) return callback(new PrivateAddressError(), '', 0);
      if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };

  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const done = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const req = send(url, { method: 'POST', headers: { ...input.headers, 'content-length': String(Buffer.byteLength(input.body)) }, lookup: guarded, signal: AbortSignal.timeout(input.timeoutMs) }, (res: IncomingMessage) => {
      res.resume(); // the body is not read; drain it so the socket is freed
      done({ status: res.statusCode ?? 0 });
      res.destroy();
    });
    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        if (!input.allowPrivate && socket.remoteAddress && !isPublicAddress(socket.remoteAddress)) req.destroy(new PrivateAddressError());
      });
    });
    req.on('error', (err: Error & { code?: string; cause?: { code?: string } }) => {
      if (err instanceof PrivateAddressError || err.cause instanceof PrivateAddressError) return done({ error: 'refused: private address' });
      if (err.name === 'TimeoutError' || err.name === 'AbortError') return done({ error: 'timeout' });
      done({ error: 'connection failed', cause: err.code ?? err.name });
    });
    req.end(input.body);
  });
}

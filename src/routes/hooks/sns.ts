import { X509Certificate, verify } from 'node:crypto';
import { z } from 'zod';
import { OptboxError } from '../../core/errors.ts';
import { parseOrThrow } from '../../core/validation.ts';

/**
 * How optbox reaches Amazon SNS: for the signing certificate and to confirm a subscription.
 * Production allows only `https://sns.<region>.amazonaws.com/…`; a test passes its own, serving
 * a certificate it made, without loosening the production rule.
 */
export interface SnsHttp {
  /** May this certificate URL or SubscribeURL be fetched? */
  allowUrl(url: URL): boolean;
  /** GET the URL; resolves with the body, rejects on any non-2xx answer. */
  get(url: string): Promise<string>;
}

const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

export const awsSnsHttp: SnsHttp = {
  allowUrl: (url) => url.protocol === 'https:' && url.port === '' && url.username === '' && SNS_HOST.test(url.hostname),
  async get(url) {
    const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const text = await res.text();
    if (text.length > 64 * 1024) throw new Error('answer too large');
    return text;
  },
};

/** The SNS envelope (HTTP/S delivery, JSON). Only the fields that are signed or used. */
export const snsEnvelope = z.object({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: z.string().min(1).max(100),
  TopicArn: z.string().min(1).max(300),
  Subject: z.string().max(200).optional(),
  Message: z.string().max(256 * 1024),
  Timestamp: z.iso.datetime({ offset: true }),
  SignatureVersion: z.enum(['1', '2']),
  Signature: z.string().min(1).max(2048),
  SigningCertURL: z.url().max(500),
  SubscribeURL: z.url().max(2000).optional(),
  Token: z.string().max(1024).optional(),
});
export type SnsEnvelope = z.output<typeof snsEnvelope>;

/**
 * The string SNS signs: selected fields as `Name\nValue\n`, in byte order of their names (AWS SNS
 * "Verifying the signatures of Amazon SNS messages"). Subject only when the message has one.
 */
function stringToSign(m: SnsEnvelope): string {
  const names = m.Type === 'Notification' ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  let out = '';
  for (const name of names) {
    const value = m[name as keyof SnsEnvelope];
    if (value === undefined) {
      if (name === 'Subject') continue;
      throw new OptboxError('unauthorized', `SNS message without ${name}`);
    }
    out += `${name}\n${value}\n`;
  }
  return out;
}

/**
 * Verifies SNS message signatures: SignatureVersion 1 (RSA-SHA1) and 2 (RSA-SHA256) against the
 * certificate at SigningCertURL, fetched only where `http.allowUrl` says and kept per verifier
 * (one per running app), so a certificate is fetched once, not per message.
 */
export function createSnsVerifier(http: SnsHttp) {
  const certificates = new Map<string, Promise<X509Certificate>>();

  function certificate(url: string): Promise<X509Certificate> {
    let cert = certificates.get(url);
    if (!cert) {
      cert = http.get(url).then((pem) => new X509Certificate(pem));
      cert.catch(() => certificates.delete(url)); // a failed fetch is tried again next time
      if (certificates.size >= 16) certificates.delete(certificates.keys().next().value!);
      certificates.set(url, cert);
    }
    return cert;
  }

  return {
    /** Parse and verify an SNS envelope; 401/403 unless it is signed by SNS for one of `topics`. */
    async verify(raw: unknown, topics: string[], now: number, maxAgeSeconds: number): Promise<SnsEnvelope> {
      const m = parseOrThrow(snsEnvelope, raw);
      if (!topics.includes(m.TopicArn)) throw new OptboxError('forbidden', 'not a topic this server takes in');
      const certUrl = new URL(m.SigningCertURL);
      if (!http.allowUrl(certUrl) || !certUrl.pathname.endsWith('.pem')) throw new OptboxError('forbidden', 'signing certificate not from SNS');
      if (m.SubscribeURL !== undefined && !http.allowUrl(new URL(m.SubscribeURL))) throw new OptboxError('forbidden', 'SubscribeURL not on SNS');
      let cert: X509Certificate;
      try {
        cert = await certificate(m.SigningCertURL);
      } catch {
        throw new OptboxError('forbidden', 'signing certificate could not be fetched');
      }
      const ok = verify(m.SignatureVersion === '1' ? 'sha1' : 'sha256', Buffer.from(stringToSign(m), 'utf8'), cert.publicKey, Buffer.from(m.Signature, 'base64'));
      if (!ok) throw new OptboxError('forbidden', 'SNS signature does not verify');
      // SNS keeps the publish time on every retry; older than the window is a replay.
      if (Math.abs(now - Date.parse(m.Timestamp)) > maxAgeSeconds * 1000) throw new OptboxError('forbidden', 'SNS message outside the replay window');
      return m;
    },
    /** Confirm a subscription by GET of its SubscribeURL (checked against the same host rule). */
    async confirm(m: SnsEnvelope): Promise<void> {
      if (!m.SubscribeURL || !http.allowUrl(new URL(m.SubscribeURL))) throw new OptboxError('forbidden', 'SubscribeURL not on SNS');
      await http.get(m.SubscribeURL);
    },
  };
}

export type SnsVerifier = ReturnType<typeof createSnsVerifier>;

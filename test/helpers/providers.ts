import 'reflect-metadata'; // @peculiar/x509 (certificates made for tests) needs it loaded first
import { generateKeyPairSync, createHmac, randomBytes, sign, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as x509 from '@peculiar/x509';
import type { SnsHttp } from '../../src/routes/hooks/sns.ts';

/** A provider sample payload from test/fixtures/providers/ (addresses are example.com ones). */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/providers/${name}`, import.meta.url), 'utf8')) as T;
}

/**
 * Stands in for Amazon SNS: a certificate made here (RSA, self-signed) served over a local HTTP
 * server, a signer that signs messages as SNS does, and the SnsHttp that lets the app fetch from
 * this server only. Also records the SubscribeURL GETs.
 */
export async function fakeSns() {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: 'CN=sns.test', notBefore: new Date(Date.UTC(2026, 0, 1)), notAfter: new Date(Date.UTC(2036, 0, 1)), signingAlgorithm: alg, keys });
  const pem = cert.toString('pem');
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKey = { key: pkcs8, format: 'der' as const, type: 'pkcs8' as const };
  const confirmations: string[] = [];
  const server = createServer((req, res) => {
    if (req.url?.endsWith('.pem')) return res.end(pem);
    if (req.url?.startsWith('/confirm')) {
      confirmations.push(req.url);
      return res.end('<ConfirmSubscriptionResponse/>');
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const http: SnsHttp = {
    allowUrl: (url) => url.origin === origin,
    async get(url) {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.text();
    },
  };
  const topicArn = 'arn:aws:sns:eu-west-1:123456789012:ses-feedback';

  function signed(fields: Record<string, string>, version: '1' | '2' = '2') {
    const m: Record<string, string> = { SignatureVersion: version, SigningCertURL: `${origin}/SimpleNotificationService-test.pem`, ...fields };
    const names = m.Type === 'Notification' ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
    const text = names.filter((n) => m[n] !== undefined).map((n) => `${n}\n${m[n]}\n`).join('');
    m.Signature = sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(text), privateKey).toString('base64');
    return m;
  }

  return {
    http,
    origin,
    topicArn,
    confirmations,
    /** A signed Notification carrying `message` (an SES notification). */
    notification(message: unknown, at: number, options: { version?: '1' | '2'; id?: string; topicArn?: string } = {}) {
      return signed({ Type: 'Notification', MessageId: options.id ?? randomBytes(8).toString('hex'), TopicArn: options.topicArn ?? topicArn, Message: JSON.stringify(message), Timestamp: new Date(at).toISOString() }, options.version);
    },
    subscriptionConfirmation(at: number, subscribeUrl = `${origin}/confirm?Action=ConfirmSubscription&Token=abc`) {
      return signed({ Type: 'SubscriptionConfirmation', MessageId: randomBytes(8).toString('hex'), Token: 'abc', TopicArn: topicArn, Message: 'You have chosen to subscribe to the topic.', SubscribeURL: subscribeUrl, Timestamp: new Date(at).toISOString() }, '1');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** SendGrid's Signed Event Webhook, with a P-256 key made here. */
export function fakeSendgrid() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    /** What SendGrid shows as the verification key: base64 DER SubjectPublicKeyInfo. */
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    headers(body: string, timestampSeconds: number) {
      const signature = sign('sha256', Buffer.from(String(timestampSeconds) + body), privateKey).toString('base64');
      return { 'content-type': 'application/json', 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': String(timestampSeconds) };
    },
  };
}

/** Mailgun's webhook signature: HMAC-SHA256(signing key, timestamp + token), hex. */
export function mailgunBody(key: string, eventData: unknown, timestampSeconds: number, token = randomBytes(25).toString('hex')) {
  const timestamp = String(timestampSeconds);
  return JSON.stringify({ signature: { timestamp, token, signature: createHmac('sha256', key).update(timestamp + token).digest('hex') }, 'event-data': eventData });
}

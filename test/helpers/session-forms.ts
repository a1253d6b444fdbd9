import type { TestApp } from './app.ts';

/**
 * The preference center as a browser drives it, over app.request: form posts with the site's
 * Origin, the session cookie, the page's form token, and the links in the last mail.
 */
export const ORIGIN = 'https://optbox.test';

export function sessionForms(app: () => TestApp) {
  const post = (path: string, cookie: string | null, fields: Record<string, string | string[]> = {}) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en', origin: ORIGIN };
    if (cookie) headers.cookie = cookie;
    return app().app.request(path, { method: 'POST', headers, body: body.toString() });
  };
  const pageOf = async (cookie: string, path = '/preferences') => (await app().app.request(path, { headers: { cookie, 'accept-language': 'en' } })).text();
  return {
    post,
    pageOf,
    cookieOf: (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!,
    csrfOf: async (cookie: string) => /name="_csrf" value="([^"]+)"/.exec(await pageOf(cookie))![1]!,
    /** The path of the last mailed link under `prefix` (e.g. /preferences/signin). */
    lastLink: (prefix: string) => new RegExp(`${ORIGIN}(${prefix}/[\\w.-]+)`).exec(app().mails.at(-1)!.text)![1]!,
  };
}

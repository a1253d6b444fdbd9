import { Layout, type PageContext } from './layout.tsx';
import type { MessageKey } from '../src/i18n/messages.ts';

export type ErrorKind = 'invalid_link' | 'not_found' | 'bad_request' | 'server' | 'forbidden' | 'rate_limited' | 'unavailable';

/** A friendly error in the visitor's language; served with the real status, never 200. */
export function ErrorPage(props: { ctx: PageContext; kind: ErrorKind; detail?: string }) {
  const { t } = props.ctx;
  const title = t(`error.${props.kind}.title` as MessageKey);
  return (
    <Layout ctx={props.ctx} title={title}>
      <h1>{title}</h1>
      <p>{t(`error.${props.kind}.body` as MessageKey, { detail: props.detail ?? '' })}</p>
    </Layout>
  );
}

import { Hono, type Context } from 'hono';
import { isOpenRequest, requestOfVerificationLink, verifyPrivacyRequest } from '../../core/privacy-requests.ts';
import type { PrivacyRequestRow } from '../../db/store.ts';
import { maskEmail, type PageContext } from '../../../views/layout.tsx';
import { LinkButtonPage, MessagePage } from '../../../views/preferences.tsx';
import { formatDate } from '../../../views/preferences-model.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { pageContext } from '../page.ts';

/**
 * The verification link of a privacy request (GDPR art. 12(6): the controller may ask for what
 * confirms who the person is; control of the address is that here). GET shows what was asked and
 * a button; only the POST confirms (mail scanners open every link). In the person's language.
 */
export function createPrivacyRoutes(deps: AppDeps) {
  const page = (c: Context, request: PrivacyRequestRow): PageContext => pageContext(deps, c, request.locale);
  const kindOf = (ctx: PageContext, request: PrivacyRequestRow) => ctx.t(`privacy.kind.${request.kind}`);
  const answer = (c: Context, ctx: PageContext, request: PrivacyRequestRow) =>
    c.html(
      <MessagePage
        ctx={ctx}
        title={isOpenRequest(request) ? ctx.t('privacy.verified.title') : ctx.t('privacy.verify.title')}
        body={isOpenRequest(request) ? ctx.t('privacy.verified.body', { kind: kindOf(ctx, request), date: formatDate(ctx, request.dueAt) }) : ctx.t('privacy.answered.body', { kind: kindOf(ctx, request) })}
        role="status"
      />,
    );

  return new Hono<AppEnv>()
    .use('/privacy/*', async (c, next) => {
      c.header('Cache-Control', 'no-store');
      c.header('Referrer-Policy', 'no-referrer');
      await next();
    })
    .get('/privacy/verify/:token', async (c) => {
      const request = await requestOfVerificationLink(deps.core, c.req.param('token'));
      const ctx = page(c, request);
      if (request.status !== 'awaiting-verification' || !request.email) return answer(c, ctx, request);
      return c.html(
        <LinkButtonPage
          ctx={ctx}
          title={ctx.t('privacy.verify.title')}
          lead={ctx.t('privacy.verify.lead', { email: maskEmail(request.email), kind: kindOf(ctx, request) })}
          button={ctx.t('privacy.verify.button')}
          action={`/privacy/verify/${c.req.param('token')}`}
        />,
      );
    })
    .post('/privacy/verify/:token', async (c) => {
      const request = await verifyPrivacyRequest(deps.core, c.req.param('token'));
      return answer(c, page(c, request), request);
    });
}

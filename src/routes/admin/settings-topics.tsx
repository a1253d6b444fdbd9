import { Hono } from 'hono';
import { topicsWithCounts } from '../../core/console-dashboard.ts';
import { OptboxError } from '../../core/errors.ts';
import { createTopic, setTopicRetired, updateTopic } from '../../core/topics.ts';
import { TopicPage, TopicsPage, topicProblem, type TopicFormValues } from '../../../views/admin/settings-topics.tsx';
import type { AppDeps } from '../context.ts';
import { param, type ConsoleContext, type ConsoleEnv, type ConsoleKit, type FormBody } from './kit.ts';

const NOTICES: Record<string, string> = {
  added: 'Topic added.',
  saved: 'Topic saved.',
  unchanged: 'Nothing changed.',
  retired: 'Topic retired: it is gone from the preference center and mailed to nobody.',
  reinstated: 'Topic reinstated.',
};

/** The form as typed; core validates it (and names the field when it refuses). */
function topicForm(body: FormBody): TopicFormValues {
  const text = (name: string) => {
    const v = body[name];
    return typeof v === 'string' ? v.slice(0, 2000) : '';
  };
  return { id: text('id').trim(), nameNl: text('nameNl'), nameEn: text('nameEn'), descriptionNl: text('descriptionNl'), descriptionEn: text('descriptionEn'), defaultStatus: text('defaultStatus'), doubleOptIn: body.doubleOptIn === '1' };
}

/** invalid_input (and a taken id) comes back as the form with its values and the field named; anything else goes on. */
function formProblem(err: unknown): { error: string; field: string } {
  if (err instanceof OptboxError && (err.code === 'invalid_input' || err.code === 'conflict') && err.fields[0]) {
    return { error: topicProblem(err.fields[0].field, err.fields[0].message), field: err.fields[0].field };
  }
  throw err;
}

/** Topics: list with counts, add, edit, retire and reinstate. */
export function createTopicSettingsRoutes(deps: AppDeps, k: ConsoleKit) {
  const { core } = deps;
  const r = new Hono<ConsoleEnv>();
  const pageOf = (id: string) => `/admin/settings/topics/${encodeURIComponent(id)}`;
  const notice = (c: ConsoleContext) => NOTICES[c.req.query('done') ?? ''];
  async function rowOf(id: string) {
    const row = (await topicsWithCounts(core)).find((t) => t.topic.id === id);
    if (!row) throw new OptboxError('not_found', 'no such topic');
    return row;
  }

  k.add(r, 'GET', '/admin/settings/topics', 'read', async (c) => c.html(<TopicsPage viewer={k.viewer(c)} rows={await topicsWithCounts(core)} notice={notice(c)} />));

  k.add(r, 'POST', '/admin/settings/topics', 'settings', async (c) => {
    const values = topicForm(c.get('form'));
    try {
      const defaultStatus = values.defaultStatus as 'opt-in' | 'opt-out';
      await createTopic(core, { ...values, defaultStatus, operatorId: k.operator(c).operatorId });
    } catch (err) {
      return c.html(<TopicsPage viewer={k.viewer(c)} rows={await topicsWithCounts(core)} values={values} {...formProblem(err)} />, 400);
    }
    return k.seeOther(c, `${pageOf(values.id)}?done=added`);
  });

  k.add(r, 'GET', '/admin/settings/topics/:id', 'read', async (c) => c.html(<TopicPage viewer={k.viewer(c)} row={await rowOf(param(c, 'id'))} notice={notice(c)} />));

  k.add(r, 'POST', '/admin/settings/topics/:id', 'settings', async (c) => {
    const row = await rowOf(param(c, 'id'));
    const values = { ...topicForm(c.get('form')), id: row.topic.id };
    let changed: boolean;
    try {
      ({ changed } = await updateTopic(core, { ...values, defaultStatus: values.defaultStatus as 'opt-in' | 'opt-out', operatorId: k.operator(c).operatorId }));
    } catch (err) {
      return c.html(<TopicPage viewer={k.viewer(c)} row={row} values={values} {...formProblem(err)} />, 400);
    }
    return k.seeOther(c, `${pageOf(row.topic.id)}?done=${changed ? 'saved' : 'unchanged'}`);
  });

  for (const [path, retired] of [['retire', true], ['reinstate', false]] as const) {
    k.add(r, 'POST', `/admin/settings/topics/:id/${path}`, 'settings', async (c) => {
      const { topic, changed } = await setTopicRetired(core, { id: param(c, 'id'), retired, operatorId: k.operator(c).operatorId });
      return k.seeOther(c, `${pageOf(topic.id)}?done=${changed ? (retired ? 'retired' : 'reinstated') : 'unchanged'}`);
    });
  }

  return r;
}

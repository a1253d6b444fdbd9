import Handlebars from 'handlebars';
import { convert } from 'html-to-text';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { Locale } from '../i18n/messages.ts';
import { projectPath } from '../paths.ts';
import { compileMjml, type MjmlResult } from './mjml-process.ts';

/** The templates that ship with optbox: emails/{nl,en}/*.mjml with emails/partials/. */
export const builtinTemplatesDir = () => projectPath('emails');

const LOCALES: readonly Locale[] = ['nl', 'en'];
/** A template name is also a file name: no dots or slashes, so it can never leave its folder. */
export const TEMPLATE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** One template in one language, compiled: per recipient only Handlebars runs. */
export interface CompiledTemplate {
  name: string;
  locale: Locale;
  /** Where it came from, relative to its templates folder (for messages). */
  file: string;
  html: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
  /** From `<mj-title>`: the subject when the sender gives none. */
  subject: Handlebars.TemplateDelegate | undefined;
}

export interface TemplateSet {
  /** The template in this language, else in `fallback`, else in any language. */
  get(name: string, locale: Locale, fallback: Locale): CompiledTemplate | undefined;
  names(): string[];
}

/** Invalid MJML or Handlebars, found when the templates load (never at send time). */
export class TemplateError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid mail templates:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'TemplateError';
  }
}

/**
 * Two Handlebars environments over one compiled template, made per template set (helpers
 * registered on a shared one would leak between runtimes). HTML escapes every `{{value}}`
 * (`{{{raw}}}` is the template author's explicit choice); text is text/plain, where escaping
 * would only show `&amp;` to the reader. Their `paragraphs` helper turns a plain-text `body`
 * (blank line = new paragraph) into escaped `<p>`s, or leaves it as it is.
 */
export function handlebarsEnvironments(): HandlebarsEnvs {
  const html = Handlebars.create();
  const text = Handlebars.create();
  html.registerHelper('paragraphs', (value: unknown) => {
    if (typeof value !== 'string' || value.trim() === '') return '';
    const paragraphs = value
      .trim()
      .split(/\r?\n\s*\r?\n/)
      .map((p) => `<p style="margin:0 0 16px">${Handlebars.Utils.escapeExpression(p.trim()).replace(/\r?\n/g, '<br>')}</p>`)
      .join('\n');
    return new Handlebars.SafeString(paragraphs);
  });
  text.registerHelper('paragraphs', (value: unknown) => (typeof value === 'string' ? value.trim() : ''));
  return { html, text };
}

interface HandlebarsEnvs {
  html: typeof Handlebars;
  text: typeof Handlebars;
}

const TEXT_OPTIONS = {
  // Never wrap: a wrapped line could split a {{placeholder}} or a URL.
  wordwrap: false as const,
  selectors: [
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'img', format: 'skip' },
    // The hidden inbox preview line belongs to the HTML part only.
    { selector: 'div[style*="display:none"]', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    // MJML lays out with tables; data tables (mj-table) read best as one line per row.
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'inlineSurround', options: { suffix: ' ' } },
  ],
};

/**
 * Load and compile every template: the built-in folder, then `overrideDir` (TEMPLATES_DIR), whose
 * files replace built-in ones of the same language and name and may add new ones. MJML runs
 * once per template here (mjml 5 is async); the HTML it yields still holds the Handlebars
 * expressions, and is compiled twice: as HTML, and as a text template made from the same HTML
 * by html-to-text, so the plain-text part costs no HTML parsing per recipient either.
 * Every problem of every template is reported at once, with file and line.
 */
export async function loadTemplates(options: { overrideDir?: string | undefined } = {}): Promise<TemplateSet> {
  const builtin = builtinTemplatesDir();
  const envs = handlebarsEnvironments();
  const roots = [builtin];
  if (options.overrideDir) {
    const dir = resolve(options.overrideDir);
    if (!existsSync(dir)) throw new TemplateError([`TEMPLATES_DIR ${dir} does not exist`]);
    roots.push(dir);
  }
  const sources = new Map<string, { root: string; path: string; locale: Locale; name: string }>();
  for (const root of roots) {
    for (const locale of LOCALES) {
      const dir = join(root, locale);
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjml')).sort()) {
        const name = basename(file, '.mjml');
        if (!TEMPLATE_NAME.test(name)) continue;
        sources.set(`${locale}/${name}`, { root, path: join(dir, file), locale, name });
      }
    }
  }

  const problems: string[] = [];
  const compiled = new Map<string, CompiledTemplate>();
  const entries = [...sources];
  const mjml = await compileMjml(entries.map(([, src]) => ({ path: src.path, root: src.root })));
  for (const [i, [key, src]] of entries.entries()) {
    const file = relative(src.root, src.path);
    const rootName = src.root === builtin ? 'emails' : 'TEMPLATES_DIR';
    const found = compileOne(envs, src.path, src.root, rootName, `${key} (${rootName}/${file})`, mjml[i]!);
    if ('problems' in found) problems.push(...found.problems);
    else compiled.set(key, { name: src.name, locale: src.locale, file, ...found });
  }
  if (problems.length) throw new TemplateError(problems);

  return {
    get(name, locale, fallback) {
      return compiled.get(`${locale}/${name}`) ?? compiled.get(`${fallback}/${name}`) ?? LOCALES.map((l) => compiled.get(`${l}/${name}`)).find(Boolean);
    },
    names: () => [...new Set([...compiled.values()].map((t) => t.name))].sort(),
  };
}

type Compiled = Pick<CompiledTemplate, 'html' | 'text' | 'subject'>;

/**
 * The text part as a template of its own, when html-to-text kept the Handlebars blocks intact
 * (it does for blocks in running text). A block that straddled table rows may come out
 * scrambled; then, and only then, the text is made from each rendered HTML instead (slower).
 */
function textTemplate(envs: HandlebarsEnvs, text: string, html: string): Handlebars.TemplateDelegate | undefined {
  // Every block tag of the HTML must be in the text, in the same order.
  const blocks = (s: string) => (s.match(/\{\{~?\s*(?:[#/^]|else\b)[^}]*\}\}/g) ?? []).join('');
  if (blocks(text) !== blocks(html)) return undefined;
  try {
    Handlebars.parse(text);
    return envs.text.compile(text, { noEscape: true });
  } catch {
    return undefined;
  }
}

function compileOne(envs: HandlebarsEnvs, path: string, root: string, rootName: string, label: string, mjml: MjmlResult): Compiled | { problems: string[] } {
  const source = readFileSync(path, 'utf8');
  // Handlebars first, on the source, so a broken {{#if}} is reported with the source's line.
  try {
    Handlebars.parse(source);
  } catch (err) {
    return { problems: [`${label}: ${(err as Error).message.split('\n')[0]}`] };
  }
  if ('thrown' in mjml) return { problems: [`${label}: ${mjml.thrown}`] };
  if ('errors' in mjml) {
    return {
      problems: mjml.errors.map((e) =>
        // A problem inside a partial: MJML names the partial's file and line and where it is included.
        e.formattedMessage.includes('included at')
          ? `${label}: ${e.formattedMessage.split(root).join(rootName).replace(/ of file [^ ]+ \(/, ' (')}`
          : `${label} line ${e.line} (${e.tagName}): ${e.message.trim()}`,
      ),
    };
  }
  const result = { html: mjml.html };
  const denied = /<!-- mj-include (denied|fails to read file[^>]*) -->/.test(result.html);
  if (denied) return { problems: [`${label}: an mj-include was not found or not allowed; included files must exist inside the same templates folder (for TEMPLATES_DIR, copy emails/partials into it)`] };

  const title = /<title>([\s\S]*?)<\/title>/.exec(result.html)?.[1]?.trim();
  const text = convert(result.html, TEXT_OPTIONS);
  try {
    const html = envs.html.compile(result.html);
    const compiled: Compiled = {
      html,
      text: textTemplate(envs, text, result.html) ?? ((context: unknown) => convert(html(context), TEXT_OPTIONS)),
      subject: title ? envs.text.compile(convert(title, { wordwrap: false }), { noEscape: true }) : undefined,
    };
    // Handlebars compiles lazily; one empty render makes a broken template fail here, at load.
    compiled.html({});
    compiled.text({});
    compiled.subject?.({});
    return compiled;
  } catch (err) {
    return { problems: [`${label}: ${(err as Error).message.split('\n')[0]}`] };
  }
}

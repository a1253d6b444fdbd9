import type { Child } from 'hono/jsx';
import { Csrf, type ConsoleViewer } from './layout.tsx';

/**
 * A secret in the answer to the POST that made it (an API key, a webhook signing secret): shown
 * this once in a read-only field to copy, never in a URL, a redirect or a later page.
 */
export function SecretOnce(props: { id: string; heading: string; label: string; value: string; what: string; children?: Child }) {
  return (
    <section class="panel" aria-labelledby={`${props.id}-heading`}>
      <h2 id={`${props.id}-heading`}>{props.heading}</h2>
      <p class="notice ok" role="status">Copy {props.what} now: it is shown only this once.</p>
      <div class="field">
        <label for={props.id}>{props.label}</label>
        <input id={props.id} type="text" readonly value={props.value} autocomplete="off" spellcheck={false} />
      </div>
      {props.children}
    </section>
  );
}

/** A group of checkboxes, one per allowed value, each with its code name and a line saying what it means. */
export function Choices(props: { legend: string; name: string; options: readonly string[]; labels: Record<string, string>; checked: readonly string[] }) {
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      <ul class="checks">
        {props.options.map((o) => (
          <li>
            <label class="check">
              <input type="checkbox" name={props.name} value={o} checked={props.checked.includes(o)} />
              <span><code>{o}</code> {props.labels[o] ?? ''}</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** A one-button form in a table row; its accessible name starts with the visible text (WCAG 2.5.3). */
export function RowAction(props: { viewer: ConsoleViewer; action: string; text: string; name: string; kind: 'danger' | 'secondary' }) {
  return (
    <form method="post" action={props.action} class="inline-form">
      <Csrf viewer={props.viewer} />
      <button type="submit" class={`small ${props.kind}`} aria-label={`${props.text}: ${props.name}`}>{props.text}</button>
    </form>
  );
}

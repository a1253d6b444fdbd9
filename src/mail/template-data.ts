import { z } from 'zod';

/**
 * What a sender may hand a template: a flat object of strings, numbers, booleans (or null),
 * flat lists of those, and lists of flat rows (an invoice's lines: `[{item, amount}]`).
 * Handlebars turns every value into text by calling its toString, so an object where a string
 * belongs (`{"toString":"x"}`) or a structure nested thousands deep is refused here, naming the
 * field, instead of failing inside the renderer. The bounds keep one prepare cheap.
 */
export const TEMPLATE_DATA_LIMITS = { keys: 100, stringLength: 100_000, listLength: 1000 } as const;

const SHAPE = 'must be a string, number, boolean or null, a list of those, or a list of flat rows of those';

/** Starts with a letter: also keeps `__proto__` and friends out of the render context. */
const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a data name starts with a letter and holds only letters, digits and _ (at most 64)');

const scalar = z.union([z.string().max(TEMPLATE_DATA_LIMITS.stringLength), z.number(), z.boolean(), z.null()], { error: SHAPE });
const row = z.record(name, scalar).refine((r) => Object.keys(r).length <= TEMPLATE_DATA_LIMITS.keys, `holds more than ${TEMPLATE_DATA_LIMITS.keys} values`);
const value = z.union([scalar, z.array(z.union([scalar, row], { error: SHAPE })).max(TEMPLATE_DATA_LIMITS.listLength)], { error: SHAPE });

export const templateData = z.record(name, value).refine((data) => Object.keys(data).length <= TEMPLATE_DATA_LIMITS.keys, `holds more than ${TEMPLATE_DATA_LIMITS.keys} values`);

export type TemplateData = z.output<typeof templateData>;

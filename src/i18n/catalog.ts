// The one message catalogue: the core messages (layout, errors, validation, accounts) plus the catalogues the
// features register (src/features.ts lists them). It knows no feature. Translators read it when they translate,
// so one made before a feature registered still finds that feature's messages.
import { coreMessages } from './core.messages.js';
import { LOCALES, mergeMessageSets, type MessageSet } from './i18n.js';

export const catalog: MessageSet = mergeMessageSets([coreMessages]);
const registered = new Set<MessageSet>([coreMessages]);

/** Adds a feature's messages. The same set twice is a no-op; a key another set already has is an error. */
export function registerMessages(set: MessageSet): void {
  if (registered.has(set)) return;
  // throws on a duplicate key, before anything changes (only the new set's keys are looked up: copying the
  // whole catalogue for each of the features was a tenth of a CLI run's start-up)
  for (const loc of LOCALES) for (const k of Object.keys(set[loc])) if (k in catalog[loc]) throw new Error(`duplicate message key ${loc}:${k}`);
  for (const loc of LOCALES) Object.assign(catalog[loc], set[loc]);
  registered.add(set);
}

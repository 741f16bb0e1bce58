// The one password rule, used by the set-up, change-password and (later) any password form and by
// `skillnet user add`: long enough, not containing the account's e-mail or name, not in zxcvbn-ts's lists of
// common and leaked passwords, and not otherwise easy to guess (zxcvbn score 3 of 4 or more).
import { ZxcvbnFactory, type DictionaryMatch } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import * as de from '@zxcvbn-ts/language-de';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;
/** zxcvbn's "safely unguessable" (about 10^8 guesses and more) */
const MIN_SCORE = 3;

let factory: ZxcvbnFactory | null = null;
function zxcvbn(): ZxcvbnFactory {
  // the dictionaries take a moment to index: built on first use, then kept
  factory ??= new ZxcvbnFactory({
    graphs: common.adjacencyGraphs,
    dictionary: {
      ...common.dictionary,
      ...en.dictionary,
      'commonWords-de': de.dictionary.commonWords,
      'firstnames-de': de.dictionary.firstnames,
      'lastnames-de': de.dictionary.lastnames,
      'wikipedia-de': de.dictionary.wikipedia,
    },
  });
  return factory;
}

/** Parts of the account a password must not contain: the e-mail, its local part, the name's words. */
function personalParts(account: { email?: string; name?: string }): string[] {
  const email = (account.email ?? '').trim().toLowerCase();
  const local = email.split('@')[0] ?? '';
  const words = [email, local, ...local.split(/[._+-]+/), ...(account.name ?? '').toLowerCase().split(/[\s,.'-]+/)];
  return [...new Set(words.filter((w) => w.length >= 3))];
}

export type PasswordProblem = 'users.passwordTooShort' | 'validation.tooLong' | 'users.passwordPersonal' | 'users.passwordCommon' | 'users.passwordGuessable';

/** Why this password is refused (a message key), or null when it is good. */
export function passwordProblem(password: string, account: { email?: string; name?: string }): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'users.passwordTooShort';
  if (password.length > MAX_PASSWORD_LENGTH) return 'validation.tooLong';
  const parts = personalParts(account);
  const lower = password.toLowerCase();
  if (parts.some((p) => lower.includes(p))) return 'users.passwordPersonal';
  const result = zxcvbn().check(password, parts);
  if (result.score >= MIN_SCORE) return null;
  const listed = result.sequence.some((m) => m.pattern === 'dictionary' && String((m as DictionaryMatch).dictionaryName).startsWith('passwords'));
  return listed ? 'users.passwordCommon' : 'users.passwordGuessable';
}

// Who a "please check your details" mail may go to (pure): not do-not-contact, a usable e-mail, and a consent
// that covers being contacted about their listing.
import { cleanAddress } from '../mail/mail.domain.js';

/** People asked to check their details who did not answer within this many days appear in the stale-record review. */
export const CAMPAIGN_ANSWER_DAYS = 14;

/** A current given consent for one of these purposes lets Skillnet ask the person to check their details. */
export const CAMPAIGN_CONSENT_PURPOSES = ['contact_projects', 'directory'] as const;

export interface Candidate {
  id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  do_not_contact: number | boolean;
  locale: string | null;
  /** purposes with a current 'given' consent */
  consents: string[];
}

export interface Selection {
  recipients: Candidate[];
  skippedDnc: number;
  skippedNoEmail: number;
  skippedNoConsent: number;
}

/** Splits the chosen people into recipients and the counted groups left out (in that order of reasons). */
export function selectRecipients(people: Candidate[]): Selection {
  const out: Selection = { recipients: [], skippedDnc: 0, skippedNoEmail: 0, skippedNoConsent: 0 };
  for (const p of people) {
    if (p.do_not_contact) out.skippedDnc++;
    else if (!cleanAddress(p.email)) out.skippedNoEmail++;
    else if (!p.consents.some((c) => (CAMPAIGN_CONSENT_PURPOSES as readonly string[]).includes(c))) out.skippedNoConsent++;
    else out.recipients.push(p);
  }
  return out;
}

/** Parses `ids` from a form (repeatable or comma-separated) into distinct positive integers, at most `max`. */
export function parseIds(raw: unknown, max = 100_000): number[] {
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const out = new Set<number>();
  for (const part of list.flatMap((x) => String(x).split(','))) {
    const n = Number(part.trim());
    if (Number.isSafeInteger(n) && n > 0) out.add(n);
    if (out.size >= max) break;
  }
  return [...out];
}

// One-shot messages shown on the next page (after a redirect).
import type { Request } from 'express';
import type { Vars } from '../i18n/i18n.js';

export interface FlashMessage {
  type: 'success' | 'error' | 'info';
  key: string;
  vars?: Vars;
}

declare module 'express-session' {
  interface SessionData {
    flash?: FlashMessage[];
    locale?: string;
  }
}

export function flash(req: Request, type: FlashMessage['type'], key: string, vars?: Vars): void {
  if (!req.session) return;
  (req.session.flash ??= []).push({ type, key, vars });
}

export function takeFlash(req: Request): FlashMessage[] {
  const messages = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  return messages;
}

// The pickers (type-ahead over people, organisations and projects), English and German.
import type { MessageSet } from '../i18n/i18n.js';

export const pickersMessages: MessageSet = {
  en: {
    'pickers.search': 'Search',
    'pickers.searchHint': 'Type part of the name, then choose below.',
    'pickers.find': 'Find',
    'pickers.more': 'Showing {shown} of {total}: type more to narrow it down.',
    'pickers.moreThan': 'Showing {shown} of more than {total}: type more to narrow it down.',
    'pickers.found': '{count} found.',
    'pickers.found#one': '{count} found.',
    'pickers.none': 'Nothing found for “{q}”.',
    'pickers.empty': 'Nothing to choose yet.',
    'pickers.nothingChosen': '— choose —',
    'pickers.any': 'Any',
  },
  de: {
    'pickers.search': 'Suchen',
    'pickers.searchHint': 'Einen Teil des Namens eingeben, dann unten auswählen.',
    'pickers.find': 'Finden',
    'pickers.more': '{shown} von {total} angezeigt: weiter tippen, um einzugrenzen.',
    'pickers.moreThan': '{shown} von mehr als {total} angezeigt: weiter tippen, um einzugrenzen.',
    'pickers.found': '{count} gefunden.',
    'pickers.found#one': '{count} gefunden.',
    'pickers.none': 'Nichts gefunden für „{q}“.',
    'pickers.empty': 'Noch nichts zur Auswahl.',
    'pickers.nothingChosen': '— auswählen —',
    'pickers.any': 'Alle',
  },
};

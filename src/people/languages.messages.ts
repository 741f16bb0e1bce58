// Languages: the texts of the review of what the migration could not read. A language's own name is not a
// message: languageName (languages.domain.ts) gives it in either interface language.
import type { MessageSet } from '../i18n/i18n.js';

export const languagesMessages: MessageSet = {
  en: {
    'languages.review.title': 'Languages to check',
    'languages.review.intro': 'Languages are stored as ISO 639-1 codes and shown in the interface language. When the free-text languages were converted, these entries named something that is not a language on that list; it was taken out of the person\'s languages and kept here. Edit the person if needed, then mark the entry as done.',
    'languages.review.none': 'Nothing to check: every language was read.',
    'languages.review.person': 'Person',
    'languages.review.original': 'Written before',
    'languages.review.unmapped': 'Not read as a language',
    'languages.review.now': 'Languages now',
    'languages.review.edit': 'Edit',
    'languages.review.done': 'Done',
    'languages.review.doneFlash': 'Marked as done.',
    'languages.review.count': '{count} entries to check',
    'languages.review.count#one': '{count} entry to check',
    'languages.review.notice': 'Some languages written as free text could not be read as a language: {count} to check.',
    'languages.review.notice#one': 'One language written as free text could not be read as a language: check it.',
    'audit.action.languages.reviewed': 'Languages checked',
  },
  de: {
    'languages.review.title': 'Sprachen prüfen',
    'languages.review.intro': 'Sprachen werden als ISO-639-1-Kürzel gespeichert und in der Sprache der Oberfläche angezeigt. Bei der Umstellung der frei eingegebenen Sprachen nannten diese Einträge etwas, das keine Sprache dieser Liste ist; es wurde aus den Sprachen der Person genommen und hier aufbewahrt. Bearbeiten Sie die Person, falls nötig, und markieren Sie den Eintrag dann als erledigt.',
    'languages.review.none': 'Nichts zu prüfen: Alle Sprachen wurden erkannt.',
    'languages.review.person': 'Person',
    'languages.review.original': 'Vorher eingetragen',
    'languages.review.unmapped': 'Nicht als Sprache erkannt',
    'languages.review.now': 'Sprachen jetzt',
    'languages.review.edit': 'Bearbeiten',
    'languages.review.done': 'Erledigt',
    'languages.review.doneFlash': 'Als erledigt markiert.',
    'languages.review.count': '{count} Einträge zu prüfen',
    'languages.review.count#one': '{count} Eintrag zu prüfen',
    'languages.review.notice': 'Einige frei eingegebene Sprachen wurden nicht als Sprache erkannt: {count} zu prüfen.',
    'languages.review.notice#one': 'Eine frei eingegebene Sprache wurde nicht als Sprache erkannt: bitte prüfen.',
    'audit.action.languages.reviewed': 'Sprachen geprüft',
  },
};

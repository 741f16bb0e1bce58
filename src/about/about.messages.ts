// The about page.
import type { MessageSet } from '../i18n/i18n.js';

export const aboutMessages: MessageSet = {
  en: {
    'about.title': 'About Skillnet',
    'about.intro': 'Skillnet keeps a network of volunteers and freelancers alive over years: who can help with which skill, who helped whom, and with what result.',
    'about.privacyTitle': 'Personal data',
    'about.privacy': 'Skillnet stores personal data. Every change is recorded in an audit trail, consents are kept as an append-only record, and a person’s data can be exported or erased on request.',
    'about.sourcesTitle': 'Sources',
    'about.esco': 'The default skill taxonomy (88 skills in 17 categories, English and German) was written for Skillnet; it ships no third-party data.',
  },
  de: {
    'about.title': 'Über Skillnet',
    'about.intro': 'Skillnet hält ein Netzwerk aus Ehrenamtlichen und Freiberuflichen über Jahre lebendig: wer mit welcher Fähigkeit helfen kann, wer wem geholfen hat und mit welchem Ergebnis.',
    'about.privacyTitle': 'Personenbezogene Daten',
    'about.privacy': 'Skillnet speichert personenbezogene Daten. Jede Änderung wird protokolliert, Einwilligungen werden unveränderlich festgehalten, und die Daten einer Person können auf Anfrage exportiert oder gelöscht werden.',
    'about.sourcesTitle': 'Quellen',
    'about.esco': 'Die Standard-Liste der Fähigkeiten (88 Fähigkeiten in 17 Kategorien, Deutsch und Englisch) wurde für Skillnet geschrieben; sie enthält keine Daten Dritter.',
  },
};

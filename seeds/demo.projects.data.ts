// Word lists for demo organisations and projects: name templates, project themes with needed skills, roles, outcomes.

import type { OrgKind } from '../src/organisations/organisations.domain.js';
export type { OrgKind };

/** {city}, {district} are filled in; weight says how common such an organisation is. */
export const ORG_TEMPLATES: [name: string, kind: OrgKind, weight: number][] = [
  ['Jugendclub {district}', 'youth_club', 4],
  ['Kinder- und Jugendhaus {district}', 'youth_club', 3],
  ['Jugendtreff {district} e.V.', 'youth_club', 3],
  ['Offene Jugendarbeit {city}', 'youth_club', 2],
  ['Tafel {city} e.V.', 'food_bank', 3],
  ['Foodsharing {city}', 'food_bank', 2],
  ['Willkommensbündnis {district}', 'refugee_help', 3],
  ['Flüchtlingshilfe {district} e.V.', 'refugee_help', 3],
  ['Refugee Law Clinic {city}', 'refugee_help', 1],
  ['Café International {district}', 'refugee_help', 2],
  ['Nachbarschaftshaus {district}', 'neighbourhood_group', 3],
  ['Stadtteilverein {district} e.V.', 'neighbourhood_group', 3],
  ['Bürgerverein {district}', 'neighbourhood_group', 2],
  ['Gemeinschaftsgarten {district}', 'neighbourhood_group', 2],
  ['Repair Café {district}', 'neighbourhood_group', 2],
  ['Naturschutzjugend {city}', 'association', 1],
  ['Klimabündnis {city}', 'initiative', 1],
  ['Freies Lastenrad {city}', 'initiative', 1],
  ['Kulturzentrum {district}', 'association', 2],
  ['Freie Bühne {city} e.V.', 'association', 1],
  ['Förderverein Stadtteilbibliothek {district}', 'association', 1],
  ['Lesepaten {city}', 'initiative', 2],
  ['Mentoring für Bildung {city}', 'other', 1],
  ['Hausaufgabenhilfe {district}', 'initiative', 2],
  ['Digitalwerkstatt {city}', 'association', 1],
  ['Seniorennetzwerk {district}', 'association', 2],
  ['Besuchsdienst {city}', 'other', 1],
  ['Obdachlosenhilfe {city} e.V.', 'association', 2],
  ['Kältebus {city}', 'initiative', 1],
  ['Frauenberatung {city}', 'other', 1],
  ['Selbsthilfekontaktstelle {city}', 'other', 1],
  ['Tierschutzverein {city} e.V.', 'association', 1],
  ['SV {district} 1908 e.V.', 'association', 1],
  ['Bürgerstiftung {city}', 'foundation', 1],
  ['Stiftung Chancengleichheit {city}', 'foundation', 1],
  ['Eine-Welt-Laden {district}', 'initiative', 1],
  ['Queeres Jugendzentrum {city}', 'association', 1],
  ['Inklusion Jetzt {city}', 'initiative', 1],
  ['Neighbourhood Kitchen {district}', 'initiative', 1],
  ['Open Knowledge Lab {city}', 'initiative', 1],
];

export const ORG_NOTES = [
  'Meets every first Tuesday of the month.', 'Vorstand wird alle zwei Jahre gewählt.', 'Small team, mostly volunteers.',
  'Ansprechperson wechselt häufig, bitte vorher nachfragen.', 'Gets funding from the city until 2027.',
  'Arbeitet eng mit der Tafel zusammen.', 'Prefers calls over e-mail.', 'Hat eine eigene Geschäftsstelle.',
];

export type ProjectKind = 'consulting' | 'implementation' | 'mixed';

export interface ProjectTheme {
  weight: number;
  kind: ProjectKind;
  /** taxonomy skill keys with the minimum level the project needs (1 Basic … 4 Expert, src/skills/levels.domain.ts) */
  skills: [key: string, minLevel: number][];
  de: string;
  en: string;
  /** append the start year to the title */
  year?: boolean;
  desc_de: string;
  desc_en: string;
}

const t = (weight: number, kind: ProjectKind, skills: [string, number][], de: string, en: string, desc_de: string, desc_en: string, year = false): ProjectTheme =>
  ({ weight, kind, skills, de, en, desc_de, desc_en, year });

export const THEMES: ProjectTheme[] = [
  t(8, 'implementation', [['wordpress', 2], ['web-design', 2], ['website-maintenance', 1]], 'Relaunch der Website mit WordPress', 'Website relaunch on WordPress',
    'Die alte Website ist nicht mehr zu pflegen; wir brauchen eine neue, die wir selbst aktualisieren können.', 'The old site cannot be maintained any more; we need one we can update ourselves.'),
  t(4, 'consulting', [['wordpress', 4], ['hosting', 2]], 'Beratung: Welches CMS passt zu uns?', 'Advice: which CMS suits us?',
    'Vergleich von WordPress, TYPO3 und Baukastensystemen für unsere Bedürfnisse.', 'Comparing WordPress, TYPO3 and site builders for what we need.'),
  t(2, 'implementation', [['woocommerce', 2], ['wordpress', 2]], 'Spendenshop mit WooCommerce', 'Charity shop with WooCommerce',
    'Ein kleiner Shop für Taschen, Postkarten und Patenschaften.', 'A small shop for bags, postcards and sponsorships.'),
  t(2, 'implementation', [['typo3', 2], ['wordpress', 2], ['html-css', 1]], 'Umzug von TYPO3 zu WordPress', 'Migration from TYPO3 to WordPress',
    'Inhalte übernehmen, Weiterleitungen einrichten, Team einweisen.', 'Move the content, set up redirects, show the team how it works.'),
  t(3, 'consulting', [['seo', 2], ['local-seo', 1], ['technical-seo', 2]], 'SEO-Check der Website', 'SEO review of the website',
    'Warum findet uns niemand bei Google? Analyse und Maßnahmenliste.', 'Why does nobody find us on Google? Analysis and a list of fixes.'),
  t(4, 'mixed', [['ad-grants', 2], ['google-ads', 2], ['web-analytics', 1]], 'Google Ad Grants beantragen und einrichten', 'Applying for and setting up Google Ad Grants',
    'Antrag bei Google for Nonprofits, erste Kampagnen, Conversion-Tracking.', 'Application to Google for Nonprofits, first campaigns, conversion tracking.'),
  t(3, 'mixed', [['email-marketing', 2], ['cleverreach', 2], ['gdpr', 1]], 'Newsletter-Umzug von Mailchimp zu CleverReach', 'Moving the newsletter from Mailchimp to CleverReach',
    'Datenschutzfreundlicher Versand aus der EU, Vorlagen neu bauen, Abmeldungen übernehmen.', 'EU-based sending, rebuilding the templates, keeping the unsubscribes.'),
  t(3, 'implementation', [['email-marketing', 1], ['brevo', 2]], 'Newsletter aufsetzen mit Brevo', 'Setting up a newsletter with Brevo',
    'Anmeldeformular mit Double-Opt-in, Vorlage im Corporate Design.', 'Sign-up form with double opt-in, a template in our corporate design.'),
  t(2, 'implementation', [['mailchimp', 2], ['email-marketing', 1]], 'Mailchimp-Vorlagen und Automationen', 'Mailchimp templates and automations',
    'Begrüßungsstrecke für neue Mitglieder.', 'A welcome series for new members.'),
  t(4, 'consulting', [['social-media-strategy', 2], ['instagram', 1], ['content-marketing', 1]], 'Social-Media-Strategie', 'Social media strategy',
    'Welche Kanäle, wie oft, wer macht was?', 'Which channels, how often, who does what?', true),
  t(3, 'consulting', [['instagram', 2], ['training', 2]], 'Instagram-Workshop für das Team', 'Instagram workshop for the team',
    'Reels, Stories und Redaktionsplan – so dass das Team es allein weitermachen kann.', 'Reels, stories and a content plan, so the team can carry on alone.'),
  t(2, 'implementation', [['tiktok', 2], ['video-editing', 1]], 'TikTok-Kanal für die Jugendarbeit', 'TikTok channel for youth work',
    'Jugendliche produzieren eigene Kurzvideos, wir begleiten.', 'Young people make their own short videos; we support them.'),
  t(3, 'implementation', [['corporate-design', 4], ['graphic-design', 2], ['print-design', 1]], 'Neues Logo und Corporate Design', 'New logo and corporate design',
    'Ein Erscheinungsbild, das auch mit Canva weiter nutzbar ist.', 'A look that the team can keep using in Canva.'),
  t(4, 'implementation', [['print-design', 1], ['indesign', 1], ['copywriting', 1]], 'Flyer und Plakate für das Sommerfest', 'Flyers and posters for the summer festival',
    'Druckfertige Dateien bis Ende Mai.', 'Print-ready files by the end of May.', true),
  t(3, 'implementation', [['annual-reports', 2], ['indesign', 2], ['photography', 1], ['copywriting', 2]], 'Jahresbericht gestalten', 'Designing the annual report',
    'Texte, Fotos und Zahlen zu einem lesbaren Bericht.', 'Texts, photos and figures turned into a readable report.', true),
  t(2, 'mixed', [['ux-design', 2], ['user-research', 1], ['online-fundraising', 2]], 'Spendenformular nutzerfreundlich machen', 'A donation form people can use',
    'Weniger Abbrüche im Spendenformular, getestet mit echten Spender:innen.', 'Fewer people giving up on the donation form, tested with real donors.'),
  t(3, 'implementation', [['event-photography', 2], ['photo-editing', 1]], 'Fotos vom Stadtteilfest', 'Photos of the neighbourhood festival',
    'Bilder mit Einverständnis der Abgebildeten, für Website und Presse.', 'Pictures with consent of the people shown, for the website and the press.', true),
  t(2, 'implementation', [['video-production', 2], ['video-editing', 2], ['copywriting', 1]], 'Imagefilm über unsere Arbeit', 'A short film about our work',
    'Drei Minuten, Untertitel auf Deutsch und Englisch.', 'Three minutes, subtitles in German and English.'),
  t(1, 'mixed', [['podcast', 2], ['copywriting', 1]], 'Podcast aus dem Kiez', 'Neighbourhood podcast',
    'Sechs Folgen mit Menschen aus dem Stadtteil.', 'Six episodes with people from the neighbourhood.'),
  t(3, 'implementation', [['translation-ar', 2], ['translation-uk', 2], ['translation-fa', 1]], 'Übersetzung der Infoflyer', 'Translating the information leaflets',
    'Arabisch, Ukrainisch und Farsi; Prüfung durch Muttersprachler:innen.', 'Arabic, Ukrainian and Farsi, checked by native speakers.'),
  t(2, 'implementation', [['plain-language', 2], ['copywriting', 1], ['editing', 1]], 'Website in Einfacher Sprache', 'Website in plain language',
    'Die wichtigsten Seiten in Einfacher Sprache, geprüft mit der Zielgruppe.', 'The key pages in plain language, checked with the people they are for.'),
  t(2, 'implementation', [['interpreting', 2], ['translation-tr', 1]], 'Dolmetschen bei Elternabenden', 'Interpreting at parents’ evenings',
    'Türkisch und Arabisch, einmal im Monat.', 'Turkish and Arabic, once a month.'),
  t(2, 'mixed', [['pr', 2], ['copywriting', 2]], 'Pressearbeit zum Jubiläum', 'Press work for the anniversary',
    'Presseverteiler aufbauen, Pressemitteilung, Einladung zur Feier.', 'Build a press list, write the release, invite to the party.'),
  t(3, 'consulting', [['fundraising', 4], ['donor-management', 2], ['strategy-consulting', 1]], 'Fundraising-Strategie entwickeln', 'Developing a fundraising strategy',
    'Von Einzelspenden zu regelmäßigen Fördermitgliedschaften.', 'From one-off gifts to regular supporting memberships.'),
  t(4, 'mixed', [['grant-writing', 2], ['project-management', 1]], 'Förderantrag bei der Stiftung', 'Grant application to a foundation',
    'Antrag, Budget und Wirkungslogik bis zur Frist.', 'Application, budget and theory of change before the deadline.', true),
  t(2, 'implementation', [['online-fundraising', 2], ['video-production', 1], ['social-media', 1]], 'Crowdfunding-Kampagne für den Vereinsbus', 'Crowdfunding campaign for the club bus',
    'Kampagne auf betterplace mit Video und Social Media.', 'A betterplace campaign with a video and social media.'),
  t(3, 'mixed', [['surveys', 2], ['data-analysis', 2], ['data-visualisation', 1]], 'Auswertung der Mitgliederumfrage', 'Analysing the members’ survey',
    'Fragebogen, Auswertung, Präsentation für die Mitgliederversammlung.', 'Questionnaire, analysis and a presentation for the general meeting.', true),
  t(2, 'mixed', [['crm', 2], ['spreadsheets', 1], ['gdpr', 1]], 'Einführung einer Kontaktdatenbank', 'Introducing a contact database',
    'Weg von verstreuten Excel-Listen, hin zu CiviCRM.', 'Away from scattered spreadsheets, towards CiviCRM.'),
  t(2, 'implementation', [['data-visualisation', 2], ['spreadsheets', 2]], 'Wirkungsdashboard für den Vorstand', 'Impact dashboard for the board',
    'Die wichtigsten Zahlen monatlich auf einen Blick.', 'The key figures each month at a glance.'),
  t(3, 'implementation', [['nextcloud', 2], ['it-support', 2], ['it-security', 1]], 'Umzug der Dateien auf Nextcloud', 'Moving files to Nextcloud',
    'Schluss mit USB-Sticks: gemeinsame Ablage mit Rechten und Backups.', 'No more USB sticks: shared storage with permissions and backups.'),
  t(3, 'mixed', [['microsoft-365', 2], ['it-support', 1], ['training', 1]], 'Microsoft 365 für Gemeinnützige einrichten', 'Setting up Microsoft 365 for nonprofits',
    'Lizenzen über das Spendenprogramm, Konten, Teams-Schulung.', 'Licences through the donation programme, accounts, a Teams training.'),
  t(2, 'implementation', [['networks', 2], ['it-support', 1]], 'WLAN im Jugendtreff', 'Wi-Fi for the youth centre',
    'Stabiles WLAN mit Jugendschutzfilter und Gästenetz.', 'Reliable Wi-Fi with a youth filter and a guest network.'),
  t(2, 'consulting', [['it-security', 4], ['gdpr', 2]], 'IT-Sicherheitscheck', 'IT security check',
    'Passwörter, Backups, Updates: wo stehen wir?', 'Passwords, backups, updates: where do we stand?'),
  t(3, 'consulting', [['digital-strategy', 4], ['workshop-facilitation', 2], ['organisational-development', 1]], 'Digitalstrategie-Workshop mit dem Vorstand', 'Digital strategy workshop with the board',
    'Zwei Workshops, danach eine Roadmap für zwei Jahre.', 'Two workshops, then a two-year roadmap.'),
  t(3, 'consulting', [['gdpr', 4], ['legal-texts', 2]], 'DSGVO-Check und Datenschutzerklärung', 'GDPR review and privacy notice',
    'Verarbeitungsverzeichnis, Auftragsverarbeitung, neue Datenschutzerklärung.', 'Records of processing, processor agreements, a new privacy notice.'),
  t(2, 'consulting', [['accessibility', 4], ['html-css', 2]], 'Barrierefreiheit der Website prüfen', 'Accessibility audit of the website',
    'Prüfung nach WCAG 2.2 und Liste der Korrekturen.', 'A WCAG 2.2 check and a list of fixes.'),
  t(2, 'implementation', [['web-analytics', 2], ['gdpr', 1]], 'Matomo statt Google Analytics', 'Matomo instead of Google Analytics',
    'Datensparsame Statistik ohne Cookie-Banner.', 'Privacy-friendly statistics without a cookie banner.'),
  t(1, 'consulting', [['corporate-partnerships', 2], ['linkedin', 1]], 'Unternehmenspartnerschaften aufbauen', 'Building corporate partnerships',
    'Welche Firmen im Umfeld passen zu uns, und wie sprechen wir sie an?', 'Which local companies fit us, and how do we approach them?'),
  t(3, 'implementation', [['website-maintenance', 1], ['wordpress', 1]], 'Laufende Website-Pflege', 'Ongoing website maintenance',
    'Updates, Backups und kleine Änderungen.', 'Updates, backups and small changes.', true),
  t(2, 'consulting', [['project-management', 2], ['training', 2]], 'Coaching Projektmanagement für das Team', 'Project management coaching for the team',
    'Kanban-Board einführen, Rollen klären.', 'Introduce a Kanban board and clarify roles.'),
  t(1, 'mixed', [['nonprofit-law', 2], ['grant-writing', 1]], 'Satzungsänderung und Gemeinnützigkeit', 'Statutes and charitable status',
    'Satzung an neue Zwecke anpassen, Rücksprache mit dem Finanzamt.', 'Adapt the statutes to new purposes, talk to the tax office.'),
];

/** Engagement role by skill category, [English, German]. */
export const ROLES: Record<string, [string, string]> = {
  'web-development': ['Web developer', 'Webentwicklung'],
  'wordpress-cms': ['WordPress developer', 'WordPress-Umsetzung'],
  'seo': ['SEO consultant', 'SEO-Beratung'],
  'online-marketing': ['Online marketing', 'Online-Marketing'],
  'google-ads': ['Ads manager', 'Anzeigenbetreuung'],
  'social-media': ['Social media', 'Social Media'],
  'newsletter': ['Newsletter set-up', 'Newsletter-Einrichtung'],
  'graphic-design': ['Designer', 'Gestaltung'],
  'ux': ['UX designer', 'UX-Design'],
  'photo-video': ['Photo & video', 'Foto & Video'],
  'copywriting-pr': ['Copywriter', 'Text & Redaktion'],
  'translation': ['Translator', 'Übersetzung'],
  'fundraising': ['Fundraising advice', 'Fundraising-Beratung'],
  'data-analysis': ['Data analyst', 'Datenauswertung'],
  'it-support': ['IT support', 'IT-Betreuung'],
  'strategy': ['Consultant', 'Beratung'],
  'data-protection': ['Data protection advice', 'Datenschutzberatung'],
};

export const LEAD_ROLE: [string, string] = ['Project lead', 'Projektleitung'];

export const OUTCOMES: Record<ProjectKind | 'cancelled', [string, string][]> = {
  consulting: [
    ['Recommendation written; the board decided within a month.', 'Empfehlung geschrieben; der Vorstand hat innerhalb eines Monats entschieden.'],
    ['Workshop held, list of next steps agreed.', 'Workshop durchgeführt, nächste Schritte vereinbart.'],
    ['Comparison of three options, with costs.', 'Vergleich von drei Optionen mit Kosten.'],
    ['Checklist handed over; the team works through it.', 'Checkliste übergeben; das Team arbeitet sie ab.'],
  ],
  implementation: [
    ['Went live on time.', 'Pünktlich online gegangen.'],
    ['Delivered; the team was trained in two sessions.', 'Geliefert; das Team wurde in zwei Terminen eingewiesen.'],
    ['Finished with a few weeks’ delay, everything works.', 'Mit einigen Wochen Verspätung fertig, alles läuft.'],
    ['Done; documentation is in the shared drive.', 'Erledigt; die Dokumentation liegt in der gemeinsamen Ablage.'],
  ],
  mixed: [
    ['Concept agreed and first version built.', 'Konzept abgestimmt und erste Version umgesetzt.'],
    ['Set up together; the organisation now runs it.', 'Gemeinsam eingerichtet; die Organisation betreibt es jetzt selbst.'],
    ['Advice plus hands-on help; a second phase is planned.', 'Beratung plus Umsetzung; eine zweite Phase ist geplant.'],
  ],
  cancelled: [
    ['Stopped: the funding did not come through.', 'Abgebrochen: die Förderung wurde nicht bewilligt.'],
    ['Paused after a change on the board.', 'Nach einem Vorstandswechsel pausiert.'],
    ['The organisation chose a ready-made service instead.', 'Die Organisation hat sich für eine fertige Lösung entschieden.'],
  ],
};

export const FEEDBACK: Record<'good' | 'ok' | 'bad', [string, string][]> = {
  good: [
    ['Very structured, we would ask again any time.', 'Sehr strukturiert, jederzeit wieder!'],
    ['Explained everything patiently; we can do it ourselves now.', 'Hat alles geduldig erklärt; jetzt können wir es selbst.'],
    ['Reliable and quick, great communication.', 'Zuverlässig und schnell, tolle Kommunikation.'],
  ],
  ok: [
    ['Good work, replies could have been faster.', 'Gute Arbeit, Rückmeldungen hätten schneller sein können.'],
    ['Solid result, documentation a bit thin.', 'Solides Ergebnis, Dokumentation etwas knapp.'],
  ],
  bad: [
    ['Appointments were often moved.', 'Termine wurden oft verschoben.'],
    ['The result did not fit what we needed.', 'Das Ergebnis passte nicht zu unserem Bedarf.'],
  ],
};

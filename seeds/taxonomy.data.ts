// The default skill taxonomy: categories and skills that fit digital volunteering for social organisations.
// Written for Skillnet (no ESCO text). `key` is stable and only used by the demo generator; it is not stored.

export interface TaxonomyCategory {
  slug: string;
  name_en: string;
  name_de: string;
  position: number;
}

export interface TaxonomySkill {
  key: string;
  category: string;
  name: string;
  name_de: string;
  /** spellings and synonyms, English or German; the German name is added as an alias on its own */
  aliases: string[];
}

type SkillRow = [key: string, name: string, nameDe: string, aliases: string[]];
type CategoryRow = [slug: string, nameEn: string, nameDe: string, skills: SkillRow[]];

const DATA: CategoryRow[] = [
  ['web-development', 'Web development', 'Webentwicklung', [
    ['html-css', 'HTML & CSS', 'HTML & CSS', ['HTML', 'CSS', 'HTML5', 'CSS3', 'Frontend development', 'Frontend-Entwicklung']],
    ['javascript', 'JavaScript', 'JavaScript', ['JS', 'ECMAScript', 'TypeScript']],
    ['php', 'PHP', 'PHP', ['PHP development', 'PHP-Entwicklung', 'Backend development']],
    ['web-design', 'Web design', 'Webdesign', ['Website design', 'Responsive design', 'Responsive Webdesign']],
    ['hosting', 'Web hosting and domains', 'Webhosting und Domains', ['Hosting', 'Webhosting', 'Domains', 'DNS']],
    ['accessibility', 'Web accessibility', 'Barrierefreiheit im Web', ['Accessibility', 'a11y', 'WCAG', 'BITV', 'Barrierefreiheit', 'Digitale Barrierefreiheit']],
  ]],
  ['wordpress-cms', 'WordPress & CMS', 'WordPress & CMS', [
    ['wordpress', 'WordPress', 'WordPress', ['WP', 'WordPress website', 'WordPress-Website', 'WordPress-Webseite']],
    ['wp-themes', 'WordPress themes and page builders', 'WordPress-Themes und Page-Builder', ['Elementor', 'Divi', 'Gutenberg', 'Page builder', 'WordPress themes']],
    ['woocommerce', 'WooCommerce', 'WooCommerce', ['Online shop', 'Onlineshop', 'Webshop', 'E-commerce']],
    ['typo3', 'TYPO3', 'TYPO3', ['Typo 3']],
    ['drupal', 'Drupal', 'Drupal', []],
    ['website-maintenance', 'Website maintenance', 'Website-Pflege', ['Website updates', 'Webseitenpflege', 'Content-Pflege', 'Content management', 'CMS']],
  ]],
  ['seo', 'SEO', 'SEO', [
    ['seo', 'SEO', 'Suchmaschinenoptimierung', ['Search engine optimisation', 'Search engine optimization', 'SEO optimisation']],
    ['local-seo', 'Local SEO', 'Lokales SEO', ['Google Business Profile', 'Google My Business', 'Google Unternehmensprofil']],
    ['keyword-research', 'Keyword research', 'Keyword-Recherche', ['Keyword analysis', 'Keyword-Analyse']],
    ['technical-seo', 'Technical SEO', 'Technisches SEO', ['Google Search Console', 'Page speed', 'Core Web Vitals']],
  ]],
  ['online-marketing', 'Online marketing', 'Online-Marketing', [
    ['online-marketing', 'Online marketing', 'Online-Marketing', ['Digital marketing', 'Digitales Marketing', 'Internet marketing', 'Campaigning', 'Kampagnenplanung']],
    ['content-marketing', 'Content marketing', 'Content-Marketing', ['Content strategy', 'Content-Strategie']],
    ['web-analytics', 'Web analytics', 'Webanalyse', ['Google Analytics', 'GA4', 'Matomo', 'Piwik', 'Google Tag Manager', 'Conversion tracking', 'Conversion-Tracking']],
  ]],
  ['google-ads', 'Google Ads & Ad Grants', 'Google Ads & Ad Grants', [
    ['google-ads', 'Google Ads', 'Google Ads', ['AdWords', 'Google AdWords', 'SEA', 'Search engine advertising', 'Suchmaschinenwerbung']],
    ['ad-grants', 'Google Ad Grants', 'Google Ad Grants', ['Ad Grants', 'Google Grants', 'Google for Nonprofits']],
    ['meta-ads', 'Meta ads', 'Meta-Werbeanzeigen', ['Facebook Ads', 'Instagram Ads', 'Social ads', 'Social-Media-Werbung']],
  ]],
  ['social-media', 'Social media', 'Social Media', [
    ['social-media', 'Social media management', 'Social-Media-Management', ['Social media', 'Social-Media-Betreuung', 'SoMe', 'Mastodon', 'Fediverse']],
    ['social-media-strategy', 'Social media strategy', 'Social-Media-Strategie', ['Social media concept', 'Social-Media-Konzept']],
    ['instagram', 'Instagram', 'Instagram', ['Insta', 'Instagram Reels']],
    ['facebook', 'Facebook', 'Facebook', ['FB', 'Facebook pages', 'Facebook-Seiten']],
    ['linkedin', 'LinkedIn', 'LinkedIn', ['Xing']],
    ['tiktok', 'TikTok', 'TikTok', ['Short videos', 'Kurzvideos']],
    ['community-management', 'Community management', 'Community-Management', ['Community manager', 'Online-Community', 'Online community']],
  ]],
  ['newsletter', 'Newsletter & e-mail', 'Newsletter & E-Mail', [
    ['email-marketing', 'E-mail marketing', 'E-Mail-Marketing', ['Email marketing', 'Newsletter', 'Newsletter marketing', 'Newsletter-Marketing', 'E-mail deliverability', 'DKIM', 'SPF']],
    ['mailchimp', 'Mailchimp', 'Mailchimp', ['Intuit Mailchimp']],
    ['cleverreach', 'CleverReach', 'CleverReach', ['Clever Reach']],
    ['brevo', 'Brevo', 'Brevo', ['Sendinblue', 'Newsletter2Go']],
  ]],
  ['graphic-design', 'Graphic design', 'Grafikdesign', [
    ['graphic-design', 'Graphic design', 'Grafikdesign', ['Grafik-Design', 'Visual design', 'Gestaltung', 'Adobe Illustrator', 'Illustrator']],
    ['corporate-design', 'Logo and corporate design', 'Logo und Corporate Design', ['Logo design', 'Logodesign', 'Corporate design', 'Corporate Identity', 'Branding']],
    ['print-design', 'Print design', 'Printdesign', ['Flyer design', 'Flyergestaltung', 'Posters', 'Plakate', 'Layout']],
    ['indesign', 'Adobe InDesign', 'Adobe InDesign', ['InDesign', 'Affinity Publisher', 'Scribus']],
    ['canva', 'Canva', 'Canva', []],
    ['illustration', 'Illustration', 'Illustration', ['Drawing', 'Zeichnen', 'Comics']],
  ]],
  ['ux', 'UX & UI design', 'UX- & UI-Design', [
    ['ux-design', 'UX design', 'UX-Design', ['User experience', 'User experience design', 'Nutzererlebnis']],
    ['ui-design', 'UI design', 'UI-Design', ['User interface design', 'Interface design', 'Prototyping']],
    ['figma', 'Figma', 'Figma', ['Sketch', 'Adobe XD']],
    ['user-research', 'User research and testing', 'Nutzerforschung und Usability-Tests', ['User research', 'UX research', 'Usability testing', 'Usability-Tests', 'User testing', 'Nutzertests']],
  ]],
  ['photo-video', 'Photo & video', 'Foto & Video', [
    ['photography', 'Photography', 'Fotografie', ['Photographer', 'Fotograf', 'Portrait photography', 'Porträtfotografie', 'Headshots']],
    ['event-photography', 'Event photography', 'Eventfotografie', ['Veranstaltungsfotografie', 'Reportage photography', 'Reportagefotografie']],
    ['photo-editing', 'Photo editing', 'Bildbearbeitung', ['Image editing', 'Lightroom', 'Adobe Lightroom', 'Photoshop', 'Adobe Photoshop', 'Retusche']],
    ['video-production', 'Video production', 'Videoproduktion', ['Filming', 'Filmen', 'Videography', 'Videografie', 'Live streaming', 'Livestreaming']],
    ['video-editing', 'Video editing', 'Videoschnitt', ['Premiere Pro', 'DaVinci Resolve', 'Final Cut', 'Schnitt']],
    ['animation', 'Animation and motion graphics', 'Animation und Motion Design', ['Animation', 'Motion graphics', 'Explainer videos', 'Erklärvideos', 'After Effects']],
    ['podcast', 'Podcast production', 'Podcast-Produktion', ['Podcasting', 'Audio editing', 'Audioschnitt', 'Audacity']],
  ]],
  ['copywriting-pr', 'Copywriting & PR', 'Texten & Öffentlichkeitsarbeit', [
    ['copywriting', 'Copywriting', 'Texten', ['Web copy', 'Webtexte', 'Werbetexte', 'Storytelling', 'Texter']],
    ['pr', 'Press relations', 'Pressearbeit', ['PR', 'Public relations', 'Öffentlichkeitsarbeit', 'Media relations', 'Press releases', 'Pressemitteilungen']],
    ['editing', 'Editing and proofreading', 'Lektorat und Korrektorat', ['Proofreading', 'Lektorat', 'Korrektorat', 'Korrekturlesen']],
    ['plain-language', 'Plain language', 'Einfache Sprache', ['Leichte Sprache', 'Easy-to-read', 'Easy language']],
    ['annual-reports', 'Annual reports', 'Jahresberichte', ['Annual report', 'Jahresbericht', 'Impact report', 'Wirkungsbericht']],
  ]],
  ['translation', 'Translation & interpreting', 'Übersetzen & Dolmetschen', [
    ['translation-en-de', 'Translation English–German', 'Übersetzung Englisch–Deutsch', ['Translation English-German', 'Übersetzung Englisch-Deutsch', 'English translation', 'Englisch-Übersetzung']],
    ['translation-ar', 'Translation Arabic', 'Übersetzung Arabisch', ['Arabic translation', 'Arabisch-Übersetzung']],
    ['translation-uk', 'Translation Ukrainian', 'Übersetzung Ukrainisch', ['Ukrainian translation', 'Ukrainisch-Übersetzung']],
    ['translation-tr', 'Translation Turkish', 'Übersetzung Türkisch', ['Turkish translation', 'Türkisch-Übersetzung']],
    ['translation-fa', 'Translation Farsi/Dari', 'Übersetzung Farsi/Dari', ['Persian translation', 'Farsi', 'Dari']],
    ['interpreting', 'Interpreting', 'Dolmetschen', ['Interpreter', 'Dolmetscher', 'Sprachmittlung', 'Community interpreting']],
    ['sign-language', 'German Sign Language', 'Deutsche Gebärdensprache', ['DGS', 'Sign language', 'Gebärdensprache']],
  ]],
  ['fundraising', 'Fundraising', 'Fundraising', [
    ['fundraising', 'Fundraising', 'Fundraising', ['Spendenakquise', 'Mittelbeschaffung']],
    ['grant-writing', 'Grant writing', 'Förderanträge schreiben', ['Grant applications', 'Förderanträge', 'Antragstellung', 'Fördermittel']],
    ['online-fundraising', 'Online fundraising', 'Online-Fundraising', ['Donation forms', 'Spendenformular', 'Online donations', 'Online-Spenden', 'Crowdfunding', 'betterplace']],
    ['donor-management', 'Donor management', 'Spenderbetreuung', ['Donor relations', 'Donor care', 'Spenderverwaltung']],
    ['corporate-partnerships', 'Corporate partnerships', 'Unternehmenskooperationen', ['Sponsoring', 'Corporate sponsorship', 'Company partnerships']],
  ]],
  ['data-analysis', 'Data analysis', 'Datenanalyse', [
    ['data-analysis', 'Data analysis', 'Datenanalyse', ['Data analytics', 'Datenauswertung', 'Statistics', 'Statistik', 'Python']],
    ['spreadsheets', 'Excel and spreadsheets', 'Excel und Tabellenkalkulation', ['Excel', 'Microsoft Excel', 'Google Sheets', 'LibreOffice Calc', 'Spreadsheets']],
    ['data-visualisation', 'Data visualisation', 'Datenvisualisierung', ['Data visualization', 'Dashboards', 'Infographics', 'Infografiken', 'Power BI', 'Tableau']],
    ['sql', 'SQL and databases', 'SQL und Datenbanken', ['SQL', 'Databases', 'Datenbanken', 'MySQL', 'PostgreSQL']],
    ['surveys', 'Surveys', 'Umfragen', ['Survey design', 'Questionnaires', 'Fragebogen', 'LimeSurvey']],
    ['crm', 'CRM administration', 'CRM-Administration', ['CRM', 'CiviCRM', 'Salesforce', 'Salesforce NPSP', 'Kontaktdatenbank']],
  ]],
  ['it-support', 'IT support', 'IT-Support', [
    ['it-support', 'IT support', 'IT-Support', ['Tech support', 'IT-Betreuung', 'Helpdesk', 'EDV', 'PC repair', 'Laptop setup']],
    ['microsoft-365', 'Microsoft 365', 'Microsoft 365', ['Office 365', 'MS 365', 'Microsoft Teams', 'SharePoint', 'Outlook']],
    ['google-workspace', 'Google Workspace', 'Google Workspace', ['G Suite', 'Google Drive', 'Gmail']],
    ['nextcloud', 'Nextcloud', 'Nextcloud', ['ownCloud', 'Cloud storage']],
    ['networks', 'Networks and Wi-Fi', 'Netzwerke und WLAN', ['Networking', 'WLAN', 'Wi-Fi', 'WiFi', 'Router', 'Netzwerktechnik']],
    ['it-security', 'IT security', 'IT-Sicherheit', ['Cybersecurity', 'Cyber security', 'Informationssicherheit', 'Backups', 'Passwortmanager']],
  ]],
  ['strategy', 'Strategy & consulting', 'Strategie & Beratung', [
    ['strategy-consulting', 'Strategy consulting', 'Strategieberatung', ['Strategy', 'Strategie', 'Organisational strategy']],
    ['digital-strategy', 'Digital strategy', 'Digitalstrategie', ['Digitalisation', 'Digitalization', 'Digitalisierung', 'Digital transformation', 'Digitale Transformation']],
    ['project-management', 'Project management', 'Projektmanagement', ['Projektleitung', 'Project lead', 'Scrum', 'Kanban', 'Agile project management']],
    ['workshop-facilitation', 'Workshop facilitation', 'Workshop-Moderation', ['Facilitation', 'Moderation', 'Moderating workshops']],
    ['organisational-development', 'Organisational development', 'Organisationsentwicklung', ['Organizational development', 'Change management', 'Change-Management']],
    ['training', 'Training and coaching', 'Schulung und Coaching', ['Coaching', 'Trainer', 'Teaching', 'Schulungen', 'Digital skills training']],
  ]],
  ['data-protection', 'Data protection & law', 'Datenschutz & Recht', [
    ['gdpr', 'Data protection (GDPR)', 'Datenschutz (DSGVO)', ['GDPR', 'DSGVO', 'Data protection', 'Datenschutz', 'Privacy', 'Data protection officer', 'DPO', 'Datenschutzbeauftragte']],
    ['legal-texts', 'Imprint and privacy notices', 'Impressum und Datenschutzerklärung', ['Impressum', 'Imprint', 'Legal notice', 'Privacy policy', 'Datenschutzerklärung', 'Cookie banner']],
    ['nonprofit-law', 'Non-profit law', 'Gemeinnützigkeitsrecht', ['Nonprofit law', 'Charity law', 'Vereinsrecht', 'Gemeinnützigkeit']],
  ]],
];

export const TAXONOMY_CATEGORIES: TaxonomyCategory[] = DATA.map(([slug, name_en, name_de], i) => ({
  slug, name_en, name_de, position: (i + 1) * 10,
}));

export const TAXONOMY_SKILLS: TaxonomySkill[] = DATA.flatMap(([category, , , skills]) =>
  skills.map(([key, name, name_de, aliases]) => ({ key, category, name, name_de, aliases })));

// Word lists for demo people: names by origin (with their diacritics), cities, tags, notes, job titles.

export interface Origin {
  weight: number;
  /** the language people of this origin speak besides German (null: German only) */
  language: string | null;
  first: string[];
  last: string[];
}

export const ORIGINS: Origin[] = [
  {
    weight: 64, language: null,
    first: ['Anna', 'Lena', 'Jürgen', 'Jörg', 'Sören', 'Björn', 'Käthe', 'Günter', 'Uwe', 'Maximilian', 'Lukas', 'Jonas',
      'Leon', 'Felix', 'Paul', 'Sophie', 'Marie', 'Hannah', 'Emma', 'Mia', 'Lea', 'Laura', 'Katharina', 'Julia', 'Sabine',
      'Petra', 'Ute', 'Andreas', 'Thomas', 'Michael', 'Stefan', 'Matthias', 'Christian', 'Tobias', 'Florian', 'Sebastian',
      'Daniel', 'Jan', 'Tim', 'Niklas', 'Moritz', 'Clara', 'Charlotte', 'Greta', 'Frieda', 'Henriette', 'Ingrid', 'Birgit',
      'Heike', 'Claudia', 'Susanne', 'Anja', 'Nele', 'Svenja', 'Jana', 'Kerstin', 'Dörte', 'Wolfgang', 'Klaus', 'Hans-Peter',
      'Karl-Heinz', 'Anne-Kathrin', 'Marie-Luise', 'Rüdiger', 'Malte', 'Ole', 'Finn', 'Jens', 'Lars', 'Merle', 'Thea', 'Till',
      'Jöran', 'Bärbel', 'Gisela', 'Friederike', 'Konstantin', 'Johanna', 'Lotte', 'Mathilda'],
    last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Schäfer',
      'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Krüger',
      'Hofmann', 'Hartmann', 'Lange', 'Schmitt', 'Werner', 'Schmitz', 'Krause', 'Meier', 'Lehmann', 'Schmid', 'Schulze',
      'Maier', 'Köhler', 'Herrmann', 'König', 'Walter', 'Mayer', 'Huber', 'Kaiser', 'Fuchs', 'Peters', 'Lang', 'Scholz',
      'Möller', 'Weiß', 'Jung', 'Hahn', 'Schubert', 'Vogel', 'Friedrich', 'Keller', 'Günther', 'Frank', 'Berger', 'Winkler',
      'Roth', 'Beck', 'Lorenz', 'Baumann', 'Franke', 'Albrecht', 'Schuster', 'Simon', 'Ludwig', 'Böhm', 'Winter', 'Kraus',
      'Schumacher', 'Krämer', 'Vogt', 'Stein', 'Jäger', 'Otto', 'Sommer', 'Groß', 'Seidel', 'Heinrich', 'Brandt', 'Haas',
      'Schreiber', 'Graf', 'Schulte', 'Dietrich', 'Ziegler', 'Kuhn', 'Kühn', 'Pohl', 'Engel', 'Horn', 'Busch', 'Bergmann',
      'Voigt', 'Sauer', 'Arnold', 'Wolff', 'Pfeiffer', 'von Bülow', 'Düring', 'Gößling', 'Oßwald', 'Brückner', 'Thießen'],
  },
  {
    weight: 7, language: 'Turkish',
    first: ['Ömer', 'Ayşe', 'Mehmet', 'Elif', 'Zeynep', 'Emre', 'Can', 'Deniz', 'Gülşen', 'Yusuf', 'Özlem', 'Hülya', 'Çağla', 'Burak', 'Selin'],
    last: ['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Öztürk', 'Aydın', 'Arslan', 'Doğan', 'Koç', 'Kılıç', 'Yıldız', 'Özdemir', 'Güneş'],
  },
  {
    weight: 4, language: 'Polish',
    first: ['Łukasz', 'Małgorzata', 'Paweł', 'Agnieszka', 'Wojciech', 'Krzysztof', 'Katarzyna', 'Józef', 'Zofia', 'Michał'],
    last: ['Kowalski', 'Nowak', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamiński', 'Lewandowski', 'Zieliński', 'Dąbrowski', 'Wróbel'],
  },
  {
    weight: 4, language: 'Spanish',
    first: ['José', 'María', 'Lucía', 'Jesús', 'Sofía', 'Andrés', 'Martín', 'Inés', 'Joaquín', 'Ramón', 'Begoña'],
    last: ['García', 'Martínez', 'López', 'Rodríguez', 'Fernández', 'Gómez', 'Sánchez', 'Pérez', 'Muñoz', 'Núñez', 'Ibáñez'],
  },
  {
    weight: 1, language: 'Portuguese',
    first: ['João', 'Conceição', 'Gonçalo', 'Inês', 'Tomás'],
    last: ['Gonçalves', 'Simões', 'Magalhães', 'Conceição', 'Araújo'],
  },
  {
    weight: 3, language: 'French',
    first: ['Zoë', 'Chloé', 'Léa', 'Élodie', 'Hélène', 'François', 'Amélie', 'Jérôme', 'Benoît', 'Gaëlle', 'Noémie', 'Théo'],
    last: ['Lefèvre', 'Dubois', 'Durand', 'Moreau', 'Lambert', 'Girard', 'Fournier', 'Mercier', 'Rousseau', 'Béranger', 'Chevalier'],
  },
  {
    weight: 2, language: 'Vietnamese',
    first: ['Minh', 'Linh', 'Thảo', 'Hùng', 'Phương', 'Tuấn', 'Trang', 'Đức', 'Hà', 'Anh'],
    last: ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi'],
  },
  {
    weight: 5, language: 'Arabic',
    first: ['Ahmad', 'Mohammed', 'Fatima', 'Layla', 'Omar', 'Yasmin', 'Khaled', 'Amira', 'Rami', 'Nour', 'Hassan', 'Samira'],
    last: ['Al-Masri', 'Haddad', 'Khalil', 'Nasser', 'Saleh', 'Hamdan', 'Aziz', 'Mansour', 'El-Sayed', 'Abdullah'],
  },
  {
    weight: 4, language: 'Ukrainian',
    first: ['Oleksandr', 'Olena', 'Kateryna', 'Andriy', 'Iryna', 'Dmytro', 'Nataliia', 'Serhiy', 'Yuliia', 'Anastasiia'],
    last: ['Shevchenko', 'Kovalenko', 'Bondarenko', 'Tkachenko', 'Kravchenko', 'Melnyk', 'Petrenko', 'Boyko'],
  },
  {
    weight: 2, language: 'Italian',
    first: ['Giulia', 'Francesco', 'Niccolò', 'Chiara', 'Matteo', 'Lucrezia'],
    last: ['Rossi', 'Russo', 'Esposito', 'Bianchi', 'Colombo', 'Ricci', 'Fabbri', 'Caruso'],
  },
  {
    weight: 1, language: 'Greek',
    first: ['Dimitris', 'Eleni', 'Giorgos', 'Sofia', 'Nikos'],
    last: ['Papadopoulos', 'Georgiou', 'Papadakis', 'Oikonomou'],
  },
  {
    weight: 2, language: 'English',
    first: ['Liam', 'Emily', 'Oliver', 'Siobhán', 'Seán', 'Grace', 'Noah'],
    last: ['Smith', "O'Brien", 'Murphy', 'Walsh', 'Taylor', 'Evans'],
  },
  {
    weight: 1, language: 'Danish',
    first: ['Søren', 'Åsa', 'Bjørn', 'Freja', 'Mads'],
    last: ['Jensen', 'Nielsen', 'Ødegaard', 'Sørensen', 'Åberg'],
  },
  {
    weight: 1, language: 'Czech',
    first: ['Jiří', 'Lucie', 'Tomáš', 'Zuzana', 'Kateřina'],
    last: ['Novák', 'Dvořák', 'Černý', 'Procházka', 'Kučera'],
  },
  {
    weight: 1, language: 'Hungarian',
    first: ['László', 'Zsófia', 'Gábor', 'Réka'],
    last: ['Horváth', 'Nagy', 'Kovács', 'Szabó', 'Tóth'],
  },
];

/** Surnames more common than the others get a higher weight (Müller first). */
export const LAST_NAME_WEIGHT: Record<string, number> = {
  'Müller': 6, 'Schmidt': 5, 'Schneider': 4, 'Fischer': 4, 'Weber': 3, 'Meyer': 3, 'Wagner': 3, 'Becker': 3, 'Schulz': 3,
  'Hoffmann': 3, 'Schäfer': 3, 'Nguyễn': 4, 'Yılmaz': 3,
};

export interface City {
  name: string;
  country: string;
  weight: number;
  /** first and last postcode of the city */
  postcodes: [number, number];
  area: string;
  districts: string[];
}

const GENERIC_DISTRICTS = ['Mitte', 'Nord', 'Süd', 'Ost', 'West', 'Altstadt', 'Neustadt', 'Innenstadt'];

const c = (name: string, weight: number, postcodes: [number, number], area: string, districts: string[] = [], country = 'Germany'): City =>
  ({ name, weight, postcodes, area, districts: districts.length ? districts : GENERIC_DISTRICTS, country });

export const CITIES: City[] = [
  c('Berlin', 18, [10115, 14199], '030', ['Neukölln', 'Kreuzberg', 'Wedding', 'Marzahn', 'Prenzlauer Berg', 'Moabit', 'Lichtenberg', 'Spandau', 'Schöneberg', 'Friedrichshain', 'Köpenick']),
  c('Hamburg', 9, [20095, 22769], '040', ['Altona', 'St. Pauli', 'Wilhelmsburg', 'Barmbek', 'Eimsbüttel', 'Harburg', 'Ottensen']),
  c('München', 8, [80331, 81929], '089', ['Giesing', 'Schwabing', 'Neuhausen', 'Sendling', 'Haidhausen', 'Hasenbergl', 'Neuperlach']),
  c('Köln', 7, [50667, 51149], '0221', ['Ehrenfeld', 'Kalk', 'Mülheim', 'Nippes', 'Chorweiler', 'Sülz', 'Deutz']),
  c('Frankfurt am Main', 5, [60306, 65936], '069', ['Bockenheim', 'Gallus', 'Sachsenhausen', 'Nordend', 'Höchst']),
  c('Leipzig', 5, [4103, 4357], '0341', ['Connewitz', 'Plagwitz', 'Grünau', 'Gohlis', 'Lindenau', 'Reudnitz']),
  c('Stuttgart', 4, [70173, 70629], '0711', ['Bad Cannstatt', 'Feuerbach', 'Degerloch', 'Zuffenhausen']),
  c('Düsseldorf', 4, [40210, 40629], '0211', ['Bilk', 'Flingern', 'Oberbilk', 'Garath']),
  c('Dresden', 3, [1067, 1328], '0351', ['Neustadt', 'Prohlis', 'Gorbitz', 'Pieschen', 'Striesen']),
  c('Hannover', 3, [30159, 30659], '0511', ['Linden', 'List', 'Vahrenheide', 'Döhren']),
  c('Nürnberg', 3, [90402, 90491], '0911', ['Gostenhof', 'St. Leonhard', 'Langwasser', 'Südstadt']),
  c('Bremen', 3, [28195, 28779], '0421', ['Gröpelingen', 'Findorff', 'Vegesack', 'Neustadt']),
  c('Essen', 2, [45127, 45359], '0201', ['Altendorf', 'Katernberg', 'Rüttenscheid']),
  c('Dortmund', 2, [44135, 44388], '0231', ['Nordstadt', 'Hörde', 'Scharnhorst']),
  c('Münster', 2, [48143, 48167], '0251', ['Kinderhaus', 'Hiltrup', 'Coerde']),
  c('Bonn', 2, [53111, 53229], '0228', ['Beuel', 'Bad Godesberg', 'Tannenbusch']),
  c('Potsdam', 2, [14467, 14482], '0331', ['Babelsberg', 'Drewitz', 'Schlaatz']),
  c('Freiburg im Breisgau', 2, [79098, 79117], '0761', ['Vauban', 'Weingarten', 'Stühlinger']),
  c('Göttingen', 1, [37073, 37085], '0551'),
  c('Jena', 1, [7743, 7751], '03641', ['Lobeda', 'Winzerla']),
  c('Kiel', 1, [24103, 24159], '0431', ['Gaarden', 'Mettenhof']),
  c('Lübeck', 1, [23552, 23570], '0451', ['St. Lorenz', 'Moisling']),
  c('Halle (Saale)', 1, [6108, 6132], '0345', ['Neustadt', 'Silberhöhe']),
  c('Würzburg', 1, [97070, 97084], '0931'),
  c('Saarbrücken', 1, [66111, 66133], '0681', ['Malstatt', 'Burbach']),
  c('Osnabrück', 1, [49074, 49090], '0541'),
  c('Tübingen', 1, [72070, 72076], '07071'),
  c('Mainz', 1, [55116, 55131], '06131', ['Neustadt', 'Gonsenheim']),
  c('Rostock', 1, [18055, 18147], '0381', ['Lütten Klein', 'Toitenwinkel']),
  c('Erfurt', 1, [99084, 99099], '0361', ['Herrenberg', 'Rieth']),
  c('Wien', 1, [1010, 1230], '+43 1', ['Favoriten', 'Ottakring', 'Leopoldstadt'], 'Austria'),
  c('Zürich', 0.5, [8001, 8064], '+41 44', ['Wiedikon', 'Oerlikon'], 'Switzerland'),
];

export const TAGS = [
  'Mentor', 'Speaker', 'Workshop trainer', 'Remote only', 'Pro bono', 'Board member', 'Alumni', 'Hackathon 2023',
  'Digitaltag 2024', 'Students', 'Retired', 'Corporate volunteering', 'Weekend only', 'Ehrenamtskarte', 'Trainer pool',
  'Sprachcafé', 'Jury', 'Foodsaver', 'Erste Hilfe', 'Barcamp', 'Quick help', 'Long-term', 'Kiezhelden', 'Newcomer 2025',
];

export const NOTES = [
  'Prefers remote work.', 'Only available in the evenings.', 'Nur abends erreichbar.', 'Met at the Digitaltag 2024.',
  'Kennt viele Leute in der Stadtteilarbeit.', 'Has a car and can help with transport.', 'Sucht ein längerfristiges Projekt.',
  'Would like to mentor beginners.', 'Möchte lieber nicht am Wochenende.', 'Spricht gern auf Veranstaltungen.',
  'Came via LinkedIn; asked about WordPress projects.', 'War früher im Vorstand eines Sportvereins.',
  'Bitte zuerst per E-Mail anfragen.', 'Happy to review grant applications.', 'Hat zwei Kinder, eher Projekte mit flexiblen Zeiten.',
  'Recommended by the Tafel team.', 'Gibt auch Workshops für Jugendliche.', 'On parental leave until spring.',
];

export const JOB_TITLES: Record<string, string[]> = {
  'web-development': ['Web developer', 'Full-stack developer', 'Softwareentwicklung'],
  'wordpress-cms': ['WordPress developer', 'Webmaster', 'Web designer'],
  'seo': ['SEO consultant', 'SEO manager'],
  'online-marketing': ['Online marketing manager', 'Marketing manager'],
  'google-ads': ['SEA manager', 'Performance marketing manager'],
  'social-media': ['Social media manager', 'Community manager', 'Social-Media-Redaktion'],
  'newsletter': ['CRM & e-mail marketing manager', 'Newsletter editor'],
  'graphic-design': ['Graphic designer', 'Art director', 'Mediengestalter:in'],
  'ux': ['UX designer', 'Product designer'],
  'photo-video': ['Photographer', 'Video journalist', 'Filmemacher:in'],
  'copywriting-pr': ['Copywriter', 'Journalist', 'PR consultant', 'Redakteur:in'],
  'translation': ['Translator', 'Interpreter', 'Übersetzer:in'],
  'fundraising': ['Fundraiser', 'Fundraising manager'],
  'data-analysis': ['Data analyst', 'Data scientist'],
  'it-support': ['IT administrator', 'System administrator', 'IT consultant'],
  'strategy': ['Management consultant', 'Project manager', 'Organisationsentwicklung'],
  'data-protection': ['Data protection officer', 'Lawyer', 'Rechtsanwält:in'],
};

export const GENERIC_JOBS = ['Student', 'Retired teacher', 'Studentin (Informatik)', 'Sozialarbeiter:in', 'Lehrer:in'];

export const EMPLOYERS = [
  'Pixelwerk GmbH', 'Nordlicht Medien', 'Blauhaus Agentur', 'Datenfreunde GmbH', 'Kommunikationsbüro Sonnenseite',
  'Stadtwerke', 'Hochschule für angewandte Wissenschaften', 'Bürger:innenamt', 'Lichtblick Consulting', 'Grünfink eG',
  'Agentur Querbeet', 'Kiezkultur gGmbH', 'Open Data Lab', 'Fahrradwerk GmbH', 'Büro für Leichte Sprache',
];

export const EMAIL_DOMAINS: [string, number][] = [
  ['example.org', 4], ['example.com', 4], ['example.net', 2], ['mail.example', 3], ['posteo.example', 1], ['web.example', 2],
];

export const EXTRA_LANGUAGES: [string, number][] = [
  ['French', 10], ['Spanish', 8], ['Italian', 3], ['Russian', 3], ['Turkish', 2], ['Arabic', 2], ['Polish', 2], ['Dutch', 2],
];

// Every feature's messages in one catalog. A feature adds one import and one list entry here.
import { mergeMessageSets } from './i18n.js';
import { importsMessages } from '../imports/imports.messages.js';
import { coreMessages } from './core.messages.js';
import { peopleMessages } from '../people/people.messages.js';
import { skillsMessages } from '../skills/skills.messages.js';
import { aboutMessages } from '../about/about.messages.js';
import { privacyMessages } from '../privacy/privacy.messages.js';
import { organisationsMessages } from '../organisations/organisations.messages.js';
import { projectsMessages } from '../projects/projects.messages.js';
import { engagementsMessages } from '../engagements/engagements.messages.js';
import { insightsMessages } from '../insights/insights.messages.js';
import { homeMessages } from '../home/home.messages.js';
import { searchMessages } from '../search/search.messages.js';
import { exportsMessages } from '../exports/exports.messages.js';
import { mailMessages } from '../mail/mail.messages.js';
import { meMessages } from '../me/me.messages.js';

export const catalog = mergeMessageSets([
  coreMessages,
  importsMessages,
  peopleMessages,
  skillsMessages,
  aboutMessages,
  privacyMessages,
  organisationsMessages,
  projectsMessages,
  engagementsMessages,
  insightsMessages,
  homeMessages,
  searchMessages,
  exportsMessages,
  mailMessages,
  meMessages,
]);

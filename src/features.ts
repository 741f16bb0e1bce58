// The features of Skillnet, listed once. Each brings its message catalogue (English and German) and registers
// it here, so the shared layers (src/i18n/, src/http/) know no feature. app.ts and cli.ts import this module
// first; a new feature adds its messages to this list.
import { registerMessages } from './i18n/catalog.js';
import type { MessageSet } from './i18n/i18n.js';
import { aboutMessages } from './about/about.messages.js';
import { apiMessages } from './api/api.messages.js';
import { engagementsMessages } from './engagements/engagements.messages.js';
import { exportsMessages } from './exports/exports.messages.js';
import { homeMessages } from './home/home.messages.js';
import { importsMessages } from './imports/imports.messages.js';
import { wizardMessages } from './imports/wizard.messages.js';
import { insightsMessages } from './insights/insights.messages.js';
import { mailMessages } from './mail/mail.messages.js';
import { meMessages } from './me/me.messages.js';
import { duplicatesMessages } from './duplicates/duplicates.messages.js';
import { campaignsMessages } from './campaigns/campaigns.messages.js';
import { joinMessages } from './join/join.messages.js';
import { accountLinksMessages } from './accounts/account-links.messages.js';
import { organisationsMessages } from './organisations/organisations.messages.js';
import { peopleMessages } from './people/people.messages.js';
import { bulkMessages } from './people/bulk.messages.js';
import { languagesMessages } from './people/languages.messages.js';
import { privacyMessages } from './privacy/privacy.messages.js';
import { projectsMessages } from './projects/projects.messages.js';
import { searchMessages } from './search/search.messages.js';
import { skillsMessages } from './skills/skills.messages.js';
import { signInMessages } from './users/sign-in.messages.js';
import { webhooksMessages } from './webhooks/webhooks.messages.js';
import { shortlistsMessages } from './shortlists/shortlists.messages.js';
import { pickersMessages } from './pickers/pickers.messages.js';

export const FEATURE_MESSAGES: readonly MessageSet[] = [
  aboutMessages,
  apiMessages,
  engagementsMessages,
  exportsMessages,
  homeMessages,
  importsMessages,
  wizardMessages,
  insightsMessages,
  mailMessages,
  meMessages,
  duplicatesMessages,
  campaignsMessages,
  joinMessages,
  accountLinksMessages,
  organisationsMessages,
  peopleMessages,
  bulkMessages,
  languagesMessages,
  privacyMessages,
  projectsMessages,
  searchMessages,
  skillsMessages,
  signInMessages,
  webhooksMessages,
  shortlistsMessages,
  pickersMessages,
];

for (const m of FEATURE_MESSAGES) registerMessages(m);

// Every feature's messages in one catalog. A feature adds one import and one list entry here.
import { mergeMessageSets } from './i18n.js';
import { coreMessages } from './core.messages.js';
import { peopleMessages } from '../people/people.messages.js';
import { skillsMessages } from '../skills/skills.messages.js';
import { searchMessages } from '../search/search.messages.js';

export const catalog = mergeMessageSets([
  coreMessages,
  peopleMessages,
  skillsMessages,
  searchMessages,
]);

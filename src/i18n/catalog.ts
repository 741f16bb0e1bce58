// Every feature's messages in one catalog. A feature adds one import and one list entry here.
import { mergeMessageSets } from './i18n.js';
import { importsMessages } from '../imports/imports.messages.js';
import { coreMessages } from './core.messages.js';
import { peopleMessages } from '../people/people.messages.js';
import { skillsMessages } from '../skills/skills.messages.js';

export const catalog = mergeMessageSets([
  coreMessages,
  importsMessages,
  peopleMessages,
  skillsMessages,
]);

// What every view may read (app.locals): the allowed values of each field and the longest value of each input,
// from their one definition in the feature's domain — so a form offers exactly what validation accepts.
import { AVAILABILITY, PERSON_KINDS, PERSON_LIMITS, displayName, sortName } from './people/people.domain.js';
import { SKILL_LEVELS } from './skills/levels.domain.js';
import { ORG_KINDS, ORG_LIMITS } from './organisations/organisations.domain.js';
import { PROJECT_KINDS, PROJECT_LIMITS, PROJECT_STATUSES } from './projects/projects.domain.js';
import { ENGAGEMENT_LIMITS, HANDOVER, RATINGS } from './engagements/engagements.domain.js';
import { SKILL_LIMITS } from './skills/skills.domain.js';
import { USER_LIMITS } from './users/users.domain.js';
import { ROLES } from './users/roles.domain.js';
import { ACTIVE_YEARS, FILTER_AVAILABILITY, FILTER_KINDS, FILTER_LEVELS, SEARCH_LIMITS, SORTS } from './search/search.domain.js';
import { SAVED_SEARCH_NAME_MAX } from './saved-searches/saved-searches.domain.js';
import { CONSENT_LIMITS, CONSENT_METHODS, CONSENT_PURPOSES, CONSENT_STATUSES, OTHER_PURPOSE } from './privacy/privacy.domain.js';
import { MAPPING_NAME_MAX } from './imports/mapping.domain.js';
import { JOIN_LIMITS } from './join/join.domain.js';
import { SERVICE_ROLES, TOKEN_LIMITS, TOKEN_SCOPES } from './api/api.domain.js';
import { TWO_FACTOR_CODE_MAX } from './users/two-factor.domain.js';
import { WEBHOOK_LIMITS } from './webhooks/webhooks.domain.js';
import { formatLanguages } from './people/languages.domain.js';
import { SHORTLIST_LIMITS } from './shortlists/shortlists.domain.js';
import { PICKER_Q_MAX, pickerStatus } from './pickers/pickers.domain.js';

/** Allowed values, as `choices.personKinds` etc. in a view. */
export const VIEW_CHOICES = {
  personKinds: PERSON_KINDS,
  availability: AVAILABILITY,
  skillLevels: SKILL_LEVELS,
  orgKinds: ORG_KINDS,
  projectKinds: PROJECT_KINDS,
  projectStatuses: PROJECT_STATUSES,
  handover: HANDOVER,
  ratings: RATINGS,
  roles: ROLES,
  searchKinds: FILTER_KINDS,
  searchAvailability: FILTER_AVAILABILITY,
  searchSorts: SORTS,
  searchLevels: FILTER_LEVELS,
  activeYears: ACTIVE_YEARS,
  /** the purposes with a name of their own; the form adds 'other' for a free-text purpose */
  consentPurposes: CONSENT_PURPOSES,
  consentChoices: [...CONSENT_PURPOSES, OTHER_PURPOSE],
  consentStatuses: CONSENT_STATUSES,
  consentMethods: CONSENT_METHODS,
  tokenScopes: TOKEN_SCOPES,
  serviceRoles: SERVICE_ROLES,
} as const;

/** Helpers every view may call: `personName(p)` names a person the one way (see displayName). */
export const VIEW_HELPERS = {
  personName: displayName,
  personSortName: sortName,
  /** stored language codes ("de, en") in the interface language: `languageNames(person.languages, locale)` */
  languageNames: formatLanguages,
  /** the line under a picker's list (views/partials/picker.ejs): `pickerStatus(t, fmt, shown, total, q, more)` */
  pickerStatus,
} as const;

/** Field limits, as `limits.person.first_name` etc. in a view (the `maxlength` of every input). */
export const VIEW_LIMITS = {
  person: PERSON_LIMITS,
  org: ORG_LIMITS,
  project: PROJECT_LIMITS,
  engagement: ENGAGEMENT_LIMITS,
  skill: SKILL_LIMITS,
  user: USER_LIMITS,
  search: SEARCH_LIMITS,
  savedSearch: { name: SAVED_SEARCH_NAME_MAX },
  consent: CONSENT_LIMITS,
  imports: { mapping_name: MAPPING_NAME_MAX },
  join: JOIN_LIMITS,
  token: TOKEN_LIMITS,
  twoFactor: { code: TWO_FACTOR_CODE_MAX },
  webhook: WEBHOOK_LIMITS,
  shortlist: SHORTLIST_LIMITS,
  picker: { q: PICKER_Q_MAX },
} as const;

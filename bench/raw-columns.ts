// The columns of the app's people export, as both bare servers (SQLite and PostgreSQL) write them.
export const CSV_COLUMNS = [
  'id', 'first_name', 'last_name', 'email', 'phone', 'city', 'postcode', 'country', 'languages', 'kind', 'availability',
  'organisation', 'job_title', 'portfolio_url', 'skills', 'tags', 'notes', 'do_not_contact', 'last_confirmed_at', 'created_at',
];

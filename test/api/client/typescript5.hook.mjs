// openapi-typescript builds its output with the TypeScript 5 compiler API; the project's TypeScript 7 has no JS API.
// This loader hook lets openapi-typescript (and only it) import the `typescript5` alias package as `typescript`.
import { register } from 'node:module';

const hook = `export async function resolve(specifier, context, next) {
  if (specifier === 'typescript' && context.parentURL && context.parentURL.includes('/node_modules/openapi-typescript/')) {
    return next('typescript5', context);
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);

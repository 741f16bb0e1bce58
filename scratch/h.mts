import { testEnv, login } from '../test/support/app.js';
import { buildNetwork } from '../test/search/network.js';
const env = await testEnv();
const net = await buildNetwork(env.db);
const v = await login(env, 'v@example.org', 'viewer');
const html = (await v.agent.get(`/people/${net.people.jurgen}`).set('Accept-Language', 'de')).text;
console.log(html.slice(html.indexOf('class="card history"')).slice(0, 1500));
await env.close();

// npm run demo-service: a portal service signing in through Varco.
//   VARCO_URL           Varco's PUBLIC_URL (default http://127.0.0.1:3000)
//   DEMO_PORT           port of the demo (default 3100); DEMO_PUBLIC_URL its address
//   DEMO_CLIENT_ID      a client registered with Varco (public; DEMO_CLIENT_SECRET if confidential)
//   VARCO_ADMIN_TOKEN   without DEMO_CLIENT_ID: a platform-admin token to register the demo at start
import { buildDemoApp, registerDemoClient } from './demo.app.ts';

const varcoUrl = (process.env.VARCO_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const port = Number(process.env.DEMO_PORT ?? 3100);
const publicUrl = (process.env.DEMO_PUBLIC_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, '');

let clientId = process.env.DEMO_CLIENT_ID;
if (!clientId) {
  const adminToken = process.env.VARCO_ADMIN_TOKEN;
  if (!adminToken) {
    console.error('Set DEMO_CLIENT_ID, or VARCO_ADMIN_TOKEN (the platform-admin token npm start prints) to register the demo.');
    process.exit(1);
  }
  clientId = await registerDemoClient(varcoUrl, adminToken, publicUrl);
  console.log(`registered with Varco as ${clientId}`);
}
const app = await buildDemoApp({ varcoUrl, publicUrl, clientId, clientSecret: process.env.DEMO_CLIENT_SECRET });
await app.listen({ host: '127.0.0.1', port });
console.log(`demo service on ${publicUrl} (signs in through ${varcoUrl})`);

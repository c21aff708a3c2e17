// Browsers apply a page's CSP form-action to every redirect that follows the form's POST.
// The consent and sign-out forms end at the service's registered address (another origin),
// so those two pages allow exactly that origin, and nothing else, as a form target.
import type { ServerResponse } from 'node:http';

export function allowFormTargetOrigin(res: ServerResponse, target: string | undefined): void {
  if (!target) return;
  let origin: string;
  try {
    origin = new URL(target).origin;
  } catch {
    return;
  }
  if (origin === 'null') return;
  const current = res.getHeader('content-security-policy');
  if (typeof current !== 'string') return;
  res.setHeader('content-security-policy', current.replace("form-action 'self'", `form-action 'self' ${origin}`));
}


// Security headers on every response (editor, API, webhooks, redirects), through helmet.
// The Content-Security-Policy is what makes an injected script inert even if some operator data
// ever reaches a page: scripts only from our own origin, never inline, no eval.
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** The policy, exported so tests can assert on it directive by directive. */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  // The Vite build loads its bundles as files; nothing inline.
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  // React Flow positions nodes with inline style attributes and Ant Design injects <style> tags
  // at run time (CSS-in-JS), so inline styles must be allowed; styles cannot run script.
  'style-src': ["'self'", "'unsafe-inline'"],
  // QR sheets draw SVGs as data: images.
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  // No one may frame the editor (clickjacking an admin into publishing or rotating a token).
  'frame-ancestors': ["'none'"],
};

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // Sent on every response but only honoured by browsers over https. Not includeSubDomains: a
    // brand's other sub-domains are not ours to pin to https.
    strictTransportSecurity: { maxAge: 180 * 86_400, includeSubDomains: false },
    xFrameOptions: { action: 'deny' },
    // The SMS link and QR redirects lead to the brand's shop: it need not see our URL (it carries
    // the customer's link code).
    referrerPolicy: { policy: 'no-referrer' },
  }) as RequestHandler;
}

import type { Plugin } from 'vite';
import { contentSecurityPolicy } from '../src-main/hosts/electron/window-options';

/**
 * Writes the studio's Content-Security-Policy into index.html as the first element of <head>.
 * Electron loads the page from `file://`, which never gets response headers, so without the
 * meta tag the app page would have no CSP at all. (The web host also sends its own, stricter
 * header; a page obeys both.)
 */
export function cspMetaTag(): Plugin {
  return {
    name: 'lbs-csp-meta',
    // The dev server's page is served over HTTP and gets the policy (with its own origins) as a header.
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => injectCspMeta(html),
    },
  };
}

export function injectCspMeta(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy({ meta: true })}" />`;
  if (!/<head>/i.test(html)) throw new Error('index.html has no <head>: cannot place the Content-Security-Policy meta tag');
  return html.replace(/<head>/i, (head) => `${head}\n    ${meta}`);
}

/**
 * The web host's first page load carries the session token in `?token=`; the response sets it
 * as an HttpOnly cookie, which authorises everything after (assets, media, the WebSocket and
 * reloads). Left in the address bar it would end up in the history, in bookmarks and in
 * screenshots, so it is removed once the page has loaded (the transport has read it by then).
 */
export function removeTokenFromAddress(
  location: { href: string },
  history: { state: unknown; replaceState(state: unknown, unused: string, url: string): void },
): boolean {
  const url = new URL(location.href);
  if (!url.searchParams.has('token')) return false;
  url.searchParams.delete('token');
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return true;
}

/** A URL as it may appear in a log line or on a terminal: user name and password removed. */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    // Not a URL: say nothing of it rather than print what might hold a secret.
    return '(unparsable URL)';
  }
}

// The webview's HTML shell: a strict CSP (nothing by default; only our nonce'd script and the
// stylesheet from the extension's own webview resources; no connect-src, so the page cannot
// reach the network — the host does all fetching).
import { randomBytes } from 'node:crypto';

export interface HtmlInputs {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce?: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
  ].join('; ');
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function dashboardHtml(i: HtmlInputs): string {
  const nonce = i.nonce ?? makeNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(i.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(i.styleUri)}">
<title>Perf Insights</title>
</head>
<body>
<main id="root" aria-live="polite" aria-label="Perf Insights dashboard"></main>
<script nonce="${escapeAttr(nonce)}" src="${escapeAttr(i.scriptUri)}"></script>
</body>
</html>`;
}

import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, dashboardHtml, makeNonce } from './dashboard-html';

describe('dashboard HTML', () => {
  const html = dashboardHtml({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/app.js', styleUri: 'https://x/app.css', nonce: 'N0nce' });
  const csp = /content="([^"]*)"/.exec(html)![1]!;

  it('denies everything by default and allows only the nonce script and our own styles', () => {
    expect(csp.split('; ')[0]).toBe("default-src 'none'");
    expect(csp).toContain("script-src 'nonce-N0nce'");
    expect(csp).toContain('style-src https://file+.vscode-resource.vscode-cdn.net');
    expect(csp).not.toMatch(/connect-src|unsafe-inline|unsafe-eval|\*/);
  });
  it('puts the nonce on the only script and inlines no script or style', () => {
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script nonce="N0nce" src="https://x/app.js">');
    expect(html).not.toMatch(/<style|style="/);
  });
  it('makes a fresh random nonce each time', () => {
    const a = makeNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/=]{24}$/);
    expect(makeNonce()).not.toBe(a);
    expect(contentSecurityPolicy('s', a)).toContain(a);
  });
});

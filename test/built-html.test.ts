import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { contentSecurityPolicy } from '../src-main/hosts/electron/window-options';
import { rendererConfig } from '../src-renderer/vite.config';

const outDir = mkdtempSync(join(tmpdir(), 'lbs-built-html-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the built studio page (what Electron loads from file://)', () => {
  it('carries the Content-Security-Policy as a meta tag before any script, and has no inline script', async () => {
    await build({ ...rendererConfig, configFile: false, logLevel: 'silent', build: { ...rendererConfig.build, outDir, emptyOutDir: true } });
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(contentSecurityPolicy({ meta: true }));
    expect(meta![1]).toContain("script-src 'self'");
    expect(meta![1]).toContain("object-src 'none'");
    // A meta policy covers only what follows it: it must come before the first script.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    // script-src 'self' without 'unsafe-inline': every script is a file.
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc="/);
  }, 120_000);
});

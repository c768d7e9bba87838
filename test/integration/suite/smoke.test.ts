// The host itself: a real VS Code of the expected release, with this extension loaded from
// the development path and able to activate.
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';

const EXTENSION_ID = 'perf-insights.perf-insights';

describe('smoke', () => {
  it('runs inside VS Code 1.100.x', () => {
    assert.match(vscode.version, /^1\.100\.\d+$/);
  });

  it(`finds ${EXTENSION_ID} and activates it`, async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded; loaded: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ')}`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });
});

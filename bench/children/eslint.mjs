// Peer 1: ESLint 10 with @typescript-eslint/parser and only `no-await-in-loop`, linting the
// same files from disk (no cache, single thread) through the public ESLint API.
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { runChild } from './harness.mjs';

await runChild(async ({ files, root }) => {
  const eslint = new ESLint({
    cwd: root,
    cache: false,
    ignore: false,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'],
        languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
        rules: { 'no-await-in-loop': 'error' },
      },
    ],
  });
  const results = await eslint.lintFiles(files);
  let problems = 0;
  let fatal = 0;
  for (const r of results) {
    problems += r.errorCount;
    fatal += r.fatalErrorCount;
  }
  return { problems, parseErrors: fatal };
});

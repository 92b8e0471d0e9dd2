// ESLint 9 flat config. src/ and test/ get typescript-eslint's type-checked recommendations (types
// from tsconfig.json through the project service); the CommonJS bench scripts the plain ones.
// Formatting is Prettier's job (eslint-config-prettier switches off the rules it owns).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const PLATFORM = 'library shortcuts belong in src/platform/ (see src/platform/README.md).';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/results/', 'coverage/', 'data/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // The server logs through pino; a stray console.log is debugging left behind.
      'no-console': 'error',
    },
  },
  {
    // Command-line entry points talk to their terminal.
    files: ['src/main.ts', 'src/worker.ts', 'src/migrate.ts', 'src/openapi-export.ts', 'src/auth/apikey-cli.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Shortcuts into a library's internals live in src/platform/ only (each with its reason, measured
    // figure, pinned version and tripwire test; see src/platform/README.md). dependency-cruiser
    // checks deep imports too; these catch what an import graph cannot show.
    files: ['src/**/*.ts'],
    ignores: ['src/platform/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['typeorm/*', 'class-validator/*', 'class-transformer/*', 'express/*', 'helmet/*', '@nestjs/*/dist/*', 'mysql2/*', '!mysql2/promise'], message: PLATFORM }],
          paths: [
            { name: 'class-validator', importNames: ['getMetadataStorage'], message: PLATFORM },
            { name: '@nestjs/platform-express', importNames: ['ExpressAdapter'], message: PLATFORM },
            { name: 'helmet', message: PLATFORM },
            { name: 'node:v8', importNames: ['setFlagsFromString'], message: PLATFORM },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='_format']", message: `req._format (the negotiated format cached on Express's request): ${PLATFORM}` },
        { selector: "CallExpression[callee.property.name='push'][callee.object.property.name='subscribers']", message: `A subscriber pushed into DataSource.subscribers: ${PLATFORM}` },
        { selector: "MemberExpression[property.name='pool']", message: `The database driver's connection pool: ${PLATFORM}` },
        { selector: "MethodDefinition[key.name='reply']", message: `Overriding the HTTP adapter's reply(): ${PLATFORM}` },
        { selector: "CallExpression[callee.type='CallExpression'][callee.callee.name='helmet']", message: `helmet run outside a request: ${PLATFORM}` },
      ],
    },
  },
  {
    // supertest types every response body as `any`: flagging each read of it is noise, not safety.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
  prettier,
);

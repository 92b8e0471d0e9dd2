/** `npm run test:reliability`: fuzzing, concurrency and crash durability (test/reliability/), kept out of `npm test`. */
const base = require('./jest.config');
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/reliability/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 900000,
};

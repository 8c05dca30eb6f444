/**
 * The system runs (`npm run test:e2e`, `test:editor`, `test:queue`): the packed package in a real
 * n8n server, one suite at a time, each a few minutes long; not part of `npm test`.
 */
module.exports = {
	rootDir: '..',
	preset: 'ts-jest',
	testEnvironment: 'node',
	testMatch: ['<rootDir>/system/**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testTimeout: 5 * 60_000,
	maxWorkers: 1,
	verbose: true,
};

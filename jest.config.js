/** Tests run the nodes through n8n-core's real execution engine; see dev/harness/. */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testTimeout: 60000,
	setupFiles: ['<rootDir>/test/setup.ts'],
};

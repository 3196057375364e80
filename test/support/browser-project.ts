export const browserProject = { test: { name: 'browser', include: ['test/widget/**/*.test.ts'] } };

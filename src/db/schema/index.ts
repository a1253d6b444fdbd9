export * from './contacts.ts';
export * from './topics.ts';
export * from './subscriptions.ts';
export * from './suppressions.ts';
export * from './consent-events.ts';
export * from './secrets.ts';
export * from './api-keys.ts';

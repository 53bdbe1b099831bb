export * from './role';
export * from './permission';
export * from './email-address';
export * from './password-policy';
export * from './identity.events';
export * from './user';
export * from './ports/user.repository';
export * from './team';

export * from './gate';
export * from './k6-script';
export * from './schedule';

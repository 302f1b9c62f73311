import init from './pkg/app.js';
await init();

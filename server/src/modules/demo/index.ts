/** Demo city (演示城市) for the embedded default's first start. */
export { DemoService, type DemoExtra } from './demo.service.js';
export { DEMO_ACCOUNTS, DEMO_INITIAL_PASSWORD, DEMO_NODES, DEMO_ORGS, DEMO_SYSTEMS } from './demo.data.js';

/** The shared ECharts wrapper (moved to app/ so every feature uses one). */
export { EChart } from '../../../app/EChart';

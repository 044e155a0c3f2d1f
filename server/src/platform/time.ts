/**
 * Beijing time (Asia/Shanghai: UTC+8 all year, no daylight saving) as the text the platform shows, stores in
 * interface fields and prints in exports.
 */
const OFFSET_MS = 8 * 3_600_000;

const shifted = (at: Date | number | string) => new Date((at instanceof Date ? at.getTime() : typeof at === 'number' ? at : new Date(at).getTime()) + OFFSET_MS);

/** The calendar day in Beijing, `YYYY-MM-DD`. */
export function beijingDate(at: Date | number | string = Date.now()): string {
  return shifted(at).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:mm:ss` in Beijing. */
export function beijingDateTime(at: Date | number | string = Date.now()): string {
  return shifted(at).toISOString().slice(0, 19).replace('T', ' ');
}

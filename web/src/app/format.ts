/**
 * Times are shown in the business time zone of the platform, Asia/Shanghai (北京时间), whatever the browser's own
 * time zone is: a duty officer abroad or a server-side screenshot reads the same clock as the people in Beijing.
 */
const shanghai = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export const fmtTime = (iso: string | null | undefined) => (iso ? shanghai.format(new Date(iso)).replace('T', ' ') : '—');
